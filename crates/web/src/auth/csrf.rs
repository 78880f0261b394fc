//! Cross-site request forgery defences, in two layers: every unsafe request from a browser
//! must come from our own origin (checked from `Sec-Fetch-Site` and `Origin`), and every form
//! carries the session's synchronizer token, checked by the [`CsrfForm`] extractor before the
//! handler sees the form. API calls with a bearer token carry no cookies and need neither.

use crate::auth::identity::Identity;
use crate::error::AppError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use std::sync::Arc;

/// Rejects unsafe requests that a browser says came from another site.
pub async fn cross_site_guard(req: Request, next: Next) -> Response {
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let bearer = req
        .headers()
        .contains_key(axum::http::header::AUTHORIZATION);
    if unsafe_method && !bearer {
        let h = req.headers();
        let fetch_site = h.get("sec-fetch-site").and_then(|v| v.to_str().ok());
        if matches!(fetch_site, Some("cross-site") | Some("same-site")) {
            return AppError::Csrf.into_response();
        }
        if let (Some(origin), Some(host)) = (
            h.get(axum::http::header::ORIGIN)
                .and_then(|v| v.to_str().ok()),
            h.get(axum::http::header::HOST)
                .and_then(|v| v.to_str().ok()),
        ) {
            let origin_host = origin.split("://").nth(1).unwrap_or("");
            if origin != "null" && origin_host != host {
                return AppError::Csrf.into_response();
            }
        }
    }
    next.run(req).await
}

/// Compares in constant time, so the token cannot be guessed byte by byte from timings.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[derive(serde::Deserialize)]
struct Token {
    #[serde(default)]
    csrf: String,
}

/// A URL-encoded form whose `csrf` field matched the session's token.
pub struct CsrfForm<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for CsrfForm<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, s: &S) -> Result<Self, Self::Rejection> {
        let expected = req
            .extensions()
            .get::<Arc<Identity>>()
            .map(|i| i.csrf().to_owned())
            .unwrap_or_default();
        let body = Bytes::from_request(req, s)
            .await
            .map_err(|_| AppError::Invalid("err.form"))?;
        let token: Token =
            serde_urlencoded::from_bytes(&body).map_err(|_| AppError::Invalid("err.form"))?;
        if expected.is_empty() || !same(&token.csrf, &expected) {
            return Err(AppError::Csrf);
        }
        let form: T =
            serde_urlencoded::from_bytes(&body).map_err(|_| AppError::Invalid("err.form"))?;
        Ok(CsrfForm(form))
    }
}
