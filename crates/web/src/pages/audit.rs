//! The audit log browser: entries of the scope, newest first, a page at a time by entry number,
//! filtered by action, actor and dates; and the head of the chain, which `antoan audit verify`
//! checks the whole chain against.

use crate::AppState;
use crate::auth::Authz;
use crate::error::AppResult;
use crate::view::{Page, datetime_ms, html, url_encode, vn_offset};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{NaiveDate, TimeDelta};
use serde::Deserialize;
use store::audit::{self, Entry, Filter};
use store::scope::AuditView;

const PAGE_SIZE: i64 = 50;

pub fn router() -> Router<AppState> {
    Router::new().route("/audit", get(index))
}

#[derive(Deserialize, Default)]
struct AuditQuery {
    #[serde(default)]
    action: String,
    #[serde(default)]
    actor: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    before: Option<String>,
}

#[derive(Template)]
#[template(path = "audit/index.html")]
struct AuditPage {
    page: Page,
    q: AuditQuery,
    actions: Vec<String>,
    entries: Vec<Entry>,
    next: Option<i64>,
    paged: bool,
    error: Option<&'static str>,
    head_seq: i64,
    head_hash: String,
}

impl AuditPage {
    /// A catalog text cut at its `{}` slots, so the values between can be marked up; always
    /// three parts, empty where the text has fewer slots.
    fn parts(&self, key: &str) -> Vec<&'static str> {
        let mut v: Vec<&'static str> = self.page.t.s(key).splitn(3, "{}").collect();
        v.resize(3, "");
        v
    }
    fn when(&self, e: &Entry) -> String {
        datetime_ms(e.at)
    }
    fn short(&self, hash: &str) -> String {
        hash.chars().take(12).collect()
    }
    /// Where the object of an entry can be seen, for the kinds that have a page.
    fn object_href(&self, e: &Entry) -> Option<String> {
        match e.object_kind.as_str() {
            "unit" => Some(format!("/units/{}", e.object_id)),
            "partner" => Some(format!("/partners/{}", e.object_id)),
            _ => None,
        }
    }
    fn filters(&self) -> String {
        format!(
            "action={}&actor={}&from={}&to={}",
            url_encode(&self.q.action),
            url_encode(&self.q.actor),
            url_encode(&self.q.from),
            url_encode(&self.q.to)
        )
    }
    fn next_href(&self) -> String {
        format!(
            "/audit?{}&before={}",
            self.filters(),
            self.next.unwrap_or_default()
        )
    }
    fn first_href(&self) -> String {
        format!("/audit?{}", self.filters())
    }
}

/// Start of a day in Vietnam, in stored milliseconds.
fn day_start_ms(d: NaiveDate) -> i64 {
    d.and_time(chrono::NaiveTime::MIN)
        .and_local_timezone(vn_offset())
        .single()
        .map(|t| t.timestamp_millis())
        .unwrap_or(0)
}

/// The filter from the query: dates are Vietnamese calendar days, so "to" runs to the last
/// millisecond of that day in Vietnam.
fn filter_of(q: &AuditQuery) -> Result<Filter, &'static str> {
    let day = |s: &str| -> Result<Option<NaiveDate>, &'static str> {
        let s = s.trim();
        if s.is_empty() {
            Ok(None)
        } else {
            domain::values::parse_date(s).map(Some).map_err(|e| e.key)
        }
    };
    let from = day(&q.from)?;
    let to = day(&q.to)?;
    let before_seq = match q.before.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(s.parse::<i64>().map_err(|_| "err.cursor")?),
        None => None,
    };
    Ok(Filter {
        action: Some(q.action.trim().to_owned()).filter(|s| !s.is_empty()),
        actor: Some(q.actor.trim().to_lowercase()).filter(|s| !s.is_empty()),
        from_ms: from.map(day_start_ms),
        to_ms: to.map(|d| day_start_ms(d + TimeDelta::days(1)) - 1),
        before_seq,
        limit: PAGE_SIZE,
    })
}

/// Known actions: those the catalog has a label for, in code order.
fn known_actions() -> Vec<String> {
    let mut v: Vec<String> = crate::i18n::keys()
        .into_iter()
        .filter_map(|k| k.strip_prefix("action.").map(str::to_owned))
        .collect();
    v.sort();
    v
}

async fn index(
    State(st): State<AppState>,
    a: Authz<AuditView>,
    Query(q): Query<AuditQuery>,
) -> AppResult<Response> {
    let t = a.t();
    let (entries, next, error) = match filter_of(&q) {
        Ok(f) => {
            let (entries, next) = audit::list(&st.db, &a.scope, &f).await?;
            (entries, next, None)
        }
        Err(key) => (Vec::new(), None, Some(key)),
    };
    let (head_seq, head_hash) = audit::head(&st.db).await?;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = AuditPage {
        page: Page::new(&a.user, t.s("audit.title"), "audit"),
        paged: q.before.as_deref().is_some_and(|s| !s.trim().is_empty()),
        q,
        actions: known_actions(),
        entries,
        next,
        error,
        head_seq,
        head_hash,
    };
    Ok((status, html(&page)?).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_bound_vietnamese_days() {
        let q = AuditQuery {
            from: "02/01/2026".into(),
            to: "02/01/2026".into(),
            ..Default::default()
        };
        let f = filter_of(&q).unwrap();
        // Midnight of 2 January in Vietnam is 17:00 UTC on 1 January.
        assert_eq!(f.from_ms, Some(1_767_286_800_000));
        assert_eq!(f.to_ms, Some(1_767_286_800_000 + 86_400_000 - 1));
        let bad = AuditQuery {
            from: "31/02/2026".into(),
            ..Default::default()
        };
        assert_eq!(filter_of(&bad).err(), Some("err.date"));
        let cursor = AuditQuery {
            before: Some("x".into()),
            ..Default::default()
        };
        assert_eq!(filter_of(&cursor).err(), Some("err.cursor"));
    }

    #[test]
    fn actions_come_from_the_catalog() {
        let a = known_actions();
        assert!(a.contains(&"auth.login".to_owned()) && a.contains(&"unit.update".to_owned()));
    }
}
