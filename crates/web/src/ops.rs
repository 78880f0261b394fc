//! Operations: liveness, readiness (the database answers), Prometheus metrics, and the
//! middleware that measures every request by route and status.

use crate::AppState;
use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::Instant;

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// The process-wide recorder; installed once, shared by every router built in the process.
fn handle() -> &'static PrometheusHandle {
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Full("http_request_duration_seconds".into()),
                &[
                    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
                ],
            )
            .expect("bucket list is not empty")
            .build_recorder();
        let h = recorder.handle();
        // A second install attempt (another recorder already set) keeps the first one.
        let _ = metrics::set_global_recorder(recorder);
        h
    })
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_page))
}

async fn healthz() -> &'static str {
    "ok"
}

/// Ready once the database answers and the first people index build has ended: a balancer
/// that sent load earlier would have every search take the slower database plans.
async fn readyz(State(st): State<AppState>) -> Response {
    match st.db.ping().await {
        Ok(()) if st.db.search_warming() => {
            (StatusCode::SERVICE_UNAVAILABLE, "warming up: people index").into_response()
        }
        Ok(()) => "ready".into_response(),
        Err(e) => {
            tracing::warn!(error = %crate::error::error_chain(&e), "database not reachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

async fn metrics_page(State(st): State<AppState>) -> Response {
    let (size, idle) = st.db.pool_stats();
    metrics::gauge!("db_pool_connections").set(f64::from(size));
    metrics::gauge!("db_pool_idle_connections").set(idle as f64);
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        handle().render(),
    )
        .into_response()
}

/// Counts requests and their latency by matched route (never by raw path, which would let
/// ids explode the number of series) and status.
pub async fn track(req: Request, next: Next) -> Response {
    let _ = handle();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".into());
    let method = req.method().as_str().to_owned();
    let start = Instant::now();
    let resp = next.run(req).await;
    let status = resp.status().as_u16().to_string();
    let secs = start.elapsed().as_secs_f64();
    metrics::counter!("http_requests_total", "route" => route.clone(), "method" => method.clone(), "status" => status.clone()).increment(1);
    tracing::info!(target: "http", method = %method, route = %route, status = %status, ms = secs * 1000.0, "request");
    metrics::histogram!("http_request_duration_seconds", "route" => route, "method" => method)
        .record(secs);
    resp
}
