//! The rule that decides whether an organisation has "at least one working model" in an
//! evaluation year (Thông tư 124/2021/TT-BCA, Điều 6 k1, criterion 1f). It is configuration:
//! rows of `movement_rules`, each applying from an evaluation year, with the basis of every
//! value recorded beside it (see the migration). The code only interprets it:
//!
//! - the evaluation year Y runs from `window_start` of Y−1 to `window_end` of Y (16/11 → 15/11
//!   for agencies, Điều 8 k2b) — or within Y when the start comes before the end;
//! - a model counts in Y when it exists during the window (founded on or before its last day,
//!   not ended before its first day) and either its review for Y is rated `min_rating` or
//!   better, or it has no review for Y yet and at least `min_activities` activities dated in
//!   the window. A review for Y rated below `min_rating` settles it: the model does not count;
//! - the organisation holds the check when at least `min_models` models count.

use super::Rating;
use crate::{Db, Error, Result};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use sqlx::Row;

/// One version of the rule.
#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    pub from_year: i32,
    /// (month, day) of the window's first day.
    pub window_start: (u32, u32),
    /// (month, day) of the window's last day.
    pub window_end: (u32, u32),
    pub min_rating: Rating,
    pub min_activities: i64,
    pub min_models: i64,
    /// Legal basis of each value, as recorded.
    pub basis: String,
}

/// The evaluation window of one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Window {
    pub year: i32,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Window {
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.start <= d && d <= self.end
    }
}

fn md(s: &str) -> Result<(u32, u32)> {
    let bad = || Error::Db(sqlx::Error::Decode(format!("rule month-day {s:?}").into()));
    let (m, d) = s.split_once('-').ok_or_else(bad)?;
    let m: u32 = m.parse().map_err(|_| bad())?;
    let d: u32 = d.parse().map_err(|_| bad())?;
    NaiveDate::from_ymd_opt(2024, m, d).ok_or_else(bad)?;
    Ok((m, d))
}

fn on(year: i32, (m, d): (u32, u32)) -> NaiveDate {
    // 29/02 in a common year falls back to 28/02.
    NaiveDate::from_ymd_opt(year, m, d)
        .or_else(|| NaiveDate::from_ymd_opt(year, m, d - 1))
        .unwrap_or_default()
}

impl Rule {
    fn crosses_year(&self) -> bool {
        self.window_start > self.window_end
    }

    /// The window of evaluation year `year`.
    pub fn window(&self, year: i32) -> Window {
        let start_year = if self.crosses_year() { year - 1 } else { year };
        Window {
            year,
            start: on(start_year, self.window_start),
            end: on(year, self.window_end),
        }
    }

    /// The evaluation year a day belongs to.
    pub fn year_of(&self, day: NaiveDate) -> i32 {
        if self.crosses_year() && (day.month(), day.day()) >= self.window_start {
            day.year() + 1
        } else {
            day.year()
        }
    }
}

/// The rule in force for evaluation year `year`: the latest row starting on or before it, or
/// the earliest row for years before any.
pub async fn rule_for(db: &Db, year: i32) -> Result<Rule> {
    let row = sqlx::query(
        "SELECT from_year, window_start, window_end, min_rating, min_activities, min_models, basis \
         FROM movement_rules ORDER BY CASE WHEN from_year <= $1 THEN 0 ELSE 1 END, \
         CASE WHEN from_year <= $1 THEN -from_year ELSE from_year END LIMIT 1",
    )
    .bind(i64::from(year))
    .fetch_optional(db.pool())
    .await?
    .ok_or(Error::NotFound)?;
    Ok(Rule {
        from_year: i32::try_from(row.try_get::<i64, _>("from_year")?).unwrap_or_default(),
        window_start: md(&row.try_get::<String, _>("window_start")?)?,
        window_end: md(&row.try_get::<String, _>("window_end")?)?,
        min_rating: Rating::parse(&row.try_get::<String, _>("min_rating")?)?,
        min_activities: row.try_get("min_activities")?,
        min_models: row.try_get("min_models")?,
        basis: row.try_get("basis")?,
    })
}

/// The evaluation year that contains `today`, with its rule.
pub async fn current(db: &Db, today: NaiveDate) -> Result<(Rule, i32)> {
    // Rules change rarely; the year is decided by the rule of the calendar year, then the rule
    // of that evaluation year is read (the two differ only across a change of window).
    let guess = rule_for(db, today.year()).await?;
    let year = guess.year_of(today);
    Ok((rule_for(db, year).await?, year))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tt124() -> Rule {
        Rule {
            from_year: 2022,
            window_start: (11, 16),
            window_end: (11, 15),
            min_rating: Rating::Effective,
            min_activities: 1,
            min_models: 1,
            basis: String::new(),
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn agency_window_runs_from_16_november_to_15_november() {
        let r = tt124();
        let w = r.window(2026);
        assert_eq!(w.start, d(2025, 11, 16));
        assert_eq!(w.end, d(2026, 11, 15));
        assert_eq!(r.year_of(d(2025, 11, 15)), 2025);
        assert_eq!(r.year_of(d(2025, 11, 16)), 2026);
        assert_eq!(r.year_of(d(2026, 1, 1)), 2026);
        assert_eq!(r.year_of(d(2026, 12, 31)), 2027);
    }

    #[test]
    fn calendar_window_stays_in_its_year() {
        let r = Rule {
            window_start: (1, 1),
            window_end: (12, 31),
            ..tt124()
        };
        assert_eq!(r.window(2026).start, d(2026, 1, 1));
        assert_eq!(r.year_of(d(2026, 12, 31)), 2026);
    }
}
