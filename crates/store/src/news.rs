//! News and propaganda (tin tức, tuyên truyền): articles with sanitised rich text and stored
//! images, addressed to an audience — an organisation, a unit subtree, or the whole province
//! — published at a chosen instant (an article dated in the future is not shown until then),
//! with read counts where each reader counts once.
//!
//! An account reads an article when the audience contains one of its `NewsView` roots or lies
//! inside one (see [`crate::Scope`]'s audience filter); an article outside that reach is not
//! found. Writing needs `NewsManage` over the audience unit, so only an account granted at the
//! province can address the whole province. People who manage an audience also see its
//! scheduled articles.

pub mod demo;
mod images;
mod read;
pub mod sanitize;
mod write;

pub use demo::load_demo;
pub use images::{image, upload_image};
pub use read::{board, count, get, list, mark_read};
pub use write::{ArticleInput, create, update};

use serde::Serialize;

/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 300;
/// Longest summary, in characters.
pub const MAX_SUMMARY_CHARS: usize = 1_000;
/// Longest body as typed (HTML included), in characters.
pub const MAX_BODY_CHARS: usize = 100_000;

/// An article.
#[derive(Debug, Clone, Serialize)]
pub struct Article {
    pub id: i64,
    pub org_id: Option<i64>,
    pub audience_unit_id: i64,
    pub audience_name: String,
    /// Path of the audience unit; decides who may change the article.
    #[serde(skip)]
    pub audience_path: String,
    pub title: String,
    pub summary: Option<String>,
    /// Sanitised when stored.
    pub body_html: String,
    /// Milliseconds since the epoch.
    pub publish_at: i64,
    pub author_name: String,
    pub read_count: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Article {
    /// Not shown to readers yet.
    pub fn scheduled(&self, now: i64) -> bool {
        self.publish_at > now
    }
}

/// An article as listed (no body).
#[derive(Debug, Clone, Serialize)]
pub struct Headline {
    pub id: i64,
    pub audience_name: String,
    pub title: String,
    pub summary: Option<String>,
    pub publish_at: i64,
    pub author_name: String,
    pub read_count: i64,
}
