//! Rendering benchmark: the two-page protection plan to PDF and DOCX, median of 20
//! runs after one warm-up run (which parses the fonts and the template).
//!
//! `cargo run --release -p vanban --example bench_render`

use std::path::Path;
use std::time::{Duration, Instant};

const RUNS: usize = 20;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    let mid = samples.len() / 2;
    if samples.len().is_multiple_of(2) {
        (samples[mid - 1] + samples[mid]) / 2
    } else {
        samples[mid]
    }
}

fn measure(label: &str, mut render: impl FnMut() -> usize) -> Duration {
    let warm = Instant::now();
    let bytes = render();
    let first = warm.elapsed();
    let samples: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(render());
            start.elapsed()
        })
        .collect();
    let min = samples.iter().min().copied().unwrap_or_default();
    let max = samples.iter().max().copied().unwrap_or_default();
    let med = median(samples);
    println!(
        "{label}: first {:.1} ms, median {:.1} ms (min {:.1}, max {:.1}) over {RUNS} runs, {bytes} bytes",
        first.as_secs_f64() * 1e3,
        med.as_secs_f64() * 1e3,
        min.as_secs_f64() * 1e3,
        max.as_secs_f64() * 1e3,
    );
    med
}

fn main() -> Result<(), vanban::Error> {
    let input = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/documents/ke-hoach-bao-ve-tet.json");
    let text = std::fs::read_to_string(&input).map_err(|source| vanban::Error::Read {
        path: input.clone(),
        source,
    })?;
    let doc = vanban::Document::from_json(&text)?;
    // Fail loudly on a render error instead of timing an error path; the first call
    // also pays for parsing the fonts and the template.
    let cold = Instant::now();
    vanban::render_pdf(&doc)?;
    println!(
        "PDF  cold first render: {:.1} ms",
        cold.elapsed().as_secs_f64() * 1e3
    );
    vanban::render_docx(&doc)?;
    let pdf = measure("PDF ", || {
        vanban::render_pdf(&doc).map(|b| b.len()).unwrap_or(0)
    });
    // The same plan with a different number on every run, so that typst's memoized
    // layout cannot reuse the previous page wholesale.
    let mut n = 0;
    let varied = measure("PDF, number varied", || {
        n += 1;
        let mut d = doc.clone();
        d.number = Some(100 + n);
        vanban::render_pdf(&d).map(|b| b.len()).unwrap_or(0)
    });
    let docx = measure("DOCX", || {
        vanban::render_docx(&doc).map(|b| b.len()).unwrap_or(0)
    });
    let pdf_ok = pdf.max(varied) < Duration::from_millis(300);
    let docx_ok = docx < Duration::from_millis(50);
    println!(
        "targets: PDF < 300 ms {}, DOCX < 50 ms {}",
        if pdf_ok { "met" } else { "MISSED" },
        if docx_ok { "met" } else { "MISSED" }
    );
    Ok(())
}
