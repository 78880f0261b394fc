//! The calendar through the router: month and year pages, the converter, events, the
//! iCalendar feed and the API. Runs on SQLite, and on PostgreSQL with
//! `ANTOAN_TEST_DATABASE_URL`.

mod common;

use axum::http::StatusCode;
use common::TestApp;

/// The Party Committee Office's unit id, as the officer's API sees it.
async fn office_id(app: &TestApp, token: &str) -> i64 {
    let r = app.api("GET", "/api/v1/units", Some(token), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let units = r.json();
    units["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["kind"] == "organisation")
        .and_then(|u| u["id"].as_i64())
        .expect("the officer sees the Office")
}

#[tokio::test]
async fn month_page_shows_tet_lunar_dates_and_peaks() {
    let app = TestApp::new().await;
    let mut b = app.login("nhanvien").await;
    let r = app.get(&mut b, "/calendar?month=2026-02").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let html = r.text();
    assert!(html.contains("Tháng 2 năm 2026"), "title");
    assert!(html.contains("Thứ Hai") && html.contains("Chủ nhật"));
    // 17/02/2026 is the first day of Bính Ngọ, a statutory day off.
    assert!(html.contains("datetime=\"2026-02-17\""));
    assert!(html.contains("Tết Âm lịch (Tết Nguyên đán)"));
    assert!(html.contains("Tháng Giêng"));
    assert!(html.contains("Tháng Chạp năm Ất Tỵ"), "lunar caption");
    assert!(html.contains(">29/12<"), "New Year's Eve is the 29th");
    assert!(html.contains("Nghỉ lễ, Tết"));
    assert!(html.contains("cal-band"), "the Tết peak is drawn");
    assert!(html.contains("href=\"/calendar?month=2026-01\""));
    assert!(html.contains("href=\"/calendar?month=2026-03\""));
    assert!(html.contains("aria-current=\"page\">Lịch<"), "menu entry");
    // Staff may look but not add.
    assert!(!html.contains("action=\"/calendar/events\""));
    // The export link points at the feed of the person's organisation.
    assert!(html.contains(".ics\""));
    // August 2025 has a leap sixth month.
    let aug = app.get(&mut b, "/calendar?month=2025-08").await.text();
    assert!(aug.contains("26/6 nhuận"), "leap month marked");
    // Default month and a bad month.
    assert_eq!(app.get(&mut b, "/calendar").await.status, StatusCode::OK);
    let bad = app.get(&mut b, "/calendar?month=2026-13").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().contains("Tháng không hợp lệ"));
}

#[tokio::test]
async fn year_page_lists_holidays_with_their_basis_and_peaks() {
    let app = TestApp::new().await;
    let mut b = app.login("nhanvien").await;
    let r = app.get(&mut b, "/calendar/year?year=2026").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let html = r.text();
    for day in [
        "17/02/2026",
        "30/04/2026",
        "01/05/2026",
        "02/09/2026",
        "27/04/2026",
    ] {
        assert!(html.contains(day), "{day}");
    }
    assert!(html.contains("Bộ luật Lao động"), "legal basis shown");
    assert!(html.contains("Đợt cao điểm bảo vệ"));
    assert!(html.contains("Chuẩn bị từ"));
    assert!(html.contains("Bính Ngọ"));
    assert_eq!(
        app.get(&mut b, "/calendar/year?year=abc").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test]
async fn converter_works_without_scripts_and_explains_missing_dates() {
    let app = TestApp::new().await;
    let mut b = app.login("nhanvien").await;
    let r = app.get(&mut b, "/calendar/convert?solar=2025-08-19").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("26/6 nhuận/2025"));
    let r = app
        .get(&mut b, "/calendar/convert?day=10&month=3&year=2026")
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("26/04/2026"));
    assert!(r.text().contains("Chủ nhật"));
    let r = app
        .get(&mut b, "/calendar/convert?day=30&month=12&year=2025")
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("không tồn tại"), "{}", r.text());
    let r = app
        .get(&mut b, "/calendar/convert?day=1&month=5&year=2025&leap=on")
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("nhuận tháng 6"));
}

#[tokio::test]
async fn api_converts_dates_and_lists_holidays() {
    let app = TestApp::new().await;
    let token = app.api_token("nhanvien").await;
    let t = Some(token.as_str());
    let r = app
        .api("GET", "/api/v1/calendar/lunar?date=2025-08-19", t, None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let j = r.json();
    assert_eq!(
        (j["day"].as_i64(), j["month"].as_i64()),
        (Some(26), Some(6))
    );
    assert_eq!(
        (j["year"].as_i64(), j["leap"].as_bool()),
        (Some(2025), Some(true))
    );
    assert_eq!(j["yearCanChi"], "Ất Tỵ");

    let r = app
        .api(
            "GET",
            "/api/v1/calendar/solar?day=10&month=3&year=2026",
            t,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["date"], "2026-04-26");

    let r = app
        .api(
            "GET",
            "/api/v1/calendar/solar?day=30&month=12&year=2025",
            t,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let e = r.json();
    assert_eq!(e["error"]["code"], "invalid");
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("không tồn tại"),
        "{e}"
    );

    for bad in [
        "/api/v1/calendar/lunar?date=2025-02-30",
        "/api/v1/calendar/lunar?date=hôm-nay",
        "/api/v1/calendar/lunar",
        "/api/v1/calendar/lunar?date=1700-01-01",
        "/api/v1/calendar/solar?day=x&month=1&year=2026",
        "/api/v1/calendar/solar?day=1&month=13&year=2026",
        "/api/v1/calendar/solar?day=1&month=1&year=2026&leap=maybe",
        "/api/v1/calendar/solar?day=1&month=5&year=2025&leap=true",
        "/api/v1/calendar/holidays?year=20x6",
        "/api/v1/calendar/holidays?year=99999",
        "/api/v1/calendar/events?from=2026-01-01&to=2025-01-01",
        "/api/v1/calendar/events?from=2026-01-01&to=2030-01-01",
    ] {
        let r = app.api("GET", bad, t, None).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}: {}",
            r.text()
        );
        assert_eq!(r.json()["error"]["code"], "invalid", "{bad}");
    }

    let r = app
        .api("GET", "/api/v1/calendar/holidays?year=2026", t, None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let items = r.json()["items"].as_array().unwrap().clone();
    let tet = items
        .iter()
        .find(|h| h["date"] == "2026-02-17")
        .expect("Tết 2026");
    assert_eq!(tet["kind"], "statutory");
    assert_eq!(tet["dayOff"], true);
    assert_eq!(tet["lunar"], "1/1/2026");
    assert!(items.iter().any(|h| h["date"] == "2026-09-02"));

    let r = app
        .api("GET", "/api/v1/calendar/peaks?year=2026", t, None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == "tet")
    );

    // Signing in is required; the document names the operations.
    let r = app
        .api("GET", "/api/v1/calendar/lunar?date=2026-01-01", None, None)
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let doc = app.api("GET", "/api/openapi.json", None, None).await.text();
    for op in [
        "solarToLunar",
        "lunarToSolar",
        "listHolidays",
        "listPeakPeriods",
        "listEvents",
    ] {
        assert!(doc.contains(op), "{op}");
    }
}

/// Checks the iCalendar rules the feed promises and returns the unfolded lines.
fn check_ics(text: &str) -> Vec<String> {
    assert!(text.ends_with("\r\n"));
    let physical: Vec<&str> = text.trim_end_matches("\r\n").split("\r\n").collect();
    for line in &physical {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
        assert!(!line.contains('\n') && !line.contains('\r'));
    }
    let unfolded = text.replace("\r\n ", "");
    let lines: Vec<String> = unfolded
        .trim_end_matches("\r\n")
        .split("\r\n")
        .map(str::to_owned)
        .collect();
    assert_eq!(lines.first().map(String::as_str), Some("BEGIN:VCALENDAR"));
    assert_eq!(lines.last().map(String::as_str), Some("END:VCALENDAR"));
    let mut depth: Vec<&str> = Vec::new();
    for l in &lines {
        if let Some(v) = l.strip_prefix("BEGIN:") {
            depth.push(v);
        } else if let Some(v) = l.strip_prefix("END:") {
            assert_eq!(depth.pop(), Some(v), "unbalanced END:{v}");
        }
    }
    assert!(depth.is_empty());
    let begins = lines.iter().filter(|l| *l == "BEGIN:VEVENT").count();
    for key in [
        "UID:",
        "DTSTAMP:",
        "DTSTART;VALUE=DATE:",
        "DTEND;VALUE=DATE:",
        "SUMMARY:",
    ] {
        assert_eq!(
            lines.iter().filter(|l| l.starts_with(key)).count(),
            begins,
            "{key}"
        );
    }
    lines
}

#[tokio::test]
async fn officer_adds_event_and_it_reaches_the_feed_and_the_api() {
    let app = TestApp::new().await;
    let token = app.api_token("canbo.antt").await;
    let office = office_id(&app, &token).await;
    let mut b = app.login("canbo.antt").await;
    let page = app.get(&mut b, "/calendar").await.text();
    assert!(
        page.contains("action=\"/calendar/events\""),
        "the officer may add"
    );

    // Invalid: the end before the start. Nothing is saved.
    let bad = app
        .submit(
            &mut b,
            "/calendar",
            "/calendar/events",
            &[
                ("unit_id", &office.to_string()),
                ("title", "Hội nghị ngược ngày"),
                ("kind", "meeting"),
                ("starts_on", "2026-03-12"),
                ("ends_on", "2026-03-10"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.text()
            .contains("Ngày kết thúc không được trước ngày bắt đầu")
    );
    let none = app
        .api(
            "GET",
            "/api/v1/calendar/events?from=2026-01-01&to=2026-12-31",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(none.json()["items"].as_array().unwrap().len(), 0);

    // A long title with commas and semicolons, to exercise escaping and folding.
    let title = "Đại hội Đảng bộ Văn phòng Tỉnh ủy lần thứ XX; nhiệm kỳ 2025–2030, phiên trù bị và phiên chính thức";
    let r = app
        .submit(
            &mut b,
            "/calendar",
            "/calendar/events",
            &[
                ("unit_id", &office.to_string()),
                ("title", title),
                ("kind", "congress"),
                ("starts_on", "2026-03-10"),
                ("ends_on", "12/03/2026"),
                ("location", "Hội trường Tỉnh ủy"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert!(
        r.location().starts_with("/calendar?month=2026-03"),
        "{}",
        r.location()
    );
    let month = app.get(&mut b, &r.location()).await.text();
    assert!(month.contains("Đã thêm sự kiện"));
    assert!(month.contains("Đại hội Đảng bộ Văn phòng Tỉnh ủy lần thứ XX"));

    let list = app
        .api(
            "GET",
            "/api/v1/calendar/events?from=2026-03-01&to=2026-03-31",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(list.status, StatusCode::OK);
    let items = list.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["endsOn"], "2026-03-12");
    let id = items[0]["id"].as_i64().unwrap();

    // Edit through the form, then look at the feed.
    let edit_page = format!("/calendar/events/{id}");
    let r = app
        .submit(
            &mut b,
            &edit_page,
            &edit_page,
            &[
                ("unit_id", &office.to_string()),
                ("title", title),
                ("kind", "congress"),
                ("starts_on", "2026-03-10"),
                ("ends_on", "2026-03-13"),
                ("location", "Hội trường Tỉnh ủy"),
                ("note", "Bảo vệ vòng trong, vòng ngoài"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());

    let feed = app.get(&mut b, &format!("/calendar/{office}.ics")).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(
        feed.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let lines = check_ics(&feed.text());
    let summary = format!("SUMMARY:{}", title.replace(';', "\\;").replace(',', "\\,"));
    assert!(lines.contains(&summary), "escaped summary in the feed");
    assert!(lines.contains(&format!("UID:event-{id}@antoan")));
    assert!(
        lines.iter().any(|l| l == "DTEND;VALUE=DATE:20260314"),
        "exclusive end"
    );
    assert!(
        lines.iter().any(|l| l.starts_with("SUMMARY:Tết Âm lịch"))
            || lines.iter().any(|l| l.starts_with("CATEGORIES:Nghỉ lễ"))
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("CATEGORIES:Đợt cao điểm"))
    );
    assert!(feed.text().contains("\r\n "), "long lines are folded");

    // The same feed answers an API token (calendar applications subscribe with one).
    let by_token = app
        .api(
            "GET",
            &format!("/calendar/{office}.ics"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(by_token.status, StatusCode::OK);

    // The school's administrator sees neither the feed nor the event.
    let mut school = app.login("quantri.truong").await;
    assert_eq!(
        app.get(&mut school, &format!("/calendar/{office}.ics"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&mut school, &format!("/calendar/events/{id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let other = app.get(&mut school, "/calendar?month=2026-03").await.text();
    assert!(!other.contains("Đại hội Đảng bộ Văn phòng"));
    assert_eq!(
        app.get(&mut school, "/calendar/abc.ics").await.status,
        StatusCode::NOT_FOUND
    );
    // Signed out, the feed sends to the sign-in page.
    let mut nobody = common::Browser::default();
    let r = app
        .get(&mut nobody, &format!("/calendar/{office}.ics"))
        .await;
    assert!(r.location().starts_with("/login"), "{}", r.location());

    // Staff cannot delete; the officer can.
    let mut staff = app.login("nhanvien").await;
    let r = app
        .submit(
            &mut staff,
            &edit_page,
            &format!("/calendar/events/{id}/delete"),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .submit(
            &mut b,
            &edit_page,
            &format!("/calendar/events/{id}/delete"),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get(&mut b, &edit_page).await.status,
        StatusCode::NOT_FOUND
    );

    let v = store::audit::verify(&app.t.db).await.unwrap();
    assert_eq!(v.first_break, None);
}
