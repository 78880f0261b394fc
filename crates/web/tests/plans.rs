//! Protection plans through the router: the peak overview, creating a plan from last year's,
//! the editor without JavaScript (add-row buttons, refused input shown again), the lifecycle
//! with its permissions, the print view and documents, partner accounts, scope and the API.
//! Runs on SQLite, and on PostgreSQL with `ANTOAN_TEST_DATABASE_URL`.

mod common;

use axum::http::StatusCode;
use common::{Browser, TestApp, csrf_of, form};
use sqlx::Row;

async fn app() -> TestApp {
    let app = TestApp::new().await;
    store::registers::load_demo(&app.t.db)
        .await
        .expect("demo registers load");
    store::plans::demo::load_demo(&app.t.db, web::view::today())
        .await
        .expect("demo plans load");
    app
}

async fn one(app: &TestApp, sql: &str) -> i64 {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_one(app.t.db.pool())
        .await
        .unwrap()
        .try_get(0)
        .unwrap()
}

/// The fields of a page's editor form as a browser would send them (inputs, selected options,
/// textareas; checkboxes left unticked), without the buttons.
fn editor_fields(html: &str) -> Vec<(String, String)> {
    let start = html
        .find("class=\"stack plan-editor\"")
        .expect("editor form");
    let end = start + html[start..].find("</form>").unwrap();
    let f = &html[start..end];
    let attr = |tag: &str, name: &str| -> Option<String> {
        let key = format!("{name}=\"");
        let i = tag.find(&key)? + key.len();
        Some(tag[i..i + tag[i..].find('"')?].to_owned())
    };
    let unescape = |s: &str| {
        s.replace("&quot;", "\"")
            .replace("&#x27;", "'")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
    };
    let mut out = Vec::new();
    let mut rest = f;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let close = rest.find('>').unwrap_or(rest.len() - 1);
        let tag = &rest[..=close];
        if tag.starts_with("<input") {
            let ty = attr(tag, "type").unwrap_or_default();
            // The token is added by the caller, as the page's hidden field.
            if ty != "checkbox"
                && let Some(n) = attr(tag, "name").filter(|n| n != "csrf")
            {
                out.push((n, unescape(&attr(tag, "value").unwrap_or_default())));
            }
        } else if tag.starts_with("<textarea") {
            let n = attr(tag, "name").unwrap();
            let body_end = rest.find("</textarea>").unwrap();
            out.push((n, unescape(&rest[close + 1..body_end])));
        } else if tag.starts_with("<select") {
            let n = attr(tag, "name").unwrap();
            let body_end = rest.find("</select>").unwrap();
            let body = &rest[close + 1..body_end];
            let mut value = String::new();
            let mut first = None;
            for opt in body.split("<option").skip(1) {
                let v = attr(opt, "value").unwrap_or_default();
                first.get_or_insert(v.clone());
                if opt[..opt.find('>').unwrap()].contains("selected") {
                    value = v;
                }
            }
            if value.is_empty() && !body.contains("selected") {
                value = first.unwrap_or_default();
            }
            out.push((n, value));
        }
        rest = &rest[close + 1..];
    }
    out
}

fn with(fields: &[(String, String)], extra: &[(&str, &str)]) -> String {
    let mut all: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    all.extend_from_slice(extra);
    form(&all)
}

fn set(fields: &mut [(String, String)], name: &str, value: &str) {
    let f = fields.iter_mut().find(|(k, _)| k == name).unwrap();
    f.1 = value.to_owned();
}

async fn act(app: &TestApp, b: &mut Browser, id: i64, action: &str, note: &str) -> common::Resp {
    let page = app.get(b, &format!("/plans/{id}")).await;
    let token = csrf_of(&page.text());
    app.post(
        b,
        &format!("/plans/{id}/act/{action}"),
        form(&[("csrf", &token), ("note", note)]),
    )
    .await
}

#[tokio::test]
async fn officer_copies_last_years_plan_edits_it_and_a_leader_approves() {
    let app = app().await;
    let last = one(
        &app,
        "SELECT id FROM plans WHERE peak_id = 'tet' AND state = 'closed'",
    )
    .await;
    let year = one(&app, &format!("SELECT year FROM plans WHERE id = {last}")).await + 1;
    let office = one(&app, "SELECT org_id FROM plans LIMIT 1").await;
    let mut officer = app.login("canbo.antt").await;

    let peaks = app.get(&mut officer, "/plans/peaks").await;
    assert_eq!(peaks.status, StatusCode::OK);
    assert!(peaks.text().contains("Sao từ kế hoạch năm trước"));
    let entries = "SELECT COUNT(*) FROM register_entries";
    let numbered = one(&app, entries).await;

    let r = app
        .submit(
            &mut officer,
            "/plans/peaks",
            "/plans",
            &[
                ("org", &office.to_string()),
                ("peak", "tet"),
                ("event", ""),
                ("year", &year.to_string()),
                ("origin", "copy"),
                ("source", &last.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let id: i64 = r
        .location()
        .trim_start_matches("/plans/")
        .trim_end_matches("/edit?notice=plan.created")
        .parse()
        .unwrap();
    // A second plan for the same peak and year is refused.
    let again = app
        .submit(
            &mut officer,
            "/plans/peaks",
            "/plans",
            &[
                ("org", &office.to_string()),
                ("peak", "tet"),
                ("year", &year.to_string()),
                ("origin", "template"),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.text().contains("đã có kế hoạch"));

    // The editor: an added row comes back blank with the values kept; nothing is saved.
    let edit = app.get(&mut officer, &format!("/plans/{id}/edit")).await;
    assert_eq!(edit.status, StatusCode::OK);
    let html = edit.text();
    let token = csrf_of(&html);
    let mut fields = editor_fields(&html);
    let steps = fields.iter().filter(|(k, _)| k == "s_action").count();
    set(&mut fields, "title", "Phương án bảo vệ Tết (đã sửa)");
    let r = app
        .post(
            &mut officer,
            &format!("/plans/{id}/edit"),
            with(&fields, &[("csrf", &token), ("op", "add_step")]),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let html = r.text();
    assert!(html.contains("Phương án bảo vệ Tết (đã sửa)"));
    let mut fields = editor_fields(&html);
    assert_eq!(
        fields.iter().filter(|(k, _)| k == "s_action").count(),
        steps + 1
    );
    let stored = one(
        &app,
        &format!("SELECT COUNT(*) FROM plan_steps WHERE plan_id = {id}"),
    )
    .await;
    assert_eq!(stored as usize, steps);

    // End before start: shown again with the message, 422, nothing saved.
    let starts = fields
        .iter()
        .find(|(k, _)| k == "starts_on")
        .unwrap()
        .1
        .clone();
    set(&mut fields, "ends_on", "2001-01-01");
    let r = app
        .post(
            &mut officer,
            &format!("/plans/{id}/edit"),
            with(&fields, &[("csrf", &token), ("op", "save")]),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .contains("Ngày kết thúc không được trước ngày bắt đầu")
    );
    assert!(r.text().contains("2001-01-01"));
    let title: String = sqlx::query("SELECT title FROM plans WHERE id = $1")
        .bind(id)
        .fetch_one(app.t.db.pool())
        .await
        .unwrap()
        .try_get("title")
        .unwrap();
    assert!(!title.contains("đã sửa"));

    // An unknown partner is refused the same way.
    let mut bad = fields.clone();
    set(&mut bad, "ends_on", &starts);
    set(&mut bad, "t_partner", "999999");
    let r = app
        .post(
            &mut officer,
            &format!("/plans/{id}/edit"),
            with(&bad, &[("csrf", &token), ("op", "save")]),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .contains("Đơn vị phối hợp không có trong danh sách")
    );

    // The blank added step is dropped on save; the rest is stored.
    set(&mut fields, "ends_on", &starts);
    let r = app
        .post(
            &mut officer,
            &format!("/plans/{id}/edit"),
            with(&fields, &[("csrf", &token), ("op", "save")]),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let stored = one(
        &app,
        &format!("SELECT COUNT(*) FROM plan_steps WHERE plan_id = {id}"),
    )
    .await;
    assert_eq!(stored as usize, steps);

    // Staff and the officer cannot approve; the officer submits, the leader approves.
    let mut staff = app.login("nhanvien").await;
    assert_eq!(
        app.get(&mut staff, &format!("/plans/{id}")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        act(&app, &mut officer, id, "approve", "").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        act(&app, &mut officer, id, "submit", "").await.status,
        StatusCode::SEE_OTHER
    );
    let mut leader = app.login("lanhdao").await;
    let home = app.get(&mut leader, "/").await;
    assert!(
        home.text()
            .contains("1 kế hoạch bảo vệ đang chờ lãnh đạo phê duyệt")
    );
    let page = app.get(&mut leader, &format!("/plans/{id}")).await;
    assert!(page.text().contains("Phê duyệt và ban hành"));
    assert_eq!(
        act(&app, &mut leader, id, "approve", "").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(one(&app, entries).await, numbered + 1);
    let page = app.get(&mut leader, &format!("/plans/{id}")).await;
    assert!(page.text().contains("Đã phê duyệt"));
    let kh: String = sqlx::query(
        "SELECT e.ky_hieu FROM plans p JOIN register_entries e ON e.id = p.register_entry_id WHERE p.id = $1",
    )
    .bind(id)
    .fetch_one(app.t.db.pool())
    .await
    .unwrap()
    .try_get("ky_hieu")
    .unwrap();
    assert!(kh.contains("PA") && kh.contains("VPTU"), "{kh}");
    assert!(page.text().contains(&kh), "{kh}");
    // A second approval is refused with a clear message and draws no number.
    let r = act(&app, &mut leader, id, "approve", "").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("Chỉ phê duyệt được kế hoạch đã trình"));
    assert_eq!(one(&app, entries).await, numbered + 1);
    // Closing needs the report.
    act(&app, &mut officer, id, "start", "").await;
    let r = act(&app, &mut officer, id, "close", " ").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Print view and documents.
    let print = app.get(&mut officer, &format!("/plans/{id}/print")).await;
    assert_eq!(print.status, StatusCode::OK);
    assert!(print.text().contains("PHƯƠNG ÁN XỬ LÝ TÌNH HUỐNG"));
    let pdf = app
        .get(&mut officer, &format!("/plans/{id}/document.pdf"))
        .await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert!(pdf.body.starts_with(b"%PDF"));
    let docx = app
        .get(&mut officer, &format!("/plans/{id}/document.docx"))
        .await;
    assert_eq!(docx.status, StatusCode::OK);
    assert!(docx.body.starts_with(b"PK"));
}

#[tokio::test]
async fn other_organisations_get_not_found_and_partners_see_their_plans_only() {
    let app = app().await;
    let closed = one(&app, "SELECT id FROM plans WHERE state = 'closed'").await;
    let mut school = app.login("quantri.truong").await;
    for path in [
        format!("/plans/{closed}"),
        format!("/plans/{closed}/print"),
        format!("/plans/{closed}/document.pdf"),
    ] {
        assert_eq!(
            app.get(&mut school, &path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let list = app.get(&mut school, "/plans").await;
    assert!(!list.text().contains(&format!("/plans/{closed}\"")));

    let mut partner = app.login(store::plans::demo::PARTNER_USERNAME).await;
    let mine = app.get(&mut partner, "/partner/plans").await;
    assert_eq!(mine.status, StatusCode::OK);
    assert!(mine.text().contains(&format!("/partner/plans/{closed}\"")));
    let one_plan = app
        .get(&mut partner, &format!("/partner/plans/{closed}"))
        .await;
    assert_eq!(one_plan.status, StatusCode::OK);
    // Its own task is there; the playbooks and contacts are not.
    assert!(one_plan.text().contains("Trao đổi tình hình an ninh"));
    assert!(!one_plan.text().contains("Tụ tập đông người"));
    // The organisation's pages stay closed to it.
    assert_eq!(
        app.get(&mut partner, "/plans").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get(&mut partner, &format!("/plans/{closed}"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // A draft naming it is not shown.
    let office = one(&app, "SELECT org_id FROM plans LIMIT 1").await;
    let mut officer = app.login("canbo.antt").await;
    let r = app
        .submit(
            &mut officer,
            "/plans/peaks",
            "/plans",
            &[
                ("org", &office.to_string()),
                ("peak", "quoc_khanh"),
                ("year", "2030"),
                ("origin", "template"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let draft = one(&app, "SELECT MAX(id) FROM plans").await;
    assert_eq!(
        app.get(&mut partner, &format!("/partner/plans/{draft}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Someone of an organisation has no partner page.
    assert_eq!(
        app.get(&mut officer, "/partner/plans").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn api_lists_and_reads_plans_in_scope() {
    let app = app().await;
    let token = app.api_token("canbo.antt").await;
    let r = app.api("GET", "/api/v1/plans", Some(&token), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let items = r.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 2);
    let approved = items
        .iter()
        .find(|p| p["state"] == "approved")
        .expect("an approved plan");
    assert!(approved["ky_hieu"].as_str().unwrap().contains("VPTU"));
    let id = approved["id"].as_i64().unwrap();
    let r = app
        .api("GET", &format!("/api/v1/plans/{id}"), Some(&token), None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let p = r.json();
    assert_eq!(p["id"], id);
    assert!(!p["tasks"].as_array().unwrap().is_empty());
    assert_eq!(p["steps"][0]["order"], 1);
    let r = app
        .api("GET", "/api/v1/plans?state=closed", Some(&token), None)
        .await;
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 1);
    let r = app
        .api("GET", "/api/v1/plans?state=nonsense", Some(&token), None)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    let school = app.api_token("quantri.truong").await;
    let r = app
        .api("GET", &format!("/api/v1/plans/{id}"), Some(&school), None)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app.api("GET", "/api/v1/plans", Some(&school), None).await;
    assert!(r.json()["items"].as_array().unwrap().is_empty());
    let staff = app.api_token("nhanvien").await;
    let r = app.api("GET", "/api/v1/plans", Some(&staff), None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let doc = app.api("GET", "/api/openapi.json", None, None).await.text();
    assert!(doc.contains("\"listPlans\"") && doc.contains("\"getPlan\""));
}

#[tokio::test]
async fn home_and_menu_show_plans() {
    let app = app().await;
    let mut officer = app.login("canbo.antt").await;
    let home = app.get(&mut officer, "/").await;
    assert!(home.text().contains("href=\"/plans\""));
    // The demo's inspection visit in ten days has no plan yet.
    assert!(home.text().contains("chưa có kế hoạch bảo vệ"));
    let list = app.get(&mut officer, "/plans?state=closed").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.text().contains("Đã kết thúc"));
    assert!(!list.text().contains("Đã phê duyệt</span>"));
    let peaks = app.get(&mut officer, "/plans/peaks").await;
    assert!(peaks.text().contains("âm lịch"));
    let mut partner = app.login(store::plans::demo::PARTNER_USERNAME).await;
    let home = app.get(&mut partner, "/").await;
    assert!(home.text().contains("href=\"/partner/plans\""));
    assert!(!home.text().contains("href=\"/plans\""));
}

#[tokio::test]
async fn an_officer_links_a_partner_account_which_then_sees_the_plans() {
    let app = app().await;
    let guard = one(
        &app,
        "SELECT id FROM partners WHERE kind = 'guard_squad' LIMIT 1",
    )
    .await;
    let police = one(
        &app,
        "SELECT pa.id FROM partners pa JOIN units u ON u.id = pa.owner_unit_id \
         WHERE u.parent_id IS NULL AND pa.kind = 'police'",
    )
    .await;
    let system = store::audit::Actor::system("test");
    let mut tx = app.t.db.begin_write().await.unwrap();
    store::accounts::insert(
        &mut tx,
        &system,
        &store::accounts::NewAccount {
            username: "tieudoi.csbv".into(),
            display_name: "Tiểu đội trưởng".into(),
            person_id: None,
            password: store::demo::DEMO_PASSWORD.into(),
        },
        None,
    )
    .await
    .unwrap();
    store::commit(tx).await.unwrap();

    let mut officer = app.login("canbo.antt").await;
    let from = format!("/partners/{guard}");
    // An account of the organisation cannot speak for a partner.
    let r = app
        .submit(
            &mut officer,
            &from,
            &format!("/partners/{guard}/account"),
            &[("username", "nhanvien")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("không được giữ vai trò"));
    // The province's partners are not the officer's to change.
    let r = app
        .submit(
            &mut officer,
            &from,
            &format!("/partners/{police}/account"),
            &[("username", "tieudoi.csbv")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .submit(
            &mut officer,
            &from,
            &format!("/partners/{guard}/account"),
            &[("username", "tieudoi.csbv")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert!(
        app.get(&mut officer, &from)
            .await
            .text()
            .contains("tieudoi.csbv")
    );

    let mut squad = app.login("tieudoi.csbv").await;
    let list = app.get(&mut squad, "/partner/plans").await;
    assert_eq!(list.status, StatusCode::OK);
    let shown = list.text().matches("href=\"/partner/plans/").count();
    assert_eq!(
        shown, 2,
        "the closed Tết plan and the approved one name the squad"
    );
}
