//! The server-rendered pages, one module per capability; each owns its routes, handlers and
//! templates, and this module merges their routers.

pub mod home;

use crate::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new().merge(crate::auth::pages::router()).merge(home::router())
}
