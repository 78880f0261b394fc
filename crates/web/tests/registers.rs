//! Document registers through the router: pages, exports, downloads and the API, with
//! secrecy and scope. Runs on SQLite, and on PostgreSQL with `ANTOAN_TEST_DATABASE_URL`.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::json;
use store::Scope;
use store::scope::UnitView;

async fn app() -> TestApp {
    let app = TestApp::new().await;
    store::registers::load_demo(&app.t.db)
        .await
        .expect("demo registers load");
    app
}

async fn org(app: &TestApp, abbr: &str) -> i64 {
    let db = &app.t.db;
    let province = store::units::province(db).await.unwrap().unwrap();
    let scope: Scope<UnitView> = Scope::whole_system_for_cli(province.root());
    let (orgs, _) = store::units::organisations(db, &scope, None, None, 100)
        .await
        .unwrap();
    orgs.iter()
        .find(|o| o.abbreviation.as_deref() == Some(abbr))
        .unwrap()
        .id
}

async fn count(app: &TestApp) -> i64 {
    store::registers::count(&app.t.db).await.unwrap()
}

async fn account(app: &TestApp, username: &str) -> i64 {
    store::accounts::by_username(&app.t.db, username)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// Today's date (UTC, never later than Vietnam's): the demo registers issue numbers up to
/// today, and numbers are issued in date order, so a fixed date would soon come before them.
fn today() -> String {
    chrono::Utc::now().date_naive().to_string()
}

/// A due date some days ahead of [`today`].
fn days_ahead(n: u64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Days::new(n)).to_string()
}

fn new_doc(org: i64, title: &str, secrecy: &str) -> serde_json::Value {
    json!({
        "org_id": org, "type": "KH", "date": today(), "title": title,
        "content": "Nội dung kế hoạch.", "signer": "Đặng Văn Thành", "signer_position": "Chánh Văn phòng",
        "recipients": ["Công an tỉnh Sơn Hà", "Lưu: VT"], "secrecy": secrecy, "copies": 3
    })
}

#[tokio::test]
async fn api_issues_reads_lists_and_renders() {
    let app = app().await;
    let office = org(&app, "VPTU").await;
    let token = app.api_token("canbo.antt").await;
    let r = app
        .api(
            "POST",
            "/api/v1/documents",
            Some(&token),
            Some(new_doc(office, "Kế hoạch bảo vệ Hội nghị Tỉnh ủy", "none")),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let doc = r.json();
    let ky_hieu = doc["ky_hieu"].as_str().unwrap();
    assert!(ky_hieu.ends_with("-KH/VPTU"), "{ky_hieu}");
    let id = doc["id"].as_i64().unwrap();
    let r = app
        .api(
            "GET",
            &format!("/api/v1/documents/{id}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["title"], "Kế hoạch bảo vệ Hội nghị Tỉnh ủy");
    let r = app
        .api(
            "GET",
            &format!("/api/v1/documents?org={office}&q=hoi+nghi+tinh+uy"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["items"][0]["id"], id);
    for (format, ctype) in [
        ("pdf", "application/pdf"),
        (
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ] {
        let r = app
            .api(
                "GET",
                &format!("/api/v1/documents/{id}/render?format={format}"),
                Some(&token),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{format}: {}", r.text());
        assert_eq!(r.headers["content-type"], ctype);
        assert!(r.body.len() > 1000, "{format} is not empty");
    }
    let spec = app.api("GET", "/api/openapi.json", None, None).await.text();
    for op in [
        "createOutgoingDocument",
        "getDocument",
        "renderDocument",
        "listDocuments",
    ] {
        assert!(spec.contains(op), "{op} documented");
    }
}

#[tokio::test]
async fn api_rejects_bad_input_and_saves_nothing() {
    let app = app().await;
    let stc = org(&app, "STC").await;
    let token = app.api_token("quantri").await;
    let before = count(&app).await;
    let mut bad_type = new_doc(stc, "Loại sai", "none");
    bad_type["type"] = "XYZ".into();
    let mut bad_date = new_doc(stc, "Ngày sai", "none");
    bad_date["date"] = "2026-02-30".into();
    let mut too_large = new_doc(stc, "Quá dài", "none");
    too_large["content"] = "a".repeat(30_000).into();
    let mut used = new_doc(stc, "Số đã dùng", "none");
    used["number"] = 9001.into();
    used["date"] = "2026-01-05".into();
    let first = app
        .api(
            "POST",
            "/api/v1/documents",
            Some(&token),
            Some(used.clone()),
        )
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    let before_used = count(&app).await;
    assert_eq!(before_used, before + 1);
    for (body, needle) in [
        (bad_type, "Loại văn bản"),
        (bad_date, "Ngày"),
        (too_large, "quá dài"),
        (used, "đã được dùng"),
    ] {
        let r = app
            .api("POST", "/api/v1/documents", Some(&token), Some(body))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        let msg = r.json()["error"]["message"].as_str().unwrap().to_owned();
        assert_eq!(r.json()["error"]["code"], "invalid");
        assert!(msg.contains(needle), "{msg}");
    }
    assert_eq!(count(&app).await, before_used, "nothing saved");
}

#[tokio::test]
async fn secrecy_and_scope() {
    let app = app().await;
    let office = org(&app, "VPTU").await;
    // The officer registers a secret plan (the author sees what was just saved).
    let officer = app.api_token("canbo.antt").await;
    let r = app
        .api(
            "POST",
            "/api/v1/documents",
            Some(&officer),
            Some(new_doc(office, "Phương án bảo vệ tuyệt mật Zeta", "mat")),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_i64().unwrap();
    let ky_hieu = r.json()["ky_hieu"].as_str().unwrap().to_owned();
    // The security officer holds no clearance yet, so reads it as secret.
    let r = app
        .api(
            "GET",
            &format!("/api/v1/documents/{id}"),
            Some(&officer),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .api(
            "GET",
            &format!("/api/v1/documents?org={office}&year=2026"),
            Some(&officer),
            None,
        )
        .await;
    let text = r.text();
    assert!(!text.contains("Zeta") && text.contains(&ky_hieu) && text.contains("[Văn bản mật]"));
    let r = app
        .api(
            "GET",
            &format!("/api/v1/documents?org={office}&q=zeta"),
            Some(&officer),
            None,
        )
        .await;
    assert!(r.json()["items"].as_array().unwrap().is_empty());
    let mut b = app.login("canbo.antt").await;
    let page = app
        .get(&mut b, &format!("/registers/{office}/outgoing?year=2026"))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    assert!(!page.text().contains("Zeta") && page.text().contains("[Văn bản mật]"));
    let detail = app.get(&mut b, &format!("/registers/entries/{id}")).await;
    assert_eq!(detail.status, StatusCode::OK);
    assert!(!detail.text().contains("Zeta"));
    let xlsx = app
        .get(
            &mut b,
            &format!("/registers/{office}/outgoing/book.xlsx?year=2026"),
        )
        .await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(!xlsx_text(&xlsx.body).contains("Zeta"));
    // The administrator clears the officer for Mật.
    let officer_id = account(&app, "canbo.antt").await;
    let mut ab = app.login("quantri").await;
    let r = app
        .submit(
            &mut ab,
            "/registers/clearances",
            "/registers/clearances",
            &[("account_id", &officer_id.to_string()), ("level", "mat")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let r = app
        .api(
            "GET",
            &format!("/api/v1/documents/{id}"),
            Some(&officer),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let xlsx = app
        .get(
            &mut b,
            &format!("/registers/{office}/outgoing/book.xlsx?year=2026"),
        )
        .await;
    assert!(xlsx_text(&xlsx.body).contains("Zeta"));
    // The school's administrator cannot see the Office's documents at all.
    let school = app.api_token("quantri.truong").await;
    let r = app
        .api(
            "GET",
            &format!("/api/v1/documents/{id}"),
            Some(&school),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .api(
            "GET",
            &format!("/api/v1/documents?org={office}"),
            Some(&school),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

/// Every cell of the first sheet of a workbook, joined.
fn xlsx_text(bytes: &[u8]) -> String {
    use calamine::Reader;
    let mut wb = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = wb.worksheet_range_at(0).unwrap().unwrap();
    range
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .collect::<Vec<_>>()
        .join("|")
}

#[tokio::test]
async fn pages_issue_recall_and_download() {
    let app = app().await;
    let today = today();
    let stc = org(&app, "STC").await;
    let mut b = app.login("quantri").await;
    let form = format!("/registers/{stc}/outgoing/new");
    let to = format!("/registers/{stc}/outgoing");
    let fields = [
        ("doc_type", "CV"),
        ("date", today.as_str()),
        ("title", "Về việc kiểm tra phòng cháy"),
        ("signer", "Trần Quốc Bảo"),
        ("drafting_unit", "VP"),
        ("recipients", "Công an tỉnh\nLưu: VT"),
        ("copies", "2"),
    ];
    let r = app.submit(&mut b, &form, &to, &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let entry = r.location();
    let page = app.get(&mut b, &entry).await;
    assert!(page.text().contains("/STC-VP"), "công văn ký hiệu");
    let id = entry
        .trim_start_matches("/registers/entries/")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    for (ext, ctype) in [
        ("pdf", "application/pdf"),
        (
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ] {
        let r = app
            .get(&mut b, &format!("/registers/entries/{id}/document.{ext}"))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{ext}");
        assert_eq!(r.headers["content-type"], ctype);
        assert!(!r.body.is_empty());
    }
    let r = app
        .submit(
            &mut b,
            &format!("/registers/entries/{id}"),
            &format!("/registers/entries/{id}/recall"),
            &[("date", today.as_str()), ("note", "Sai nơi nhận")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = app
        .get(&mut b, &format!("/registers/entries/{id}"))
        .await
        .text();
    assert!(
        page.contains("Sai nơi nhận") && !page.contains("/recall\""),
        "frozen: no more actions"
    );
    // A bad form comes back with its message and nothing saved.
    let before = count(&app).await;
    let r = app
        .submit(
            &mut b,
            &form,
            &to,
            &[
                ("doc_type", "KH"),
                ("date", "2026-02-30"),
                ("title", "x"),
                ("signer", "y"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("không tồn tại"));
    assert_eq!(count(&app).await, before);
    let pdf = app
        .get(
            &mut b,
            &format!("/registers/{stc}/outgoing/book.pdf?year=2026"),
        )
        .await;
    assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.text());
    assert!(pdf.body.starts_with(b"%PDF"));
}

#[tokio::test]
async fn incoming_trail_through_pages() {
    let app = app().await;
    let today = today();
    let due = days_ahead(11);
    let office = org(&app, "VPTU").await;
    let mut b = app.login("canbo.antt").await;
    let page = app
        .get(&mut b, &format!("/registers/{office}/incoming"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("CAT"));
    let fields = [
        ("doc_type", "CT"),
        ("sender", "Công an tỉnh Sơn Hà"),
        ("sender_number", "99/CT-CAT"),
        ("date", today.as_str()),
        ("title", "Chỉ thị bảo vệ Tết"),
        ("copies", "1"),
    ];
    let r = app
        .submit(
            &mut b,
            &format!("/registers/{office}/incoming/new"),
            &format!("/registers/{office}/incoming"),
            &fields,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let entry = r.location();
    let id = entry
        .trim_start_matches("/registers/entries/")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let officer = account(&app, "canbo.antt").await;
    let detail = format!("/registers/entries/{id}");
    let r = app
        .submit(
            &mut b,
            &detail,
            &format!("{detail}/assign"),
            &[
                ("assignee", &officer.to_string()),
                ("date", today.as_str()),
                ("due_on", due.as_str()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let r = app
        .submit(
            &mut b,
            &detail,
            &format!("{detail}/step"),
            &[
                ("date", today.as_str()),
                ("note", "Đã dự thảo kế hoạch triển khai"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = app
        .submit(
            &mut b,
            &detail,
            &format!("{detail}/done"),
            &[("date", today.as_str())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let text = app.get(&mut b, &detail).await.text();
    assert!(text.contains("Đã dự thảo kế hoạch triển khai") && text.contains("Đã giải quyết"));
}

async fn term_count(app: &TestApp, org: i64) -> usize {
    store::registers::terms(&app.t.db, org).await.unwrap().len()
}

/// The settings page: printed header and the Party committee terms, with refused input
/// re-shown with its message and nothing saved, and other organisations out of reach.
#[tokio::test]
async fn settings_page_edits_header_and_party_terms() {
    let app = app().await;
    let office = org(&app, "VPTU").await;
    let stc = org(&app, "STC").await;
    let page = format!("/registers/{office}/settings");
    let mut b = app.login("canbo.antt").await;

    let r = app.get(&mut b, &page).await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    assert!(html.contains("lần thứ XXI"), "{html}");
    assert!(html.contains("Thêm nhiệm kỳ"));
    assert!(
        html.contains("Đang diễn ra"),
        "the open term is shown as current"
    );

    // A term overlapping the current one, a date that does not exist, a missing source.
    let before = term_count(&app, office).await;
    for (fields, message) in [
        (
            [
                ("start", "01/01/2027"),
                ("end", ""),
                ("source", "Nghị quyết"),
            ],
            "không được chồng lên nhau",
        ),
        (
            [
                ("start", "31/02/2031"),
                ("end", ""),
                ("source", "Nghị quyết"),
            ],
            "Ngày bắt đầu nhiệm kỳ không hợp lệ",
        ),
        (
            [
                ("start", "01/01/2031"),
                ("end", "01/01/2030"),
                ("source", "Nghị quyết"),
            ],
            "phải sau ngày bắt đầu",
        ),
        (
            [("start", "01/01/2031"), ("end", ""), ("source", "  ")],
            "Cần ghi căn cứ",
        ),
    ] {
        let r = app
            .submit(
                &mut b,
                &page,
                &format!("/registers/{office}/terms"),
                &fields,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
        assert!(r.text().contains(message), "{fields:?}: {}", r.text());
        assert_eq!(term_count(&app, office).await, before, "nothing saved");
    }
    // The typed values are kept for correction.
    let r = app
        .submit(
            &mut b,
            &page,
            &format!("/registers/{office}/terms"),
            &[
                ("start", "31/02/2031"),
                ("end", ""),
                ("source", "NQ Đại hội"),
            ],
        )
        .await;
    assert!(r.text().contains("value=\"NQ Đại hội\""));

    // The header: an empty place is refused; a valid one is saved and audited.
    let r = app
        .submit(
            &mut b,
            &page,
            &page,
            &[
                ("place", " "),
                ("parent_name", ""),
                ("issuer_name", "Văn phòng"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("Cần nhập địa danh"));
    let r = app
        .submit(
            &mut b,
            &page,
            &page,
            &[
                ("place", "Thành phố Sơn Hà"),
                ("parent_name", "Tỉnh ủy Sơn Hà"),
                ("issuer_name", "Văn phòng"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let html = app.get(&mut b, &r.location()).await.text();
    assert!(html.contains("Đã lưu cài đặt."));
    assert!(html.contains("value=\"Thành phố Sơn Hà\""));
    let audited = store::audit::list(
        &app.t.db,
        &Scope::whole_system_for_cli(
            store::units::province(&app.t.db)
                .await
                .unwrap()
                .unwrap()
                .root(),
        ),
        &store::audit::Filter {
            action: Some("register.settings".into()),
            limit: 50,
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .0;
    assert!(
        audited
            .iter()
            .any(|e| e.details.to_string().contains("Thành phố Sơn Hà"))
    );

    // The Office's officer does not reach another organisation's settings; for the
    // administrator, a state body numbers by calendar year and has no term form.
    let r = app.get(&mut b, &format!("/registers/{stc}/settings")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let mut admin = app.login("quantri").await;
    let html = app
        .get(&mut admin, &format!("/registers/{stc}/settings"))
        .await
        .text();
    assert!(html.contains("Nghị định 30/2020"));
    assert!(!html.contains("Thêm nhiệm kỳ"));

    // The school's administrator cannot reach the Office's settings.
    let mut school = app.login("quantri.truong").await;
    let r = app.get(&mut school, &page).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}
