//! Renders one JSON document: `cargo run -p vanban --example render -- IN.json OUT.pdf|OUT.docx`.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [input, out] = args.as_slice() else {
        eprintln!("cách dùng: render INPUT.json OUT.pdf|OUT.docx");
        return ExitCode::from(2);
    };
    match vanban::render_file(input, out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lỗi: {e}");
            ExitCode::FAILURE
        }
    }
}
