//! The render plan: a document resolved against its profile into the exact strings
//! to print (case applied, numbers and dates formatted, lists punctuated) and a flat
//! list of body items. Both renderers consume this plan, so they cannot disagree on
//! wording; they differ only in how they place it.

use serde::Serialize;

use crate::error::Result;
use crate::fonts;
use crate::format::{self, punctuate, roman};
use crate::model::{Block, Document, PartKind};
use crate::profile::{self, Profile, TextStyle};

#[derive(Debug, Serialize)]
pub(crate) struct Plan {
    #[serde(skip)]
    pub(crate) profile: &'static Profile,
    pub(crate) metrics: Metrics,
    pub(crate) header: HeaderPlan,
    /// Type name, printed as the title (absent for a công văn).
    pub(crate) title: Option<String>,
    /// Trích yếu under the title.
    pub(crate) summary: Option<String>,
    pub(crate) legal_bases: Vec<String>,
    pub(crate) enactment: Option<String>,
    pub(crate) recipients: Option<Recipients>,
    pub(crate) body: Vec<Item>,
    pub(crate) signer: SignerPlan,
    pub(crate) distribution: Option<Distribution>,
    pub(crate) annexes: Vec<AnnexPlan>,
    /// Plain title for document metadata.
    pub(crate) meta_title: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct Metrics {
    /// Top and bottom edges of a line box, in em, from the font's own metrics; given
    /// as lengths because they then match Word's line box exactly.
    pub(crate) ascender_em: f64,
    pub(crate) descender_em: f64,
    /// Typst leading of body paragraphs, in em.
    pub(crate) body_leading_em: f64,
    /// Typst leading of header and signature blocks, in em.
    pub(crate) block_leading_em: f64,
}

#[derive(Debug, Serialize)]
pub(crate) struct HeaderPlan {
    pub(crate) parent: Vec<String>,
    pub(crate) issuer: Vec<String>,
    pub(crate) national_title: String,
    pub(crate) motto: Option<String>,
    pub(crate) number: String,
    pub(crate) cong_van_summary: Option<String>,
    pub(crate) marks: Vec<String>,
    pub(crate) place_date: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct Recipients {
    pub(crate) label: String,
    pub(crate) lines: Vec<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct Distribution {
    pub(crate) label: String,
    pub(crate) lines: Vec<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct SignerPlan {
    pub(crate) authority: Vec<String>,
    pub(crate) position: Option<String>,
    pub(crate) name: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct AnnexPlan {
    pub(crate) label: String,
    pub(crate) title: String,
    pub(crate) note: String,
    pub(crate) body: Vec<Item>,
}

/// One printed body element.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum Item {
    Part {
        label: String,
        title: String,
    },
    Heading {
        level: u8,
        text: String,
    },
    Article {
        text: String,
    },
    Paragraph {
        text: String,
    },
    Table {
        widths: Vec<f64>,
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
}

fn cased(style: &TextStyle, text: &str) -> String {
    if style.upper {
        format::upper(text.trim())
    } else {
        text.trim().to_owned()
    }
}

fn cased_lines(style: &TextStyle, text: &str) -> Vec<String> {
    text.lines()
        .map(|l| cased(style, l))
        .filter(|l| !l.is_empty())
        .collect()
}

impl Plan {
    pub(crate) fn new(doc: &Document) -> Result<Plan> {
        let profile = profile::for_document(doc)?;
        doc.validate_with(profile)?;
        let t = &profile.text;
        let w = &profile.wording;
        let abbreviation = profile.abbreviation_for(doc.doc_type).unwrap_or_default();
        let is_cong_van = !doc.doc_type.prints_name();

        let number = format::number_line(
            doc.format,
            doc.number,
            abbreviation,
            &doc.issuer.abbreviation,
            doc.issuer.drafting_unit.as_deref(),
        );
        let summary = doc
            .summary
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let cong_van_summary = summary
            .filter(|_| is_cong_van)
            .map(|s| format!("{}{}", w.cong_van_summary_prefix.value, s));
        let marks = doc
            .urgency
            .map(|u| u.label())
            .into_iter()
            .chain(doc.secrecy.map(|s| s.label()))
            .map(|m| cased(&t.mark, m))
            .collect();
        let header = HeaderPlan {
            parent: doc
                .issuer
                .parent
                .as_deref()
                .map(|p| cased_lines(&t.parent_body, p))
                .unwrap_or_default(),
            issuer: cased_lines(&t.issuing_body, &doc.issuer.name),
            national_title: cased(&t.national_title, &w.national_title.value),
            motto: w.motto.as_ref().map(|m| cased(&t.motto, &m.value)),
            number,
            cong_van_summary,
            marks,
            place_date: format::format_place_date(&doc.place, doc.date),
        };

        let title = (!is_cong_van).then(|| cased(&t.doc_type_name, doc.doc_type.name()));
        let recipients = (!doc.recipients.is_empty()).then(|| Recipients {
            label: w.recipients_label.value.clone(),
            lines: if doc.recipients.len() == 1 {
                punctuate(&doc.recipients, "", "", ".")
            } else {
                punctuate(&doc.recipients, "- ", ";", ".")
            },
        });
        let distribution = (!doc.distribution.is_empty()).then(|| Distribution {
            label: w.distribution_label.value.clone(),
            lines: punctuate(&doc.distribution, "- ", ";", "."),
        });

        let mut signer_authority = Vec::new();
        for line in &doc.signer.authority {
            let prefix = profile.authority_prefix(line.prefix).unwrap_or_default();
            signer_authority.push(cased(&t.signer_authority, &format!("{prefix} {}", line.of)));
        }
        let signer = SignerPlan {
            authority: signer_authority,
            position: doc
                .signer
                .position
                .as_deref()
                .filter(|p| !p.trim().is_empty())
                .map(|p| cased(&t.signer_position, p)),
            name: cased(&t.signer_name, &doc.signer.name),
        };

        let reference = reference_of(doc, abbreviation);
        let annex_count = doc.annexes.len();
        let annexes = doc
            .annexes
            .iter()
            .enumerate()
            .map(|(i, a)| AnnexPlan {
                label: if annex_count > 1 {
                    format!("{} {}", w.annex_label.value, roman(i as u32 + 1))
                } else {
                    w.annex_label.value.clone()
                },
                title: cased(&t.annex_title, &a.title),
                note: format!("({} {reference})", w.annex_note_of.value),
                body: flatten(&a.blocks),
            })
            .collect();

        Ok(Plan {
            profile,
            metrics: Metrics {
                ascender_em: fonts::line_metrics().ascender_em,
                descender_em: fonts::line_metrics().descender_em,
                body_leading_em: fonts::leading_em(profile.spacing.body_line_spacing.value),
                block_leading_em: fonts::leading_em(profile.spacing.block_line_spacing.value),
            },
            header,
            title,
            summary: summary
                .filter(|_| !is_cong_van)
                .map(|s| cased(&t.summary, s)),
            legal_bases: punctuate(
                &doc.legal_bases,
                &w.legal_basis_prefix.value,
                &w.legal_basis_separator.value,
                &w.legal_basis_last.value,
            ),
            enactment: doc.enactment.as_deref().map(|e| cased(&t.enactment, e)),
            recipients,
            body: flatten(&doc.body),
            signer,
            distribution,
            annexes,
            meta_title: match summary {
                Some(s) => format!("{} {}", doc.doc_type.name(), s),
                None => doc.doc_type.name().to_owned(),
            },
        })
    }
}

/// "Kế hoạch số 05/KH-UBND ngày 03 tháng 02 năm 2026 của Ủy ban nhân dân tỉnh", the
/// reference printed under an annex title.
fn reference_of(doc: &Document, abbreviation: &str) -> String {
    let number = format::number_line(
        doc.format,
        doc.number,
        abbreviation,
        &doc.issuer.abbreviation,
        doc.issuer.drafting_unit.as_deref(),
    );
    let ky_hieu = number
        .trim_start_matches("Số")
        .trim_start_matches(':')
        .trim_start();
    format!(
        "{} số {ky_hieu} {} của {}",
        doc.doc_type.name(),
        format::format_date(doc.date),
        doc.issuer.name.trim()
    )
}

/// Flattens the block tree into printed items in reading order.
pub(crate) fn flatten(blocks: &[Block]) -> Vec<Item> {
    let mut out = Vec::new();
    walk(blocks, 1, &mut out);
    out
}

fn walk(blocks: &[Block], section_level: u8, out: &mut Vec<Item>) {
    for block in blocks {
        match block {
            Block::Part {
                part,
                number,
                title,
                blocks,
            } => {
                let word = match part {
                    PartKind::Phan => "Phần",
                    PartKind::Chuong => "Chương",
                };
                out.push(Item::Part {
                    label: format!("{word} {}", roman(*number)),
                    title: format::upper(title.trim()),
                });
                walk(blocks, section_level, out);
            }
            Block::Section {
                label,
                title,
                blocks,
            } => {
                out.push(Item::Heading {
                    level: section_level,
                    text: join_label(label, title),
                });
                walk(blocks, section_level.saturating_add(1), out);
            }
            Block::Article {
                number,
                title,
                blocks,
            } => {
                out.push(Item::Article {
                    text: format!("Điều {number}. {}", title.trim()),
                });
                walk(blocks, section_level, out);
            }
            Block::Point {
                label,
                text,
                blocks,
            } => {
                out.push(Item::Paragraph {
                    text: join_label(label, text),
                });
                walk(blocks, section_level, out);
            }
            Block::Paragraph { text } => out.push(Item::Paragraph {
                text: text.trim().to_owned(),
            }),
            Block::Table(table) => out.push(Item::Table {
                widths: table
                    .widths
                    .clone()
                    .unwrap_or_else(|| vec![1.0; table.header.len()]),
                header: table.header.clone(),
                rows: table.rows.clone(),
            }),
        }
    }
}

fn join_label(label: &str, text: &str) -> String {
    let label = label.trim();
    if label.is_empty() {
        text.trim().to_owned()
    } else {
        format!("{label} {}", text.trim())
    }
}
