//! `antoan`: the one binary. Thin over the library crates: it parses the command line, layers
//! the configuration and hands over.

mod cmd;
mod config;

use clap::Parser;

/// The server runs many short requests on a few threads; this allocator keeps a cache per
/// thread and returns freed memory to the system, where the C library's allocator spent a
/// tenth of a request's time in its locks and kept the peak of an index rebuild resident.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = cmd::Cli::parse();
    match cmd::run(cli).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("antoan: {e:#}");
            std::process::ExitCode::from(1)
        }
    }
}
