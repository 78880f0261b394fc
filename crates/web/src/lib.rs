//! The web face of An Toàn: server-rendered pages in Vietnamese and English, the JSON API
//! under `/api/v1` with its OpenAPI document, and the operations endpoints.
//!
//! Every request passes the identity layer (session cookie or API token), the cross-site
//! check on unsafe methods, and the error renderer that turns an [`AppError`] into a localized
//! page or a JSON error. Handlers reach data only through extractors that hand out a scope.

pub mod api;
mod assets;
pub mod auth;
pub mod config;
pub mod error;
pub mod i18n;
pub mod mail;
pub mod ops;
pub mod pages;
pub mod view;

pub use config::WebConfig;
pub use error::AppError;

use axum::Router;
use std::sync::Arc;
use store::Db;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub cfg: Arc<WebConfig>,
}

/// The whole application as one router.
pub fn router(db: Db, cfg: WebConfig) -> Router {
    let state = AppState {
        db,
        cfg: Arc::new(cfg),
    };
    let (api_router, openapi) = api::router().split_for_parts();
    let openapi_json = Arc::new(
        openapi
            .to_pretty_json()
            .expect("the OpenAPI document serialises"),
    );
    Router::new()
        .merge(pages::router())
        .merge(api_router)
        .route(
            "/api/openapi.json",
            axum::routing::get(move || {
                let doc = openapi_json.clone();
                async move {
                    (
                        [(axum::http::header::CONTENT_TYPE, "application/json")],
                        (*doc).clone(),
                    )
                }
            }),
        )
        .merge(ops::router())
        .merge(assets::router())
        // Unknown addresses get the same localized "not found" page as a record out of scope.
        .fallback(|| async { AppError::NotFound })
        .layer(axum::middleware::from_fn(error::render))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::identity::layer,
        ))
        .layer(axum::middleware::from_fn(auth::csrf::cross_site_guard))
        .layer(axum::middleware::from_fn(ops::track))
        .layer(axum::extract::DefaultBodyLimit::max(
            state.cfg.max_upload_bytes,
        ))
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
        .with_state(state)
}
