//! The person's own profile through the router: password, second factor, API tokens,
//! signing out everywhere, language.

mod common;

use axum::http::StatusCode;
use common::{Browser, TestApp};

async fn sign_in(app: &TestApp, username: &str, password: &str) -> StatusCode {
    let mut b = Browser::default();
    app.submit(
        &mut b,
        "/login",
        "/login",
        &[("username", username), ("password", password)],
    )
    .await
    .status
}

/// The text between `start` and the next `<`.
fn between(html: &str, start: &str) -> String {
    let i = html
        .find(start)
        .unwrap_or_else(|| panic!("{start} not in page"))
        + start.len();
    html[i..i + html[i..].find('<').unwrap()].trim().to_owned()
}

#[tokio::test]
async fn profile_shows_own_details_and_roles() {
    let app = TestApp::new().await;
    let mut b = app.login("canbo.antt").await;
    let r = app.get(&mut b, "/profile").await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    assert!(html.contains("Lê Minh Đức") && html.contains("canbo.antt"));
    assert!(
        html.contains("Cán bộ phụ trách ANTT — Văn phòng Tỉnh ủy Sơn Hà"),
        "{html}"
    );
    assert!(
        html.contains("Ít nhất 10 ký tự") || html.contains("ít nhất 10 ký tự"),
        "the rules are shown"
    );
}

#[tokio::test]
async fn wrong_current_password_changes_nothing() {
    let app = TestApp::new().await;
    let mut b = app.login("nhanvien").await;
    let r = app
        .submit(
            &mut b,
            "/profile",
            "/profile/password",
            &[
                ("current", "khong-dung-2026"),
                ("password", "mat-khau-moi-2026"),
                ("password2", "mat-khau-moi-2026"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("Mật khẩu hiện tại không đúng."));
    assert!(
        !r.text().contains("mat-khau-moi-2026"),
        "passwords are not sent back"
    );
    assert_eq!(
        sign_in(&app, "nhanvien", "antoan-demo").await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        sign_in(&app, "nhanvien", "mat-khau-moi-2026").await,
        StatusCode::UNAUTHORIZED
    );
    // A new password that breaks the rules is refused too.
    let r = app
        .submit(
            &mut b,
            "/profile",
            "/profile/password",
            &[
                ("current", "antoan-demo"),
                ("password", "nhanvien-2026"),
                ("password2", "nhanvien-2026"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("không được chứa tên đăng nhập"));
}

#[tokio::test]
async fn changing_the_password_keeps_this_browser_and_ends_the_others() {
    let app = TestApp::new().await;
    let mut here = app.login("nhanvien").await;
    let mut there = app.login("nhanvien").await;
    let api = app.api_token("nhanvien").await;
    let r = app
        .submit(
            &mut here,
            "/profile",
            "/profile/password",
            &[
                ("current", "antoan-demo"),
                ("password", "mat-khau-moi-2026"),
                ("password2", "mat-khau-moi-2026"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.location(), "/profile?done=password");
    let page = app.get(&mut here, "/profile?done=password").await;
    assert_eq!(page.status, StatusCode::OK, "still signed in here");
    assert!(page.text().contains("Đã đổi mật khẩu."));
    assert!(
        app.get(&mut there, "/")
            .await
            .location()
            .starts_with("/login"),
        "the other browser is signed out"
    );
    assert_eq!(
        app.api("GET", "/api/v1/whoami", Some(&api), None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        sign_in(&app, "nhanvien", "antoan-demo").await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        sign_in(&app, "nhanvien", "mat-khau-moi-2026").await,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn api_token_secret_is_shown_once_and_works_until_revoked() {
    let app = TestApp::new().await;
    let mut b = app.login("nhanvien").await;
    let r = app
        .submit(
            &mut b,
            "/profile",
            "/profile/tokens",
            &[
                ("name", "Phần mềm chấm công"),
                ("access", "read_write"),
                ("days", "30"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.headers.get("cache-control").unwrap(), "no-store");
    let html = r.text();
    let secret = between(&html, "data-testid=\"token-secret\">");
    assert!(secret.starts_with("at_") && secret.len() > 40, "{secret}");
    assert_eq!(html.matches(&secret).count(), 1, "the secret appears once");
    assert!(html.contains("chỉ hiển thị một lần"));

    let later = app.get(&mut b, "/profile").await.text();
    assert!(!later.contains(&secret), "never shown again");
    assert!(
        later.contains(&secret[..9]) && later.contains("Phần mềm chấm công"),
        "only its prefix"
    );

    let who = app.api("GET", "/api/v1/whoami", Some(&secret), None).await;
    assert_eq!(who.status, StatusCode::OK);
    assert_eq!(who.json()["username"], "nhanvien");

    // A read-only token cannot change anything.
    let r = app
        .submit(
            &mut b,
            "/profile",
            "/profile/tokens",
            &[("name", "Báo cáo"), ("access", "read"), ("days", "")],
        )
        .await;
    let read = between(&r.text(), "data-testid=\"token-secret\">");
    assert_eq!(
        app.api("GET", "/api/v1/whoami", Some(&read), None)
            .await
            .status,
        StatusCode::OK
    );
    let post = app
        .api(
            "POST",
            "/api/v1/login",
            Some(&read),
            Some(serde_json::json!({ "username": "nhanvien", "password": "antoan-demo" })),
        )
        .await;
    assert_eq!(post.status, StatusCode::FORBIDDEN);

    // Bad input is refused on the page, with the name kept.
    let r = app
        .submit(
            &mut b,
            "/profile",
            "/profile/tokens",
            &[("name", "Hết hạn sai"), ("access", "read"), ("days", "0")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("value=\"Hết hạn sai\"") && !r.text().contains("token-secret"));

    let id = store::tokens::list(
        &app.t.db,
        store::accounts::by_username(&app.t.db, "nhanvien")
            .await
            .unwrap()
            .unwrap()
            .id,
    )
    .await
    .unwrap()
    .into_iter()
    .find(|t| t.name == "Phần mềm chấm công")
    .unwrap()
    .id;
    let r = app
        .submit(
            &mut b,
            "/profile",
            &format!("/profile/tokens/{id}/revoke"),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.api("GET", "/api/v1/whoami", Some(&secret), None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert!(
        app.get(&mut b, "/profile")
            .await
            .text()
            .contains("Đã thu hồi")
    );
    // Another person's token cannot be revoked from this profile.
    let mut other = app.login("canbo.antt").await;
    let r = app
        .submit(
            &mut other,
            "/profile",
            &format!("/profile/tokens/{id}/revoke"),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn sign_out_everywhere_ends_other_browsers_and_api_sign_ins() {
    let app = TestApp::new().await;
    let mut here = app.login("nhanvien").await;
    let mut there = app.login("nhanvien").await;
    let api = app.api_token("nhanvien").await;
    assert_eq!(
        app.api("GET", "/api/v1/whoami", Some(&api), None)
            .await
            .status,
        StatusCode::OK
    );
    let r = app
        .submit(&mut here, "/profile", "/profile/sign-out-everywhere", &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/login");
    assert!(
        app.get(&mut there, "/")
            .await
            .location()
            .starts_with("/login")
    );
    assert!(
        app.get(&mut here, "/")
            .await
            .location()
            .starts_with("/login")
    );
    assert_eq!(
        app.api("GET", "/api/v1/whoami", Some(&api), None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        store::audit::verify(&app.t.db).await.unwrap().first_break,
        None
    );
}

#[tokio::test]
async fn second_factor_enrol_and_disable_from_the_profile() {
    let app = TestApp::new().await;
    let mut b = app.login("nhanvien").await;
    let page = app.get(&mut b, "/profile/totp").await;
    assert_eq!(page.status, StatusCode::OK);
    let secret = between(&page.text(), "id=\"secret\">");
    let bad = app
        .submit(
            &mut b,
            "/profile/totp",
            "/profile/totp",
            &[("secret", &secret), ("code", "000000")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let code = web::auth::totp::current_code(&secret, web::auth::totp::now_secs()).unwrap();
    let r = app
        .submit(
            &mut b,
            "/profile/totp",
            "/profile/totp",
            &[("secret", &secret), ("code", &code)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let id = store::accounts::by_username(&app.t.db, "nhanvien")
        .await
        .unwrap()
        .unwrap();
    assert!(id.totp_enabled);
    // Turning it off needs the current password.
    let r = app
        .submit(
            &mut b,
            "/profile",
            "/profile/totp/disable",
            &[("current", "sai-mat-khau-1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .submit(
            &mut b,
            "/profile",
            "/profile/totp/disable",
            &[("current", "antoan-demo")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        !store::accounts::by_id(&app.t.db, id.id)
            .await
            .unwrap()
            .totp_enabled
    );

    // An administrator's role requires it: refused, still on.
    let mut admin = app.login("quantri").await;
    let r = app
        .submit(
            &mut admin,
            "/profile",
            "/profile/totp/disable",
            &[("current", "antoan-demo")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        store::accounts::by_username(&app.t.db, "quantri")
            .await
            .unwrap()
            .unwrap()
            .totp_enabled
    );
}

#[tokio::test]
async fn language_preference_is_kept() {
    let app = TestApp::new().await;
    let mut b = app.login("nhanvien").await;
    let r = app
        .submit(&mut b, "/profile", "/profile/language", &[("lang", "en")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = app.get(&mut b, "/profile?done=language").await.text();
    assert!(page.contains("lang=\"en\"") && page.contains("The language was saved."));
    assert_eq!(
        store::accounts::by_username(&app.t.db, "nhanvien")
            .await
            .unwrap()
            .unwrap()
            .locale,
        "en"
    );
    // A fresh browser follows the account's preference.
    let mut fresh = app.login("nhanvien").await;
    fresh.cookies.remove("antoan_lang");
    assert!(
        app.get(&mut fresh, "/profile")
            .await
            .text()
            .contains("lang=\"en\"")
    );
}
