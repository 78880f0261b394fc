//! Plans and their duty rosters through the router, over the whole demo (registers, plans,
//! rosters as `antoan demo` loads them): the plan page's roster block and its button, the new
//! roster form filled in from the plan and sent without JavaScript, refused links with their
//! Vietnamese message, the roster naming its plan, the plan's document with the rosters as
//! annexes, and the API. Runs on SQLite, and on PostgreSQL with `ANTOAN_TEST_DATABASE_URL`.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use sqlx::Row;

async fn app() -> TestApp {
    let app = TestApp::new().await;
    let db = &app.t.db;
    let today = web::view::today();
    store::registers::load_demo(db).await.expect("registers");
    store::plans::demo::load_demo(db, today)
        .await
        .expect("plans");
    store::rosters::load_demo(db, today).await.expect("rosters");
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

async fn text(app: &TestApp, sql: &str) -> String {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_one(app.t.db.pool())
        .await
        .unwrap()
        .try_get(0)
        .unwrap()
}

/// `2027-01-30` → `30/01/2027`.
fn vi_date(iso: &str) -> String {
    let p: Vec<&str> = iso.split('-').collect();
    format!("{}/{}/{}", p[2], p[1], p[0])
}

/// The value of the input named `name` in a page.
fn value_of(html: &str, name: &str) -> String {
    let i = html
        .find(&format!("name=\"{name}\""))
        .unwrap_or_else(|| panic!("no field {name}"));
    let rest = &html[i..];
    let v = rest.find("value=\"").unwrap() + 7;
    rest[v..v + rest[v..].find('"').unwrap()].to_owned()
}

#[tokio::test]
async fn the_plan_page_lists_its_rosters_and_offers_a_new_one() {
    let app = app().await;
    let plan = one(&app, "SELECT id FROM plans WHERE state = 'approved'").await;
    let roster = one(
        &app,
        &format!("SELECT id FROM rosters WHERE plan_id = {plan}"),
    )
    .await;
    let title = text(
        &app,
        &format!("SELECT title FROM rosters WHERE id = {roster}"),
    )
    .await;
    let start = text(
        &app,
        &format!("SELECT start_day FROM rosters WHERE id = {roster}"),
    )
    .await;
    let end = text(
        &app,
        &format!("SELECT end_day FROM rosters WHERE id = {roster}"),
    )
    .await;

    let mut officer = app.login("canbo.antt").await;
    let page = app.get(&mut officer, &format!("/plans/{plan}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    let block = &html[html
        .find("data-testid=\"plan-rosters\"")
        .expect("the block")..];
    let block = &block[..block.find("</section>").unwrap()];
    assert!(block.contains("Lịch trực"));
    assert!(
        block.contains(&format!("<a href=\"/rosters/{roster}\">{title}</a>")),
        "{block}"
    );
    assert!(
        block.contains(&format!("{} – {}", vi_date(&start), vi_date(&end))),
        "{block}"
    );
    assert!(block.contains("Đã ban hành"));
    assert!(block.contains(&format!("href=\"/rosters/new?plan={plan}\"")));
    assert!(block.contains("Lập lịch trực cho kế hoạch này"));

    // The leader reads the rosters but does not make them.
    let mut leader = app.login("lanhdao").await;
    let html = app.get(&mut leader, &format!("/plans/{plan}")).await.text();
    assert!(html.contains(&format!("href=\"/rosters/{roster}\"")));
    assert!(!html.contains("Lập lịch trực cho kế hoạch này"));

    // The roster links back to its plan.
    let page = app.get(&mut officer, &format!("/rosters/{roster}")).await;
    assert!(
        page.text()
            .contains(&format!("Thuộc kế hoạch: <a href=\"/plans/{plan}\">")),
        "{}",
        page.text()
    );
    // A roster without a plan names none.
    let free = one(
        &app,
        "SELECT id FROM rosters WHERE plan_id IS NULL AND state = 'published'",
    )
    .await;
    let page = app.get(&mut officer, &format!("/rosters/{free}")).await;
    assert!(!page.text().contains("Thuộc kế hoạch"));
}

#[tokio::test]
async fn a_roster_made_from_the_plan_page_belongs_to_the_plan() {
    let app = app().await;
    let plan = one(&app, "SELECT id FROM plans WHERE state = 'approved'").await;
    let plan_title = text(&app, &format!("SELECT title FROM plans WHERE id = {plan}")).await;
    let start = text(
        &app,
        &format!("SELECT starts_on FROM plans WHERE id = {plan}"),
    )
    .await;
    let end = text(
        &app,
        &format!("SELECT ends_on FROM plans WHERE id = {plan}"),
    )
    .await;
    let office = one(&app, &format!("SELECT org_id FROM plans WHERE id = {plan}")).await;
    let mut officer = app.login("canbo.antt").await;

    let form = format!("/rosters/new?plan={plan}");
    let page = app.get(&mut officer, &form).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert_eq!(value_of(&html, "plan"), plan.to_string());
    assert_eq!(value_of(&html, "start_day"), start);
    assert_eq!(value_of(&html, "end_day"), end);
    let title = value_of(&html, "title");
    assert!(title.starts_with("Lịch trực bảo đảm"), "{title}");
    assert!(html.contains(&format!("<a href=\"/plans/{plan}\">{plan_title}</a>")));
    assert!(html.contains(&format!("{} – {}", vi_date(&start), vi_date(&end))));
    assert!(html.contains(&format!("<option value=\"{office}\" selected>")));

    // Sent as a browser without JavaScript sends it.
    let org = office.to_string();
    let fields = [
        ("org", org.as_str()),
        ("title", title.as_str()),
        ("start_day", start.as_str()),
        ("end_day", end.as_str()),
        ("plan", &plan.to_string()),
    ];
    let r = app.submit(&mut officer, &form, "/rosters", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let id: i64 = r
        .location()
        .trim_start_matches("/rosters/")
        .parse()
        .unwrap();
    assert_eq!(
        one(
            &app,
            &format!("SELECT plan_id FROM rosters WHERE id = {id}")
        )
        .await,
        plan
    );
    let page = app.get(&mut officer, &format!("/rosters/{id}")).await;
    assert!(
        page.text()
            .contains(&format!("Thuộc kế hoạch: <a href=\"/plans/{plan}\">"))
    );
    let html = app
        .get(&mut officer, &format!("/plans/{plan}"))
        .await
        .text();
    assert!(html.contains(&format!("<a href=\"/rosters/{id}\">{title}</a>")));
    assert!(html.contains("Dự thảo"));
}

#[tokio::test]
async fn a_bad_plan_is_refused_in_vietnamese_and_nothing_is_saved() {
    let app = app().await;
    let plan = one(&app, "SELECT id FROM plans WHERE state = 'approved'").await;
    let start = text(
        &app,
        &format!("SELECT starts_on FROM plans WHERE id = {plan}"),
    )
    .await;
    let office = one(&app, &format!("SELECT org_id FROM plans WHERE id = {plan}"))
        .await
        .to_string();
    let rosters = "SELECT COUNT(*) FROM rosters";
    let before = one(&app, rosters).await;
    let mut officer = app.login("canbo.antt").await;
    let form = format!("/rosters/new?plan={plan}");
    let send = |start: &str, end: &str, plan: &str| {
        vec![
            ("org".to_owned(), office.clone()),
            ("title".to_owned(), "Lịch trực thử".to_owned()),
            ("start_day".to_owned(), start.to_owned()),
            ("end_day".to_owned(), end.to_owned()),
            ("plan".to_owned(), plan.to_owned()),
        ]
    };
    let post = async |b: &mut common::Browser, fields: Vec<(String, String)>| {
        let f: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        app.submit(b, "/rosters/new", "/rosters", &f).await
    };

    // A day before the plan's period.
    let day_before = chrono::NaiveDate::parse_from_str(&start, "%Y-%m-%d")
        .unwrap()
        .pred_opt()
        .unwrap()
        .to_string();
    let r = post(&mut officer, send(&day_before, &start, &plan.to_string())).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .contains("Thời gian lịch trực phải nằm trong thời gian của kế hoạch.")
    );
    assert!(
        r.text().contains(&format!("<a href=\"/plans/{plan}\">")),
        "the form still names the plan"
    );
    // Not a plan id at all.
    let r = post(&mut officer, send(&start, &start, "abc")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("Kế hoạch đã chọn không hợp lệ."));
    // A plan that does not exist, or lies outside the school administrator's reach.
    let r = post(&mut officer, send(&start, &start, "999999")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.text().contains("Không tìm thấy"));
    assert_eq!(
        app.get(&mut officer, "/rosters/new?plan=999999")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let mut school = app.login("quantri.truong").await;
    assert_eq!(
        app.get(&mut school, &form).await.status,
        StatusCode::NOT_FOUND
    );
    let school_org = one(
        &app,
        "SELECT u.id FROM role_grants g JOIN accounts a ON a.id = g.account_id \
         JOIN units u ON u.id = g.unit_id WHERE a.username = 'quantri.truong' LIMIT 1",
    )
    .await
    .to_string();
    let mut fields = send(&start, &start, &plan.to_string());
    fields[0].1 = school_org;
    let r = post(&mut school, fields).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        one(&app, rosters).await,
        before,
        "a refused roster was saved"
    );
}

#[tokio::test]
async fn the_plan_document_carries_its_issued_rosters_as_annexes() {
    let app = app().await;
    let closed = one(&app, "SELECT id FROM plans WHERE state = 'closed'").await;
    let roster = one(
        &app,
        &format!("SELECT id FROM rosters WHERE plan_id = {closed}"),
    )
    .await;
    let title = text(
        &app,
        &format!("SELECT title FROM rosters WHERE id = {roster}"),
    )
    .await;
    let mut officer = app.login("canbo.antt").await;
    let print = app
        .get(&mut officer, &format!("/plans/{closed}/print"))
        .await;
    assert_eq!(print.status, StatusCode::OK);
    let html = print.text();
    assert!(html.contains("PHỤ LỤC I: DANH SÁCH LIÊN LẠC"), "{html}");
    assert!(html.contains(&format!("PHỤ LỤC II: {}", title.to_uppercase())));
    assert!(html.contains("Thời gian: từ ngày"));
    // A draft roster of the plan stays out of the document.
    let plan = one(&app, "SELECT id FROM plans WHERE state = 'approved'").await;
    let html = app
        .get(&mut officer, &format!("/plans/{plan}/print"))
        .await
        .text();
    assert!(html.contains("PHỤ LỤC II: LỊCH TRỰC"));
    sqlx::query("UPDATE rosters SET state = 'draft' WHERE plan_id = $1")
        .bind(plan)
        .execute(app.t.db.pool())
        .await
        .unwrap();
    let html = app
        .get(&mut officer, &format!("/plans/{plan}/print"))
        .await
        .text();
    assert!(!html.contains("PHỤ LỤC II"));
    assert!(!html.contains("LỊCH TRỰC BẢO ĐẢM"));

    for (file, magic) in [
        ("document.docx", &b"PK"[..]),
        ("document.pdf", &b"%PDF"[..]),
    ] {
        let r = app
            .get(&mut officer, &format!("/plans/{closed}/{file}"))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{file}");
        assert!(r.body.starts_with(magic), "{file}");
    }
}

#[tokio::test]
async fn the_api_gives_a_plans_rosters_and_a_rosters_plan() {
    let app = app().await;
    let plan = one(&app, "SELECT id FROM plans WHERE state = 'approved'").await;
    let roster = one(
        &app,
        &format!("SELECT id FROM rosters WHERE plan_id = {plan}"),
    )
    .await;
    let token = app.api_token("canbo.antt").await;
    let r = app
        .api("GET", &format!("/api/v1/plans/{plan}"), Some(&token), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let list = r.json()["rosters"].as_array().unwrap().clone();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["id"], roster);
    assert_eq!(list[0]["state"], "published");
    let start = text(
        &app,
        &format!("SELECT start_day FROM rosters WHERE id = {roster}"),
    )
    .await;
    assert_eq!(list[0]["start_day"], start.as_str());
    assert!(list[0]["title"].as_str().unwrap().starts_with("Lịch trực"));
    let r = app
        .api(
            "GET",
            &format!("/api/v1/rosters/{roster}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(r.json()["plan_id"], plan);
    // The coming Tết roster has no plan.
    let free = one(
        &app,
        "SELECT id FROM rosters WHERE plan_id IS NULL AND state = 'published'",
    )
    .await;
    let r = app
        .api(
            "GET",
            &format!("/api/v1/rosters/{free}"),
            Some(&token),
            None,
        )
        .await;
    assert!(r.json()["plan_id"].is_null());

    let doc = app.api("GET", "/api/openapi.json", None, None).await.json();
    let schemas = &doc["components"]["schemas"];
    let fields = &schemas["PlanRosterDto"]["properties"];
    for f in ["id", "title", "start_day", "end_day", "state"] {
        assert!(fields.get(f).is_some(), "PlanRosterDto.{f}");
    }
    assert!(schemas["PlanDetailDto"].to_string().contains("rosters"));
    assert!(
        schemas["RosterDetailDto"]["properties"]
            .get("plan_id")
            .is_some()
    );
}
