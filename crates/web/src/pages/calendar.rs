//! The calendar: a month grid with lunar dates, holidays, commemorations, peak periods and
//! the organisation's events; a year overview with the legal basis of every entry; a
//! solar/lunar converter; the event forms; and an iCalendar feed per unit.
//!
//! Dates come from the `lich` crate; events from `store::events`, which decides who may see
//! and change them. Anyone signed in may read the calendar and convert dates.

mod convert;
mod events;
mod feed;
mod grid;
mod ics;

pub(crate) use convert::{parse_flag, parse_lunar_fields, parse_solar};

use crate::AppState;
use crate::auth::User;
use crate::error::{AppError, AppResult};
use crate::i18n::{Lang, T};
use crate::view::{Page, date, html, today};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{Datelike, NaiveDate};
use convert::ConvertForm;
use events::EventForm;
use grid::{Cell, Month};
use lich::{Calendar, Certainty, Holiday, HolidayKind, LichError, PeakPeriod};
use serde::Deserialize;
use std::ops::RangeInclusive;
use store::events::{EventKind, OrgEvent};
use store::scope::{PersonManage, UnitView};
use store::units::{self, Unit};

/// Years the pages show: the engine's range less one year at each end, because a month grid
/// and the peak periods reach into the neighbouring year.
pub(crate) const YEARS: RangeInclusive<i32> =
    (lich::CALENDAR_MIN_YEAR + 1)..=(lich::CALENDAR_MAX_YEAR - 1);

const CSS: &str = include_str!("../../templates/calendar/calendar.css");

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/calendar", get(month))
        .route("/calendar/year", get(year))
        .route("/calendar/convert", get(convert::page))
        .route("/calendar/calendar.css", get(css))
        .route("/calendar/events", post(events::create))
        .route("/calendar/events/new", get(events::new))
        .route(
            "/calendar/events/{id}",
            get(events::show).post(events::update),
        )
        .route("/calendar/events/{id}/delete", post(events::delete))
        .route("/calendar/{file}", get(feed::feed))
}

async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        CSS,
    )
}

/// The shared calendar engine; its data is compiled in, so failing to load is a defect.
pub(crate) fn engine() -> AppResult<&'static Calendar> {
    Calendar::standard().map_err(|e| AppError::Internal(e.english()))
}

/// A calendar error as the API reports it: wrong input is 422 with its own message.
pub(crate) fn lich_error(e: LichError) -> AppError {
    match e {
        LichError::InvalidDay { .. } => AppError::Invalid("err.lunar_day"),
        LichError::NotLeapMonth { .. } => AppError::Invalid("err.lunar_leap"),
        LichError::InvalidMonth { .. } => AppError::Invalid("err.lunar_month"),
        LichError::YearOutOfRange { .. } => AppError::Invalid("err.calendar_year"),
        LichError::Parse { .. } => AppError::Invalid("err.lunar_input"),
        other => AppError::Internal(other.english()),
    }
}

/// The engine's own explanation (it names the month's length or the year's leap month), in
/// the reader's language.
pub(crate) fn lich_message(t: T, e: &LichError) -> String {
    match t.lang {
        Lang::Vi => e.to_string(),
        Lang::En => e.english(),
    }
}

pub(crate) fn kind_code(k: HolidayKind) -> &'static str {
    match k {
        HolidayKind::Statutory => "statutory",
        HolidayKind::Compensatory => "compensatory",
        HolidayKind::SwappedDayOff => "swapped_day_off",
        HolidayKind::MakeupWorkday => "makeup_workday",
        HolidayKind::Commemoration => "commemoration",
    }
}

pub(crate) fn certainty_code(c: Certainty) -> &'static str {
    match c {
        Certainty::Confirmed => "confirmed",
        Certainty::Secondary => "secondary",
        Certainty::Unconfirmed => "unconfirmed",
    }
}

pub(crate) fn holiday_name(t: T, h: &Holiday) -> &str {
    match t.lang {
        Lang::Vi => &h.name_vi,
        Lang::En => &h.name_en,
    }
}

pub(crate) fn peak_name(t: T, p: &PeakPeriod) -> &str {
    match t.lang {
        Lang::Vi => &p.name_vi,
        Lang::En => &p.name_en,
    }
}

/// "Tháng Giêng", "Tháng Sáu nhuận"; in English "Month 1", "Month 6 (leap)".
pub(crate) fn lunar_month_text(t: T, month: u8, leap: bool) -> String {
    let name = match t.lang {
        Lang::Vi => lich::lunar_month_name(month).unwrap_or_default().to_owned(),
        Lang::En => month.to_string(),
    };
    let text = t.f("cal.lunar_month", name);
    if leap {
        format!("{text} {}", t.s("cal.leap"))
    } else {
        text
    }
}

/// `dd/mm/yyyy`, or `dd/mm/yyyy – dd/mm/yyyy` for more than one day.
pub(crate) fn span_text(from: NaiveDate, to: NaiveDate) -> String {
    if from == to {
        date(&from)
    } else {
        format!("{} – {}", date(&from), date(&to))
    }
}

/// A peak period as listed under the grid and on the year page.
struct PeakRow {
    name: String,
    span: String,
    days: i64,
    nominal: String,
    prepare_from: String,
    lead_days: u32,
    legal_basis: String,
    certainty: &'static str,
}

impl PeakRow {
    fn of(t: T, p: &PeakPeriod) -> PeakRow {
        PeakRow {
            name: peak_name(t, p).to_owned(),
            span: span_text(p.start, p.end),
            days: p.len_days(),
            nominal: span_text(p.nominal_start, p.nominal_end),
            prepare_from: date(&p.prepare_from),
            lead_days: p.lead_days,
            legal_basis: p.legal_basis.clone(),
            certainty: certainty_code(p.certainty),
        }
    }
}

/// An event as listed under the grid and on the year page.
struct EventRow {
    id: i64,
    title: String,
    kind: EventKind,
    span: String,
    unit_name: String,
    location: Option<String>,
    editable: bool,
}

impl EventRow {
    fn of(e: &OrgEvent, manage: Option<&store::Scope<PersonManage>>) -> EventRow {
        EventRow {
            id: e.id,
            title: e.title.clone(),
            kind: e.kind,
            span: span_text(e.starts_on, e.ends_on),
            unit_name: e.unit_name.clone(),
            location: e.location.clone(),
            editable: manage.is_some_and(|m| m.contains_path(&e.unit_path)),
        }
    }
}

#[derive(Deserialize, Default)]
struct MonthQuery {
    month: Option<String>,
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "calendar/month.html")]
struct MonthPage {
    page: Page,
    code: String,
    lunar_caption: String,
    prev: Option<String>,
    next: Option<String>,
    this_month: String,
    weekdays: Vec<&'static str>,
    cells: Vec<Cell>,
    peaks: Vec<PeakRow>,
    events: Vec<EventRow>,
    feeds: Vec<Unit>,
    /// Whether the reader may add events, and the units an event may be held by.
    can_add: bool,
    units: Vec<Unit>,
    form: EventForm,
    kinds: &'static [EventKind],
    conv: ConvertForm,
    notice: Option<&'static str>,
    year: i32,
}

/// "tháng Chạp năm Ất Tỵ – tháng Giêng năm Bính Ngọ": the lunar months a solar month spans.
fn lunar_caption(t: T, m: Month) -> Result<String, LichError> {
    let mut parts: Vec<String> = Vec::new();
    let mut last = None;
    for day in m.first().iter_days().take_while(|d| *d <= m.last()) {
        let l = lich::solar_to_lunar(day)?;
        let key = (l.year(), l.month(), l.is_leap());
        if last != Some(key) {
            last = Some(key);
            let month = lunar_month_text(t, l.month(), l.is_leap());
            parts.push(t.f2("cal.lunar_of_year", month, l.year_can_chi()));
        }
    }
    Ok(parts.join(" – "))
}

fn month_title(t: T, m: Month) -> String {
    match t.lang {
        Lang::Vi => t.f2("cal.month_title", m.month, m.year),
        Lang::En => t.f2("cal.month_title", m.first().format("%B"), m.year),
    }
}

fn weekday_headers(t: T) -> Vec<&'static str> {
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .iter()
        .map(|c| t.s(&format!("cal.wd.{c}")))
        .collect()
}

/// `GET /calendar?month=YYYY-MM`: the month grid (this month in Vietnam by default).
async fn month(
    State(st): State<AppState>,
    user: User,
    Query(q): Query<MonthQuery>,
) -> AppResult<Response> {
    let t = user.t();
    let now = today();
    let m = match q.month.as_deref().filter(|s| !s.trim().is_empty()) {
        None => Month::of(now),
        Some(s) => Month::parse(s).ok_or(AppError::Invalid("err.calendar_month"))?,
    };
    let cal = engine()?;
    let (start, end) = m.grid_span();
    let g = &user.id.grants;
    let view = g.scope::<UnitView>();
    let manage = g.scope::<PersonManage>();
    let (list, feeds) = match &view {
        Some(s) => (
            store::events::list(&st.db, s, start, end).await?,
            units::scope_roots(&st.db, s).await?,
        ),
        None => (Vec::new(), Vec::new()),
    };
    let cells = grid::build(cal, m, now, t, &list).map_err(lich_error)?;
    let peaks = grid::peaks_between(cal, m.first(), m.last())
        .map_err(lich_error)?
        .iter()
        .map(|p| PeakRow::of(t, p))
        .collect();
    let events = list
        .iter()
        .filter(|e| e.starts_on <= m.last() && e.ends_on >= m.first())
        .map(|e| EventRow::of(e, manage.as_ref()))
        .collect();
    let units = match &manage {
        Some(s) => events::unit_choices(&st.db, &user, s).await?,
        None => Vec::new(),
    };
    let first_day = if Month::of(now) == m { now } else { m.first() };
    let notice = match q.done.as_deref() {
        Some("created") => Some("cal.event.created"),
        Some("deleted") => Some("cal.event.deleted"),
        _ => None,
    };
    let page = MonthPage {
        page: Page::new(&user, month_title(t, m), "calendar"),
        code: m.code(),
        lunar_caption: lunar_caption(t, m).map_err(lich_error)?,
        prev: m.prev().map(Month::code),
        next: m.next().map(Month::code),
        this_month: Month::of(now).code(),
        weekdays: weekday_headers(t),
        cells,
        peaks,
        events,
        feeds,
        can_add: manage.is_some(),
        units,
        form: EventForm::starting(&first_day.to_string()),
        kinds: EventKind::ALL,
        conv: ConvertForm::default(),
        notice,
        year: m.year,
    };
    Ok(html(&page)?.into_response())
}

#[derive(Deserialize, Default)]
struct YearQuery {
    year: Option<String>,
}

/// A holiday or commemoration as listed on the year page.
struct HolidayRow {
    date: String,
    month: String,
    weekday: &'static str,
    lunar: String,
    name: String,
    kind: &'static str,
    day_off: bool,
    derived: bool,
    legal_basis: String,
    certainty: &'static str,
    swapped_with: Option<String>,
}

#[derive(Template)]
#[template(path = "calendar/year.html")]
struct YearPage {
    page: Page,
    year: i32,
    can_chi: String,
    prev: Option<i32>,
    next: Option<i32>,
    holidays: Vec<HolidayRow>,
    peaks: Vec<PeakRow>,
    events: Vec<EventRow>,
    /// Whether the Government has decided the year's days off, and the texts that did.
    decided: Option<bool>,
    sources: Vec<String>,
    conv: ConvertForm,
}

/// A year typed in a query, within the years the pages cover.
pub(crate) fn parse_year(s: Option<&str>, default: i32) -> AppResult<i32> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(s) => s
            .parse::<i32>()
            .ok()
            .filter(|y| YEARS.contains(y))
            .ok_or(AppError::Invalid("err.calendar_year")),
    }
}

/// `GET /calendar/year?year=YYYY`: the year's holidays, peaks and events.
async fn year(
    State(st): State<AppState>,
    user: User,
    Query(q): Query<YearQuery>,
) -> AppResult<Html<String>> {
    let t = user.t();
    let y = parse_year(q.year.as_deref(), today().year())?;
    let cal = engine()?;
    let holidays = cal
        .holidays(y)
        .map_err(lich_error)?
        .iter()
        .map(|h| {
            Ok(HolidayRow {
                date: date(&h.date),
                month: h.date.format("%Y-%m").to_string(),
                weekday: t.s(&format!("cal.wd.{}", grid::weekday_code(h.date.weekday()))),
                lunar: lich::solar_to_lunar(h.date)?.to_string(),
                name: holiday_name(t, h).to_owned(),
                kind: kind_code(h.kind),
                day_off: h.day_off,
                derived: h.derived,
                legal_basis: h.legal_basis.clone(),
                certainty: certainty_code(h.certainty),
                swapped_with: h.swapped_with.as_ref().map(date),
            })
        })
        .collect::<Result<Vec<_>, LichError>>()
        .map_err(lich_error)?;
    let peaks = cal
        .peak_periods(y)
        .map_err(lich_error)?
        .iter()
        .map(|p| PeakRow::of(t, p))
        .collect();
    let g = &user.id.grants;
    let manage = g.scope::<PersonManage>();
    let events = match g.scope::<UnitView>() {
        Some(s) => {
            let from = NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or_default();
            let to = NaiveDate::from_ymd_opt(y, 12, 31).unwrap_or_default();
            store::events::list(&st.db, &s, from, to)
                .await?
                .iter()
                .map(|e| EventRow::of(e, manage.as_ref()))
                .collect()
        }
        None => Vec::new(),
    };
    let (decided, sources) = match cal.schedule_sources(y) {
        Some((d, s)) => (Some(d), s.to_vec()),
        None => (None, Vec::new()),
    };
    let page = YearPage {
        page: Page::new(&user, t.f("cal.year_title", y), "calendar"),
        year: y,
        can_chi: lich::can_chi(y),
        prev: Some(y - 1).filter(|p| YEARS.contains(p)),
        next: Some(y + 1).filter(|n| YEARS.contains(n)),
        holidays,
        peaks,
        events,
        decided,
        sources,
        conv: ConvertForm::default(),
    };
    html(&page)
}
