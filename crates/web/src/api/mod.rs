//! The JSON API under `/api/v1`. Same permissions as the pages (the same extractors hand out
//! the same scopes); errors are `{error: {code, message}}`; the OpenAPI document at
//! `/api/openapi.json` is generated from the handlers' annotations.

pub mod auth;
pub mod calendar;
pub mod campaigns;
pub mod directory;
pub mod documents;
pub mod movement;
pub mod plans;
pub mod rosters;

use crate::AppState;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(title = "An Toàn API", description = "Security and order management: units, people, accounts and the movement's work."),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    components(schemas(ApiErrorBody, ApiErrorDetail))
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Every error the API returns.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ApiErrorBody {
    pub error: ApiErrorDetail,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ApiErrorDetail {
    /// Stable machine-readable code: not_found, forbidden, unauthorized, invalid, conflict, too_many_requests, internal.
    pub code: String,
    /// Human-readable message in the caller's language.
    pub message: String,
}

pub fn router() -> OpenApiRouter<AppState> {
    let v1 = OpenApiRouter::new()
        .routes(routes!(auth::login))
        .routes(routes!(auth::whoami))
        .routes(routes!(directory::list_units))
        .routes(routes!(directory::list_people))
        .routes(routes!(directory::get_person))
        .routes(routes!(calendar::solar_to_lunar))
        .routes(routes!(calendar::lunar_to_solar))
        .routes(routes!(calendar::list_holidays))
        .routes(routes!(calendar::list_peak_periods))
        .routes(routes!(calendar::list_events))
        .routes(routes!(
            documents::create_outgoing_document,
            documents::list_documents
        ))
        .routes(routes!(documents::get_document))
        .routes(routes!(documents::render_document))
        .routes(routes!(movement::list_movement_models))
        .routes(routes!(movement::get_movement_model))
        .routes(routes!(movement::list_news))
        .routes(routes!(movement::get_news))
        .routes(routes!(
            campaigns::list_commitment_campaigns,
            campaigns::create_commitment_campaign
        ))
        .routes(routes!(campaigns::sign_commitment))
        .routes(routes!(campaigns::get_campaign_coverage))
        .routes(routes!(campaigns::list_dissemination_campaigns))
        .routes(routes!(campaigns::acknowledge_document))
        .routes(routes!(campaigns::get_dissemination_coverage))
        .routes(routes!(rosters::list_rosters))
        .routes(routes!(rosters::get_roster))
        .routes(routes!(plans::list_plans))
        .routes(routes!(plans::get_plan));
    OpenApiRouter::with_openapi(ApiDoc::openapi()).nest("/api/v1", v1)
}
