//! What every page shows around its content (the language, the signed-in person, the menu,
//! the CSRF token for forms) and the small formatting helpers templates use.

use crate::auth::{Ctx, User};
use crate::i18n::T;
use askama::Template;
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use domain::Action;

/// Vietnam has kept UTC+7 without daylight saving since 1975, so a fixed offset is the whole
/// of Asia/Ho_Chi_Minh for every instant this system stores.
pub fn vn_offset() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset")
}

/// dd/mm/yyyy.
pub fn date(d: &NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// dd/mm/yyyy HH:MM in Vietnam time, from stored milliseconds.
pub fn datetime_ms(ms: i64) -> String {
    let utc: DateTime<Utc> = store::from_ms(ms);
    utc.with_timezone(&vn_offset())
        .format("%d/%m/%Y %H:%M")
        .to_string()
}

/// Today in Vietnam.
pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&vn_offset()).date_naive()
}

/// Percent-encodes a value for a query string.
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Which menu entries the person may open.
#[derive(Debug, Clone, Default)]
pub struct Nav {
    pub people: bool,
    pub partners: bool,
    pub accounts: bool,
    pub audit: bool,
    pub models: bool,
    pub news: bool,
    pub rosters: bool,
    pub plans: bool,
    /// An account holding no role: a partner body's account, whose page is its joint plans.
    pub partner_plans: bool,
}

/// The frame of every page.
#[derive(Debug, Clone)]
pub struct Page {
    pub t: T,
    pub title: String,
    pub user_name: Option<String>,
    pub username: String,
    pub csrf: String,
    pub nav: Nav,
    /// Current path, for the language switch to come back to.
    pub path: String,
    /// The active menu entry.
    pub section: &'static str,
}

impl Page {
    /// For pages anyone may see (sign-in).
    pub fn public(ctx: &Ctx, title_key: &str) -> Page {
        Page {
            t: ctx.t,
            title: ctx.t.s(title_key).to_owned(),
            user_name: None,
            username: String::new(),
            csrf: ctx
                .identity
                .as_ref()
                .map(|i| i.csrf().to_owned())
                .unwrap_or_default(),
            nav: Nav::default(),
            path: ctx.path.clone(),
            section: "",
        }
    }

    /// For pages of a signed-in person.
    pub fn new(user: &User, title: impl Into<String>, section: &'static str) -> Page {
        let g = &user.id.grants;
        Page {
            t: user.ctx.t,
            title: title.into(),
            user_name: Some(user.id.account.display_name.clone()),
            username: user.id.account.username.clone(),
            csrf: user.id.csrf().to_owned(),
            nav: Nav {
                people: g.allows(Action::PersonView),
                partners: g.allows(Action::PartnerView),
                accounts: g.allows(Action::AccountView),
                audit: g.allows(Action::AuditView),
                models: g.allows(Action::ModelView),
                news: g.allows(Action::NewsView),
                rosters: g.allows(Action::RosterView),
                plans: g.allows(Action::PlanView),
                partner_plans: g.list.is_empty(),
            },
            path: user.ctx.path.clone(),
            section,
        }
    }

    pub fn lang_switch(&self) -> String {
        format!(
            "/lang/{}?next={}",
            self.t.lang.other().code(),
            url_encode(&self.path)
        )
    }

    pub fn other_lang_name(&self) -> &'static str {
        self.t.s("lang.switch")
    }
}

/// The page shown for an error.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub t: T,
    pub status: u16,
    pub title: &'static str,
    pub message: &'static str,
}

/// Renders a template into an HTML response.
pub fn html<P: Template>(p: &P) -> crate::error::AppResult<axum::response::Html<String>> {
    Ok(axum::response::Html(p.render()?))
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_vietnamese_way() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 2, 3).unwrap();
        assert_eq!(super::date(&d), "03/02/2026");
        // 2026-01-01T17:30:00Z is half past midnight on 2 January in Vietnam.
        assert_eq!(super::datetime_ms(1_767_288_600_000), "02/01/2026 00:30");
        assert_eq!(super::url_encode("/people?q=đ"), "%2Fpeople%3Fq%3D%C4%91");
    }
}
