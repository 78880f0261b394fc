//! The audit log browser: who sees which entries, filters and paging, through the router.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use store::scope::UnitView;
use store::units::{self, Unit};
use store::{Db, Scope};

async fn org(db: &Db, name: &str) -> Unit {
    let scope: Scope<UnitView> =
        Scope::whole_system_for_cli(units::province(db).await.unwrap().unwrap().root());
    units::organisations(db, &scope, Some(name), None, 5)
        .await
        .unwrap()
        .0
        .remove(0)
}

/// Entry numbers shown on a page, in order.
fn seqs(html: &str) -> Vec<i64> {
    html.split("<tr id=\"e-")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].parse().unwrap())
        .collect()
}

#[tokio::test]
async fn admin_sees_sign_ins_newest_first_with_the_chain_head() {
    let app = TestApp::new().await;
    let mut b = app.login("quantri").await;
    let r = app.get(&mut b, "/audit").await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    assert!(
        html.contains("Đăng nhập") && html.contains("Xác thực hai lớp") && html.contains("quantri")
    );
    let shown = seqs(&html);
    assert_eq!(shown.len(), 50, "one page");
    assert!(shown.windows(2).all(|w| w[0] > w[1]), "newest first");
    let (head, hash) = store::audit::head(&app.t.db).await.unwrap();
    assert_eq!(shown[0], head);
    assert!(
        html.contains(&format!("<strong>{head}</strong> mục"))
            && html.contains(&format!(">{}</code>", &hash[..12]))
            && html.contains("<code>antoan audit verify</code>")
    );
    // The next page continues below the last entry shown, with no overlap.
    let next = format!("/audit?action=&actor=&from=&to=&before={}", shown[49]);
    assert!(html.contains(&next.replace('&', "&#38;")), "next link");
    let older = seqs(&app.get(&mut b, &next).await.text());
    assert_eq!(older[0], shown[49] - 1);
}

#[tokio::test]
async fn filters_by_action_actor_and_dates() {
    let app = TestApp::new().await;
    app.login("canbo.antt").await;
    let mut b = app.login("quantri").await;
    let html = app.get(&mut b, "/audit?actor=canbo.antt").await.text();
    let shown = seqs(&html);
    assert_eq!(shown.len(), 1, "one sign-in by the officer");
    assert!(html.contains("<td data-label=\"Người thực hiện\">canbo.antt</td>"));
    let html = app.get(&mut b, "/audit?action=partner.create").await.text();
    assert_eq!(seqs(&html).len(), 5, "the demo adds five partners");
    assert!(html.contains("Thêm lực lượng phối hợp") && !html.contains("Đăng nhập</td>"));
    assert!(
        html.contains("<option value=\"partner.create\" selected>"),
        "the filter is kept"
    );
    let today = web::view::date(&web::view::today());
    let html = app
        .get(
            &mut b,
            &format!("/audit?action=auth.login&from={today}&to={today}"),
        )
        .await
        .text();
    assert_eq!(seqs(&html).len(), 2);
    let html = app
        .get(&mut b, "/audit?from=01/01/2020&to=31/12/2020")
        .await
        .text();
    assert!(seqs(&html).is_empty() && html.contains("Không có kết quả."));
    let r = app.get(&mut b, "/audit?from=31/02/2026").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .contains("Ngày không hợp lệ (nhập theo dạng dd/mm/yyyy).")
    );
    assert!(r.text().contains("value=\"31/02/2026\""), "input kept");
}

#[tokio::test]
async fn school_admin_sees_the_school_only_and_staff_nothing() {
    let app = TestApp::new().await;
    let mut b = app.login("quantri.truong").await;
    let html = app.get(&mut b, "/audit?action=unit.create").await.text();
    let school = org(&app.t.db, "Lê Quý Đôn").await;
    let office = org(&app.t.db, "Văn phòng Tỉnh ủy").await;
    assert_eq!(seqs(&html).len(), 4, "the school and its three departments");
    assert!(html.contains(&format!("href=\"/units/{}\"", school.id)));
    assert!(
        !html.contains(&format!("href=\"/units/{}\"", office.id)),
        "an Office entry leaks"
    );
    let all = app.get(&mut b, "/audit").await.text();
    assert!(
        !all.contains("Đăng nhập</td>"),
        "sign-ins belong to no unit and stay with province-wide scopes"
    );
    let mut staff = app.login("nhanvien").await;
    assert_eq!(
        app.get(&mut staff, "/audit").await.status,
        StatusCode::FORBIDDEN
    );
    let mut officer = app.login("canbo.antt").await;
    assert_eq!(
        app.get(&mut officer, "/audit").await.status,
        StatusCode::FORBIDDEN
    );
}
