//! The lunar-calendar facts of the domain brief (§4.3 and §10.4).

use chrono::{Datelike, NaiveDate, Weekday};
use lich::{
    LichError, LunarCalendar, LunarDate, TimeZone, can_chi, days_in_lunar_month, jd, leap_month,
    lunar_to_solar, solar_to_lunar, tet, weekday_short,
};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn lunar(date: NaiveDate) -> (u8, u8, i32, bool) {
    let l = solar_to_lunar(date).unwrap();
    (l.day(), l.month(), l.year(), l.is_leap())
}

/// (lunar year, can chi, Tết, weekday, Giỗ Tổ, Trung thu, leap month and its first day)
type YearRow = (
    i32,
    &'static str,
    NaiveDate,
    &'static str,
    NaiveDate,
    NaiveDate,
    Option<(u8, NaiveDate)>,
);

fn table() -> Vec<YearRow> {
    vec![
        (
            2019,
            "Kỷ Hợi",
            d(2019, 2, 5),
            "T3",
            d(2019, 4, 14),
            d(2019, 9, 13),
            None,
        ),
        (
            2020,
            "Canh Tý",
            d(2020, 1, 25),
            "T7",
            d(2020, 4, 2),
            d(2020, 10, 1),
            Some((4, d(2020, 5, 23))),
        ),
        (
            2021,
            "Tân Sửu",
            d(2021, 2, 12),
            "T6",
            d(2021, 4, 21),
            d(2021, 9, 21),
            None,
        ),
        (
            2022,
            "Nhâm Dần",
            d(2022, 2, 1),
            "T3",
            d(2022, 4, 10),
            d(2022, 9, 10),
            None,
        ),
        (
            2023,
            "Quý Mão",
            d(2023, 1, 22),
            "CN",
            d(2023, 4, 29),
            d(2023, 9, 29),
            Some((2, d(2023, 3, 22))),
        ),
        (
            2024,
            "Giáp Thìn",
            d(2024, 2, 10),
            "T7",
            d(2024, 4, 18),
            d(2024, 9, 17),
            None,
        ),
        (
            2025,
            "Ất Tỵ",
            d(2025, 1, 29),
            "T4",
            d(2025, 4, 7),
            d(2025, 10, 6),
            Some((6, d(2025, 7, 25))),
        ),
        (
            2026,
            "Bính Ngọ",
            d(2026, 2, 17),
            "T3",
            d(2026, 4, 26),
            d(2026, 9, 25),
            None,
        ),
        (
            2027,
            "Đinh Mùi",
            d(2027, 2, 6),
            "T7",
            d(2027, 4, 16),
            d(2027, 9, 15),
            None,
        ),
        (
            2028,
            "Mậu Thân",
            d(2028, 1, 26),
            "T4",
            d(2028, 4, 4),
            d(2028, 10, 3),
            Some((5, d(2028, 6, 23))),
        ),
        (
            2029,
            "Kỷ Dậu",
            d(2029, 2, 13),
            "T3",
            d(2029, 4, 23),
            d(2029, 9, 22),
            None,
        ),
        (
            2030,
            "Canh Tuất",
            d(2030, 2, 2),
            "T7",
            d(2030, 4, 12),
            d(2030, 9, 12),
            None,
        ),
        (
            2031,
            "Tân Hợi",
            d(2031, 1, 23),
            "T5",
            d(2031, 4, 1),
            d(2031, 10, 1),
            Some((3, d(2031, 4, 21))),
        ),
    ]
}

#[test]
fn year_table_2019_to_2031() {
    for (year, name, tet_day, weekday, gio_to, trung_thu, leap) in table() {
        assert_eq!(can_chi(year), name, "{year}");
        assert_eq!(tet(year).unwrap(), tet_day, "Tết {year}");
        assert_eq!(
            weekday_short(tet_day.weekday()),
            weekday,
            "weekday of Tết {year}"
        );
        assert_eq!(
            lunar_to_solar(10, 3, year, false).unwrap(),
            gio_to,
            "Giỗ Tổ {year}"
        );
        assert_eq!(
            lunar_to_solar(15, 8, year, false).unwrap(),
            trung_thu,
            "Trung thu {year}"
        );
        assert_eq!(
            leap_month(year).unwrap(),
            leap.map(|(m, _)| m),
            "leap month {year}"
        );
        if let Some((m, first)) = leap {
            assert_eq!(
                lunar_to_solar(1, u32::from(m), year, true).unwrap(),
                first,
                "leap start {year}"
            );
            assert_eq!(lunar(first), (1, m, year, true));
            // The day before is the last day of the regular month of the same number.
            let prev = lunar(first.pred_opt().unwrap());
            assert_eq!((prev.1, prev.2, prev.3), (m, year, false));
        }
    }
}

#[test]
fn brief_section_10_4_facts() {
    assert_eq!(tet(2023).unwrap(), d(2023, 1, 22));
    assert_eq!(tet(2024).unwrap(), d(2024, 2, 10));
    assert_eq!(lunar_to_solar(10, 3, 2025, false).unwrap(), d(2025, 4, 7));
    let gio_to_2026 = lunar_to_solar(10, 3, 2026, false).unwrap();
    assert_eq!(gio_to_2026, d(2026, 4, 26));
    assert_eq!(gio_to_2026.weekday(), Weekday::Sun);
    assert_eq!(lunar_to_solar(10, 3, 2027, false).unwrap(), d(2027, 4, 16));
    assert_eq!(lunar(d(2025, 8, 19)), (26, 6, 2025, true));
    assert_eq!(lunar(d(2025, 8, 22)), (29, 6, 2025, true));
    assert_eq!(lunar(d(2025, 8, 23)), (1, 7, 2025, false));
    assert_eq!(leap_month(2026).unwrap(), None);
    assert_eq!(jd(d(2000, 1, 1)), 2_451_545);
    assert_eq!(jd(d(2025, 1, 29)), 2_460_705);
    assert_eq!(jd(d(2026, 2, 17)), 2_461_089);
}

#[test]
fn no_thirtieth_of_the_twelfth_month() {
    // The last day of Giáp Thìn, Ất Tỵ and Bính Ngọ is the 29th.
    assert_eq!(lunar(d(2025, 1, 28)), (29, 12, 2024, false));
    assert_eq!(lunar(d(2026, 2, 16)), (29, 12, 2025, false));
    assert_eq!(lunar(d(2027, 2, 5)), (29, 12, 2026, false));
    for year in [2024, 2025, 2026] {
        assert_eq!(days_in_lunar_month(12, year, false).unwrap(), 29, "{year}");
        let err = lunar_to_solar(30, 12, year, false).unwrap_err();
        assert_eq!(
            err,
            LichError::InvalidDay {
                day: 30,
                month: 12,
                year,
                leap: false,
                days_in_month: 29
            }
        );
        assert!(LunarDate::new(30, 12, year, false).is_err());
    }
    let eve = LunarCalendar::vietnam().new_years_eve(2025).unwrap();
    assert_eq!(eve, d(2026, 2, 16));
}

#[test]
fn month_11_and_new_year_boundaries() {
    assert_eq!(lunar(d(2026, 1, 1)), (13, 11, 2025, false));
    assert_eq!(lunar(d(2025, 12, 22)), (3, 11, 2025, false));
    assert_eq!(lunar(d(2025, 12, 20)), (1, 11, 2025, false));
    assert_eq!(lunar(d(2025, 12, 19)).1, 10);
    assert_eq!(lunar(d(2026, 2, 17)), (1, 1, 2026, false));
}

#[test]
fn time_zone_changes_tet_in_some_years() {
    let china = LunarCalendar::new(TimeZone::CHINA);
    let vietnam = LunarCalendar::vietnam();
    assert_eq!(vietnam.tet(1968).unwrap(), d(1968, 1, 29));
    assert_eq!(china.tet(1968).unwrap(), d(1968, 1, 30));
    assert_eq!(vietnam.tet(1985).unwrap(), d(1985, 1, 21));
    assert_eq!(china.tet(1985).unwrap(), d(1985, 2, 20));
    assert_eq!(vietnam.tet(2007).unwrap(), d(2007, 2, 17));
    assert_eq!(china.tet(2007).unwrap(), d(2007, 2, 18));
    // Most years agree.
    assert_eq!(china.tet(2026).unwrap(), d(2026, 2, 17));
    let tz = LunarCalendar::new(TimeZone::from_hours(7.0).unwrap());
    assert_eq!(tz.tet(1985).unwrap(), d(1985, 1, 21));
}

#[test]
fn tet_window_dates() {
    let window = |year: i32| {
        (
            lunar_to_solar(23, 12, year - 1, false).unwrap(),
            lunar_to_solar(15, 1, year, false).unwrap(),
        )
    };
    assert_eq!(window(2025), (d(2025, 1, 22), d(2025, 2, 12)));
    assert_eq!(window(2026), (d(2026, 2, 10), d(2026, 3, 3)));
    assert_eq!(window(2027), (d(2027, 1, 30), d(2027, 2, 20)));
}

#[test]
fn solar_weekdays_of_2026_and_2027() {
    let short = |y, m, day| weekday_short(d(y, m, day).weekday());
    assert_eq!(
        [
            short(2026, 4, 30),
            short(2026, 5, 1),
            short(2026, 8, 19),
            short(2026, 9, 2),
            short(2026, 12, 22),
            short(2026, 11, 24)
        ],
        ["T5", "T6", "T4", "T4", "T3", "T3"]
    );
    assert_eq!(
        [short(2027, 4, 30), short(2027, 9, 2), short(2027, 12, 22)],
        ["T6", "T5", "T4"]
    );
}

#[test]
fn error_cases() {
    assert!(matches!(
        lunar_to_solar(1, 5, 2025, true),
        Err(LichError::NotLeapMonth {
            month: 5,
            year: 2025,
            leap_month: Some(6)
        })
    ));
    assert!(matches!(
        lunar_to_solar(1, 6, 2026, true),
        Err(LichError::NotLeapMonth {
            leap_month: None,
            ..
        })
    ));
    assert!(matches!(
        lunar_to_solar(1, 13, 2026, false),
        Err(LichError::InvalidMonth { month: 13 })
    ));
    assert!(matches!(
        lunar_to_solar(1, 0, 2026, false),
        Err(LichError::InvalidMonth { month: 0 })
    ));
    assert!(matches!(
        lunar_to_solar(0, 1, 2026, false),
        Err(LichError::InvalidDay { day: 0, .. })
    ));
    assert!(matches!(
        lunar_to_solar(31, 1, 2026, false),
        Err(LichError::InvalidDay { day: 31, .. })
    ));
    assert!(matches!(
        tet(1799),
        Err(LichError::YearOutOfRange { year: 1799, .. })
    ));
    assert!(matches!(
        solar_to_lunar(d(2200, 1, 1)),
        Err(LichError::YearOutOfRange { .. })
    ));
    assert!(matches!(
        TimeZone::from_hours(f64::NAN),
        Err(LichError::InvalidTimeZone { .. })
    ));
    assert!(matches!(
        TimeZone::from_hours(15.0),
        Err(LichError::InvalidTimeZone { .. })
    ));
    let msg = lunar_to_solar(30, 12, 2025, false).unwrap_err();
    assert_eq!(
        msg.to_string(),
        "ngày âm lịch 30/12/2025 không tồn tại: tháng này chỉ có 29 ngày"
    );
    assert!(
        msg.english()
            .starts_with("lunar date 30/12/2025 does not exist")
    );
}

#[test]
fn lunar_date_serde_checks_existence() {
    let ok: LunarDate =
        serde_json::from_str(r#"{"year":2025,"month":6,"leap":true,"day":26}"#).unwrap();
    assert_eq!(ok.to_solar().unwrap(), d(2025, 8, 19));
    assert_eq!(
        serde_json::to_string(&ok).unwrap(),
        r#"{"year":2025,"month":6,"leap":true,"day":26}"#
    );
    let err =
        serde_json::from_str::<LunarDate>(r#"{"year":2025,"month":12,"leap":false,"day":30}"#)
            .unwrap_err();
    assert!(err.to_string().contains("không tồn tại"), "{err}");
    assert!(
        serde_json::from_str::<LunarDate>(r#"{"year":2025,"month":5,"leap":true,"day":1}"#)
            .is_err()
    );
    assert!(serde_json::from_str::<TimeZone>("99.0").is_err());
    assert_eq!(
        serde_json::from_str::<TimeZone>("8.0").unwrap(),
        TimeZone::CHINA
    );
}
