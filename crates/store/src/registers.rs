//! Document registers (sổ đăng ký văn bản đi / đến) of each organisation: outgoing documents
//! with their register number and ký hiệu, incoming documents with their arrival number and
//! processing trail (NĐ 30/2020, Phụ lục VI; HD 36-HD/VPTW for Party bodies).
//!
//! # Who may do what
//! The permission matrix has no register action yet. Reading a register uses the reach of
//! `PartnerView` (administrator, overseer, organisation administrator, leader, security
//! officer, Party committee) and writing uses `PartnerManage` (administrator, organisation
//! administrator, security officer): the people who already keep the organisation's outside
//! relations. When a dedicated action is added, only the capability markers named here and in
//! the web handlers change.
//!
//! # Numbering
//! The counter a number is drawn from is decided by [`vanban::NumberingCycle`]: state bodies
//! (format nd30) number all types in one sequence per calendar year (copies apart); Party
//! bodies (hd36) number each type from 01 within the Party committee's term, whose boundaries
//! are configuration stored per organisation in `register_terms` with their source. Counters
//! live in `register_counters` and are incremented with `UPDATE … RETURNING` inside the write
//! transaction; [`crate::Db::begin_write`] already serialises writers, so numbers are distinct
//! and gap-free on both databases. Numbers follow time order: a document cannot be dated
//! before the last one numbered in its series.
//!
//! # Secrecy
//! An entry marked Mật or higher is shown only to accounts cleared for its level
//! (`secrecy_clearances`); anyone else sees number, ký hiệu and date and the placeholder
//! "[Văn bản mật]", and search never matches its trích yếu.

pub mod demo;
mod ops;
mod read;
pub mod secrecy;
mod trail;
mod write;

pub use demo::{bulk_generate, load_demo};
pub(crate) use ops::issue_in_tx;
pub use ops::{create_outgoing, issue_draft, recall, register_incoming, update_outgoing};
pub use read::{ListPage, ListQuery, book, count, get, list, steps};
pub use secrecy::Viewer;
pub use trail::{add_step, assign, assignable, mark_done};
pub use write::{
    IncomingInput, OutgoingInput, Saved, add_term, ky_hieu, set_settings, settings, terms,
};

use crate::{Error, Result};
use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use vanban::DocumentType;

/// Shown instead of the trích yếu of an entry the viewer is not cleared for.
pub const SECRET_PLACEHOLDER: &str = "[Văn bản mật]";
/// Longest trích yếu, in characters (Appendix VI: Subject, String 500).
pub const MAX_TITLE_CHARS: usize = 500;
/// Longest content of an outgoing document, in characters.
pub const MAX_CONTENT_CHARS: usize = 20_000;

macro_rules! codes {
    ($(#[$doc:meta])* $name:ident, $err:literal { $($variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn parse(s: &str) -> Result<$name> {
                match s.trim() {
                    $($code => Ok($name::$variant),)+
                    _ => Err(Error::Invalid($err)),
                }
            }
        }
    };
}

codes!(
    /// Outgoing (văn bản đi) or incoming (văn bản đến).
    Direction, "err.reg_direction" { Outgoing = "outgoing", Incoming = "incoming" }
);
codes!(
    /// Độ mật, ordered from none to Tuyệt mật.
    Level, "err.reg_secrecy" { None = "none", Mat = "mat", ToiMat = "toi_mat", TuyetMat = "tuyet_mat" }
);
codes!(
    /// Độ khẩn.
    Urgency, "err.reg_urgency" { None = "none", Khan = "khan", ThuongKhan = "thuong_khan", HoaToc = "hoa_toc" }
);
codes!(
    /// Where an entry is: draft, issued, recalled (outgoing); received, assigned, in progress,
    /// done (incoming).
    Status, "err.reg_status" {
        Draft = "draft", Issued = "issued", Recalled = "recalled",
        Received = "received", Assigned = "assigned", InProgress = "in_progress", Done = "done",
    }
);

impl Level {
    /// Whether the entry needs a clearance to be read.
    pub fn is_secret(self) -> bool {
        self != Level::None
    }

    pub fn rank(self) -> i64 {
        match self {
            Level::None => 0,
            Level::Mat => 1,
            Level::ToiMat => 2,
            Level::TuyetMat => 3,
        }
    }

    /// The stamp printed on the document, if any.
    pub fn stamp(self) -> Option<vanban::Secrecy> {
        match self {
            Level::None => None,
            Level::Mat => Some(vanban::Secrecy::Mat),
            Level::ToiMat => Some(vanban::Secrecy::ToiMat),
            Level::TuyetMat => Some(vanban::Secrecy::TuyetMat),
        }
    }
}

impl Urgency {
    pub fn stamp(self) -> Option<vanban::Urgency> {
        match self {
            Urgency::None => None,
            Urgency::Khan => Some(vanban::Urgency::Khan),
            Urgency::ThuongKhan => Some(vanban::Urgency::ThuongKhan),
            Urgency::HoaToc => Some(vanban::Urgency::HoaToc),
        }
    }
}

/// Parses a document type code against the types vanban knows.
pub fn parse_type(code: &str) -> Result<DocumentType> {
    DocumentType::parse(code).map_err(|_| Error::Invalid("err.reg_type"))
}

/// One register entry as a viewer may see it.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub id: i64,
    pub org_id: i64,
    pub unit_path: String,
    pub direction: Direction,
    #[serde(serialize_with = "type_code")]
    pub doc_type: DocumentType,
    /// Register number (số đi, or số đến for an incoming document); 0 for a draft.
    pub number: i64,
    /// Number and ký hiệu as printed: "05/KH-UBND", "36-HD/VPTW", "12/UBND-VX"; for an
    /// incoming document the sender's "số, ký hiệu".
    pub ky_hieu: String,
    pub manual: bool,
    /// Document date (outgoing) or arrival date (incoming).
    pub doc_date: NaiveDate,
    /// Trích yếu; `None` when the viewer is not cleared for the entry.
    pub title: Option<String>,
    pub content: Option<String>,
    pub signer: Option<String>,
    pub signer_position: Option<String>,
    pub recipients: Vec<String>,
    pub drafting_unit: Option<String>,
    pub keeper: Option<String>,
    pub secrecy: Level,
    pub urgency: Urgency,
    pub copies: i64,
    pub status: Status,
    pub note: Option<String>,
    pub sender: Option<String>,
    pub sender_date: Option<NaiveDate>,
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub recalled_on: Option<NaiveDate>,
    pub recall_reason: Option<String>,
    /// The viewer is not cleared: only number, ký hiệu, date and level are shown.
    pub redacted: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

fn type_code<S: serde::Serializer>(t: &DocumentType, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(t.code())
}

impl Entry {
    /// The trích yếu, or the placeholder for a viewer without clearance.
    pub fn title_text(&self) -> &str {
        self.title.as_deref().unwrap_or(SECRET_PLACEHOLDER)
    }

    /// Whether the entry can still change (recalled documents are frozen).
    pub fn frozen(&self) -> bool {
        self.status == Status::Recalled
    }

    /// Hides everything but number, ký hiệu, date and level.
    fn redact(&mut self) {
        self.title = None;
        self.content = None;
        self.signer = None;
        self.signer_position = None;
        self.recipients.clear();
        self.keeper = None;
        self.note = None;
        self.sender = None;
        self.drafting_unit = None;
        self.recall_reason = None;
        self.redacted = true;
    }
}

/// Columns read for an entry (alias `e`, assignee joined as `a`).
pub(crate) const COLS: &str = "e.id, e.org_id, e.unit_path, e.direction, e.doc_type, e.number, \
    e.ky_hieu, e.manual, e.doc_date, e.title, e.content, e.signer, e.signer_position, e.recipients, \
    e.drafting_unit, e.keeper, e.secrecy, e.urgency, e.copies, e.status, e.note, e.sender, \
    e.sender_number, e.sender_date, e.assignee_id, a.display_name AS assignee_name, e.due_on, \
    e.recalled_on, e.recall_reason, e.created_at, e.updated_at";

pub(crate) const FROM: &str =
    "FROM register_entries e LEFT JOIN accounts a ON a.id = e.assignee_id";

fn day(s: Option<String>) -> Result<Option<NaiveDate>> {
    s.map(|v| {
        v.parse()
            .map_err(|_| Error::Db(sqlx::Error::Decode(format!("register day {v:?}").into())))
    })
    .transpose()
}

/// Reads a row, redacting it unless `viewer` is cleared for its level.
pub(crate) fn from_row(r: &AnyRow, viewer: &Viewer) -> Result<Entry> {
    let recipients: Option<String> = r.try_get("recipients")?;
    let direction = Direction::parse(&r.try_get::<String, _>("direction")?)?;
    let sender_number: Option<String> = r.try_get("sender_number")?;
    let mut ky_hieu: String = r.try_get("ky_hieu")?;
    if direction == Direction::Incoming
        && let Some(n) = sender_number
    {
        ky_hieu = n;
    }
    let mut e = Entry {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        unit_path: r.try_get("unit_path")?,
        direction,
        doc_type: parse_type(&r.try_get::<String, _>("doc_type")?)?,
        number: r.try_get("number")?,
        ky_hieu,
        manual: r.try_get::<i64, _>("manual")? != 0,
        doc_date: day(Some(r.try_get("doc_date")?))?.unwrap_or_default(),
        title: Some(r.try_get("title")?),
        content: r.try_get("content")?,
        signer: r.try_get("signer")?,
        signer_position: r.try_get("signer_position")?,
        recipients: recipients
            .map(|s| s.lines().map(str::to_owned).collect())
            .unwrap_or_default(),
        drafting_unit: r.try_get("drafting_unit")?,
        keeper: r.try_get("keeper")?,
        secrecy: Level::parse(&r.try_get::<String, _>("secrecy")?)?,
        urgency: Urgency::parse(&r.try_get::<String, _>("urgency")?)?,
        copies: r.try_get("copies")?,
        status: Status::parse(&r.try_get::<String, _>("status")?)?,
        note: r.try_get("note")?,
        sender: r.try_get("sender")?,
        sender_date: day(r.try_get("sender_date")?)?,
        assignee_id: r.try_get("assignee_id")?,
        assignee_name: r.try_get("assignee_name")?,
        due_on: day(r.try_get("due_on")?)?,
        recalled_on: day(r.try_get("recalled_on")?)?,
        recall_reason: r.try_get("recall_reason")?,
        redacted: false,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    };
    if !viewer.may_read(e.secrecy) {
        e.redact();
    }
    Ok(e)
}

/// One step of an incoming document's processing trail.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub id: i64,
    pub on_day: NaiveDate,
    /// receive, assign, progress, done.
    pub kind: String,
    pub actor_name: String,
    pub note: Option<String>,
    pub created_at: i64,
}

/// Printing settings of an organisation's documents and register.
#[derive(Debug, Clone, Serialize)]
pub struct Settings {
    pub org_id: i64,
    /// Place name of the date line ("Sơn Hà").
    pub place: String,
    /// Cơ quan chủ quản printed above the issuing body.
    pub parent_name: Option<String>,
    /// Issuing body as printed ("Văn phòng").
    pub issuer_name: String,
}

/// A stored Party committee term with the source of its boundaries.
#[derive(Debug, Clone, Serialize)]
pub struct StoredTerm {
    pub id: i64,
    pub term: vanban::Term,
    pub source: String,
}
