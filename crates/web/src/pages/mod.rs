//! The server-rendered pages, one module per capability; each owns its routes, handlers and
//! templates, and this module merges their routers.

pub mod accounts;
pub mod audit;
pub mod calendar;
pub mod commitments;
pub mod directives;
pub mod dissemination;
pub mod home;
pub mod models;
pub mod news;
pub mod partners;
pub mod people;
pub mod people_xlsx;
pub mod plans;
pub mod profile;
pub mod registers;
pub mod rosters;
pub mod units;
pub mod upload;
pub mod uploads;

use crate::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(crate::auth::pages::router())
        .merge(home::router())
        .merge(units::router())
        .merge(people::router())
        .merge(people_xlsx::router())
        .merge(partners::router())
        .merge(accounts::router())
        .merge(profile::router())
        .merge(audit::router())
        .merge(calendar::router())
        .merge(registers::router())
        .merge(models::router())
        .merge(news::router())
        .merge(commitments::router())
        .merge(dissemination::router())
        .merge(directives::router())
        .merge(rosters::router())
        .merge(plans::router())
}
