//! PDF rendering with typst. The template is compiled from `templates/document.typ`
//! with the embedded fonts once per process; each render only injects the plan as
//! JSON and lays it out.

use std::sync::LazyLock;

use typst::foundations::{Dict, IntoValue};
use typst_as_lib::TypstEngine;
use typst_layout::PagedDocument;

use crate::error::{Error, Result};
use crate::fonts;
use crate::model::Document;
use crate::prepare::Plan;

const TEMPLATE: &str = include_str!("../templates/document.typ");

/// How many compilations memoized layout results survive. Keeping a few makes a
/// repeated render of a similar document cheap without letting the cache grow.
const CACHE_AGE: usize = 8;

static ENGINE: LazyLock<TypstEngine<typst_as_lib::TypstTemplateMainFile>> = LazyLock::new(|| {
    TypstEngine::builder()
        .main_file(TEMPLATE)
        .fonts(fonts::ALL)
        .comemo_evict_max_age(Some(CACHE_AGE))
        .build()
});

/// The JSON handed to the template: the plan plus the profile it was resolved with.
#[derive(serde::Serialize)]
struct TemplateData<'a> {
    profile: &'a crate::profile::Profile,
    #[serde(flatten)]
    plan: &'a Plan,
}

/// Renders `doc` to PDF bytes.
pub fn render_pdf(doc: &Document) -> Result<Vec<u8>> {
    let plan = Plan::new(doc)?;
    let data = TemplateData {
        profile: plan.profile,
        plan: &plan,
    };
    let json = serde_json::to_string(&data).map_err(|e| Error::Pdf(e.to_string()))?;
    let mut inputs = Dict::new();
    inputs.insert("data".into(), json.into_value());
    let compiled: PagedDocument = ENGINE
        .compile_with_input(inputs)
        .output
        .map_err(|e| Error::Pdf(e.to_string()))?;
    typst_pdf::pdf(&compiled, &typst_pdf::PdfOptions::default()).map_err(|errors| {
        Error::Pdf(
            errors
                .iter()
                .map(|e| e.message.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })
}
