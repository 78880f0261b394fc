//! The people pages through the router: the list in Vietnamese name order with keyset paging,
//! folded search, who may see what, and adding, moving and changing the status of a person.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Browser, Resp, TestApp};
use domain::text::NameParts;
use store::Scope;
use store::scope::PersonView;

fn unescape(s: &str) -> String {
    s.replace("&amp;", "&").replace("&#38;", "&")
}

/// The people listed on a page: (id, name) in page order.
fn listed(html: &str) -> Vec<(i64, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("class=\"person-name\">") {
        let before = &rest[..i];
        let id_at = before
            .rfind("href=\"/people/")
            .expect("a link before the name")
            + 14;
        let id: i64 = before[id_at..before[id_at..].find('"').unwrap() + id_at]
            .parse()
            .unwrap();
        rest = &rest[i + 20..];
        let name = rest[..rest.find("</a>").unwrap()].to_owned();
        out.push((id, name));
    }
    out
}

/// The href of the link with the given text, if any.
fn link(html: &str, text: &str) -> Option<String> {
    let i = html.find(&format!("\">{text}</a>"))?;
    let start = html[..i].rfind("href=\"")? + 6;
    let href = &html[start..i];
    Some(unescape(&href[..href.find('"').unwrap_or(href.len())]))
}

async fn whole(app: &TestApp) -> Scope<PersonView> {
    let p = store::units::province(&app.t.db).await.unwrap().unwrap();
    Scope::whole_system_for_cli(p.root())
}

async fn total(app: &TestApp) -> i64 {
    let s = whole(app).await;
    store::people::count_matching(
        &app.t.db,
        &s,
        &store::people::ListQuery {
            limit: 1,
            ..Default::default()
        },
    )
    .await
    .unwrap()
}

async fn unit_id(app: &TestApp, name: &str) -> i64 {
    let s = whole(app).await;
    store::units::options(&app.t.db, &s, 1000)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.name == name)
        .unwrap_or_else(|| panic!("unit {name}"))
        .id
}

async fn person_id(app: &TestApp, name: &str) -> i64 {
    let s = whole(app).await;
    let q = store::people::ListQuery {
        q: Some(name.into()),
        limit: 50,
        ..Default::default()
    };
    let page = store::people::list(&app.t.db, &s, &q).await.unwrap();
    page.items
        .into_iter()
        .find(|p| p.full_name == name)
        .unwrap_or_else(|| panic!("person {name}"))
        .id
}

#[tokio::test]
async fn list_is_in_vietnamese_name_order_and_pages_by_cursor() {
    let app = TestApp::new().await;
    let mut b = app.login("canbo.antt").await;
    let r = app.get(&mut b, "/people").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let html = r.text();
    let first = listed(&html);
    assert_eq!(first.len(), 50, "a full first page");
    let keys: Vec<String> = first
        .iter()
        .map(|(_, n)| NameParts::split(n).sort_key())
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "given name first, Vietnamese alphabet");
    // Only the Office's people: the school's deputy head is not in the security officer's list.
    assert!(!html.contains("Võ Thị Lan"));
    assert!(
        html.contains("/people/new")
            && html.contains("/people/import")
            && html.contains("/people/export.xlsx")
    );
    assert!(
        link(&html, "Trang đầu").is_none(),
        "no first-page link on the first page"
    );
    let next = link(&html, "Trang sau").expect("a next-page link");
    assert!(next.contains("cursor="), "{next}");
    let r2 = app.get(&mut b, &next).await;
    assert_eq!(r2.status, StatusCode::OK);
    let second = listed(&r2.text());
    assert!(!second.is_empty());
    let last_key = NameParts::split(&first.last().unwrap().1).sort_key();
    let first_key = NameParts::split(&second[0].1).sort_key();
    assert!(last_key <= first_key, "the second page continues the order");
    assert!(
        second
            .iter()
            .all(|(id, _)| first.iter().all(|(f, _)| f != id)),
        "no one twice"
    );
    assert_eq!(link(&r2.text(), "Trang đầu").as_deref(), Some("/people"));
    // Filtering by unit keeps the filter in the paging links and narrows the list.
    let th = unit_id(&app, "Phòng Tổng hợp").await;
    let r3 = app.get(&mut b, &format!("/people?unit={th}")).await;
    let in_unit = listed(&r3.text());
    assert!(
        !in_unit.is_empty() && in_unit.len() < 30,
        "{}",
        in_unit.len()
    );
    assert!(in_unit.iter().any(|(_, n)| n == "Nguyễn Văn Đức"));
    // A made-up cursor is refused, not a crash.
    assert_eq!(
        app.get(&mut b, "/people?cursor=zz").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

fn cookie(b: &Browser) -> String {
    b.cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ")
}

#[tokio::test]
async fn search_ignores_diacritics_and_refreshes_only_the_results() {
    let app = TestApp::new().await;
    let mut b = app.login("canbo.antt").await;
    let r = app.get(&mut b, "/people?q=nguyen+van+duc").await;
    let names: Vec<String> = listed(&r.text()).into_iter().map(|(_, n)| n).collect();
    assert!(names.contains(&"Nguyễn Văn Đức".to_owned()), "{names:?}");
    assert!(
        !names.contains(&"Lê Minh Đức".to_owned()),
        "every word must match: {names:?}"
    );
    let r = app.get(&mut b, "/people?q=dang").await;
    let names: Vec<String> = listed(&r.text()).into_iter().map(|(_, n)| n).collect();
    assert!(names.contains(&"Đặng Văn Thành".to_owned()), "{names:?}");
    assert!(
        names.contains(&"Đặng Thị Thùy Dương".to_owned()),
        "{names:?}"
    );
    assert!(
        r.text().contains("value=\"dang\""),
        "the query stays in the box"
    );
    // The live search asks with X-Partial and gets the results region alone.
    let req = Request::get("/people?q=dang")
        .header(header::COOKIE, cookie(&b))
        .header("x-partial", "1")
        .body(Body::empty())
        .unwrap();
    let part: Resp = app.send(req).await;
    assert_eq!(part.status, StatusCode::OK);
    let html = part.text();
    assert!(html.contains("id=\"people-results\"") && html.contains("Đặng Văn Thành"));
    assert!(!html.contains("<html"), "a fragment, not a page");
    let r = app.get(&mut b, "/people?q=khongaico").await;
    assert!(listed(&r.text()).is_empty());
    assert!(r.text().contains("Không có kết quả"));
}

#[tokio::test]
async fn staff_may_not_open_the_people_pages() {
    let app = TestApp::new().await;
    let mut b = app.login("nhanvien").await;
    for path in [
        "/people",
        "/people/new",
        "/people/export.xlsx",
        "/people/import",
        "/people/1",
    ] {
        assert_eq!(
            app.get(&mut b, path).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let home = app.get(&mut b, "/").await;
    assert!(
        !home.text().contains("href=\"/people\""),
        "no menu entry either"
    );
}

#[tokio::test]
async fn a_person_outside_the_scope_is_not_found() {
    let app = TestApp::new().await;
    let office_person = person_id(&app, "Nguyễn Văn Đức").await;
    let mut b = app.login("quantri.truong").await;
    assert_eq!(app.get(&mut b, "/people").await.status, StatusCode::OK);
    for path in [
        format!("/people/{office_person}"),
        format!("/people/{office_person}/edit"),
        "/people/abc".into(),
    ] {
        assert_eq!(
            app.get(&mut b, &path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let r = app
        .submit(
            &mut b,
            "/people",
            &format!("/people/{office_person}/status"),
            &[("status", "retired"), ("date", "01/01/2026")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // The school's own people are there.
    let r = app.get(&mut b, "/people").await;
    assert!(r.text().contains("Võ Thị Lan"));
    assert!(!r.text().contains("Nguyễn Văn Đức"));
}

#[tokio::test]
async fn a_bad_phone_is_refused_with_the_input_kept_and_nothing_saved() {
    let app = TestApp::new().await;
    let mut b = app.login("canbo.antt").await;
    let th = unit_id(&app, "Phòng Tổng hợp").await.to_string();
    let before = total(&app).await;
    let mut fields = vec![
        ("full_name", "Trần Thị Bích Ngọc"),
        ("gender", "female"),
        ("birth_date", "05/06/1990"),
        ("position", "Chuyên viên"),
        ("unit", th.as_str()),
        ("phone", "12345"),
        ("email", "ngoc@sonha.gov.vn"),
        ("party_member", "1"),
        ("since", "01/09/2026"),
    ];
    let r = app
        .submit(&mut b, "/people/new", "/people/new", &fields)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(html.contains("Số điện thoại không hợp lệ"), "{html}");
    assert!(
        html.contains("value=\"Trần Thị Bích Ngọc\"") && html.contains("value=\"12345\""),
        "input kept"
    );
    assert!(html.contains("aria-invalid=\"true\" aria-describedby=\"phone-err\""));
    assert_eq!(total(&app).await, before, "nothing saved");
    // Several problems at once are all shown.
    let bad = [
        ("full_name", "X1"),
        ("gender", "male"),
        ("birth_date", "31/02/1990"),
        ("unit", th.as_str()),
    ];
    let r = app.submit(&mut b, "/people/new", "/people/new", &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text().contains("Họ và tên không hợp lệ") && r.text().contains("Ngày không hợp lệ"),
        "{}",
        r.text()
    );
    assert_eq!(total(&app).await, before);
    // Corrected, it is saved and the person's page says so.
    fields[5] = ("phone", "+84 912 345 678");
    let r = app
        .submit(&mut b, "/people/new", "/people/new", &fields)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let to = r.location();
    assert!(
        to.starts_with("/people/") && to.ends_with("?done=created"),
        "{to}"
    );
    assert_eq!(total(&app).await, before + 1);
    let page = app.get(&mut b, &to).await.text();
    assert!(
        page.contains("Đã thêm cán bộ")
            && page.contains("0912345678")
            && page.contains("05/06/1990"),
        "{page}"
    );
    assert!(
        page.contains("01/09/2026") && page.contains("Bắt đầu công tác"),
        "joined on the given date"
    );
}

#[tokio::test]
async fn moves_status_changes_and_edits_appear_in_the_history() {
    let app = TestApp::new().await;
    let mut b = app.login("canbo.antt").await;
    let id = person_id(&app, "Nguyễn Văn Đức").await;
    let cntt = unit_id(&app, "Phòng Công nghệ thông tin - Cơ yếu")
        .await
        .to_string();
    let page = format!("/people/{id}");
    // A bad date keeps the person where they are and says why.
    let r = app
        .submit(
            &mut b,
            &page,
            &format!("{page}/move"),
            &[("unit", &cntt), ("date", "32/13/2026")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("Ngày không hợp lệ"));
    let r = app
        .submit(
            &mut b,
            &page,
            &format!("{page}/move"),
            &[
                ("unit", &cntt),
                ("date", "15/08/2026"),
                ("note", "Điều động theo quyết định"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.location(), format!("{page}?done=moved"));
    // The date picker's ISO form is accepted too.
    let r = app
        .submit(
            &mut b,
            &page,
            &format!("{page}/status"),
            &[
                ("status", "retired"),
                ("date", "2026-09-01"),
                ("note", "Nghỉ hưu theo chế độ"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let r = app
        .submit(
            &mut b,
            &page,
            &format!("{page}/status"),
            &[("status", "retired"), ("date", "02/09/2026")],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "same status again"
    );
    assert!(r.text().contains("trùng trạng thái hiện tại"));
    let html = app.get(&mut b, &page).await.text();
    assert!(
        html.contains("Phòng Tổng hợp → Phòng Công nghệ thông tin - Cơ yếu"),
        "{html}"
    );
    assert!(html.contains("15/08/2026") && html.contains("Điều động theo quyết định"));
    assert!(html.contains("01/09/2026") && html.contains("Nghỉ hưu theo chế độ"));
    let moved_at = html.find("15/08/2026").unwrap();
    let retired_at = html.find("01/09/2026").unwrap();
    assert!(moved_at < retired_at, "oldest first");
    assert!(html.contains("data-testid=\"status\">Đã nghỉ hưu"));
    // An edit of the position is dated in the history as well.
    let edit = format!("{page}/edit");
    let form = app.get(&mut b, &edit).await.text();
    assert!(form.contains("value=\"Nguyễn Văn Đức\""));
    let r = app
        .submit(
            &mut b,
            &edit,
            &edit,
            &[
                ("full_name", "Nguyễn Văn Đức"),
                ("gender", "male"),
                ("position", "Phó Trưởng phòng"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let html = app.get(&mut b, &page).await.text();
    assert!(html.contains("Thay đổi chức vụ") && html.contains("Phó Trưởng phòng"));
    // A leader sees the page but not the forms, and may not post them.
    let mut lead = app.login("lanhdao").await;
    let html = app.get(&mut lead, &page).await.text();
    assert!(html.contains("Nguyễn Văn Đức") && !html.contains("/move\""));
    let r = app
        .submit(
            &mut lead,
            &page,
            &format!("{page}/status"),
            &[("status", "working"), ("date", "01/10/2026")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn forms_need_the_session_token() {
    let app = TestApp::new().await;
    let mut b = app.login("canbo.antt").await;
    let id = person_id(&app, "Nguyễn Văn Đức").await;
    let r = app
        .post(
            &mut b,
            &format!("/people/{id}/status"),
            common::form(&[
                ("csrf", "forged"),
                ("status", "retired"),
                ("date", "01/01/2026"),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let html = app.get(&mut b, &format!("/people/{id}")).await.text();
    assert!(html.contains("data-testid=\"status\">Đang công tác"));
}
