//! Protection plans (kế hoạch / phương án bảo vệ) for the peak periods the calendar proposes
//! and for the events an organisation adds: their content (objectives, forces, partners and
//! their tasks, contacts, situation playbooks), their lifecycle, and their issue as an official
//! document numbered from the organisation's outgoing register.
//!
//! # Who may do what
//! Reading needs `PlanView`; drafting, submitting, putting in effect and closing need
//! `PlanManage`; approving and sending back need `PlanApprove` (leaders). The lifecycle itself
//! is [`domain::plans::PlanState`]; a transition from the wrong state is refused with a message
//! naming what was asked. Partner bodies reach plans only through a partner account
//! ([`partner`]): issued plans naming their partner, and in them only their own rows.
//!
//! # Issue
//! Approval draws the plan's number from the register (type KH or PA) in the same transaction
//! as the state change and both audit entries, so a plan is approved exactly when it has a
//! number, and a failed draw (no abbreviation, no Party term) leaves the plan submitted.
//!
//! # Secrecy
//! A plan carries a secrecy level like a register entry. Someone not cleared for it sees the
//! plan's dates, state and number with the placeholder "[Kế hoạch mật]" and none of its content.

pub mod attention;
pub mod demo;
mod lifecycle;
pub mod partner;
pub mod peaks;
mod read;
mod rows;
pub mod templates;
mod write;

pub use lifecycle::{approve, close, send_back, start, submit};
pub use read::{ListPage, ListQuery, get, history, list, load_content, org_plans_by_years};
pub use rows::{Contact, Content, Force, Step, Task};
pub use write::{NewPlan, Origin, PlanHeader, create, update};

use crate::registers::Level;
use crate::{Error, Result};
use chrono::NaiveDate;
use domain::plans::PlanState;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use vanban::DocumentType;

/// Shown instead of the title of a plan the viewer is not cleared for.
pub const SECRET_PLACEHOLDER: &str = "[Kế hoạch mật]";
/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 500;
/// Longest free text (objectives, after-action report), in characters.
pub const MAX_TEXT_CHARS: usize = 20_000;
/// Most rows of one kind (forces, tasks, contacts, playbook steps) in a plan.
pub const MAX_ROWS: usize = 200;
/// Longest plan period, in days.
pub const MAX_SPAN_DAYS: i64 = 366;

/// The document types a plan is issued as: Kế hoạch or Phương án.
pub fn plan_type(code: &str) -> Result<DocumentType> {
    match code.trim() {
        "KH" => Ok(DocumentType::KeHoach),
        "PA" => Ok(DocumentType::PhuongAn),
        _ => Err(Error::Invalid("err.plan_type")),
    }
}

/// A plan as a viewer may see it (content rows are read separately, see [`load_content`]).
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub unit_path: String,
    pub year: i32,
    /// The calendar peak the plan is for (`tet`, `le_30_4_1_5` …), if any.
    pub peak_id: Option<String>,
    /// The organisation event the plan is for, if any.
    pub event_id: Option<i64>,
    /// The template the content started from: a peak id or `event`.
    pub kind: String,
    /// `None` when the viewer is not cleared for the plan's level.
    pub title: Option<String>,
    #[serde(serialize_with = "type_code")]
    pub doc_type: DocumentType,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub objectives: Option<String>,
    pub secrecy: Level,
    pub state: PlanState,
    pub copied_from: Option<i64>,
    pub register_entry_id: Option<i64>,
    /// Number and ký hiệu from the register, once approved ("05-KH/VPTU").
    pub ky_hieu: Option<String>,
    pub number: Option<i64>,
    pub doc_date: Option<NaiveDate>,
    pub after_action: Option<String>,
    pub approved_name: Option<String>,
    pub approved_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub redacted: bool,
}

fn type_code<S: serde::Serializer>(t: &DocumentType, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(t.code())
}

impl Plan {
    pub fn title_text(&self) -> &str {
        self.title.as_deref().unwrap_or(SECRET_PLACEHOLDER)
    }

    /// Days from `today` to the first day of the plan (negative once it has begun).
    pub fn days_until(&self, today: NaiveDate) -> i64 {
        (self.starts_on - today).num_days()
    }

    fn redact(&mut self) {
        self.title = None;
        self.objectives = None;
        self.after_action = None;
        self.redacted = true;
    }
}

/// Columns read for a plan (alias `p`, organisation `u`, register entry `e`).
pub(crate) const COLS: &str = "p.id, p.org_id, u.name AS org_name, p.unit_path, p.year, \
    p.peak_id, p.event_id, p.kind, p.title, p.doc_type, p.starts_on, p.ends_on, p.objectives, \
    p.secrecy, p.state, p.copied_from, p.register_entry_id, e.ky_hieu, e.number, e.doc_date, \
    p.after_action, p.approved_name, p.approved_at, p.created_at, p.updated_at";

pub(crate) const FROM: &str = "FROM plans p JOIN units u ON u.id = p.org_id \
    LEFT JOIN register_entries e ON e.id = p.register_entry_id";

pub(crate) fn day(s: &str) -> Result<NaiveDate> {
    s.parse()
        .map_err(|_| Error::Db(sqlx::Error::Decode(format!("plan day {s:?}").into())))
}

/// Reads a row, redacting it unless the viewer is cleared for its level.
pub(crate) fn from_row(r: &AnyRow, viewer: &crate::registers::Viewer) -> Result<Plan> {
    let state: String = r.try_get("state")?;
    let doc_date: Option<String> = r.try_get("doc_date")?;
    let year: i64 = r.try_get("year")?;
    let mut p = Plan {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        org_name: r.try_get("org_name")?,
        unit_path: r.try_get("unit_path")?,
        year: i32::try_from(year).unwrap_or_default(),
        peak_id: r.try_get("peak_id")?,
        event_id: r.try_get("event_id")?,
        kind: r.try_get("kind")?,
        title: Some(r.try_get("title")?),
        doc_type: plan_type(&r.try_get::<String, _>("doc_type")?)?,
        starts_on: day(&r.try_get::<String, _>("starts_on")?)?,
        ends_on: day(&r.try_get::<String, _>("ends_on")?)?,
        objectives: Some(r.try_get("objectives")?),
        secrecy: Level::parse(&r.try_get::<String, _>("secrecy")?)?,
        state: PlanState::parse(&state).ok_or(Error::Invalid("err.plan_state"))?,
        copied_from: r.try_get("copied_from")?,
        register_entry_id: r.try_get("register_entry_id")?,
        ky_hieu: r.try_get("ky_hieu")?,
        number: r.try_get("number")?,
        doc_date: doc_date.as_deref().map(day).transpose()?,
        after_action: r.try_get("after_action")?,
        approved_name: r.try_get("approved_name")?,
        approved_at: r.try_get("approved_at")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        redacted: false,
    };
    if !viewer.may_read(p.secrecy) {
        p.redact();
    }
    Ok(p)
}

/// One change of state, as the plan page lists them.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryEntry {
    pub from_state: Option<PlanState>,
    pub to_state: PlanState,
    pub actor_name: String,
    pub note: Option<String>,
    pub at: i64,
}
