//! One error type at the boundary. Handlers return [`AppError`]; the response carries the
//! error's kind and message key as an extension, and the [`render`] layer, which knows the
//! request's language and whether it came to the API, turns it into a localized page or a
//! JSON body `{error: {code, message}}`. Internal causes go to the log, never to the client.

use crate::i18n::{Lang, T};
use crate::view::ErrorPage;
use askama::Template;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

#[derive(Debug)]
pub enum AppError {
    /// Missing, or outside the caller's scope: the two look the same on purpose.
    NotFound,
    /// The caller has no role that allows this kind of action anywhere.
    Forbidden,
    /// Not signed in (pages redirect to the sign-in page instead).
    Unauthorized,
    /// Input rejected; the key names the message.
    Invalid(&'static str),
    /// Conflicts with existing data; the key names the message.
    Conflict(&'static str),
    /// Too many attempts.
    TooMany,
    /// The upload is larger than allowed.
    TooLarge,
    /// The form was not sent from our own page.
    Csrf,
    Internal(String),
}

/// What the render layer needs, carried on the response.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    pub status: StatusCode,
    pub code: &'static str,
    pub key: &'static str,
}

impl AppError {
    pub fn info(&self) -> ErrorInfo {
        let (status, code, key) = match self {
            AppError::NotFound => (StatusCode::NOT_FOUND, "not_found", "err.not_found"),
            AppError::Forbidden => (StatusCode::FORBIDDEN, "forbidden", "err.forbidden"),
            AppError::Unauthorized => {
                (StatusCode::UNAUTHORIZED, "unauthorized", "err.unauthorized")
            }
            AppError::Invalid(k) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid", *k),
            AppError::Conflict(k) => (StatusCode::CONFLICT, "conflict", *k),
            AppError::TooMany => (
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_requests",
                "err.throttled",
            ),
            AppError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "too_large", "err.too_large"),
            AppError::Csrf => (StatusCode::FORBIDDEN, "csrf", "err.csrf"),
            AppError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "err.internal",
            ),
        };
        ErrorInfo { status, code, key }
    }
}

impl From<store::Error> for AppError {
    fn from(e: store::Error) -> Self {
        match e {
            store::Error::NotFound => AppError::NotFound,
            store::Error::Conflict(k) => AppError::Conflict(k),
            store::Error::Invalid(k) => AppError::Invalid(k),
            other => AppError::Internal(error_chain(&other)),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(format!("template: {e}"))
    }
}

/// The error and its causes on one line, for the log.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(cause) = &self {
            tracing::error!(cause = %cause, "request failed");
        }
        let info = self.info();
        let mut resp = info.status.into_response();
        resp.extensions_mut().insert(info);
        resp
    }
}

/// Turns error markers into the body the client expects, in its language.
pub async fn render(req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let lang = req.extensions().get::<Lang>().copied().unwrap_or_default();
    let mut resp = next.run(req).await;
    let Some(info) = resp.extensions_mut().remove::<ErrorInfo>() else {
        return resp;
    };
    let t = T::new(lang);
    let message = t.s(info.key);
    let mut out = if api {
        let body = serde_json::json!({ "error": { "code": info.code, "message": message } });
        (info.status, axum::Json(body)).into_response()
    } else {
        let page = ErrorPage {
            t,
            status: info.status.as_u16(),
            title: t.s(&format!("err.title.{}", info.code)),
            message,
        };
        match page.render() {
            Ok(html) => (info.status, Html(html)).into_response(),
            Err(_) => (info.status, message.to_owned()).into_response(),
        }
    };
    // Keep headers such as Retry-After set by the handler.
    for (k, v) in resp.headers() {
        if k != axum::http::header::CONTENT_TYPE && k != axum::http::header::CONTENT_LENGTH {
            out.headers_mut().insert(k.clone(), v.clone());
        }
    }
    out
}

pub type AppResult<T> = Result<T, AppError>;
