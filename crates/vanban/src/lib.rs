//! Official documents of An Toàn: the document model, the formatting rules of the
//! state format (Nghị định 30/2020/NĐ-CP) and the Party format (Hướng dẫn
//! 36-HD/VPTW, Quy định 399-QĐ/TW), sourced layout profiles, and rendering to PDF
//! (typst, with embedded Liberation Serif) and DOCX (docx-rs, Times New Roman).
//!
//! The crate does no database or network work. Callers build a [`Document`] (or
//! parse one from JSON with [`Document::from_json`]) and call [`render_pdf`],
//! [`render_docx`] or [`render_file`]. Register numbers come from the caller, which
//! uses [`NumberingCycle`] to decide which counter a new document draws from.
//!
//! The JSON form of a document (full examples in `examples/documents/`):
//!
//! ```json
//! {
//!   "format": "state",
//!   "type": "CV",
//!   "issuer": { "name": "Ủy ban nhân dân\ntỉnh Thanh Hóa", "abbreviation": "UBND", "drafting_unit": "NC" },
//!   "number": 126, "place": "Thanh Hóa", "date": "2026-08-05",
//!   "summary": "tăng cường bảo đảm an ninh, trật tự",
//!   "urgency": "khan",
//!   "recipients": ["Công an tỉnh", "Các sở, ban, ngành cấp tỉnh"],
//!   "body": [
//!     { "kind": "section", "label": "I.", "title": "MỤC ĐÍCH, YÊU CẦU", "blocks": [
//!       { "kind": "point", "label": "1.", "text": "…" } ] },
//!     { "kind": "table", "header": ["TT", "Nội dung"], "rows": [["1", "…"]] }
//!   ],
//!   "signer": { "authority": [{ "prefix": "TM", "of": "Ủy ban nhân dân" },
//!                             { "prefix": "KT", "of": "Chủ tịch" }],
//!               "position": "Phó Chủ tịch", "name": "Trần Đức Thắng" },
//!   "distribution": ["Như trên", "Lưu: VT, NC"]
//! }
//! ```
//!
//! Rendering goes model → [`profile`] selection (by format and date) → a render plan
//! holding the exact strings to print → the typst template (`templates/document.typ`)
//! or the DOCX writer. Both renderers read every layout value from the profile.

mod doctype;
mod docx;
mod error;
mod fonts;
pub mod format;
mod model;
pub mod numbering;
mod pdf;
mod prepare;
pub mod profile;
mod validate;

use std::path::Path;

pub use crate::docx::render_docx;
pub use crate::error::{Error, Result};
pub use crate::model::{
    Annex, Authority, AuthorityLine, Block, Document, DocumentType, Format, Issuer, PartKind,
    Secrecy, Signer, Table, Urgency,
};
pub use crate::numbering::{CounterKey, NumberingCycle, Series, Term};
pub use crate::pdf::render_pdf;
pub use crate::validate::{
    MAX_BLOCKS, MAX_BODY_CHARS, MAX_DEPTH, MAX_INPUT_BYTES, MAX_TABLE_CELLS,
};

/// Output formats of [`render_file`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputKind {
    Pdf,
    Docx,
}

impl OutputKind {
    /// The kind named by a file extension (case-insensitive), if any.
    pub fn from_path(path: &Path) -> Result<OutputKind> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        match ext.as_str() {
            "pdf" => Ok(OutputKind::Pdf),
            "docx" => Ok(OutputKind::Docx),
            _ => Err(Error::UnsupportedOutput(path.display().to_string())),
        }
    }
}

/// Renders `doc` into the given output kind.
pub fn render(doc: &Document, kind: OutputKind) -> Result<Vec<u8>> {
    match kind {
        OutputKind::Pdf => render_pdf(doc),
        OutputKind::Docx => render_docx(doc),
    }
}

/// Reads a JSON document from `input` and writes it to `out`, as PDF or DOCX
/// according to the extension of `out`.
pub fn render_file(input: &Path, out: &Path) -> Result<()> {
    let kind = OutputKind::from_path(out)?;
    let meta = std::fs::metadata(input).map_err(|source| Error::Read {
        path: input.to_owned(),
        source,
    })?;
    // Refuse oversized input before reading it into memory.
    let size = usize::try_from(meta.len()).unwrap_or(usize::MAX);
    if size > MAX_INPUT_BYTES {
        return Err(Error::InputTooLarge {
            bytes: size,
            limit: MAX_INPUT_BYTES,
        });
    }
    let text = std::fs::read_to_string(input).map_err(|source| Error::Read {
        path: input.to_owned(),
        source,
    })?;
    let doc = Document::from_json(&text)?;
    let bytes = render(&doc, kind)?;
    std::fs::write(out, bytes).map_err(|source| Error::Write {
        path: out.to_owned(),
        source,
    })
}
