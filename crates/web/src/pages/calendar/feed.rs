//! `GET /calendar/{unit_id}.ics`: a unit's calendar for calendar applications. It holds the
//! events of the unit's subtree and of the province, the holidays and commemorations, and the
//! peak periods, for this year and the next. Signing in is required (a session, or an API
//! token for applications that subscribe); a unit outside the caller's scope is not found.

use super::ics::{AllDay, Ics};
use super::{YEARS, certainty_code, engine, holiday_name, kind_code, lich_error, peak_name};
use crate::AppState;
use crate::auth::Authz;
use crate::error::{AppError, AppResult};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate, Utc};
use store::scope::UnitView;
use store::{events, units};

pub(super) async fn feed(
    State(st): State<AppState>,
    a: Authz<UnitView>,
    Path(file): Path<String>,
) -> AppResult<Response> {
    let id: i64 = file
        .strip_suffix(".ics")
        .and_then(|s| s.parse().ok())
        .ok_or(AppError::NotFound)?;
    let unit = units::get(&st.db, &a.scope, id).await?;
    let t = a.t();
    let cal = engine()?;
    let now = Utc::now();
    let year = crate::view::today().year();
    let years: Vec<i32> = [year, year + 1]
        .into_iter()
        .filter(|y| YEARS.contains(y))
        .collect();
    let (Some(first), Some(last)) = (years.first(), years.last()) else {
        return Err(AppError::NotFound);
    };
    let from = NaiveDate::from_ymd_opt(*first, 1, 1).ok_or(AppError::NotFound)?;
    let to = NaiveDate::from_ymd_opt(*last, 12, 31).ok_or(AppError::NotFound)?;
    let list = events::list_for_unit(&st.db, &a.scope, unit.id, from, to).await?;

    let mut ics = Ics::new(&format!("{} · {}", t.s("cal.title"), unit.name));
    let event_cat = t.s("cal.ics.event");
    for e in &list {
        let kind = t.s(&format!("event_kind.{}", e.kind.code()));
        let description = format!("{}: {}", t.s("cal.event.unit"), e.unit_name);
        let description = match &e.note {
            Some(n) => format!("{description}\n{n}"),
            None => description,
        };
        ics.event(&AllDay {
            uid: format!("event-{}@antoan", e.id),
            stamp: store::from_ms(e.updated_at),
            first: e.starts_on,
            last: e.ends_on,
            summary: &e.title,
            description: Some(&description),
            location: e.location.as_deref(),
            categories: &[event_cat, kind],
            transparent: false,
        });
    }
    for y in &years {
        for h in cal.holidays(*y).map_err(lich_error)? {
            let kind = kind_code(h.kind);
            let label = t.s(&format!("cal.kind.{kind}"));
            let basis = format!(
                "{}: {}\n{}: {}",
                t.s("cal.legal_basis"),
                h.legal_basis,
                t.s("cal.certainty"),
                t.s(&format!("cal.certainty.{}", certainty_code(h.certainty)))
            );
            ics.event(&AllDay {
                uid: format!("{}-{}-{kind}@antoan", h.date.format("%Y%m%d"), h.id),
                stamp: now,
                first: h.date,
                last: h.date,
                summary: holiday_name(t, &h),
                description: Some(&basis),
                location: None,
                categories: &[label],
                transparent: true,
            });
        }
        for p in cal.peak_periods(*y).map_err(lich_error)? {
            let description = format!(
                "{}: {}\n{}: {}",
                t.s("cal.prepare_from"),
                crate::view::date(&p.prepare_from),
                t.s("cal.legal_basis"),
                p.legal_basis
            );
            ics.event(&AllDay {
                uid: format!("peak-{}-{}@antoan", p.start.format("%Y%m%d"), p.id),
                stamp: now,
                first: p.start,
                last: p.end,
                summary: peak_name(t, &p),
                description: Some(&description),
                location: None,
                categories: &[t.s("cal.peak")],
                transparent: true,
            });
        }
    }
    let disposition = format!("attachment; filename=\"antoan-{}.ics\"", unit.id);
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_owned(),
            ),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "private, max-age=300".to_owned()),
        ],
        ics.finish(),
    )
        .into_response())
}
