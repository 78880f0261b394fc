//! Operations endpoints and the OpenAPI document.

mod common;

use axum::http::StatusCode;
use common::{Browser, TestApp};

#[tokio::test]
async fn health_readiness_and_metrics() {
    let app = TestApp::new().await;
    let mut b = Browser::default();
    assert_eq!(app.get(&mut b, "/healthz").await.text(), "ok");
    assert_eq!(app.get(&mut b, "/readyz").await.status, StatusCode::OK);
    app.get(&mut b, "/login").await;
    let m = app.get(&mut b, "/metrics").await.text();
    assert!(m.contains("http_requests_total"), "{m}");
    assert!(
        m.contains("route=\"/login\""),
        "requests are labelled by route: {m}"
    );
    assert!(
        m.contains("http_request_duration_seconds_bucket"),
        "latency histogram: {m}"
    );
    assert!(m.contains("db_pool_connections"), "{m}");
}

/// A server whose people index is still being built says so; it is ready once the build ends.
#[tokio::test]
async fn readiness_waits_for_the_people_index() {
    let app = TestApp::new().await;
    app.t.db.warm_search_in_background();
    let mut status = StatusCode::SERVICE_UNAVAILABLE;
    for _ in 0..200 {
        let r = app.get(&mut Browser::default(), "/readyz").await;
        status = r.status;
        if status == StatusCode::OK {
            break;
        }
        assert_eq!(r.text(), "warming up: people index");
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert_eq!(status, StatusCode::OK);
    assert!(!app.t.db.search_warming());
    assert!(app.t.db.search_index_current().await.unwrap());
}

#[tokio::test]
async fn readiness_fails_when_the_database_is_gone() {
    let app = TestApp::new().await;
    app.t.db.close().await;
    let r = app.get(&mut Browser::default(), "/readyz").await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn openapi_names_the_required_operations() {
    let app = TestApp::new().await;
    let doc = app
        .get(&mut Browser::default(), "/api/openapi.json")
        .await
        .json();
    let mut ids = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        assert!(path.starts_with("/api/v1/"), "{path}");
        for (_, op) in item.as_object().unwrap() {
            if let Some(id) = op.get("operationId").and_then(|v| v.as_str()) {
                ids.push(id.to_owned());
            }
        }
    }
    for required in ["login", "whoami", "listUnits", "listPeople", "getPerson"] {
        assert!(
            ids.iter().any(|i| i == required),
            "missing {required}: {ids:?}"
        );
    }
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
}

#[tokio::test]
async fn api_people_search_paging_and_scope() {
    let app = TestApp::new().await;
    let officer = app.api_token("canbo.antt").await;
    let r = app
        .api(
            "GET",
            "/api/v1/people?q=nguyen%20van%20duc",
            Some(&officer),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let items = r.json()["items"].as_array().unwrap().clone();
    assert!(
        items.iter().any(|p| p["full_name"] == "Nguyễn Văn Đức"),
        "{items:?}"
    );
    // Paging: follow the cursor to the end, no person twice.
    let mut seen = std::collections::HashSet::new();
    let mut url = "/api/v1/people?limit=20".to_owned();
    loop {
        let page = app.api("GET", &url, Some(&officer), None).await.json();
        for p in page["items"].as_array().unwrap() {
            assert!(seen.insert(p["id"].as_i64().unwrap()), "person twice: {p}");
        }
        match page["next"].as_str() {
            Some(n) => url = format!("/api/v1/people?limit=20&cursor={n}"),
            None => break,
        }
    }
    assert!(seen.len() > 70);
    // Someone of the Office, asked for by the school's administrator: not found.
    let school = app.api_token("quantri.truong").await;
    let id = *seen.iter().next().unwrap();
    let r = app
        .api("GET", &format!("/api/v1/people/{id}"), Some(&school), None)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json()["error"]["code"], "not_found");
    assert_eq!(
        app.api("GET", &format!("/api/v1/people/{id}"), Some(&officer), None)
            .await
            .status,
        StatusCode::OK
    );
    // Staff may not list people; a bad cursor is a clear 422.
    let staff = app.api_token("nhanvien").await;
    assert_eq!(
        app.api("GET", "/api/v1/people", Some(&staff), None)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let bad = app
        .api("GET", "/api/v1/people?cursor=zz", Some(&officer), None)
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("phân trang")
    );
    let units = app
        .api("GET", "/api/v1/units", Some(&school), None)
        .await
        .json();
    assert!(
        units["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["name"] != "Văn phòng Tỉnh ủy Sơn Hà")
    );
}
