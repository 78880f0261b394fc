//! The document model: what a caller (the JSON input, the database layer) describes.
//! It holds content only; every layout decision comes from the profile.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use crate::doctype::DocumentType;

/// The two document formats the engine renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// State administrative documents, Nghị định 30/2020/NĐ-CP.
    State,
    /// Party documents, Hướng dẫn 36-HD/VPTW and Quy định 399-QĐ/TW.
    Party,
}

impl Format {
    /// Short Vietnamese name, used in messages.
    pub fn label(self) -> &'static str {
        match self {
            Format::State => "nhà nước (NĐ 30/2020)",
            Format::Party => "Đảng (HD 36-HD/VPTW)",
        }
    }
}

/// An official document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub format: Format,
    #[serde(rename = "type")]
    pub doc_type: DocumentType,
    pub issuer: Issuer,
    /// Register number; `None` for a draft, printed as a blank to be filled in.
    #[serde(default)]
    pub number: Option<u32>,
    /// Place name of the date line, e.g. "Thanh Hóa".
    pub place: String,
    pub date: NaiveDate,
    /// Trích yếu: the subject line under the type name (or after "V/v" for a công văn).
    #[serde(default)]
    pub summary: Option<String>,
    /// Căn cứ ban hành, one basis per entry, without the final punctuation.
    #[serde(default)]
    pub legal_bases: Vec<String>,
    /// The line that closes the preamble, e.g. "Quyết nghị:".
    #[serde(default)]
    pub enactment: Option<String>,
    /// "Kính gửi" recipients.
    #[serde(default)]
    pub recipients: Vec<String>,
    #[serde(default)]
    pub body: Vec<Block>,
    pub signer: Signer,
    /// "Nơi nhận" list; the last entry is normally "Lưu: VT, …".
    #[serde(default)]
    pub distribution: Vec<String>,
    #[serde(default)]
    pub secrecy: Option<Secrecy>,
    #[serde(default)]
    pub urgency: Option<Urgency>,
    #[serde(default)]
    pub annexes: Vec<Annex>,
}

/// The issuing body and its parent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Issuer {
    /// Cơ quan chủ quản (parent body), e.g. "Tỉnh ủy Thanh Hóa". A line break (`\n`)
    /// splits a long name over two lines.
    #[serde(default)]
    pub parent: Option<String>,
    /// Cơ quan ban hành (issuing body), e.g. "Văn phòng".
    pub name: String,
    /// Abbreviation of the issuing body used in the ký hiệu, e.g. "VPTU", "UBND".
    pub abbreviation: String,
    /// Drafting unit or field of a công văn in the state format, e.g. "VX" in "12/UBND-VX".
    #[serde(default)]
    pub drafting_unit: Option<String>,
}

/// Signing authority prefix (quyền hạn người ký).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Authority {
    /// Thay mặt (on behalf of a collective).
    #[serde(rename = "TM")]
    Tm,
    /// Ký thay (signing for the head).
    #[serde(rename = "KT")]
    Kt,
    /// Quyền (acting head).
    #[serde(rename = "Q")]
    Q,
    /// Thừa lệnh (by order).
    #[serde(rename = "TL")]
    Tl,
    /// Thừa ủy quyền (by authorisation).
    #[serde(rename = "TUQ")]
    Tuq,
}

impl Authority {
    /// The key of this prefix in a profile's `[authority]` table.
    pub fn key(self) -> &'static str {
        match self {
            Authority::Tm => "TM",
            Authority::Kt => "KT",
            Authority::Q => "Q",
            Authority::Tl => "TL",
            Authority::Tuq => "TUQ",
        }
    }
}

/// One authority line of the signature block, e.g. `KT.` + "Chủ tịch".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorityLine {
    pub prefix: Authority,
    /// The collective or the head the signer acts for, e.g. "Ủy ban nhân dân", "Chủ tịch".
    pub of: String,
}

/// The signer block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signer {
    /// Zero, one or two authority lines ("TM. Ủy ban nhân dân" then "KT. Chủ tịch").
    #[serde(default)]
    pub authority: Vec<AuthorityLine>,
    /// The signer's own title; absent when the last authority line already is it
    /// (for example "Q. Chánh Văn phòng").
    #[serde(default)]
    pub position: Option<String>,
    /// Full name, without academic titles.
    pub name: String,
}

/// Độ mật (state-secret classification) stamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Secrecy {
    Mat,
    ToiMat,
    TuyetMat,
}

impl Secrecy {
    /// Stamp text.
    pub fn label(self) -> &'static str {
        match self {
            Secrecy::Mat => "Mật",
            Secrecy::ToiMat => "Tối mật",
            Secrecy::TuyetMat => "Tuyệt mật",
        }
    }
}

/// Độ khẩn (urgency) stamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    Khan,
    ThuongKhan,
    HoaToc,
}

impl Urgency {
    /// Stamp text.
    pub fn label(self) -> &'static str {
        match self {
            Urgency::Khan => "Khẩn",
            Urgency::ThuongKhan => "Thượng khẩn",
            Urgency::HoaToc => "Hỏa tốc",
        }
    }
}

/// Whether a structural part is a "Phần" or a "Chương".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartKind {
    Phan,
    Chuong,
}

/// A block of the body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Block {
    /// "Phần I" / "Chương I" with its title, numbered in Roman numerals.
    Part {
        #[serde(default = "default_part_kind")]
        part: PartKind,
        number: u32,
        title: String,
        #[serde(default)]
        blocks: Vec<Block>,
    },
    /// A numbered heading such as "I. MỤC ĐÍCH, YÊU CẦU" or "1. Mục đích".
    Section {
        /// The label as printed, e.g. "I." or "1.".
        label: String,
        title: String,
        #[serde(default)]
        blocks: Vec<Block>,
    },
    /// "Điều 1. Title" followed by its clauses.
    Article {
        number: u32,
        title: String,
        #[serde(default)]
        blocks: Vec<Block>,
    },
    /// A numbered clause or point: "1." / "a)" / "-" followed by its text.
    Point {
        label: String,
        text: String,
        #[serde(default)]
        blocks: Vec<Block>,
    },
    /// A plain paragraph.
    Paragraph { text: String },
    /// A table with a header row.
    Table(Table),
}

fn default_part_kind() -> PartKind {
    PartKind::Phan
}

/// A ruled table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    pub header: Vec<String>,
    #[serde(default)]
    pub rows: Vec<Vec<String>>,
    /// Relative column widths; equal widths when absent.
    #[serde(default)]
    pub widths: Option<Vec<f64>>,
}

/// An annex (phụ lục) printed after the signature on a new page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Annex {
    pub title: String,
    #[serde(default)]
    pub blocks: Vec<Block>,
}
