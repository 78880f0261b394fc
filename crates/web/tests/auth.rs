//! Sign-in, second factor, sessions, CSRF and the API's login, through the router.

mod common;

use axum::http::StatusCode;
use common::{Browser, TestApp, form};

#[tokio::test]
async fn staff_signs_in_without_second_factor_and_sees_home() {
    let app = TestApp::new().await;
    let mut b = app.login("nhanvien").await;
    let home = app.get(&mut b, "/").await;
    assert_eq!(home.status, StatusCode::OK);
    let html = home.text();
    assert!(html.contains("Nguyễn Thị Hồng Nhung"), "{html}");
    assert!(html.contains("lang=\"vi\""));
}

#[tokio::test]
async fn administrator_needs_the_second_factor() {
    let app = TestApp::new().await;
    let mut b = Browser::default();
    let r = app
        .submit(
            &mut b,
            "/login",
            "/login",
            &[("username", "quantri"), ("password", "antoan-demo")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/login/totp"), "{}", r.location());
    // Before the code, the home page sends back to the code page.
    let home = app.get(&mut b, "/").await;
    assert_eq!(home.location(), "/login/totp");
    let bad = app
        .submit(&mut b, "/login/totp", "/login/totp", &[("code", "000000")])
        .await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    assert!(bad.text().contains("Mã không đúng"));
    let code =
        web::auth::totp::current_code(store::demo::DEMO_TOTP_SECRET, web::auth::totp::now_secs())
            .unwrap();
    let ok = app
        .submit(&mut b, "/login/totp", "/login/totp", &[("code", &code)])
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(app.get(&mut b, "/").await.status, StatusCode::OK);
    // The same code cannot be used twice.
    let mut b2 = Browser::default();
    app.submit(
        &mut b2,
        "/login",
        "/login",
        &[("username", "quantri"), ("password", "antoan-demo")],
    )
    .await;
    let replay = app
        .submit(&mut b2, "/login/totp", "/login/totp", &[("code", &code)])
        .await;
    assert_eq!(replay.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn wrong_password_is_refused_and_locks_after_five() {
    let app = TestApp::new().await;
    let mut b = Browser::default();
    for _ in 0..5 {
        let r = app
            .submit(
                &mut b,
                "/login",
                "/login",
                &[("username", "nhanvien"), ("password", "sai-mat-khau-1")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(r.text().contains("không đúng"));
    }
    // Locked: even the right password fails for now.
    let r = app
        .submit(
            &mut b,
            "/login",
            "/login",
            &[("username", "nhanvien"), ("password", "antoan-demo")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let v = store::audit::verify(&app.t.db).await.unwrap();
    assert_eq!(v.first_break, None);
}

#[tokio::test]
async fn forms_need_the_session_token() {
    let app = TestApp::new().await;
    let mut b = app.login("nhanvien").await;
    let r = app
        .post(&mut b, "/logout", form(&[("csrf", "forged")]))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get(&mut b, "/").await.status,
        StatusCode::OK,
        "still signed in"
    );
    let r = app.submit(&mut b, "/", "/logout", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(app.get(&mut b, "/").await.location().starts_with("/login"));
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    let app = TestApp::new().await;
    let req = axum::http::Request::post("/login")
        .header("host", "localhost")
        .header("origin", "http://evil.example")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(
            "username=nhanvien&password=antoan-demo",
        ))
        .unwrap();
    assert_eq!(app.send(req).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn session_cookie_is_http_only_and_same_site() {
    let app = TestApp::new().await;
    let mut b = Browser::default();
    let r = app
        .submit(
            &mut b,
            "/login",
            "/login",
            &[("username", "nhanvien"), ("password", "antoan-demo")],
        )
        .await;
    let cookie = r
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("antoan_sid="))
        .unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
}

#[tokio::test]
async fn api_login_whoami_and_errors() {
    let app = TestApp::new().await;
    let bad = app
        .api(
            "POST",
            "/api/v1/login",
            None,
            Some(serde_json::json!({"username": "nhanvien", "password": "x"})),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    assert_eq!(bad.json()["error"]["code"], "unauthorized");
    assert!(bad.json()["error"]["message"].as_str().unwrap().len() > 5);
    // An overseer without the code is refused.
    let no_code = app
        .api(
            "POST",
            "/api/v1/login",
            None,
            Some(serde_json::json!({"username": "congan.tinh", "password": "antoan-demo"})),
        )
        .await;
    assert_eq!(no_code.status, StatusCode::UNAUTHORIZED);
    let token = app.api_token("congan.tinh").await;
    let me = app.api("GET", "/api/v1/whoami", Some(&token), None).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json()["username"], "congan.tinh");
    assert_eq!(me.json()["roles"][0]["role"], "overseer");
    let anon = app.api("GET", "/api/v1/whoami", None, None).await;
    assert_eq!(anon.status, StatusCode::UNAUTHORIZED);
    let forged = app
        .api("GET", "/api/v1/whoami", Some("at_0000"), None)
        .await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn english_switch_and_catalog() {
    let app = TestApp::new().await;
    let mut b = Browser::default();
    let r = app.get(&mut b, "/lang/en?next=/login").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = app.get(&mut b, "/login").await.text();
    assert!(page.contains("Sign in") && page.contains("lang=\"en\""));
    let vi = app.get(&mut Browser::default(), "/login").await.text();
    assert!(vi.contains("Đăng nhập"));
}
