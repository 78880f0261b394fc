//! The calendar through the API: date conversion (any signed-in caller), the year's holidays
//! and peak periods, and the organisation events in the caller's scope. Query values are
//! taken as text and parsed here, so a bad value is answered with our own 422 error body.

use crate::AppState;
use crate::api::ApiErrorBody;
use crate::auth::{Authz, User};
use crate::error::{AppError, AppResult};
use crate::pages::calendar::{
    YEARS, certainty_code, engine, kind_code, lich_error, parse_flag, parse_lunar_fields,
    parse_solar, parse_year,
};
use axum::Json;
use axum::extract::{Query, State};
use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};
use store::events;
use store::scope::UnitView;
use utoipa::{IntoParams, ToSchema};

/// Longest range `listEvents` answers for, in days.
const MAX_RANGE_DAYS: i64 = 732;

fn required(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|s| !s.is_empty())
}

#[derive(Deserialize, IntoParams)]
pub struct LunarQuery {
    /// Solar date, YYYY-MM-DD (1800–2199).
    pub date: Option<String>,
}

/// A lunar date of the Vietnamese calendar (UTC+7).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LunarDateDto {
    /// Day of the lunar month, 1–30.
    pub day: u8,
    /// Lunar month, 1–12.
    pub month: u8,
    /// Lunar year (the solar year in which its Tết falls).
    pub year: i32,
    /// Whether the month is the leap (nhuận) month.
    pub leap: bool,
    /// Can chi of the lunar year, e.g. "Ất Tỵ".
    pub year_can_chi: String,
    /// Can chi of the lunar month.
    pub month_can_chi: String,
    /// Can chi of the day.
    pub day_can_chi: String,
    /// Spoken Vietnamese form, e.g. "26 tháng Sáu (nhuận) năm Ất Tỵ".
    pub description: String,
}

/// The lunar date of a solar date.
#[utoipa::path(get, path = "/calendar/lunar", operation_id = "solarToLunar", tag = "calendar", params(LunarQuery),
    responses((status = 200, body = LunarDateDto), (status = 401, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn solar_to_lunar(
    _user: User,
    Query(q): Query<LunarQuery>,
) -> AppResult<Json<LunarDateDto>> {
    let date = required(q.date.as_deref()).ok_or(AppError::Invalid("err.calendar_date"))?;
    let solar = parse_solar(date).map_err(AppError::Invalid)?;
    let l = lich::solar_to_lunar(solar).map_err(lich_error)?;
    Ok(Json(LunarDateDto {
        day: l.day(),
        month: l.month(),
        year: l.year(),
        leap: l.is_leap(),
        year_can_chi: l.year_can_chi().to_string(),
        month_can_chi: l.month_can_chi().to_string(),
        day_can_chi: lich::day_can_chi(solar).to_string(),
        description: l.describe_vi(),
    }))
}

#[derive(Deserialize, IntoParams)]
pub struct SolarQuery {
    /// Day of the lunar month, 1–30.
    pub day: Option<String>,
    /// Lunar month, 1–12.
    pub month: Option<String>,
    /// Lunar year, 1800–2199.
    pub year: Option<String>,
    /// `true` for the leap month (default `false`).
    pub leap: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SolarDateDto {
    /// YYYY-MM-DD.
    pub date: String,
    /// Vietnamese weekday, e.g. "Chủ nhật".
    pub weekday: String,
}

/// The solar date of a lunar date; a lunar date that does not exist (30/12 in a 29-day
/// month, a leap flag on a regular month) is 422.
#[utoipa::path(get, path = "/calendar/solar", operation_id = "lunarToSolar", tag = "calendar", params(SolarQuery),
    responses((status = 200, body = SolarDateDto), (status = 401, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn lunar_to_solar(
    _user: User,
    Query(q): Query<SolarQuery>,
) -> AppResult<Json<SolarDateDto>> {
    let missing = AppError::Invalid("err.lunar_input");
    let (Some(d), Some(m), Some(y)) = (
        required(q.day.as_deref()),
        required(q.month.as_deref()),
        required(q.year.as_deref()),
    ) else {
        return Err(missing);
    };
    let (day, month, year) = parse_lunar_fields(d, m, y).map_err(AppError::Invalid)?;
    let leap = parse_flag(q.leap.as_deref().unwrap_or("")).map_err(AppError::Invalid)?;
    let solar = lich::lunar_to_solar(day, month, year, leap).map_err(lich_error)?;
    Ok(Json(SolarDateDto {
        date: solar.to_string(),
        weekday: lich::weekday_name(solar.weekday()).to_owned(),
    }))
}

#[derive(Deserialize, IntoParams)]
pub struct YearQuery {
    /// Solar year (default: this year in Vietnam).
    pub year: Option<String>,
}

/// A holiday, compensatory or swapped day, make-up working day or commemoration.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct HolidayDto {
    /// YYYY-MM-DD.
    pub date: String,
    /// Stable identifier of the occasion, e.g. `tet_am_lich`.
    pub id: String,
    /// Vietnamese name.
    pub name: String,
    pub name_en: String,
    /// statutory, compensatory, swapped_day_off, makeup_workday or commemoration.
    pub kind: String,
    /// Whether public-sector staff are off that day because of it.
    pub day_off: bool,
    /// Derived from the statute because no Government decision is known yet.
    pub derived: bool,
    /// confirmed, secondary or unconfirmed.
    pub certainty: String,
    pub legal_basis: String,
    /// The lunar date, e.g. "1/1/2026" or "26/6 nhuận/2025".
    pub lunar: String,
    /// For a swap, the other day of the pair (YYYY-MM-DD).
    pub swapped_with: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct HolidayList {
    pub items: Vec<HolidayDto>,
}

/// Every calendar entry of a solar year, by date.
#[utoipa::path(get, path = "/calendar/holidays", operation_id = "listHolidays", tag = "calendar", params(YearQuery),
    responses((status = 200, body = HolidayList), (status = 401, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn list_holidays(
    _user: User,
    Query(q): Query<YearQuery>,
) -> AppResult<Json<HolidayList>> {
    let year = parse_year(q.year.as_deref(), crate::view::today().year())?;
    let mut items = Vec::new();
    for h in engine()?.holidays(year).map_err(lich_error)? {
        items.push(HolidayDto {
            date: h.date.to_string(),
            lunar: lich::solar_to_lunar(h.date)
                .map_err(lich_error)?
                .to_string(),
            id: h.id,
            name: h.name_vi,
            name_en: h.name_en,
            kind: kind_code(h.kind).into(),
            day_off: h.day_off,
            derived: h.derived,
            certainty: certainty_code(h.certainty).into(),
            legal_basis: h.legal_basis,
            swapped_with: h.swapped_with.map(|d| d.to_string()),
        });
    }
    Ok(Json(HolidayList { items }))
}

/// A peak period of protection work.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PeakDto {
    /// Stable identifier, e.g. `tet`.
    pub id: String,
    pub name: String,
    pub name_en: String,
    /// First day of the effective span (YYYY-MM-DD), widened to adjoining days off.
    pub start: String,
    /// Last day of the effective span.
    pub end: String,
    pub nominal_start: String,
    pub nominal_end: String,
    /// When plans and rosters should be ready: `start` minus `leadDays`.
    pub prepare_from: String,
    pub lead_days: u32,
    pub certainty: String,
    pub legal_basis: String,
}

#[derive(Serialize, ToSchema)]
pub struct PeakList {
    pub items: Vec<PeakDto>,
}

/// The peak periods of a solar year, by start date.
#[utoipa::path(get, path = "/calendar/peaks", operation_id = "listPeakPeriods", tag = "calendar", params(YearQuery),
    responses((status = 200, body = PeakList), (status = 401, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn list_peak_periods(
    _user: User,
    Query(q): Query<YearQuery>,
) -> AppResult<Json<PeakList>> {
    let year = parse_year(q.year.as_deref(), crate::view::today().year())?;
    let items = engine()?
        .peak_periods(year)
        .map_err(lich_error)?
        .into_iter()
        .map(|p| PeakDto {
            start: p.start.to_string(),
            end: p.end.to_string(),
            nominal_start: p.nominal_start.to_string(),
            nominal_end: p.nominal_end.to_string(),
            prepare_from: p.prepare_from.to_string(),
            lead_days: p.lead_days,
            certainty: certainty_code(p.certainty).into(),
            id: p.id,
            name: p.name_vi,
            name_en: p.name_en,
            legal_basis: p.legal_basis,
        })
        .collect();
    Ok(Json(PeakList { items }))
}

#[derive(Deserialize, IntoParams)]
pub struct EventQuery {
    /// First day, YYYY-MM-DD (default: today in Vietnam).
    pub from: Option<String>,
    /// Last day, YYYY-MM-DD (default: a year after `from`); at most two years after `from`.
    pub to: Option<String>,
}

/// An organisation event: congress, visit, election, meeting or other occasion.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EventDto {
    pub id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub title: String,
    /// congress, visit, election, meeting or other.
    pub kind: String,
    /// YYYY-MM-DD.
    pub starts_on: String,
    /// YYYY-MM-DD, included.
    pub ends_on: String,
    pub location: Option<String>,
    pub note: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct EventList {
    pub items: Vec<EventDto>,
}

fn day_or(v: Option<&str>, default: NaiveDate) -> AppResult<NaiveDate> {
    match required(v) {
        None => Ok(default),
        Some(s) => parse_solar(s)
            .ok()
            .filter(|d| YEARS.contains(&d.year()))
            .ok_or(AppError::Invalid("err.calendar_date")),
    }
}

/// Events in the caller's scope (and the province's) that take place on a day of the range.
#[utoipa::path(get, path = "/calendar/events", operation_id = "listEvents", tag = "calendar", params(EventQuery),
    responses((status = 200, body = EventList), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn list_events(
    State(st): State<AppState>,
    a: Authz<UnitView>,
    Query(q): Query<EventQuery>,
) -> AppResult<Json<EventList>> {
    let from = day_or(q.from.as_deref(), crate::view::today())?;
    let to = day_or(q.to.as_deref(), from + Days::new(365))?;
    if to < from || (to - from).num_days() > MAX_RANGE_DAYS {
        return Err(AppError::Invalid("err.calendar_range"));
    }
    let items = events::list(&st.db, &a.scope, from, to)
        .await?
        .into_iter()
        .map(|e| EventDto {
            id: e.id,
            unit_id: e.unit_id,
            unit_name: e.unit_name,
            title: e.title,
            kind: e.kind.code().into(),
            starts_on: e.starts_on.to_string(),
            ends_on: e.ends_on.to_string(),
            location: e.location,
            note: e.note,
        })
        .collect();
    Ok(Json(EventList { items }))
}
