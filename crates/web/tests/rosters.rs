//! Duty rosters over HTTP: an officer builds, solves, edits (the row form and the one-cell
//! check), publishes; a setup nobody can staff is refused with its reasons and nothing saved;
//! a swap that breaks rest is refused on approval; another organisation gets 404; staff see
//! their own duties and a revocable calendar feed; the API lists and gets rosters.

mod common;

use axum::http::StatusCode;
use chrono::{Days, NaiveDate};
use common::{Browser, TestApp, csrf_of, form};
use sqlx::Row;
use store::rosters::{self, Detail};
use store::scope::RosterView;
use store::{Db, Scope, units};

async fn id_of(db: &Db, sql: &str, arg: &str) -> i64 {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .bind(arg.to_owned())
        .fetch_one(db.pool())
        .await
        .unwrap()
        .try_get("id")
        .unwrap()
}

async fn office(db: &Db) -> i64 {
    id_of(
        db,
        "SELECT id FROM units WHERE abbreviation = $1 AND kind = 'organisation'",
        "VPTU",
    )
    .await
}

async fn detail(db: &Db, id: i64) -> Detail {
    let s: Scope<RosterView> =
        Scope::whole_system_for_cli(units::province(db).await.unwrap().unwrap().root());
    rosters::get(db, &s, id).await.unwrap()
}

async fn cells(db: &Db, id: i64) -> i64 {
    sqlx::query("SELECT COUNT(*) AS n FROM roster_cells WHERE roster_id = $1")
        .bind(id)
        .fetch_one(db.pool())
        .await
        .unwrap()
        .try_get("n")
        .unwrap()
}

/// Posts a form with the CSRF token of the page at `from` (a page of the roster).
async fn post(
    app: &TestApp,
    b: &mut Browser,
    from: &str,
    to: &str,
    fields: &[(&str, &str)],
) -> common::Resp {
    app.submit(b, from, to, fields).await
}

async fn new_roster(app: &TestApp, b: &mut Browser, title: &str, start: &str, end: &str) -> i64 {
    let org = office(&app.t.db).await.to_string();
    let r = post(
        app,
        b,
        "/rosters/new",
        "/rosters",
        &[
            ("org", &org),
            ("title", title),
            ("start_day", start),
            ("end_day", end),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    r.location()
        .trim_start_matches("/rosters/")
        .parse()
        .unwrap()
}

/// A person with a night on some day and nothing the day after, and that next day.
fn night_then_free(d: &Detail) -> (i64, NaiveDate, NaiveDate) {
    let night = d.shifts.iter().find(|s| s.name == "Ca đêm").unwrap().id;
    d.cells
        .iter()
        .filter(|c| c.shift_id == night)
        .find_map(|c| {
            let next = c.day.checked_add_days(Days::new(1))?;
            (next <= d.roster.end_day
                && d.cell(c.person_id, next).is_none()
                && !d.absent(c.person_id, next))
            .then_some((c.person_id, c.day, next))
        })
        .expect("a night followed by a free day")
}

#[tokio::test]
async fn an_officer_builds_solves_edits_checks_and_publishes() {
    let app = TestApp::new().await;
    let mut b = app.login("canbo.antt").await;
    let id = new_roster(
        &app,
        &mut b,
        "Lịch trực dịp 30/4 – 1/5",
        "2027-04-24",
        "2027-05-07",
    )
    .await;
    let page = format!("/rosters/{id}");
    let unit = office(&app.t.db).await.to_string();
    let r = post(
        &app,
        &mut b,
        &page,
        &format!("{page}/members"),
        &[("unit", &unit), ("only", "")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let r = post(&app, &mut b, &page, &format!("{page}/solve"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let shown = app.get(&mut b, &r.location()).await.text();
    assert!(shown.contains("Đã xếp lịch đề xuất"), "{shown}");
    assert!(
        shown.contains("Không vi phạm quy tắc nào"),
        "solved roster breaks a rule"
    );

    let d = detail(&app.t.db, id).await;
    let (p, night_day, next) = night_then_free(&d);
    let day_shift = d
        .shifts
        .iter()
        .find(|s| s.name == "Ca ngày")
        .unwrap()
        .id
        .to_string();
    // With JavaScript: the one-cell check names the broken rest rule and saves nothing.
    let before = cells(&app.t.db, id).await;
    let r = post(
        &app,
        &mut b,
        &page,
        &format!("{page}/check"),
        &[
            ("person", &p.to_string()),
            ("day", &next.to_string()),
            ("shift", &day_shift),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let j = r.json();
    assert_eq!(j["ok"], false, "{j}");
    assert!(j["hard_after"].as_u64().unwrap() > j["hard_before"].as_u64().unwrap());
    let msgs = j["messages"].to_string();
    assert!(msgs.contains("không đủ thời gian nghỉ"), "{msgs}");
    assert!(
        msgs.contains(&night_day.format("%d/%m/%Y").to_string()),
        "{msgs}"
    );
    assert_eq!(cells(&app.t.db, id).await, before);

    // Without JavaScript: the row form saves and the page lists what the row now breaks.
    let field = format!("c{next}");
    let r = post(
        &app,
        &mut b,
        &page,
        &format!("{page}/row/{p}"),
        &[(&field, &day_shift)],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let text = r.text();
    let row = &text[text.find(&format!("id=\"m{p}\"")).unwrap()..];
    assert!(
        row[..row.find("</tr>").unwrap()].contains("không đủ thời gian nghỉ"),
        "{row}"
    );
    assert_eq!(cells(&app.t.db, id).await, before + 1);
    // Publishing is refused while a rule is broken.
    let r = post(&app, &mut b, &page, &format!("{page}/publish"), &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("Chưa thể ban hành"));
    // Undo the edit, then publish.
    let r = post(
        &app,
        &mut b,
        &page,
        &format!("{page}/row/{p}"),
        &[(&field, "")],
    )
    .await;
    assert!(
        r.text().contains("Hàng này không vi phạm quy tắc nào"),
        "{}",
        r.text()
    );
    let r = post(&app, &mut b, &page, &format!("{page}/publish"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(
        detail(&app.t.db, id).await.roster.state,
        rosters::RosterState::Published
    );
    // Printed annex and workbook.
    let r = app.get(&mut b, &format!("{page}/print")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("ĐẢNG CỘNG SẢN VIỆT NAM") && r.text().contains("LỊCH TRỰC DỊP 30/4"));
    let r = app.get(&mut b, &format!("{page}/export.xlsx")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.starts_with(b"PK"));
    // The notice issuing the roster, with the roster as its annex, as PDF and Word.
    let r = app.get(&mut b, &format!("{page}/notice.pdf")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.body.starts_with(b"%PDF"));
    let r = app.get(&mut b, &format!("{page}/notice.docx")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.starts_with(b"PK"));
    assert_eq!(
        app.get(&mut b, &format!("{page}/notice.txt")).await.status,
        StatusCode::NOT_FOUND
    );
    let actions: Vec<String> = sqlx::query(
        "SELECT action FROM audit_log WHERE object_kind = 'roster' AND object_id = $1 ORDER BY seq",
    )
    .bind(id.to_string())
    .fetch_all(app.t.db.pool())
    .await
    .unwrap()
    .iter()
    .map(|r| r.try_get("action").unwrap())
    .collect();
    for a in [
        "roster.create",
        "roster.members_add",
        "roster.solve",
        "roster.cell",
        "roster.publish",
    ] {
        assert!(
            actions.iter().any(|x| x == a),
            "{a} not audited: {actions:?}"
        );
    }
    assert_eq!(
        store::audit::verify(&app.t.db).await.unwrap().first_break,
        None
    );
}

#[tokio::test]
async fn a_setup_nobody_can_staff_is_explained_and_nothing_is_saved() {
    let app = TestApp::new().await;
    let mut b = app.login("canbo.antt").await;
    // A bad period is shown again with its message.
    let org = office(&app.t.db).await.to_string();
    let r = post(
        &app,
        &mut b,
        "/rosters/new",
        "/rosters",
        &[
            ("org", &org),
            ("title", "Sai"),
            ("start_day", "2027-05-07"),
            ("end_day", "2027-05-01"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text().contains("Ngày kết thúc phải sau ngày bắt đầu")
            && r.text().contains("value=\"Sai\"")
    );

    let id = new_roster(&app, &mut b, "Lịch trực 2/9", "2027-08-30", "2027-09-05").await;
    let page = format!("/rosters/{id}");
    let guards = id_of(
        &app.t.db,
        "SELECT id FROM units WHERE name = $1",
        "Tổ Bảo vệ",
    )
    .await
    .to_string();
    let r = post(
        &app,
        &mut b,
        &page,
        &format!("{page}/members"),
        &[("unit", &guards)],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    // Nobody there leads or drives: the leader on call and the day shift's driver cannot be met.
    let d = detail(&app.t.db, id).await;
    for m in &d.members {
        let r = post(
            &app,
            &mut b,
            &page,
            &format!("{page}/skills"),
            &[("person", &m.person_id.to_string()), ("self_defence", "1")],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
    let r = post(&app, &mut b, &page, &format!("{page}/solve"), &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let text = r.text();
    assert!(
        text.contains("Không ai trong lịch được trực ca “Lãnh đạo trực”"),
        "{text}"
    );
    assert!(
        text.contains(
            "Ca “Ca ngày” cần 1 người là lái xe nhưng chỉ 0 người có thể trực, vào 7 ngày"
        ),
        "{text}"
    );
    assert_eq!(cells(&app.t.db, id).await, 0);
    // Rules out of range are refused with a clear message.
    let r = post(
        &app,
        &mut b,
        &page,
        &format!("{page}/rules"),
        &[
            ("rest_hours", "99"),
            ("min_days_off", "1"),
            ("spread_weight", "5"),
            ("holiday_weight", "50"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("Quy tắc có giá trị không hợp lệ"));
    let r = post(
        &app,
        &mut b,
        &page,
        &format!("{page}/rules"),
        &[("rest_hours", "abc")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(detail(&app.t.db, id).await.roster.rules.rest_minutes, 720);
    // A wish for a whole day off is one "would rather not" per shift type; wishing to work
    // without naming a shift is refused.
    let person = d.members[0].person_id.to_string();
    let r = post(
        &app,
        &mut b,
        &page,
        &format!("{page}/wishes"),
        &[
            ("person", &person),
            ("wants", "0"),
            ("shift", ""),
            ("day", "2027-09-02"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let after = detail(&app.t.db, id).await;
    assert_eq!(after.wishes.len(), after.shifts.len());
    assert!(after.wishes.iter().all(|w| !w.wants));
    let r = post(
        &app,
        &mut b,
        &page,
        &format!("{page}/wishes"),
        &[
            ("person", &person),
            ("wants", "1"),
            ("shift", ""),
            ("day", "2027-09-02"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("Muốn trực thì hãy chọn một ca cụ thể"));
    assert_eq!(detail(&app.t.db, id).await.wishes.len(), after.shifts.len());
}

#[tokio::test]
async fn swaps_scope_own_duties_feed_and_api() {
    let app = TestApp::new().await;
    rosters::load_demo(&app.t.db, web::view::today())
        .await
        .unwrap();
    let db = &app.t.db;
    let all: Scope<RosterView> =
        Scope::whole_system_for_cli(units::province(db).await.unwrap().unwrap().root());
    let (items, _) = rosters::list(db, &all, None, None, 10).await.unwrap();
    let id = items[0].roster.id;
    let page = format!("/rosters/{id}");

    // A swap that would put someone on the day shift right after their night is refused.
    let d = detail(db, id).await;
    let (a, _, next) = night_then_free(&d);
    let day_shift = d.shifts.iter().find(|s| s.name == "Ca ngày").unwrap().id;
    let giver = d
        .cells
        .iter()
        .find(|c| c.day == next && c.shift_id == day_shift)
        .unwrap()
        .person_id;
    let swap = rosters::swaps::request(
        db,
        &store::audit::Actor::system("test"),
        giver,
        &rosters::swaps::SwapRequest {
            roster_id: id,
            day: next,
            other_id: a,
            other_day: None,
            note: "".into(),
        },
    )
    .await
    .unwrap();
    let mut officer = app.login("canbo.antt").await;
    let r = post(
        &app,
        &mut officer,
        &page,
        &format!("{page}/swaps/{swap}"),
        &[("decision", "approve")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(
        r.text().contains("Không thể duyệt đổi ca này")
            && r.text().contains("không đủ thời gian nghỉ")
    );
    assert_eq!(detail(db, id).await.cell(giver, next), Some(day_shift));

    // Another organisation: not found, page, workbook and API alike.
    let mut school = app.login("quantri.truong").await;
    for p in [
        page.clone(),
        format!("{page}/print"),
        format!("{page}/export.xlsx"),
    ] {
        assert_eq!(
            app.get(&mut school, &p).await.status,
            StatusCode::NOT_FOUND,
            "{p}"
        );
    }
    let r = post(
        &app,
        &mut school,
        "/rosters",
        &format!("{page}/publish"),
        &[],
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let token = app.api_token("quantri.truong").await;
    assert_eq!(
        app.api("GET", &format!("/api/v1/rosters/{id}"), Some(&token), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let listed = app
        .api("GET", "/api/v1/rosters", Some(&token), None)
        .await
        .json();
    assert_eq!(listed["items"].as_array().unwrap().len(), 0);
    let token = app.api_token("canbo.antt").await;
    let got = app
        .api("GET", &format!("/api/v1/rosters/{id}"), Some(&token), None)
        .await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.text());
    let got = got.json();
    assert_eq!(got["state"], "published");
    assert_eq!(got["feasible"], true);
    assert_eq!(got["duties"].as_array().unwrap().len(), d.cells.len());
    let doc = app.api("GET", "/api/openapi.json", None, None).await.text();
    assert!(doc.contains("\"getRoster\"") && doc.contains("\"listRosters\""));

    // Staff: no roster pages, their own duties only, and a feed that works until revoked.
    let mut me = app.login("nhanvien").await;
    assert_eq!(app.get(&mut me, &page).await.status, StatusCode::FORBIDDEN);
    // Whoever of the demo's people has duties (the solver decides who) checks their own page.
    let mut who = None;
    for u in ["nhanvien", "canbo.antt", "lanhdao"] {
        let p = store::accounts::by_username(db, u)
            .await
            .unwrap()
            .unwrap()
            .person_id
            .unwrap();
        if d.cells.iter().any(|c| c.person_id == p) {
            who = Some((u, p));
            break;
        }
    }
    let (user, person) = who.expect("a demo account has duties");
    let mut me = app.login(user).await;
    let mine = d.cells.iter().filter(|c| c.person_id == person).count();
    let r = app.get(&mut me, "/my/duties").await;
    let text = r.text();
    let table = &text[text.find("data-testid=\"my-duties\"").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    assert_eq!(table.matches("<tr><td").count(), mine, "{table}");
    let other = d.cells.iter().find(|c| c.person_id != person).unwrap();
    let other_name = &d.member(other.person_id).unwrap().full_name;
    assert!(
        !table.contains(other_name.as_str()) || d.member(person).unwrap().full_name == *other_name
    );
    let page_text = app.get(&mut me, "/my/duties").await.text();
    let token = csrf_of(&page_text);
    let r = app
        .post(
            &mut me,
            "/my/duties/feed",
            form(&[("csrf", &token), ("action", "create")]),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let text = r.text();
    let at = text.find("/feeds/").unwrap();
    let url = &text[at..at + text[at..].find('<').unwrap()];
    let mut anonymous = Browser::default();
    let feed = app.get(&mut anonymous, url).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(
        feed.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let ics = feed.text();
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), mine);
    let r = app
        .post(
            &mut me,
            "/my/duties/feed",
            form(&[("csrf", &token), ("action", "revoke")]),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get(&mut anonymous, url).await.status,
        StatusCode::NOT_FOUND
    );
}
