//! Julian Day Numbers.
//!
//! The lunar algorithm counts days as Julian Day Numbers (JDN): the number of
//! days since noon, 1 January 4713 BC (Julian calendar). A JDN names a whole
//! civil day, so `jd(2000-01-01) == 2_451_545`.
//!
//! Two views are offered:
//! - [`jd_from_dmy`] / [`dmy_from_jd`] follow the reference algorithm exactly,
//!   including its switch to the Julian calendar for days before
//!   15 October 1582 (JDN 2 299 161);
//! - [`jd`] / [`date_from_jd`] work on [`chrono::NaiveDate`], which is a
//!   *proleptic* Gregorian calendar. Both views agree from 1582-10-15 on, which
//!   covers the whole range this crate supports.

use chrono::{Datelike, NaiveDate};

/// JDN of 1 January of year 1 (proleptic Gregorian) minus one: chrono counts
/// that day as day 1 "from the common era".
const CE_OFFSET: i64 = 1_721_425;

/// First JDN of the Gregorian calendar (1582-10-15).
const GREGORIAN_START: i64 = 2_299_161;

/// Julian Day Number of a civil date given as day, month, year.
///
/// Dates before 15 October 1582 are read as Julian-calendar dates, as in the
/// reference algorithm.
#[must_use]
pub fn jd_from_dmy(day: i64, month: i64, year: i64) -> i64 {
    let a = (14 - month).div_euclid(12);
    let y = year + 4800 - a;
    let m = month + 12 * a - 3;
    let base = day + (153 * m + 2).div_euclid(5) + 365 * y + y.div_euclid(4);
    let jd = base - y.div_euclid(100) + y.div_euclid(400) - 32_045;
    if jd < GREGORIAN_START {
        base - 32_083
    } else {
        jd
    }
}

/// Inverse of [`jd_from_dmy`]: `(day, month, year)` of a Julian Day Number.
#[must_use]
pub fn dmy_from_jd(jd: i64) -> (i64, i64, i64) {
    let (b, c) = if jd >= GREGORIAN_START {
        let a = jd + 32_044;
        let b = (4 * a + 3).div_euclid(146_097);
        (b, a - (b * 146_097).div_euclid(4))
    } else {
        (0, jd + 32_082)
    };
    let d = (4 * c + 3).div_euclid(1461);
    let e = c - (1461 * d).div_euclid(4);
    let m = (5 * e + 2).div_euclid(153);
    let day = e - (153 * m + 2).div_euclid(5) + 1;
    let month = m + 3 - 12 * m.div_euclid(10);
    let year = b * 100 + d - 4800 + m.div_euclid(10);
    (day, month, year)
}

/// Julian Day Number of a (proleptic Gregorian) date.
#[must_use]
pub fn jd(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) + CE_OFFSET
}

/// The date of a Julian Day Number, or `None` outside chrono's range.
#[must_use]
pub fn date_from_jd(jd: i64) -> Option<NaiveDate> {
    let days = i32::try_from(jd - CE_OFFSET).ok()?;
    NaiveDate::from_num_days_from_ce_opt(days)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn reference_formula_matches_known_days() {
        assert_eq!(jd_from_dmy(1, 1, 2000), 2_451_545);
        assert_eq!(jd_from_dmy(29, 1, 2025), 2_460_705);
        assert_eq!(jd_from_dmy(17, 2, 2026), 2_461_089);
        // Last Julian-calendar day and first Gregorian day are consecutive.
        assert_eq!(jd_from_dmy(4, 10, 1582) + 1, jd_from_dmy(15, 10, 1582));
    }

    #[test]
    fn chrono_view_agrees_with_reference_formula() {
        for (y, m, d) in [
            (1582, 10, 15),
            (1900, 1, 1),
            (2000, 1, 1),
            (2025, 1, 29),
            (2199, 12, 31),
        ] {
            assert_eq!(
                jd(ymd(y, m, d)),
                jd_from_dmy(i64::from(d), i64::from(m), i64::from(y))
            );
        }
    }

    #[test]
    fn inverse_round_trips_on_both_calendars() {
        for j in [
            2_000_000, 2_299_160, 2_299_161, 2_415_021, 2_451_545, 2_460_705,
        ] {
            let (d, m, y) = dmy_from_jd(j);
            assert_eq!(jd_from_dmy(d, m, y), j);
        }
        assert_eq!(dmy_from_jd(2_451_545), (1, 1, 2000));
        assert_eq!(date_from_jd(2_461_089), Some(ymd(2026, 2, 17)));
    }
}
