//! Partner bodies: who sees which, adding and changing them, through the router.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use store::partners::{self, Partner};
use store::scope::{PartnerView, UnitView};
use store::units::{self, Unit};
use store::{Db, Scope};

async fn all_partners(db: &Db) -> Vec<Partner> {
    let scope: Scope<PartnerView> =
        Scope::whole_system_for_cli(units::province(db).await.unwrap().unwrap().root());
    partners::list(db, &scope).await.unwrap()
}

async fn partner(db: &Db, name: &str) -> Partner {
    all_partners(db)
        .await
        .into_iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("partner {name}"))
}

async fn org(db: &Db, name: &str) -> Unit {
    let scope: Scope<UnitView> =
        Scope::whole_system_for_cli(units::province(db).await.unwrap().unwrap().root());
    units::organisations(db, &scope, Some(name), None, 5)
        .await
        .unwrap()
        .0
        .remove(0)
}

const GUARD: &str = "Tiểu đội Cảnh sát bảo vệ mục tiêu trụ sở Tỉnh ủy";

#[tokio::test]
async fn officer_sees_province_and_office_partners_grouped() {
    let app = TestApp::new().await;
    let mut b = app.login("canbo.antt").await;
    let r = app.get(&mut b, "/partners").await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    for s in [
        "Công an tỉnh Sơn Hà",
        "Bộ Chỉ huy Quân sự tỉnh Sơn Hà",
        "Phòng Cảnh sát PCCC và CNCH Công an tỉnh",
        GUARD,
        "Công an phường Hải Châu",
    ] {
        assert!(html.contains(s), "{s} missing");
    }
    assert!(
        html.contains("href=\"tel:0912000113\""),
        "phones are tel: links"
    );
    for heading in [
        "Công an",
        "Quân sự",
        "Cảnh sát bảo vệ mục tiêu",
        "Cảnh sát PCCC và CNCH",
    ] {
        assert!(
            html.contains(&format!(">{heading}</h2>")),
            "group {heading}"
        );
    }
    // The officer keeps the Office's partners, not the province's.
    let guard = partner(&app.t.db, GUARD).await;
    let police = partner(&app.t.db, "Công an tỉnh Sơn Hà").await;
    assert!(
        html.contains(&format!("/partners/{}#edit", guard.id))
            && !html.contains(&format!("/partners/{}#edit", police.id))
    );
    let page = app.get(&mut b, &format!("/partners/{}", police.id)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.text().contains("/edit\""),
        "no edit form for a province-wide partner"
    );
    let fields = [
        ("kind", "police"),
        ("name", "Công an tỉnh"),
        ("phone", "0236 3822 113"),
    ];
    let r = app
        .submit(
            &mut b,
            "/partners",
            &format!("/partners/{}/edit", police.id),
            &fields,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Staff have no partner view at all.
    let mut staff = app.login("nhanvien").await;
    assert_eq!(
        app.get(&mut staff, "/partners").await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn school_admin_does_not_see_office_partners() {
    let app = TestApp::new().await;
    let mut b = app.login("quantri.truong").await;
    let html = app.get(&mut b, "/partners").await.text();
    assert!(
        html.contains("Công an tỉnh Sơn Hà"),
        "province-wide partners are shared"
    );
    assert!(!html.contains(GUARD) && !html.contains("Công an phường Hải Châu"));
    let guard = partner(&app.t.db, GUARD).await;
    assert_eq!(
        app.get(&mut b, &format!("/partners/{}", guard.id))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let fields = [("kind", "police"), ("name", "Đổi tên"), ("phone", "")];
    let r = app
        .submit(
            &mut b,
            "/partners",
            &format!("/partners/{}/edit", guard.id),
            &fields,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(partner(&app.t.db, GUARD).await.name, GUARD);
    // Owners offered: the school only.
    let school = org(&app.t.db, "Lê Quý Đôn").await;
    assert!(html.contains(&format!("<option value=\"{}\"", school.id)));
    let office = org(&app.t.db, "Văn phòng Tỉnh ủy").await;
    assert!(!html.contains(&format!("<option value=\"{}\"", office.id)));
    // A forged owner outside the scope is refused.
    let forged = [
        ("owner_unit_id", office.id.to_string()),
        ("kind", "police".into()),
        ("name", "Lạc chỗ".into()),
    ];
    let forged: Vec<(&str, &str)> = forged.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = app.submit(&mut b, "/partners", "/partners", &forged).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("ngoài phạm vi quản lý"));
}

#[tokio::test]
async fn create_and_edit_with_validation() {
    let app = TestApp::new().await;
    let mut b = app.login("canbo.antt").await;
    let office = org(&app.t.db, "Văn phòng Tỉnh ủy").await;
    let owner = office.id.to_string();
    let before = all_partners(&app.t.db).await.len();
    let mut fields = vec![
        ("owner_unit_id", owner.as_str()),
        ("kind", "fire_service"),
        ("name", "Đội PCCC khu vực Hải Châu"),
        ("contact_person", "Đội trưởng"),
        ("phone", "12345"),
        ("email", "pccc@sonha.gov.vn"),
    ];
    let r = app.submit(&mut b, "/partners", "/partners", &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(html.contains("Số điện thoại không hợp lệ"), "{html}");
    assert!(
        html.contains("value=\"Đội PCCC khu vực Hải Châu\"") && html.contains("value=\"12345\""),
        "input kept"
    );
    assert_eq!(all_partners(&app.t.db).await.len(), before, "nothing saved");
    fields[5] = ("email", "không phải thư");
    fields[4] = ("phone", "+84 236 3822 999");
    let r = app.submit(&mut b, "/partners", "/partners", &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("Địa chỉ thư điện tử không hợp lệ"));
    fields[5] = ("email", "PCCC@SonHa.gov.vn");
    let r = app.submit(&mut b, "/partners", "/partners", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let created = partner(&app.t.db, "Đội PCCC khu vực Hải Châu").await;
    assert_eq!(
        r.location(),
        format!("/partners/{}?done=created", created.id)
    );
    assert_eq!(
        (created.phone.as_deref(), created.email.as_deref()),
        (Some("02363822999"), Some("pccc@sonha.gov.vn"))
    );
    assert_eq!(created.owner_unit_id, office.id);
    let page = app.get(&mut b, &r.location()).await.text();
    assert!(
        page.contains("Đã thêm lực lượng phối hợp.") && page.contains("href=\"tel:02363822999\"")
    );

    // Edit: a bad phone is refused and changes nothing; a good one is saved and audited.
    let from = format!("/partners/{}", created.id);
    let to = format!("/partners/{}/edit", created.id);
    let edit = [
        ("kind", "fire_service"),
        ("name", "Đội PCCC Hải Châu"),
        ("contact_person", "Trung tá Lê Văn Hải"),
        ("phone", "09x"),
    ];
    let r = app.submit(&mut b, &from, &to, &edit).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text().contains("Số điện thoại không hợp lệ")
            && r.text().contains("value=\"Trung tá Lê Văn Hải\"")
    );
    assert_eq!(
        partner(&app.t.db, "Đội PCCC khu vực Hải Châu")
            .await
            .phone
            .as_deref(),
        Some("02363822999")
    );
    let r = app
        .submit(
            &mut b,
            &from,
            &to,
            &[("kind", "fire_service"), ("name", " "), ("phone", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .contains("Tên lực lượng phối hợp không được để trống")
    );
    let ok = [
        ("kind", "fire_service"),
        ("name", "Đội PCCC Hải Châu"),
        ("contact_person", "Trung tá Lê Văn Hải"),
        ("phone", "0905 114 114"),
    ];
    let r = app.submit(&mut b, &from, &to, &ok).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let saved = partner(&app.t.db, "Đội PCCC Hải Châu").await;
    assert_eq!(
        (saved.phone.as_deref(), saved.email.as_deref()),
        (Some("0905114114"), None)
    );
    assert_eq!(saved.owner_unit_id, office.id, "the owner stays");
    let unit_page = app
        .get(&mut b, &format!("/units/{}", office.id))
        .await
        .text();
    assert!(
        unit_page.contains("Đội PCCC Hải Châu"),
        "the unit page lists its partners"
    );
    assert_eq!(
        store::audit::verify(&app.t.db).await.unwrap().first_break,
        None
    );
}
