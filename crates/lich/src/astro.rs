//! Astronomy for the lunar calendar: new moons and the sun's longitude.
//!
//! These are the low-precision formulas of Hồ Ngọc Đức's algorithm (after
//! Meeus, "Astronomical Algorithms"), kept term for term so that our dates
//! match the published Vietnamese calendar. Precision is about a few minutes
//! of time, which is enough to name the day of a new moon except in rare
//! cases very close to midnight; those cases are decided the same way the
//! reference algorithm decides them.
//!
//! Every function takes the time-zone offset in hours east of UTC (`7.0` for
//! Vietnam, `8.0` for China). Vietnam and China compute for different
//! meridians, so a new moon shortly after midnight in Beijing but shortly
//! before midnight in Hà Nội starts a month one day earlier in Vietnam.

use std::f64::consts::PI;

/// Mean length of a synodic month in days, as used by the reference
/// algorithm to find the lunation index of a day.
pub const SYNODIC_MONTH: f64 = 29.530_588_853;

/// Julian Day of the new moon of 1900-01-01, the origin of lunation
/// indices (lunation `k = 0`).
pub const NEW_MOON_EPOCH: f64 = 2_415_021.076_998_695;

const DEG: f64 = PI / 180.0;

/// The instant (as a fractional Julian Day, UTC) of the `k`-th new moon after
/// the one of 1900-01-01.
///
/// The periodic correction is the sum of the mean-anomaly terms with their
/// original signs. A port that rewrote `c - a + b` as `c -= a + b` flips the
/// sign of `b` (the 0.0161, 0.0004 and 0.0006 terms) and moves some month
/// starts by one day; the lunar tests pin the dates that exposed it.
#[must_use]
pub fn new_moon(k: i64) -> f64 {
    let k = k as f64;
    let t = k / 1236.85;
    let t2 = t * t;
    let t3 = t2 * t;
    let mut jd1 = 2_415_020.759_33 + 29.530_588_68 * k + 0.000_117_8 * t2 - 0.000_000_155 * t3;
    jd1 += 0.000_33 * ((166.56 + 132.87 * t - 0.009_173 * t2) * DEG).sin();
    // Sun's mean anomaly, moon's mean anomaly, moon's argument of latitude.
    let m = 359.224_2 + 29.105_356_08 * k - 0.000_033_3 * t2 - 0.000_003_47 * t3;
    let mpr = 306.025_3 + 385.816_918_06 * k + 0.010_730_6 * t2 + 0.000_012_36 * t3;
    let f = 21.296_4 + 390.670_506_46 * k - 0.001_652_8 * t2 - 0.000_002_39 * t3;
    let sin = |deg: f64| (deg * DEG).sin();
    let mut c1 = (0.173_4 - 0.000_393 * t) * sin(m) + 0.002_1 * sin(2.0 * m);
    c1 = c1 - 0.406_8 * sin(mpr) + 0.016_1 * sin(2.0 * mpr);
    c1 -= 0.000_4 * sin(3.0 * mpr);
    c1 = c1 + 0.010_4 * sin(2.0 * f) - 0.005_1 * sin(m + mpr);
    c1 = c1 - 0.007_4 * sin(m - mpr) + 0.000_4 * sin(2.0 * f + m);
    c1 = c1 - 0.000_4 * sin(2.0 * f - m) - 0.000_6 * sin(2.0 * f + mpr);
    c1 = c1 + 0.001_0 * sin(2.0 * f - mpr) + 0.000_5 * sin(2.0 * mpr + m);
    // ΔT, the difference between terrestrial and universal time, in days.
    let delta_t = if t < -11.0 {
        0.001 + 0.000_839 * t + 0.000_226_1 * t2 - 0.000_008_45 * t3 - 0.000_000_081 * t * t3
    } else {
        -0.000_278 + 0.000_265 * t + 0.000_262 * t2
    };
    jd1 + c1 - delta_t
}

/// The local day (Julian Day Number) on which the `k`-th new moon falls in
/// time zone `tz`.
#[must_use]
pub fn new_moon_day(k: i64, tz: f64) -> i64 {
    (new_moon(k) + 0.5 + tz / 24.0).floor() as i64
}

/// The sun's apparent longitude in radians, `0 ≤ L < 2π`, at the instant
/// `jd` (fractional Julian Day, UTC).
#[must_use]
pub fn sun_longitude(jd: f64) -> f64 {
    let t = (jd - 2_451_545.0) / 36_525.0;
    let t2 = t * t;
    let m = 357.529_10 + 35_999.050_30 * t - 0.000_155_9 * t2 - 0.000_000_48 * t * t2;
    let l0 = 280.466_45 + 36_000.769_83 * t + 0.000_303_2 * t2;
    let mut dl = (1.914_600 - 0.004_817 * t - 0.000_014 * t2) * (DEG * m).sin();
    dl += (0.019_993 - 0.000_101 * t) * (DEG * 2.0 * m).sin() + 0.000_290 * (DEG * 3.0 * m).sin();
    let l = (l0 + dl) * DEG;
    l - 2.0 * PI * (l / (2.0 * PI)).floor()
}

/// The sector (0..=11, thirty degrees each) of the sun's longitude at the
/// start (local midnight) of day `jdn` in time zone `tz`. Sector 9 starts at
/// the winter solstice (270°); each sector boundary is a major solar term
/// (trung khí).
#[must_use]
pub fn sun_sector(jdn: i64, tz: f64) -> i64 {
    (sun_longitude(jdn as f64 - 0.5 - tz / 24.0) / PI * 6.0).floor() as i64
}

/// Lunation index of the new moon that starts on local day `jdn`, rounded to
/// the nearest lunation.
#[must_use]
pub fn lunation_index(jdn: i64) -> i64 {
    ((jdn as f64 - NEW_MOON_EPOCH) / SYNODIC_MONTH + 0.5).floor() as i64
}

/// First day (JDN) of lunar month 11 of solar year `year`: the month that
/// contains the winter solstice.
///
/// Takes the last new moon before 31 December; if the sun has already passed
/// the solstice at that new moon (sector ≥ 9), month 11 started one lunation
/// earlier.
#[must_use]
pub fn lunar_month_11(year: i64, tz: f64) -> i64 {
    let off = crate::julian::jd_from_dmy(31, 12, year) - 2_415_021;
    let k = (off as f64 / SYNODIC_MONTH).floor() as i64;
    let nm = new_moon_day(k, tz);
    if sun_sector(nm, tz) >= 9 {
        new_moon_day(k - 1, tz)
    } else {
        nm
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_moon_of_january_2025_is_on_the_29th_in_vietnam() {
        // Tết Ất Tỵ is 2025-01-29 (JDN 2 460 705); its new moon is a lunation
        // index near (2 460 705 − epoch) / 29.53.
        let k = lunation_index(2_460_705);
        assert_eq!(new_moon_day(k, 7.0), 2_460_705);
    }

    #[test]
    fn time_zone_moves_the_day_of_a_new_moon_near_midnight() {
        // Tết 2007: 2007-02-17 at UTC+7, 2007-02-18 at UTC+8.
        let jd7 = crate::julian::jd_from_dmy(17, 2, 2007);
        let k = lunation_index(jd7);
        assert_eq!(new_moon_day(k, 7.0), jd7);
        assert_eq!(new_moon_day(k, 8.0), jd7 + 1);
    }

    #[test]
    fn sun_sector_crosses_winter_solstice_in_late_december() {
        let before = crate::julian::jd_from_dmy(20, 12, 2025);
        let after = crate::julian::jd_from_dmy(23, 12, 2025);
        assert_eq!(sun_sector(before, 7.0), 8);
        assert_eq!(sun_sector(after, 7.0), 9);
    }

    #[test]
    fn month_11_of_2025_starts_on_december_20() {
        assert_eq!(
            lunar_month_11(2025, 7.0),
            crate::julian::jd_from_dmy(20, 12, 2025)
        );
    }
}
