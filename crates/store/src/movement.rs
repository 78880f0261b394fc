//! Movement models (mô hình của phong trào Toàn dân bảo vệ an ninh Tổ quốc) of each
//! organisation: name, founding date, members (people of the organisation with their role in
//! the model), activities with dates and evidence files, and a yearly effectiveness review
//! with its rating and reviewer. On top of them, the check of criterion 1f of Thông tư
//! 124/2021 — at least one working model in the evaluation year — whose rule is configuration
//! ([`rules`]).
//!
//! Reading takes `Scope<ModelView>`, writing `Scope<ModelManage>`; a model outside the scope
//! is not found.

pub mod check;
pub mod demo;
mod read;
pub mod rules;
mod write;

pub use check::{OrgStanding, ProvincePage, Summary, org_models_for_year, province, summary};
pub use demo::load_demo;
pub use read::{evidence, get, list, member_candidates, standing};
pub use rules::{Rule, Window};
pub use write::{
    ActivityInput, ModelInput, ReviewInput, add_activity, add_evidence, add_member, create,
    remove_member, review, update,
};

use crate::{Error, Result};
use chrono::NaiveDate;
use serde::Serialize;

/// Longest model name and activity title, in characters.
pub const MAX_NAME_CHARS: usize = 300;
/// Longest description or note, in characters.
pub const MAX_TEXT_CHARS: usize = 5_000;

/// The rating of a yearly review, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    VeryEffective,
    Effective,
    Limited,
    Ineffective,
}

impl Rating {
    pub const ALL: &'static [Rating] = &[
        Rating::VeryEffective,
        Rating::Effective,
        Rating::Limited,
        Rating::Ineffective,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Rating::VeryEffective => "very_effective",
            Rating::Effective => "effective",
            Rating::Limited => "limited",
            Rating::Ineffective => "ineffective",
        }
    }

    pub fn parse(s: &str) -> Result<Rating> {
        Rating::ALL
            .iter()
            .copied()
            .find(|r| r.code() == s.trim())
            .ok_or(Error::Invalid("err.mv_rating"))
    }

    /// Higher is better; stored beside the code so the check compares numbers.
    pub fn rank(self) -> i64 {
        match self {
            Rating::VeryEffective => 3,
            Rating::Effective => 2,
            Rating::Limited => 1,
            Rating::Ineffective => 0,
        }
    }
}

/// A model as listed.
#[derive(Debug, Clone, Serialize)]
pub struct Model {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub name: String,
    pub description: Option<String>,
    pub since: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub members: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A member of a model.
#[derive(Debug, Clone, Serialize)]
pub struct Member {
    pub person_id: i64,
    pub full_name: String,
    pub position: String,
    pub role: String,
}

/// An evidence file's description (the bytes are read separately).
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
}

/// An activity of a model.
#[derive(Debug, Clone, Serialize)]
pub struct Activity {
    pub id: i64,
    pub on_day: NaiveDate,
    pub title: String,
    pub note: Option<String>,
    pub evidence: Vec<Evidence>,
}

/// A yearly review.
#[derive(Debug, Clone, Serialize)]
pub struct Review {
    pub year: i32,
    pub rating: Rating,
    pub reviewer: String,
    pub reviewed_on: NaiveDate,
    pub note: Option<String>,
}

/// Where a model stands in one evaluation year.
#[derive(Debug, Clone, Serialize)]
pub struct Standing {
    pub window: Window,
    /// The model exists during the window.
    pub active: bool,
    pub review: Option<Rating>,
    pub activities: i64,
    /// It counts towards criterion 1f.
    pub working: bool,
}

/// A model with everything about it.
#[derive(Debug, Clone, Serialize)]
pub struct Detail {
    pub model: Model,
    pub members: Vec<Member>,
    pub activities: Vec<Activity>,
    pub reviews: Vec<Review>,
    pub standing: Standing,
}

pub(crate) fn day(s: &str) -> Result<NaiveDate> {
    s.parse()
        .map_err(|_| Error::Db(sqlx::Error::Decode(format!("movement day {s:?}").into())))
}

pub(crate) fn text_field(s: &str, required: &'static str, max: usize) -> Result<String> {
    let t = s.trim();
    if t.is_empty() {
        return Err(Error::Invalid(required));
    }
    if t.chars().count() > max {
        return Err(Error::Invalid("err.mv_too_long"));
    }
    Ok(t.to_owned())
}

pub(crate) fn opt_text(s: &Option<String>) -> Result<Option<String>> {
    let v = s
        .as_ref()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty());
    if v.as_ref()
        .is_some_and(|v| v.chars().count() > MAX_TEXT_CHARS)
    {
        return Err(Error::Invalid("err.mv_too_long"));
    }
    Ok(v)
}
