//! Helpers shared by the integration tests: example documents and external tools.

#![allow(dead_code, reason = "each test binary uses a different subset")]

use std::path::{Path, PathBuf};
use std::process::Command;

use vanban::Document;

/// The repository's `examples/documents` folder.
pub fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/documents")
}

pub fn example_path(name: &str) -> PathBuf {
    examples_dir().join(format!("{name}.json"))
}

pub fn example(name: &str) -> Document {
    let text = std::fs::read_to_string(example_path(name)).expect("example readable");
    Document::from_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

pub const EXAMPLES: [&str; 4] = [
    "ke-hoach-bao-ve-tet",
    "bao-cao-an-toan-antt",
    "nghi-quyet-dang-uy",
    "cong-van-19-8",
];

/// Whether an external tool can run. A missing tool skips the test with a notice on
/// a developer machine, and fails it when `CI` is set, so that CI never passes by
/// skipping.
pub fn tool_available(tool: &str) -> bool {
    let found = Command::new(tool)
        .arg("-v")
        .output()
        .map(|o| o.status.success() || !o.stderr.is_empty() || !o.stdout.is_empty())
        .unwrap_or(false);
    if found {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!("{tool} (poppler-utils) is required when CI is set but was not found");
    }
    eprintln!("notice: {tool} not found (install poppler-utils); skipping this check");
    false
}

/// A scratch directory unique to one test.
pub fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vanban-test-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}
