//! Accounts and roles administration through the router: scope, grantable roles, password
//! and second-factor resets, disabling.

mod common;

use axum::http::StatusCode;
use common::{Browser, TestApp, csrf_of, form};
use store::accounts;
use store::scope::{AccountManage, Grants};

async fn account_id(app: &TestApp, username: &str) -> i64 {
    accounts::by_username(&app.t.db, username)
        .await
        .unwrap()
        .expect("demo account")
        .id
}

/// Signs in with a username and password through the sign-in page; returns the status.
async fn sign_in(app: &TestApp, username: &str, password: &str) -> (StatusCode, Browser) {
    let mut b = Browser::default();
    let r = app
        .submit(
            &mut b,
            "/login",
            "/login",
            &[("username", username), ("password", password)],
        )
        .await;
    (r.status, b)
}

/// The school (the unit quantri.truong administers) and a teacher of it without an account.
async fn school_and_teacher(app: &TestApp) -> (i64, i64, String) {
    let g = Grants::load(&app.t.db, account_id(app, "quantri.truong").await)
        .await
        .unwrap();
    let school = g.list[0].root.unit_id;
    let scope = g.scope::<AccountManage>().unwrap();
    let people = accounts::people_without_account(&app.t.db, &scope, 100)
        .await
        .unwrap();
    let teacher = people
        .iter()
        .find(|c| c.unit_name.starts_with("Tổ"))
        .expect("a teacher");
    (school, teacher.person_id, teacher.full_name.clone())
}

#[tokio::test]
async fn org_admin_creates_an_account_and_grants_staff_on_the_school() {
    let app = TestApp::new().await;
    let mut b = app.login("quantri.truong").await;
    let list = app.get(&mut b, "/accounts").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.text().contains("quantri.truong"));
    assert!(
        !list.text().contains("nhanvien"),
        "accounts of the Office are outside the school"
    );
    let (school, teacher, name) = school_and_teacher(&app).await;
    let pid = teacher.to_string();

    // A weak password is refused with the rule, the input kept, nothing saved.
    let weak = app
        .submit(
            &mut b,
            "/accounts/new",
            "/accounts",
            &[
                ("person_id", &pid),
                ("username", "giaovien.mot"),
                ("password", "ngan1"),
                ("password2", "ngan1"),
                ("role", ""),
                ("unit_id", ""),
            ],
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.text().contains("ít nhất 10 ký tự"), "{}", weak.text());
    assert!(weak.text().contains("value=\"giaovien.mot\""));
    assert!(
        accounts::by_username(&app.t.db, "giaovien.mot")
            .await
            .unwrap()
            .is_none()
    );

    let r = app
        .submit(
            &mut b,
            "/accounts/new",
            "/accounts",
            &[
                ("person_id", &pid),
                ("username", "giaovien.mot"),
                ("password", "bao-ve-2026-an"),
                ("password2", "bao-ve-2026-an"),
                ("role", ""),
                ("unit_id", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = r.location();
    assert!(page.ends_with("?done=created"), "{page}");
    let shown = app.get(&mut b, &page).await;
    assert!(shown.text().contains("Đã tạo tài khoản.") && shown.text().contains(&name));
    let id = account_id(&app, "giaovien.mot").await;
    let base = format!("/accounts/{id}");

    let r = app
        .submit(
            &mut b,
            &base,
            &format!("{base}/grants"),
            &[("role", "staff"), ("unit_id", &school.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let g = Grants::load(&app.t.db, id).await.unwrap();
    assert!(
        g.list
            .iter()
            .any(|x| x.role == domain::Role::Staff && x.root.unit_id == school)
    );

    // Overseer is not the school administrator's to give, even when forced into the form.
    let r = app
        .submit(
            &mut b,
            &base,
            &format!("{base}/grants"),
            &[("role", "overseer"), ("unit_id", &school.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("Bạn không được cấp vai trò này."));
    assert_eq!(Grants::load(&app.t.db, id).await.unwrap().list.len(), 1);
    // Nor may a unit of another organisation be used.
    let office = Grants::load(&app.t.db, account_id(&app, "nhanvien").await)
        .await
        .unwrap()
        .list[0]
        .root
        .unit_id;
    let r = app
        .submit(
            &mut b,
            &base,
            &format!("{base}/grants"),
            &[("role", "staff"), ("unit_id", &office.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The new account signs in with its initial password.
    assert_eq!(
        sign_in(&app, "giaovien.mot", "bao-ve-2026-an").await.0,
        StatusCode::SEE_OTHER
    );

    // The role can be revoked again.
    let grant_id = g.list[0].id;
    let r = app
        .submit(
            &mut b,
            &base,
            &format!("{base}/grants/{grant_id}/revoke"),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(Grants::load(&app.t.db, id).await.unwrap().list.is_empty());
    assert_eq!(
        store::audit::verify(&app.t.db).await.unwrap().first_break,
        None
    );
}

#[tokio::test]
async fn org_admin_cannot_reach_an_office_account() {
    let app = TestApp::new().await;
    let mut b = app.login("quantri.truong").await;
    let office = account_id(&app, "nhanvien").await;
    assert_eq!(
        app.get(&mut b, &format!("/accounts/{office}")).await.status,
        StatusCode::NOT_FOUND
    );
    for (to, fields) in [
        (
            format!("/accounts/{office}/password"),
            vec![
                ("password", "mat-khau-moi-2026"),
                ("password2", "mat-khau-moi-2026"),
            ],
        ),
        (
            format!("/accounts/{office}/grants"),
            vec![("role", "staff"), ("unit_id", "1")],
        ),
        (format!("/accounts/{office}/disable"), vec![]),
        (format!("/accounts/{office}/totp/reset"), vec![]),
    ] {
        let r = app.submit(&mut b, "/accounts", &to, &fields).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{to}");
    }
    assert_eq!(
        sign_in(&app, "nhanvien", "antoan-demo").await.0,
        StatusCode::SEE_OTHER,
        "nothing changed"
    );
}

#[tokio::test]
async fn people_without_the_role_get_forbidden() {
    let app = TestApp::new().await;
    for who in ["canbo.antt", "nhanvien", "congan.tinh"] {
        let mut b = app.login(who).await;
        assert_eq!(
            app.get(&mut b, "/accounts").await.status,
            StatusCode::FORBIDDEN,
            "{who}"
        );
        assert_eq!(
            app.get(&mut b, "/accounts/new").await.status,
            StatusCode::FORBIDDEN,
            "{who}"
        );
        let token = csrf_of(&app.get(&mut b, "/profile").await.text());
        let r = app
            .post(&mut b, "/accounts/1/disable", form(&[("csrf", &token)]))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}");
    }
}

#[tokio::test]
async fn administrator_resets_a_password_and_old_sessions_end() {
    let app = TestApp::new().await;
    let mut staff = app.login("nhanvien").await;
    let mut admin = app.login("quantri").await;
    let id = account_id(&app, "nhanvien").await;
    let base = format!("/accounts/{id}");
    let mismatch = app
        .submit(
            &mut admin,
            &base,
            &format!("{base}/password"),
            &[
                ("password", "mat-khau-moi-2026"),
                ("password2", "khac-2026-xyz"),
            ],
        )
        .await;
    assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(mismatch.text().contains("không khớp"));
    assert_eq!(
        app.get(&mut staff, "/").await.status,
        StatusCode::OK,
        "a refused reset ends nothing"
    );

    let r = app
        .submit(
            &mut admin,
            &base,
            &format!("{base}/password"),
            &[
                ("password", "mat-khau-moi-2026"),
                ("password2", "mat-khau-moi-2026"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let home = app.get(&mut staff, "/").await;
    assert!(
        home.location().starts_with("/login"),
        "the old session is gone"
    );
    assert_eq!(
        sign_in(&app, "nhanvien", "antoan-demo").await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        sign_in(&app, "nhanvien", "mat-khau-moi-2026").await.0,
        StatusCode::SEE_OTHER
    );
    let page = app.get(&mut admin, &r.location()).await.text();
    assert!(
        !page.contains("mat-khau-moi-2026"),
        "a password is never shown"
    );
}

#[tokio::test]
async fn administrator_turns_off_a_lost_second_factor() {
    let app = TestApp::new().await;
    let mut admin = app.login("quantri").await;
    let id = account_id(&app, "congan.tinh").await;
    let base = format!("/accounts/{id}");
    let r = app
        .submit(&mut admin, &base, &format!("{base}/totp/reset"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(!accounts::by_id(&app.t.db, id).await.unwrap().totp_enabled);
    // The overseer's role still requires a second factor: the next sign-in enrols a new one.
    let mut b = Browser::default();
    let r = app
        .submit(
            &mut b,
            "/login",
            "/login",
            &[("username", "congan.tinh"), ("password", "antoan-demo")],
        )
        .await;
    assert!(r.location().starts_with("/login/enrol"), "{}", r.location());
    let entries = store::audit::verify(&app.t.db).await.unwrap();
    assert_eq!(entries.first_break, None);
}

#[tokio::test]
async fn disabling_stops_sign_in_and_enabling_restores_it() {
    let app = TestApp::new().await;
    let mut staff = app.login("nhanvien").await;
    let mut admin = app.login("quantri").await;
    let id = account_id(&app, "nhanvien").await;
    let base = format!("/accounts/{id}");
    let r = app
        .submit(&mut admin, &base, &format!("{base}/disable"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        app.get(&mut staff, "/")
            .await
            .location()
            .starts_with("/login")
    );
    assert_eq!(
        sign_in(&app, "nhanvien", "antoan-demo").await.0,
        StatusCode::UNAUTHORIZED
    );
    let list = app.get(&mut admin, "/accounts").await.text();
    assert!(list.contains("Đã khóa"));
    let r = app
        .submit(&mut admin, &base, &format!("{base}/enable"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        sign_in(&app, "nhanvien", "antoan-demo").await.0,
        StatusCode::SEE_OTHER
    );
    // Nobody disables their own account.
    let me = account_id(&app, "quantri").await;
    let r = app
        .submit(
            &mut admin,
            &format!("/accounts/{me}"),
            &format!("/accounts/{me}/disable"),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn org_admin_cannot_reset_an_account_that_outranks_them() {
    let app = TestApp::new().await;
    let (_, teacher, _) = school_and_teacher(&app).await;
    // The province administrator makes a school teacher an administrator of the province.
    let mut admin = app.login("quantri").await;
    let province = Grants::load(&app.t.db, account_id(&app, "quantri").await)
        .await
        .unwrap()
        .list[0]
        .root
        .unit_id;
    let r = app
        .submit(
            &mut admin,
            "/accounts/new",
            "/accounts",
            &[
                ("person_id", &teacher.to_string()),
                ("username", "giaovien.hai"),
                ("password", "bao-ve-2026-an"),
                ("password2", "bao-ve-2026-an"),
                ("role", "admin"),
                ("unit_id", &province.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let id = account_id(&app, "giaovien.hai").await;
    let mut b = app.login("quantri.truong").await;
    let base = format!("/accounts/{id}");
    assert_eq!(
        app.get(&mut b, &base).await.status,
        StatusCode::OK,
        "a person of the school"
    );
    let r = app
        .submit(
            &mut b,
            &base,
            &format!("{base}/password"),
            &[
                ("password", "mat-khau-moi-2026"),
                ("password2", "mat-khau-moi-2026"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("quản trị hệ thống thực hiện"));
    assert_eq!(
        sign_in(&app, "giaovien.hai", "bao-ve-2026-an").await.0,
        StatusCode::SEE_OTHER
    );
}
