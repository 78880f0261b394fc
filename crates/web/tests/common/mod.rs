//! `TestApp`: the whole router over a fresh database with the demo loaded, driven in-process
//! like a browser (cookies, forms with their CSRF tokens) or like an API client.

#![allow(
    dead_code,
    reason = "each test binary uses a different part of the harness"
)]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use std::collections::HashMap;
use store::testdb::TestDb;
use tower::ServiceExt;

pub struct TestApp {
    pub t: TestDb,
    pub router: Router,
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
    pub fn location(&self) -> String {
        self.headers
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    }
    /// Cookies set by the response, name → value.
    pub fn cookies(&self) -> HashMap<String, String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|c| c.split(';').next())
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }
}

/// A browser: a cookie jar.
#[derive(Default, Clone)]
pub struct Browser {
    pub cookies: HashMap<String, String>,
}

impl Browser {
    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }
    fn absorb(&mut self, r: &Resp) {
        for (k, v) in r.cookies() {
            if v.is_empty() {
                self.cookies.remove(&k);
            } else {
                self.cookies.insert(k, v);
            }
        }
    }
}

/// The value of the first hidden `csrf` field in a page.
pub fn csrf_of(html: &str) -> String {
    let i = html
        .find("name=\"csrf\" value=\"")
        .expect("page has a csrf field");
    let rest = &html[i + 19..];
    rest[..rest.find('"').unwrap()].to_owned()
}

pub fn form(fields: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(fields).unwrap()
}

impl TestApp {
    pub async fn new() -> TestApp {
        TestApp::with_config(web::WebConfig::default()).await
    }

    /// The app with settings of the test's own (an SMTP server, say).
    pub async fn with_config(cfg: web::WebConfig) -> TestApp {
        let t = TestDb::new().await.expect("test database");
        store::demo::load(&t.db).await.expect("demo loads");
        let router = web::router(t.db.clone(), cfg);
        TestApp { t, router }
    }

    pub async fn send(&self, req: Request<Body>) -> Resp {
        let resp = self
            .router
            .clone()
            .oneshot(req)
            .await
            .expect("router answers");
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = resp
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec();
        Resp {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, b: &mut Browser, path: &str) -> Resp {
        let req = Request::get(path)
            .header(header::COOKIE, b.cookie_header())
            .body(Body::empty())
            .unwrap();
        let r = self.send(req).await;
        b.absorb(&r);
        r
    }

    pub async fn post(&self, b: &mut Browser, path: &str, body: String) -> Resp {
        let req = Request::post(path)
            .header(header::COOKIE, b.cookie_header())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, "localhost")
            .header(header::ORIGIN, "http://localhost")
            .body(Body::from(body))
            .unwrap();
        let r = self.send(req).await;
        b.absorb(&r);
        r
    }

    /// Posts a multipart form (text fields and files `(field, file name, bytes)`) with the
    /// CSRF token taken from the page at `from`.
    pub async fn submit_multipart(
        &self,
        b: &mut Browser,
        from: &str,
        to: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> Resp {
        let page = self.get(b, from).await;
        assert_eq!(page.status, StatusCode::OK, "GET {from}: {}", page.text());
        let token = csrf_of(&page.text());
        let boundary = "----antoan-test-boundary";
        let mut body: Vec<u8> = Vec::new();
        let mut all = vec![("csrf", token.as_str())];
        all.extend_from_slice(fields);
        for (k, v) in all {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        for (k, name, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let req = Request::post(to)
            .header(header::COOKIE, b.cookie_header())
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .header(header::HOST, "localhost")
            .header(header::ORIGIN, "http://localhost")
            .body(Body::from(body))
            .unwrap();
        let r = self.send(req).await;
        b.absorb(&r);
        r
    }

    /// Posts a form with the CSRF token taken from the page at `from`.
    pub async fn submit(
        &self,
        b: &mut Browser,
        from: &str,
        to: &str,
        fields: &[(&str, &str)],
    ) -> Resp {
        let page = self.get(b, from).await;
        assert_eq!(page.status, StatusCode::OK, "GET {from}: {}", page.text());
        let token = csrf_of(&page.text());
        let mut all = vec![("csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post(b, to, form(&all)).await
    }

    /// Signs in through the pages, giving the demo TOTP code when asked.
    pub async fn login(&self, username: &str) -> Browser {
        let mut b = Browser::default();
        let r = self
            .submit(
                &mut b,
                "/login",
                "/login",
                &[
                    ("username", username),
                    ("password", store::demo::DEMO_PASSWORD),
                ],
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "sign-in of {username}: {}",
            r.text()
        );
        if r.location().starts_with("/login/totp") {
            let code = web::auth::totp::current_code(
                store::demo::DEMO_TOTP_SECRET,
                web::auth::totp::now_secs(),
            )
            .unwrap();
            let r = self
                .submit(&mut b, "/login/totp", "/login/totp", &[("code", &code)])
                .await;
            assert_eq!(
                r.status,
                StatusCode::SEE_OTHER,
                "second factor of {username}: {}",
                r.text()
            );
        }
        b
    }

    /// Signs in through the API and returns the bearer token.
    pub async fn api_token(&self, username: &str) -> String {
        let mut body =
            serde_json::json!({ "username": username, "password": store::demo::DEMO_PASSWORD });
        if matches!(username, "quantri" | "congan.tinh") {
            body["totp"] = web::auth::totp::current_code(
                store::demo::DEMO_TOTP_SECRET,
                web::auth::totp::now_secs(),
            )
            .unwrap()
            .into();
        }
        let r = self.api("POST", "/api/v1/login", None, Some(body)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        r.json()["token"].as_str().unwrap().to_owned()
    }

    pub async fn api(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<serde_json::Value>,
    ) -> Resp {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let req = match body {
            Some(v) => req
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(v.to_string()))
                .unwrap(),
            None => req.body(Body::empty()).unwrap(),
        };
        self.send(req).await
    }
}
