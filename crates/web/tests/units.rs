//! The unit tree, unit pages and their forms, through the router.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use store::scope::{AuditView, UnitView};
use store::units::{self, Unit};
use store::{Db, Scope, audit};

/// Every unit, as the server's own commands see them.
async fn whole<C: store::Cap>(db: &Db) -> Scope<C> {
    Scope::whole_system_for_cli(units::province(db).await.unwrap().unwrap().root())
}

async fn org(db: &Db, name: &str) -> Unit {
    let (found, _) = units::organisations(db, &whole::<UnitView>(db).await, Some(name), None, 5)
        .await
        .unwrap();
    found
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("organisation {name}"))
}

async fn child(db: &Db, parent: &Unit, name: &str) -> Unit {
    let kids = units::children(db, &whole::<UnitView>(db).await, parent.id)
        .await
        .unwrap();
    kids.into_iter()
        .find(|u| u.name == name)
        .unwrap_or_else(|| panic!("unit {name}"))
}

#[tokio::test]
async fn officer_sees_the_tree_of_the_office_only() {
    let app = TestApp::new().await;
    let mut b = app.login("canbo.antt").await;
    let r = app.get(&mut b, "/units").await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    for name in [
        "Văn phòng Tỉnh ủy Sơn Hà",
        "Phòng Tổng hợp",
        "Phòng Quản trị - Tài vụ",
        "Tổ Bảo vệ",
        "Trung đội Tự vệ cơ quan",
    ] {
        assert!(html.contains(name), "{name} missing");
    }
    assert!(
        !html.contains("Tổ Toán - Tin") && !html.contains("Trường THPT"),
        "the school leaks into the Office tree"
    );
    assert!(html.contains("cán bộ"), "people counts are shown");
    // The Office's own page: details, children, people and its partners.
    let office = org(&app.t.db, "Văn phòng Tỉnh ủy").await;
    let page = app
        .get(&mut b, &format!("/units/{}", office.id))
        .await
        .text();
    assert!(
        page.contains("VPTU") && page.contains("Hướng dẫn 36-HD/VPTW"),
        "{page}"
    );
    assert!(page.contains(&format!("/people?unit={}", office.id)));
    assert!(page.contains("Tiểu đội Cảnh sát bảo vệ mục tiêu trụ sở Tỉnh ủy"));
    assert!(
        !page.contains(&format!("/units/{}/edit", office.id)),
        "no UnitManage, no edit form"
    );
    // Breadcrumbs of a team.
    let qt = child(&app.t.db, &office, "Phòng Quản trị - Tài vụ").await;
    let team = child(&app.t.db, &qt, "Tổ Bảo vệ").await;
    let page = app.get(&mut b, &format!("/units/{}", team.id)).await.text();
    assert!(
        page.contains(&format!("href=\"/units/{}\"", office.id))
            && page.contains(&format!("href=\"/units/{}\"", qt.id))
    );
    let people = page.split("data-testid=\"people-count\">").nth(1).unwrap();
    assert_eq!(&people[..people.find('<').unwrap()], "8");
}

#[tokio::test]
async fn other_organisations_are_not_found() {
    let app = TestApp::new().await;
    let mut b = app.login("quantri.truong").await;
    let office = org(&app.t.db, "Văn phòng Tỉnh ủy").await;
    assert_eq!(
        app.get(&mut b, &format!("/units/{}", office.id))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let school = org(&app.t.db, "Lê Quý Đôn").await;
    let r = app
        .submit(
            &mut b,
            &format!("/units/{}", school.id),
            &format!("/units/{}/edit", office.id),
            &[("name", "Đổi tên")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        org(&app.t.db, "Văn phòng Tỉnh ủy").await.name,
        "Văn phòng Tỉnh ủy Sơn Hà"
    );
    let tree = app.get(&mut b, "/units").await.text();
    assert!(tree.contains("Tổ Toán - Tin") && !tree.contains("Phòng Tổng hợp"));
}

#[tokio::test]
async fn overseer_lists_organisations_and_cannot_change_them() {
    let app = TestApp::new().await;
    let mut b = app.login("congan.tinh").await;
    let r = app.get(&mut b, "/units").await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    for name in [
        "Tỉnh Sơn Hà",
        "Văn phòng Tỉnh ủy Sơn Hà",
        "Trường THPT chuyên Lê Quý Đôn",
        "Sở Tài chính tỉnh Sơn Hà",
    ] {
        assert!(html.contains(name), "{name} missing");
    }
    assert!(
        !html.contains("Phòng Tổng hợp"),
        "the province view lists organisations, not the whole tree"
    );
    assert!(html.contains("NĐ 30") && html.contains("HD 36"));
    // Search folds diacritics.
    let found = app.get(&mut b, "/units?q=le+quy+don").await.text();
    assert!(found.contains("Trường THPT chuyên Lê Quý Đôn") && !found.contains("Sở Tài chính"));
    assert_eq!(
        app.get(&mut b, "/units?after=zz").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // No UnitManage: the POST is refused and nothing changes.
    let school = org(&app.t.db, "Lê Quý Đôn").await;
    let page = app
        .get(&mut b, &format!("/units/{}", school.id))
        .await
        .text();
    assert!(!page.contains("/edit\""), "no edit form for an overseer");
    let r = app
        .submit(
            &mut b,
            &format!("/units/{}", school.id),
            &format!("/units/{}/edit", school.id),
            &[("name", "Trường mới")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .submit(
            &mut b,
            &format!("/units/{}", school.id),
            &format!("/units/{}/children", school.id),
            &[("kind", "department"), ("name", "Tổ mới")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        org(&app.t.db, "Lê Quý Đôn").await.name,
        "Trường THPT chuyên Lê Quý Đôn"
    );
}

#[tokio::test]
async fn admin_edits_a_unit_and_bad_input_changes_nothing() {
    let app = TestApp::new().await;
    let mut b = app.login("quantri").await;
    let stc = org(&app.t.db, "Sở Tài chính").await;
    let from = format!("/units/{}", stc.id);
    let to = format!("/units/{}/edit", stc.id);
    let base = [
        ("org_kind", "state_agency"),
        ("doc_format", "nd30"),
        ("has_party_org", "on"),
    ];
    let with = |extra: &[(&'static str, &'static str)]| {
        base.iter().chain(extra).copied().collect::<Vec<_>>()
    };

    let r = app
        .submit(
            &mut b,
            &from,
            &to,
            &with(&[("name", "  "), ("abbreviation", "STC")]),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text().contains("Tên đơn vị không được để trống"),
        "{}",
        r.text()
    );
    let r = app
        .submit(
            &mut b,
            &from,
            &to,
            &with(&[("name", "Sở Tài chính (sửa)"), ("abbreviation", "S TC")]),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(html.contains("Chữ viết tắt tối đa 20 ký tự, không có khoảng trắng"));
    assert!(
        html.contains("value=\"Sở Tài chính (sửa)\"") && html.contains("value=\"S TC\""),
        "input kept"
    );
    assert_eq!(
        org(&app.t.db, "Sở Tài chính").await.abbreviation.as_deref(),
        Some("STC"),
        "nothing saved"
    );
    let seq_before = audit::head(&app.t.db).await.unwrap().0;

    let r = app
        .submit(
            &mut b,
            &from,
            &to,
            &with(&[
                ("name", "Sở Tài chính Sơn Hà"),
                ("abbreviation", "STCSH"),
                ("address", "12 Trần Phú"),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.location(), format!("/units/{}?done=saved", stc.id));
    let page = app.get(&mut b, &r.location()).await.text();
    assert!(page.contains("Đã lưu.") && page.contains("STCSH") && page.contains("12 Trần Phú"));
    let scope = whole::<AuditView>(&app.t.db).await;
    let filter = audit::Filter {
        action: Some("unit.update".into()),
        limit: 5,
        ..Default::default()
    };
    let (entries, _) = audit::list(&app.t.db, &scope, &filter).await.unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(
        (entries[0].actor_name.as_str(), entries[0].object_id.clone()),
        ("quantri", stc.id.to_string())
    );
    assert!(entries[0].seq > seq_before);

    // A department under the Sở, and an organisation under the province.
    let r = app
        .submit(
            &mut b,
            &from,
            &format!("/units/{}/children", stc.id),
            &[
                ("kind", "department"),
                ("name", "Phòng Tin học"),
                ("abbreviation", "TH"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = app.get(&mut b, &r.location()).await.text();
    assert!(page.contains("Đã thêm đơn vị.") && page.contains("Phòng Tin học"));
    let province = units::province(&app.t.db).await.unwrap().unwrap();
    let pfrom = format!("/units/{}", province.id);
    let pto = format!("/units/{}/children", province.id);
    let r = app
        .submit(
            &mut b,
            &pfrom,
            &pto,
            &[("kind", "department"), ("name", "Phòng lạc chỗ")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .contains("Không thể tạo loại đơn vị này ở vị trí đã chọn")
    );
    let r = app
        .submit(
            &mut b,
            &pfrom,
            &pto,
            &[
                ("kind", "organisation"),
                ("name", "Đảng ủy Khối cơ quan tỉnh"),
                ("org_kind", "party_body"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let created = org(&app.t.db, "Đảng ủy Khối").await;
    assert_eq!(
        created.doc_format.map(|f| f.code()),
        Some("hd36"),
        "a Party body issues in HD 36 by default"
    );
    assert_eq!(audit::verify(&app.t.db).await.unwrap().first_break, None);
}
