//! Parsing a document from JSON and checking it against the size limits and against
//! the layout profile of its format (known type abbreviation, known signing prefixes).

use crate::doctype::DocumentType;
use crate::error::{Error, Result};
use crate::model::{Block, Document, Format};
use crate::profile::{self, Profile};

/// Largest JSON input accepted, in bytes.
pub const MAX_INPUT_BYTES: usize = 2 * 1024 * 1024;
/// Largest total text of the body, annexes and preamble, in characters (about 60 pages).
pub const MAX_BODY_CHARS: usize = 150_000;
/// Largest number of body blocks, counting nested ones.
pub const MAX_BLOCKS: usize = 5_000;
/// Deepest nesting of blocks.
pub const MAX_DEPTH: usize = 8;
/// Largest number of table cells in the whole document.
pub const MAX_TABLE_CELLS: usize = 10_000;

impl Document {
    /// Parses and validates a document from its JSON form.
    pub fn from_json(text: &str) -> Result<Document> {
        if text.len() > MAX_INPUT_BYTES {
            return Err(Error::InputTooLarge {
                bytes: text.len(),
                limit: MAX_INPUT_BYTES,
            });
        }
        // A pre-pass on the untyped value turns an unknown type code into its own
        // error instead of a generic deserialization message.
        let value: serde_json::Value = serde_json::from_str(text)?;
        if let Some(code) = value.get("type").and_then(|v| v.as_str()) {
            DocumentType::parse(code)?;
        }
        drop(value);
        let doc: Document = serde_json::from_str(text)?;
        doc.validate()?;
        Ok(doc)
    }

    /// Checks the document against the limits and its format's profile.
    pub fn validate(&self) -> Result<()> {
        let profile = profile::for_document(self)?;
        self.validate_with(profile)
    }

    pub(crate) fn validate_with(&self, profile: &Profile) -> Result<()> {
        non_empty("issuer.name", &self.issuer.name)?;
        non_empty("issuer.abbreviation", &self.issuer.abbreviation)?;
        abbreviation("issuer.abbreviation", &self.issuer.abbreviation)?;
        if let Some(unit) = &self.issuer.drafting_unit {
            abbreviation("issuer.drafting_unit", unit)?;
        }
        non_empty("place", &self.place)?;
        non_empty("signer.name", &self.signer.name)?;
        if let Some(n) = self.number
            && !(1..=99_999).contains(&n)
        {
            return Err(Error::Invalid {
                field: "number",
                reason: format!("số {n} nằm ngoài khoảng 1–99999"),
            });
        }
        if profile.abbreviation_for(self.doc_type).is_none() {
            return Err(Error::TypeNotInFormat {
                code: self.doc_type.code().to_owned(),
                format: self.format.label().to_owned(),
            });
        }
        if self.format == Format::State
            && self.doc_type == DocumentType::CongVan
            && self.issuer.drafting_unit.is_none()
        {
            return Err(Error::Invalid {
                field: "issuer.drafting_unit",
                reason: "công văn theo NĐ 30/2020 cần chữ viết tắt đơn vị soạn thảo (ví dụ \"VX\" trong \"12/UBND-VX\")".to_owned(),
            });
        }
        self.validate_signer(profile)?;
        self.validate_size()
    }

    fn validate_signer(&self, profile: &Profile) -> Result<()> {
        let lines = &self.signer.authority;
        if lines.len() > 2 {
            return Err(Error::Invalid {
                field: "signer.authority",
                reason: "tối đa hai dòng quyền hạn ký".to_owned(),
            });
        }
        for (i, line) in lines.iter().enumerate() {
            if profile.authority_prefix(line.prefix).is_none() {
                return Err(Error::AuthorityNotInFormat {
                    authority: line.prefix.key().to_owned(),
                    format: self.format.label().to_owned(),
                });
            }
            if i > 0 && line.prefix == crate::model::Authority::Tm {
                return Err(Error::Invalid {
                    field: "signer.authority",
                    reason: "\"TM\" chỉ đứng ở dòng quyền hạn đầu tiên".to_owned(),
                });
            }
            non_empty("signer.authority.of", &line.of)?;
        }
        if lines.is_empty() && self.signer.position.as_deref().is_none_or(str::is_empty) {
            return Err(Error::Invalid {
                field: "signer.position",
                reason: "cần chức vụ người ký hoặc dòng quyền hạn ký".to_owned(),
            });
        }
        Ok(())
    }

    fn validate_size(&self) -> Result<()> {
        let mut tally = Tally::default();
        for text in self
            .legal_bases
            .iter()
            .chain(&self.recipients)
            .chain(&self.distribution)
            .chain(self.summary.iter())
        {
            tally.chars += text.chars().count();
        }
        for block in &self.body {
            tally.visit(block, 1)?;
        }
        for annex in &self.annexes {
            tally.chars += annex.title.chars().count();
            for block in &annex.blocks {
                tally.visit(block, 1)?;
            }
        }
        limit("số ký tự", tally.chars, MAX_BODY_CHARS)?;
        limit("số khối nội dung", tally.blocks, MAX_BLOCKS)?;
        limit("số ô bảng", tally.cells, MAX_TABLE_CELLS)
    }
}

#[derive(Default)]
struct Tally {
    chars: usize,
    blocks: usize,
    cells: usize,
}

impl Tally {
    fn visit(&mut self, block: &Block, depth: usize) -> Result<()> {
        limit("độ sâu lồng nhau", depth, MAX_DEPTH)?;
        self.blocks += 1;
        // Checked while walking so that a hostile input stops early.
        limit("số khối nội dung", self.blocks, MAX_BLOCKS)?;
        let children = match block {
            Block::Part { title, blocks, .. } | Block::Article { title, blocks, .. } => {
                self.chars += title.chars().count();
                blocks
            }
            Block::Section {
                label,
                title,
                blocks,
            } => {
                self.chars += label.chars().count() + title.chars().count();
                blocks
            }
            Block::Point {
                label,
                text,
                blocks,
            } => {
                self.chars += label.chars().count() + text.chars().count();
                blocks
            }
            Block::Paragraph { text } => {
                self.chars += text.chars().count();
                return Ok(());
            }
            Block::Table(table) => {
                let columns = table.header.len();
                if columns == 0 {
                    return Err(Error::Invalid {
                        field: "table.header",
                        reason: "bảng cần ít nhất một cột".to_owned(),
                    });
                }
                if let Some(widths) = &table.widths
                    && (widths.len() != columns
                        || widths.iter().any(|w| !w.is_finite() || *w <= 0.0))
                {
                    return Err(Error::Invalid {
                        field: "table.widths",
                        reason: format!("cần {columns} độ rộng dương"),
                    });
                }
                for row in std::iter::once(&table.header).chain(&table.rows) {
                    if row.len() != columns {
                        return Err(Error::Invalid {
                            field: "table.rows",
                            reason: format!(
                                "mỗi hàng cần đúng {columns} ô, có hàng {} ô",
                                row.len()
                            ),
                        });
                    }
                    self.cells += columns;
                    self.chars += row.iter().map(|c| c.chars().count()).sum::<usize>();
                }
                return Ok(());
            }
        };
        for child in children {
            self.visit(child, depth + 1)?;
        }
        Ok(())
    }
}

fn limit(what: &'static str, actual: usize, limit: usize) -> Result<()> {
    if actual > limit {
        return Err(Error::BodyTooLarge {
            what,
            actual,
            limit,
        });
    }
    Ok(())
}

fn non_empty(field: &'static str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::Invalid {
            field,
            reason: "không được để trống".to_owned(),
        });
    }
    Ok(())
}

/// Abbreviations go between "/" and "-" in the ký hiệu, so they cannot contain
/// either separator or spaces.
fn abbreviation(field: &'static str, value: &str) -> Result<()> {
    if value.chars().any(|c| c.is_whitespace() || c == '/') || value.starts_with('-') {
        return Err(Error::Invalid {
            field,
            reason: format!("chữ viết tắt \"{value}\" không được chứa khoảng trắng hoặc dấu \"/\""),
        });
    }
    Ok(())
}
