//! "Lịch trực của tôi": a person's own duties on published rosters, asking a colleague for a
//! swap, and the personal calendar feed (a secret address, shown once, replaceable and
//! revocable) served as iCalendar without a session.

use crate::AppState;
use crate::auth::User;
use crate::auth::csrf::CsrfForm;
use crate::error::{AppError, AppResult};
use crate::view::{Page, date, datetime_ms, html, today};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Days, NaiveDate, TimeZone};
use std::collections::HashMap;
use store::rosters::swaps::{self, Swap};
use store::rosters::{self, Duty, feeds};

type Fields = HashMap<String, String>;

/// A published roster the person may ask a swap on: its id, title, the person's duty days and
/// the colleagues (id, name).
pub(super) struct SwapChoice {
    pub roster_id: i64,
    pub title: String,
    pub my_days: Vec<(String, String)>,
    pub colleagues: Vec<(i64, String)>,
}

#[derive(Template)]
#[template(path = "rosters/mine.html")]
struct MinePage {
    page: Page,
    linked: bool,
    duties: Vec<Duty>,
    choices: Vec<SwapChoice>,
    swaps: Vec<Swap>,
    feed_since: Option<i64>,
    /// The feed address, just made (shown once).
    feed_url: Option<String>,
    notice: Option<&'static str>,
    error: Option<&'static str>,
}

impl MinePage {
    fn day(&self, d: &Duty) -> String {
        date(&d.day)
    }
    fn hours(&self, d: &Duty) -> String {
        let end = (d.start_minute + d.minutes) % 1440;
        format!(
            "{:02}:{:02}–{:02}:{:02}",
            d.start_minute / 60,
            d.start_minute % 60,
            end / 60,
            end % 60
        )
    }
    fn swap_day(&self, s: &Swap) -> String {
        match s.other_day {
            Some(o) => format!("{} ⇄ {}", date(&s.day), date(&o)),
            None => date(&s.day),
        }
    }
    fn since(&self, ms: &i64) -> String {
        datetime_ms(*ms)
    }
}

async fn render(
    st: &AppState,
    user: &User,
    notice: Option<&'static str>,
    error: Option<&'static str>,
    feed_url: Option<String>,
) -> AppResult<Response> {
    let t = user.t();
    let me = user.id.account.person_id;
    let (duties, choices, swaps, feed_since) = match me {
        None => (Vec::new(), Vec::new(), Vec::new(), None),
        Some(p) => {
            let from = today().checked_sub_days(Days::new(30));
            let duties = rosters::my_duties(&st.db, p, from).await?;
            let mut choices = Vec::new();
            for rid in rosters::person_roster_ids(&st.db, p)
                .await?
                .into_iter()
                .take(3)
            {
                let d = rosters::published_for_person(&st.db, rid, p).await?;
                let my_days = d
                    .cells
                    .iter()
                    .filter(|c| c.person_id == p && c.day >= today())
                    .map(|c| {
                        let name = d
                            .shift(c.shift_id)
                            .map(|s| s.name.clone())
                            .unwrap_or_default();
                        (c.day.to_string(), format!("{} — {name}", date(&c.day)))
                    })
                    .collect();
                choices.push(SwapChoice {
                    roster_id: rid,
                    title: d.roster.title.clone(),
                    my_days,
                    colleagues: d
                        .members
                        .iter()
                        .filter(|m| m.person_id != p)
                        .map(|m| (m.person_id, m.full_name.clone()))
                        .collect(),
                });
            }
            let swaps = swaps::of_person(&st.db, p).await?;
            (duties, choices, swaps, feeds::created_at(&st.db, p).await?)
        }
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = MinePage {
        page: Page::new(user, t.s("ro.mine"), "mine"),
        linked: me.is_some(),
        duties,
        choices,
        swaps,
        feed_since,
        feed_url,
        notice,
        error,
    };
    Ok((status, html(&page)?).into_response())
}

/// `GET /my/duties`.
pub(super) async fn page(State(st): State<AppState>, user: User) -> AppResult<Response> {
    render(&st, &user, None, None, None).await
}

/// `POST /my/duties/swap` (`roster`, `day`, `other`, optional `other_day`, `note`).
pub(super) async fn swap(
    State(st): State<AppState>,
    user: User,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let me = user.id.account.person_id.ok_or(AppError::NotFound)?;
    let parse = || {
        let num = |k: &str| f.get(k).and_then(|s| s.trim().parse::<i64>().ok());
        let day = |k: &str| {
            f.get(k)
                .filter(|s| !s.trim().is_empty())
                .map(|s| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d"))
        };
        let roster = num("roster").ok_or("err.ro_swap_no_duty")?;
        let d = day("day")
            .ok_or("err.ro_swap_no_duty")?
            .map_err(|_| "err.ro_date")?;
        let other = num("other").ok_or("err.ro_swap_other")?;
        let other_day = day("other_day").transpose().map_err(|_| "err.ro_date")?;
        Ok::<_, &'static str>((roster, d, other, other_day))
    };
    let (roster, d, other, other_day) = match parse() {
        Ok(v) => v,
        Err(k) => return render(&st, &user, None, Some(k), None).await,
    };
    let note = f.get("note").cloned().unwrap_or_default();
    match swaps::request(
        &st.db,
        &user.actor(),
        me,
        &swaps::SwapRequest {
            roster_id: roster,
            day: d,
            other_id: other,
            other_day,
            note: note.clone(),
        },
    )
    .await
    {
        Ok(_) => render(&st, &user, Some("ro.swap_requested"), None, None).await,
        Err(store::Error::Invalid(k)) => render(&st, &user, None, Some(k), None).await,
        Err(store::Error::NotFound) => {
            render(&st, &user, None, Some("err.ro_swap_no_duty"), None).await
        }
        Err(e) => Err(AppError::from(e)),
    }
}

/// `POST /my/duties/feed` (`action` = create or revoke).
pub(super) async fn feed(
    State(st): State<AppState>,
    user: User,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let me = user.id.account.person_id.ok_or(AppError::NotFound)?;
    match f.get("action").map(String::as_str) {
        Some("create") => {
            let token = feeds::create(&st.db, &user.actor(), me).await?;
            let url = format!("/feeds/{token}.ics");
            render(&st, &user, Some("ro.feed_made"), None, Some(url)).await
        }
        Some("revoke") => {
            feeds::revoke(&st.db, &user.actor(), me).await?;
            Ok(Redirect::to("/my/duties").into_response())
        }
        _ => render(&st, &user, None, Some("err.form"), None).await,
    }
}

/// Escapes a TEXT value (RFC 5545 §3.3.11).
fn ics_text(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// Folds a content line at 75 octets without splitting a character (RFC 5545 §3.1).
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

/// The duties as an iCalendar document; times in UTC, computed from Vietnam time.
pub fn ics_document(duties: &[Duty], person_id: i64, title: &str) -> String {
    let vn = crate::view::vn_offset();
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
    let mut out = String::new();
    for l in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//An Toan//Lich truc//VI",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        fold(l, &mut out);
    }
    fold(&format!("X-WR-CALNAME:{}", ics_text(title)), &mut out);
    for d in duties {
        let Some(start) = d
            .day
            .and_hms_opt(0, 0, 0)
            .and_then(|x| vn.from_local_datetime(&x).single())
            .map(|x| x + chrono::Duration::minutes(d.start_minute))
        else {
            continue;
        };
        let end = start + chrono::Duration::minutes(d.minutes);
        let utc = |x: chrono::DateTime<chrono::FixedOffset>| {
            x.with_timezone(&chrono::Utc)
                .format("%Y%m%dT%H%M%SZ")
                .to_string()
        };
        fold("BEGIN:VEVENT", &mut out);
        fold(
            &format!("UID:roster-{}-{}-{}@antoan", d.roster_id, person_id, d.day),
            &mut out,
        );
        fold(&format!("DTSTAMP:{stamp}"), &mut out);
        fold(&format!("DTSTART:{}", utc(start)), &mut out);
        fold(&format!("DTEND:{}", utc(end)), &mut out);
        fold(&format!("SUMMARY:{}", ics_text(&d.shift_name)), &mut out);
        fold(
            &format!(
                "DESCRIPTION:{} — {}",
                ics_text(&d.roster_title),
                ics_text(&d.org_name)
            ),
            &mut out,
        );
        fold("END:VEVENT", &mut out);
    }
    fold("END:VCALENDAR", &mut out);
    out
}

/// `GET /feeds/{secret}.ics`: the person's duties for calendar apps, no session needed.
pub(super) async fn ics_feed(st: &AppState, token: &str) -> AppResult<Response> {
    let token = token.strip_suffix(".ics").unwrap_or(token);
    let person = feeds::person_for(&st.db, token)
        .await?
        .ok_or(AppError::NotFound)?;
    let from = today().checked_sub_days(Days::new(90));
    let duties = rosters::my_duties(&st.db, person, from).await?;
    let body = ics_document(&duties, person, "Lịch trực");
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, max-age=300"),
        ],
        body,
    )
        .into_response())
}

/// Route handler for [`ics_feed`].
pub(super) async fn ics(
    State(st): State<AppState>,
    Path(token): Path<String>,
) -> AppResult<Response> {
    ics_feed(&st, &token).await
}
