//! Converting dates between the solar and the lunar calendar: the small form on the calendar
//! pages (plain GET forms, so it works without scripts) and the parsing the API shares.

use super::{YEARS, engine, holiday_name, lich_message};
use crate::auth::User;
use crate::error::AppResult;
use crate::i18n::T;
use crate::view::{Page, html};
use askama::Template;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use lich::LunarDate;
use serde::Deserialize;

/// The converter's fields as typed, echoed back into the form.
#[derive(Deserialize, Default, Clone)]
pub(crate) struct ConvertForm {
    #[serde(default)]
    pub solar: String,
    #[serde(default)]
    pub day: String,
    #[serde(default)]
    pub month: String,
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub leap: String,
}

impl ConvertForm {
    pub fn leap_checked(&self) -> bool {
        parse_flag(&self.leap).unwrap_or(false)
    }
}

/// A solar date typed as ISO `YYYY-MM-DD` (what date inputs send) or `dd/mm/yyyy`.
pub(crate) fn parse_solar(s: &str) -> Result<NaiveDate, &'static str> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .map_err(|_| "err.calendar_date")
}

/// A checkbox or query flag: absent, empty, `0`, `false`, `off` or `no` is false.
pub(crate) fn parse_flag(s: &str) -> Result<bool, &'static str> {
    match s.trim().to_ascii_lowercase().as_str() {
        "" | "0" | "false" | "off" | "no" => Ok(false),
        "1" | "true" | "on" | "yes" => Ok(true),
        _ => Err("err.lunar_input"),
    }
}

/// Day, month and year of a lunar date as numbers; whether the date exists is for `lich`.
pub(crate) fn parse_lunar_fields(
    day: &str,
    month: &str,
    year: &str,
) -> Result<(u32, u32, i32), &'static str> {
    let num = |s: &str| s.trim().parse::<u32>().map_err(|_| "err.lunar_input");
    let year: i32 = year.trim().parse().map_err(|_| "err.lunar_input")?;
    Ok((num(day)?, num(month)?, year))
}

/// A finished conversion, for display.
#[derive(Debug)]
pub(crate) struct Outcome {
    pub solar: NaiveDate,
    pub lunar: LunarDate,
    pub holidays: Vec<String>,
}

impl Outcome {
    pub fn solar_text(&self) -> String {
        crate::view::date(&self.solar)
    }
    pub fn day_can_chi(&self) -> String {
        lich::day_can_chi(self.solar).to_string()
    }
    pub fn month_link(&self) -> String {
        format!("/calendar?month={}", self.solar.format("%Y-%m"))
    }
}

fn outcome(t: T, solar: NaiveDate, lunar: LunarDate) -> Outcome {
    let holidays = if YEARS.contains(&solar.year()) {
        engine()
            .ok()
            .and_then(|c| c.holidays(solar.year()).ok())
            .unwrap_or_default()
            .iter()
            .filter(|h| h.date == solar)
            .map(|h| holiday_name(t, h).to_owned())
            .collect()
    } else {
        Vec::new()
    };
    Outcome {
        solar,
        lunar,
        holidays,
    }
}

/// Runs the conversion the form asks for: solar → lunar when a solar date is given,
/// lunar → solar when a lunar day is; `None` for an empty form. The error is a message in
/// the reader's language.
pub(crate) fn run(t: T, f: &ConvertForm) -> Option<Result<Outcome, String>> {
    let catalog = |key: &str| t.s(key).to_owned();
    if !f.solar.trim().is_empty() {
        let solar = match parse_solar(&f.solar) {
            Ok(d) => d,
            Err(k) => return Some(Err(catalog(k))),
        };
        return Some(
            lich::solar_to_lunar(solar)
                .map(|l| outcome(t, solar, l))
                .map_err(|e| lich_message(t, &e)),
        );
    }
    if [&f.day, &f.month, &f.year]
        .iter()
        .all(|s| s.trim().is_empty())
    {
        return None;
    }
    let (day, month, year) = match parse_lunar_fields(&f.day, &f.month, &f.year) {
        Ok(v) => v,
        Err(k) => return Some(Err(catalog(k))),
    };
    let leap = match parse_flag(&f.leap) {
        Ok(v) => v,
        Err(k) => return Some(Err(catalog(k))),
    };
    Some(
        LunarDate::new(day, month, year, leap)
            .and_then(|l| Ok((l.to_solar()?, l)))
            .map(|(s, l)| outcome(t, s, l))
            .map_err(|e| lich_message(t, &e)),
    )
}

#[derive(Template)]
#[template(path = "calendar/convert.html")]
struct ConvertPage {
    page: Page,
    conv: ConvertForm,
    result: Option<Outcome>,
    error: Option<String>,
}

impl ConvertPage {
    fn weekday(&self, d: &NaiveDate) -> &'static str {
        self.page.t.s(&format!(
            "cal.wd.{}",
            super::grid::weekday_code(d.weekday())
        ))
    }
}

/// `GET /calendar/convert`: the converter on its own page with the answer, or the reason
/// there is none (422).
pub(super) async fn page(user: User, Query(f): Query<ConvertForm>) -> AppResult<Response> {
    let t = user.t();
    let (result, error) = match run(t, &f) {
        None => (None, None),
        Some(Ok(o)) => (Some(o), None),
        Some(Err(e)) => (None, Some(e)),
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let p = ConvertPage {
        page: Page::new(&user, t.s("cal.convert.title"), "calendar"),
        conv: f,
        result,
        error,
    };
    Ok((status, html(&p)?).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn form(solar: &str, d: &str, m: &str, y: &str, leap: &str) -> ConvertForm {
        ConvertForm {
            solar: solar.into(),
            day: d.into(),
            month: m.into(),
            year: y.into(),
            leap: leap.into(),
        }
    }

    #[test]
    fn converts_both_ways_and_explains_missing_days() {
        let t = T::new(Lang::Vi);
        assert!(run(t, &ConvertForm::default()).is_none());
        let o = run(t, &form("2025-08-19", "", "", "", ""))
            .unwrap()
            .unwrap();
        assert_eq!(o.lunar.to_string(), "26/6 nhuận/2025");
        let o = run(t, &form("", "10", "3", "2026", "")).unwrap().unwrap();
        assert_eq!(o.solar, NaiveDate::from_ymd_opt(2026, 4, 26).unwrap());
        assert!(
            o.holidays.iter().any(|h| h.contains("Hùng")),
            "{:?}",
            o.holidays
        );
        let e = run(t, &form("", "30", "12", "2025", ""))
            .unwrap()
            .unwrap_err();
        assert!(e.contains("không tồn tại"), "{e}");
        let e = run(t, &form("", "1", "5", "2025", "on"))
            .unwrap()
            .unwrap_err();
        assert!(e.contains("nhuận"), "{e}");
        assert!(
            run(t, &form("31/02/2026", "", "", "", ""))
                .unwrap()
                .is_err()
        );
        assert!(run(t, &form("", "x", "1", "2026", "")).unwrap().is_err());
    }
}
