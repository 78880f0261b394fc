//! Holidays, days off, peaks and deadlines (domain brief §4.1, §4.2, §8.4,
//! §10.4).

use chrono::{Datelike, NaiveDate, Weekday};
use lich::{Calendar, CalendarOptions, Certainty, HolidayKind, LichError, Tag, solar_to_lunar};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn cal() -> &'static Calendar {
    Calendar::standard().unwrap()
}

fn working_days_in(year: i32) -> usize {
    d(year, 1, 1)
        .iter_days()
        .take_while(|x| x.year() == year)
        .filter(|x| cal().is_working_day(*x).unwrap())
        .count()
}

#[test]
fn complaint_and_denunciation_deadlines_of_the_brief() {
    let c = cal();
    // First-instance complaint, 30 days from acceptance on 2026-03-10.
    assert_eq!(c.deadline(d(2026, 3, 10), 30).unwrap(), d(2026, 4, 9));
    assert_eq!(d(2026, 4, 9).weekday(), Weekday::Thu);
    // Complex case, 45 days.
    assert_eq!(c.deadline(d(2026, 3, 10), 45).unwrap(), d(2026, 4, 24));
    // Second instance, complex, 60 days: Saturday 2026-05-09 rolls to Monday.
    assert_eq!(c.deadline(d(2026, 3, 10), 60).unwrap(), d(2026, 5, 11));
    // Denunciation intake, 7 working days from 2026-04-27: skips 30/4, 1/5
    // and the weekend.
    assert_eq!(
        c.add_working_days(d(2026, 4, 27), 7).unwrap(),
        d(2026, 5, 8)
    );
    assert_eq!(
        c.working_days_between(d(2026, 4, 27), d(2026, 5, 8))
            .unwrap(),
        7
    );
    assert_eq!(
        c.add_working_days(d(2026, 4, 27), 0).unwrap(),
        d(2026, 4, 27)
    );
}

#[test]
fn deadlines_roll_over_tet_and_swaps() {
    let c = cal();
    // A period ending inside the Tết 2026 break ends on Monday 23/2.
    assert_eq!(c.deadline(d(2026, 2, 1), 14).unwrap(), d(2026, 2, 23));
    // The make-up Saturday 10/1/2026 is a working day, so it can end a period.
    assert_eq!(c.deadline(d(2026, 1, 1), 9).unwrap(), d(2026, 1, 10));
    assert_eq!(
        c.add_working_days(d(2026, 1, 9), 1).unwrap(),
        d(2026, 1, 10)
    );
    assert_eq!(c.next_working_day(d(2026, 1, 1)).unwrap(), d(2026, 1, 5));
}

#[test]
fn days_off_2026() {
    let c = cal();
    let off = [
        d(2026, 1, 1),
        d(2026, 1, 2),
        d(2026, 2, 14),
        d(2026, 2, 16),
        d(2026, 2, 20),
        d(2026, 2, 22),
        d(2026, 4, 26),
        d(2026, 4, 27),
        d(2026, 4, 30),
        d(2026, 5, 1),
        d(2026, 8, 29),
        d(2026, 8, 31),
        d(2026, 9, 1),
        d(2026, 9, 2),
    ];
    for day in off {
        assert!(c.is_day_off(day).unwrap(), "{day} should be off");
    }
    let working = [
        d(2026, 1, 10),
        d(2026, 2, 13),
        d(2026, 2, 23),
        d(2026, 4, 28),
        d(2026, 8, 22),
        d(2026, 9, 3),
        d(2026, 11, 24),
    ];
    for day in working {
        assert!(
            c.is_working_day(day).unwrap(),
            "{day} should be a working day"
        );
    }
    // 104 weekend days, 13 weekday days off, 2 make-up Saturdays.
    assert_eq!(working_days_in(2026), 365 - 104 - 13 + 2);
}

#[test]
fn days_off_2025() {
    let c = cal();
    for day in [
        d(2025, 1, 1),
        d(2025, 1, 27),
        d(2025, 1, 31),
        d(2025, 4, 7),
        d(2025, 5, 2),
        d(2025, 9, 1),
        d(2025, 9, 2),
    ] {
        assert!(c.is_day_off(day).unwrap(), "{day}");
    }
    assert!(
        c.is_working_day(d(2025, 4, 26)).unwrap(),
        "make-up Saturday"
    );
    assert!(c.is_working_day(d(2025, 1, 24)).unwrap());
    assert!(c.is_working_day(d(2025, 2, 3)).unwrap());
    assert_eq!(working_days_in(2025), 365 - 104 - 12 + 1);
}

#[test]
fn derived_2027_is_flagged() {
    let c = cal();
    let (decided, sources) = c.schedule_sources(2027).unwrap();
    assert!(!decided);
    assert!(!sources.is_empty());
    assert!(c.schedule_sources(2026).unwrap().0);
    assert!(c.schedule_sources(2030).is_none());
    let h = c.holidays(2027).unwrap();
    let tet: Vec<_> = h
        .iter()
        .filter(|e| e.id == "tet_am_lich" && e.day_off)
        .collect();
    assert_eq!(tet.len(), 7);
    assert!(tet.iter().all(|e| e.derived));
    assert_eq!(
        tet.iter()
            .filter(|e| e.kind == HolidayKind::Compensatory)
            .count(),
        2
    );
    // 1/5/2027 is a Saturday: compensatory Monday 3/5.
    assert!(c.is_day_off(d(2027, 5, 3)).unwrap());
}

#[test]
fn years_without_a_schedule_are_derived_from_the_statute() {
    let c = cal();
    let h = c.holidays(2030).unwrap();
    let off: Vec<_> = h.iter().filter(|e| e.day_off).collect();
    assert!(off.iter().all(|e| e.derived));
    // Tết 2030 is Saturday 2/2: eve Friday 1/2, then mùng 1–4, and two
    // compensatory days for the weekend.
    let tet: Vec<_> = off
        .iter()
        .filter(|e| e.id == "tet_am_lich")
        .map(|e| (e.date, e.kind))
        .collect();
    assert_eq!(tet.first().unwrap().0, d(2030, 2, 1));
    assert_eq!(
        tet.iter()
            .filter(|(_, k)| *k == HolidayKind::Statutory)
            .count(),
        5
    );
    assert_eq!(
        tet.iter()
            .filter(|(_, k)| *k == HolidayKind::Compensatory)
            .map(|(x, _)| *x)
            .collect::<Vec<_>>(),
        vec![d(2030, 2, 6), d(2030, 2, 7)]
    );
    // Quốc khánh 2030 is a Monday: 2/9 and 3/9.
    let qk: Vec<_> = off
        .iter()
        .filter(|e| e.id == "quoc_khanh")
        .map(|e| e.date)
        .collect();
    assert_eq!(qk, vec![d(2030, 9, 2), d(2030, 9, 3)]);
    // Eleven statutory days a year.
    assert_eq!(
        off.iter()
            .filter(|e| e.kind == HolidayKind::Statutory)
            .count(),
        11
    );
}

#[test]
fn holiday_list_of_2026() {
    let h = cal().holidays(2026).unwrap();
    assert!(h.windows(2).all(|w| w[0].date <= w[1].date));
    let find = |id: &str, kind: HolidayKind| {
        h.iter()
            .filter(|e| e.id == id && e.kind == kind)
            .map(|e| e.date)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        find("gio_to_hung_vuong", HolidayKind::Compensatory),
        vec![d(2026, 4, 27)]
    );
    assert_eq!(
        find("tet_duong_lich", HolidayKind::MakeupWorkday),
        vec![d(2026, 1, 10)]
    );
    assert_eq!(
        find("quoc_khanh", HolidayKind::SwappedDayOff),
        vec![d(2026, 8, 31)]
    );
    assert_eq!(find("tet_am_lich", HolidayKind::Statutory).len(), 5);
    // Commemorations, solar and lunar.
    assert_eq!(
        find("ngay_hoi_bvantq", HolidayKind::Commemoration),
        vec![d(2026, 8, 19)]
    );
    assert_eq!(
        find("ong_cong_ong_tao", HolidayKind::Commemoration),
        vec![d(2026, 2, 10)]
    );
    assert_eq!(
        find("ram_thang_gieng", HolidayKind::Commemoration),
        vec![d(2026, 3, 3)]
    );
    assert_eq!(
        find("giang_sinh", HolidayKind::Commemoration),
        vec![d(2026, 12, 24), d(2026, 12, 25)]
    );
    let phat_dan = find("phat_dan", HolidayKind::Commemoration);
    assert_eq!(phat_dan.len(), 1);
    let l = solar_to_lunar(phat_dan[0]).unwrap();
    assert_eq!((l.day(), l.month(), l.is_leap()), (15, 4, false));
    // Tags and certainty come from the data.
    let pccc = h.iter().find(|e| e.id == "toan_dan_pccc").unwrap();
    assert_eq!(pccc.date, d(2026, 10, 4));
    assert!(pccc.tags.contains(&Tag::FireSafety));
    assert_eq!(pccc.certainty, Certainty::Unconfirmed);
    assert!(!pccc.day_off);
    // Every entry carries a legal basis.
    assert!(h.iter().all(|e| !e.legal_basis.trim().is_empty()));
    // 24/11 is only a commemoration while the switch is off.
    let culture: Vec<_> = h
        .iter()
        .filter(|e| e.id == "ngay_van_hoa_viet_nam")
        .collect();
    assert_eq!(culture.len(), 1);
    assert_eq!(culture[0].kind, HolidayKind::Commemoration);
}

#[test]
fn culture_day_switch() {
    let on = Calendar::new(CalendarOptions::default().with_switch("ngay_van_hoa_viet_nam", true))
        .unwrap();
    assert!(on.is_day_off(d(2026, 11, 24)).unwrap());
    assert!(cal().is_working_day(d(2026, 11, 24)).unwrap());
    // 24/11/2029 is a Saturday: the compensatory day is Monday 26/11.
    assert_eq!(d(2029, 11, 24).weekday(), Weekday::Sat);
    assert!(on.is_day_off(d(2029, 11, 26)).unwrap());
    assert!(cal().is_working_day(d(2029, 11, 26)).unwrap());
    let off = Calendar::new(CalendarOptions::default().with_switch("ngay_van_hoa_viet_nam", false))
        .unwrap();
    assert!(off.is_working_day(d(2026, 11, 24)).unwrap());
    let err = Calendar::new(CalendarOptions::default().with_switch("khong_co", true)).unwrap_err();
    assert!(matches!(err, LichError::UnknownSwitch { .. }));
}

#[test]
fn peak_periods() {
    let peaks = cal().peak_periods(2026).unwrap();
    let get = |id: &str| peaks.iter().find(|p| p.id == id).unwrap();
    let tet = get("tet");
    assert_eq!(
        (tet.nominal_start, tet.nominal_end),
        (d(2026, 2, 10), d(2026, 3, 3))
    );
    assert_eq!((tet.start, tet.end), (d(2026, 2, 10), d(2026, 3, 3)));
    assert_eq!(tet.prepare_from, d(2026, 1, 27));
    let qk = get("quoc_khanh");
    assert_eq!(
        (qk.nominal_start, qk.nominal_end),
        (d(2026, 9, 2), d(2026, 9, 2))
    );
    assert_eq!((qk.start, qk.end), (d(2026, 8, 29), d(2026, 9, 2)));
    let may = get("le_30_4_1_5");
    assert_eq!((may.start, may.end), (d(2026, 4, 30), d(2026, 5, 3)));
    let dec = get("ngay_22_12");
    assert_eq!((dec.start, dec.end), (d(2026, 12, 22), d(2026, 12, 22)));
    assert_eq!(get("ngay_hoi_bvantq").prepare_from, d(2026, 8, 1));
    assert!(peaks.windows(2).all(|w| w[0].start <= w[1].start));

    let may_2025 = cal()
        .peak_periods(2025)
        .unwrap()
        .into_iter()
        .find(|p| p.id == "le_30_4_1_5")
        .unwrap();
    assert_eq!(
        (may_2025.start, may_2025.end),
        (d(2025, 4, 30), d(2025, 5, 4))
    );
    let tet_2027 = cal()
        .peak_periods(2027)
        .unwrap()
        .into_iter()
        .find(|p| p.id == "tet")
        .unwrap();
    assert_eq!(
        (tet_2027.nominal_start, tet_2027.nominal_end),
        (d(2027, 1, 30), d(2027, 2, 20))
    );

    let short = Calendar::new(CalendarOptions::default().with_peak_lead_days(3)).unwrap();
    let p = short.peak_periods(2026).unwrap();
    assert!(
        p.iter()
            .all(|x| x.lead_days == 3 && (x.start - x.prepare_from).num_days() == 3)
    );

    let on_tet = cal().peaks_on(d(2026, 2, 17)).unwrap();
    assert_eq!(
        on_tet.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(),
        vec!["tet"]
    );
    assert!(cal().peaks_on(d(2026, 6, 15)).unwrap().is_empty());
}

#[test]
fn time_zone_option_reaches_the_holidays() {
    // Tết 1985 is 21/1 at UTC+7 and 20/2 at UTC+8: the derived Tết days off
    // move with the time zone.
    let china =
        Calendar::new(CalendarOptions::default().with_time_zone(lich::TimeZone::CHINA)).unwrap();
    let vn_tet: Vec<_> = cal()
        .holidays(1985)
        .unwrap()
        .into_iter()
        .filter(|e| e.id == "tet_am_lich")
        .map(|e| e.date)
        .collect();
    let cn_tet: Vec<_> = china
        .holidays(1985)
        .unwrap()
        .into_iter()
        .filter(|e| e.id == "tet_am_lich")
        .map(|e| e.date)
        .collect();
    assert!(vn_tet.contains(&d(1985, 1, 21)));
    assert!(cn_tet.contains(&d(1985, 2, 20)));
    assert!(!cn_tet.contains(&d(1985, 1, 21)));
}

#[test]
fn out_of_range_and_serialisation() {
    assert!(matches!(
        cal().is_day_off(d(1800, 6, 1)),
        Err(LichError::YearOutOfRange { .. })
    ));
    assert!(matches!(
        cal().holidays(2199),
        Err(LichError::YearOutOfRange { .. })
    ));
    let h = cal().holidays(2026).unwrap();
    let makeup = h
        .iter()
        .find(|e| e.kind == HolidayKind::MakeupWorkday)
        .unwrap();
    let json = serde_json::to_value(makeup).unwrap();
    assert_eq!(json["kind"], "makeup_workday");
    assert_eq!(json["date"], "2026-01-10");
    assert_eq!(json["swapped_with"], "2026-01-02");
    assert_eq!(json["certainty"], "C");
    let back: lich::Holiday = serde_json::from_value(json).unwrap();
    assert_eq!(&back, makeup);
}
