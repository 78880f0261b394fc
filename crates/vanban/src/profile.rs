//! Layout profiles: the embedded, sourced layout data of each format (paper,
//! margins, fonts, sizes, weights, rules, spacing, wording). Renderers read every
//! layout value from here; none is written into renderer code.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::doctype::DocumentType;
use crate::error::{Error, Result};
use crate::model::{Authority, Document, Format};

/// How sure the profile is of a value (the tags of DOMAIN.md §0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Certainty {
    /// Read in the regulation itself.
    C,
    /// Secondary source.
    S,
    /// House choice or unconfirmed background knowledge.
    M,
}

/// A value with where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sourced<T> {
    pub value: T,
    /// Interval the source allows, when it gives one.
    #[serde(default)]
    pub range: Option<[f64; 2]>,
    pub tag: Certainty,
    pub source: String,
}

/// Text style of one element.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextStyle {
    /// Size in points.
    pub size: f64,
    #[serde(default)]
    pub range: Option<[f64; 2]>,
    pub bold: bool,
    pub italic: bool,
    #[serde(default)]
    pub underline: bool,
    /// Printed in capitals.
    pub upper: bool,
    pub tag: Certainty,
    pub source: String,
}

/// What is drawn under a header element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    None,
    /// A solid line, `fraction` of the width of the text above.
    Line,
    /// A centred asterisk line (Party issuing body).
    Star,
    /// A short dashed text line.
    Dashes,
}

/// A rule under a header element.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub kind: RuleKind,
    /// Line length as a fraction of the text line above it.
    pub fraction: f64,
    /// Shortest line, in mm.
    #[serde(default)]
    pub min_mm: f64,
    /// Text of a `star` or `dashes` rule.
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub range: Option<[f64; 2]>,
    pub tag: Certainty,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Page {
    pub width_mm: Sourced<f64>,
    pub height_mm: Sourced<f64>,
    pub top_mm: Sourced<f64>,
    pub bottom_mm: Sourced<f64>,
    pub left_mm: Sourced<f64>,
    pub right_mm: Sourced<f64>,
    /// Distance from the paper edge to the page-number line.
    pub header_distance_mm: Sourced<f64>,
}

impl Page {
    /// Width of the text area in mm.
    pub fn text_width_mm(&self) -> f64 {
        self.width_mm.value - self.left_mm.value - self.right_mm.value
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageNumber {
    /// First page that shows its number.
    pub from_page: Sourced<u32>,
    pub position: Sourced<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fonts {
    /// Family embedded in the PDF.
    pub pdf_family: Sourced<String>,
    /// Family named in the DOCX.
    pub docx_family: Sourced<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spacing {
    /// Body line spacing, in lines (1.0 = single).
    pub body_line_spacing: Sourced<f64>,
    /// Line spacing of the header and signature blocks, in lines.
    pub block_line_spacing: Sourced<f64>,
    pub paragraph_after_pt: Sourced<f64>,
    pub first_line_indent_mm: Sourced<f64>,
    pub cong_van_summary_before_pt: Sourced<f64>,
    pub title_before_pt: Sourced<f64>,
    pub title_after_pt: Sourced<f64>,
    pub signature_before_pt: Sourced<f64>,
    pub number_before_pt: Sourced<f64>,
    pub mark_before_pt: Sourced<f64>,
    pub enactment_around_pt: Sourced<f64>,
    pub part_before_pt: Sourced<f64>,
    pub annex_heading_gap_pt: Sourced<f64>,
    pub annex_heading_after_pt: Sourced<f64>,
    pub table_cell_padding_pt: Sourced<f64>,
    pub signature_gap_mm: Sourced<f64>,
}

/// Where the place-and-date line sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatePosition {
    /// On the row of the number, under the national title block (NĐ 30).
    NumberRow,
    /// Inside the right header block, under the Party title (HD 36).
    RightBlock,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    pub left_width_mm: Sourced<f64>,
    pub right_width_mm: Sourced<f64>,
    pub place_date_position: Sourced<String>,
    pub date_gap_pt: Sourced<f64>,
}

impl Header {
    /// The parsed date position; the value is checked when the profile loads.
    pub fn date_position(&self) -> DatePosition {
        if self.place_date_position.value == "right_block" {
            DatePosition::RightBlock
        } else {
            DatePosition::NumberRow
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    pub left_width_mm: Sourced<f64>,
    pub right_width_mm: Sourced<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// Colour of the urgency and secrecy stamps, as "#rrggbb".
    pub mark_color: Sourced<String>,
    /// Inner padding of the stamp frame, in points.
    pub mark_padding_pt: Sourced<f64>,
    /// Distance of an underline below the baseline, in points.
    pub underline_offset_pt: Sourced<f64>,
    /// Gap between the text and the rule under it, in points.
    pub gap_pt: Sourced<f64>,
    pub stroke_pt: Sourced<f64>,
    pub issuing_body: Rule,
    pub national_title: Rule,
    pub motto: Rule,
    pub summary: Rule,
}

/// Text style of every element.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Styles {
    pub parent_body: TextStyle,
    pub issuing_body: TextStyle,
    pub national_title: TextStyle,
    pub motto: TextStyle,
    pub star: TextStyle,
    pub number: TextStyle,
    pub place_date: TextStyle,
    pub doc_type_name: TextStyle,
    pub summary: TextStyle,
    pub cong_van_summary: TextStyle,
    pub legal_basis: TextStyle,
    pub enactment: TextStyle,
    pub recipients: TextStyle,
    pub body: TextStyle,
    pub part_heading: TextStyle,
    pub heading: TextStyle,
    pub subheading: TextStyle,
    pub article_heading: TextStyle,
    pub table: TextStyle,
    pub table_header: TextStyle,
    pub signer_authority: TextStyle,
    pub signer_position: TextStyle,
    pub signer_name: TextStyle,
    pub distribution_label: TextStyle,
    pub distribution_list: TextStyle,
    pub mark: TextStyle,
    pub page_number: TextStyle,
    pub annex_label: TextStyle,
    pub annex_title: TextStyle,
    pub annex_note: TextStyle,
}

/// Fixed wording of the format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wording {
    pub national_title: Sourced<String>,
    #[serde(default)]
    pub motto: Option<Sourced<String>>,
    pub recipients_label: Sourced<String>,
    pub distribution_label: Sourced<String>,
    pub cong_van_summary_prefix: Sourced<String>,
    pub legal_basis_prefix: Sourced<String>,
    pub legal_basis_separator: Sourced<String>,
    pub legal_basis_last: Sourced<String>,
    pub annex_label: Sourced<String>,
    pub annex_note_of: Sourced<String>,
}

/// Type abbreviations of the format: pairs of (input code, printed abbreviation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeTable {
    pub tag: Certainty,
    pub source: String,
    pub codes: Vec<(String, String)>,
}

/// A complete layout profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub id: String,
    pub name: String,
    pub format: Format,
    pub valid_from: NaiveDate,
    #[serde(default)]
    pub valid_to: Option<NaiveDate>,
    pub page: Page,
    pub page_number: PageNumber,
    pub fonts: Fonts,
    pub spacing: Spacing,
    pub header: Header,
    pub signature: Signature,
    pub rules: Rules,
    pub text: Styles,
    pub wording: Wording,
    pub authority: BTreeMap<String, Sourced<String>>,
    pub document_types: TypeTable,
}

impl Profile {
    /// The abbreviation printed in the ký hiệu for `t`: `Some("")` when the type has
    /// no code (state công văn), `None` when the format does not define the type.
    pub fn abbreviation_for(&self, t: DocumentType) -> Option<&str> {
        self.document_types
            .codes
            .iter()
            .find(|(code, _)| DocumentType::parse(code).ok() == Some(t))
            .map(|(_, abbr)| abbr.as_str())
    }

    /// Printed prefix of a signing authority, if the format uses it.
    pub fn authority_prefix(&self, a: Authority) -> Option<&str> {
        self.authority.get(a.key()).map(|s| s.value.as_str())
    }

    fn covers(&self, format: Format, date: NaiveDate) -> bool {
        self.format == format
            && self.valid_from <= date
            && self.valid_to.is_none_or(|end| date <= end)
    }

    fn check(&self) -> std::result::Result<(), String> {
        let pos = &self.header.place_date_position.value;
        if pos != "number_row" && pos != "right_block" {
            return Err(format!("place_date_position \"{pos}\" không hợp lệ"));
        }
        for (code, _) in &self.document_types.codes {
            DocumentType::parse(code).map_err(|e| e.to_string())?;
        }
        for key in self.authority.keys() {
            if !["TM", "KT", "Q", "TL", "TUQ"].contains(&key.as_str()) {
                return Err(format!("quyền hạn ký \"{key}\" không xác định"));
            }
        }
        Ok(())
    }
}

const SOURCES: &[(&str, &str)] = &[
    ("nd30-2020", include_str!("../profiles/state-nd30.toml")),
    ("hd36-2018", include_str!("../profiles/party-hd36.toml")),
];

/// Parsed profiles, or the id and message of the first one that failed to load.
type Loaded = std::result::Result<Vec<Profile>, (&'static str, String)>;

static PROFILES: LazyLock<Loaded> = LazyLock::new(|| {
    SOURCES
        .iter()
        .map(|(id, text)| {
            let profile: Profile = toml::from_str(text).map_err(|e| (*id, e.to_string()))?;
            profile.check().map_err(|message| (*id, message))?;
            Ok(profile)
        })
        .collect()
});

/// All embedded profiles.
pub fn all() -> Result<&'static [Profile]> {
    match &*PROFILES {
        Ok(list) => Ok(list),
        Err((id, message)) => Err(Error::Profile {
            id,
            message: message.clone(),
        }),
    }
}

/// The profile of `format` in force on `date`; the newest one wins if several do.
pub fn select(format: Format, date: NaiveDate) -> Result<&'static Profile> {
    all()?
        .iter()
        .filter(|p| p.covers(format, date))
        .max_by_key(|p| p.valid_from)
        .ok_or_else(|| Error::NoProfile {
            format: format.label().to_owned(),
            date,
        })
}

/// The profile used to render `doc`.
pub fn for_document(doc: &Document) -> Result<&'static Profile> {
    select(doc.format, doc.date)
}
