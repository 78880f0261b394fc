//! `antoan serve`: the web server, with structured logs and graceful shutdown.

use super::{Global, open};
use anyhow::{Context, Result};
use clap::Args;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "ANTOAN_BIND")]
    pub bind: Option<String>,
    /// Load the demo data when the database is empty.
    #[arg(long)]
    pub demo: bool,
}

fn init_logs(format: &str) {
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_env("ANTOAN_LOG").unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    if format == "json" {
        let _ = builder.json().try_init();
    } else {
        let _ = builder.try_init();
    }
}

pub async fn run(g: &Global, args: ServeArgs) -> Result<ExitCode> {
    let s = g.settings(args.bind.clone())?;
    init_logs(&s.log_format);
    let db = open(&s).await?;
    if args.demo && store::demo::is_empty(&db).await? {
        super::load_demo(&db).await?;
        tracing::info!("demo data loaded");
    }
    // The people word index is built while the server starts listening; until it is built,
    // searches are answered by the database and `/readyz` says the server is warming up.
    db.warm_search_in_background();
    let app = web::router(db.clone(), s.web());
    let addr: SocketAddr = s.bind.parse().context("bind address")?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    tracing::info!(address = %addr, database = %store::redact_url(&s.database_url), "An Toàn is listening: open http://{addr}/");
    println!("An Toàn: http://{addr}/");

    // Expired sessions are removed in the background; several servers may do this at once
    // without harm, since it is a plain DELETE.
    let purge_db = db.clone();
    let timeouts = s.web().timeouts;
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            if let Err(e) = store::sessions::purge_expired(&purge_db, timeouts).await {
                tracing::warn!(error = %e, "session purge failed");
            }
        }
    });

    // E-mail reminders: queued in the database by the reminder itself, delivered here with
    // retries. Without an SMTP host nothing is queued, so there is nothing to run.
    match &s.smtp {
        Some(smtp) => {
            tracing::info!(host = %smtp.host, port = smtp.port, tls = smtp.tls.code(),
                "e-mail reminders on");
            tokio::spawn(web::mail::worker(
                db.clone(),
                smtp.clone(),
                Duration::from_secs(15),
            ));
        }
        None => tracing::info!("e-mail reminders off (no SMTP host configured)"),
    }

    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown())
    .await
    .context("server")?;
    db.close().await;
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

/// Waits for Ctrl-C or SIGTERM; in-flight requests then finish before the process exits.
async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}
