//! Commitment campaigns (phát động ký cam kết): the yearly launch with its commitment text,
//! each staff member's signature, signed paper copies recorded by an officer, receipts, and
//! live coverage.
//!
//! # Audience
//! A campaign belongs to a unit (an organisation, or the province for a province-wide one)
//! and asks every *working* person below that unit to sign. The audience is not copied when the
//! campaign opens: it is read from the live `people` table, so a person who joins or moves in
//! while the campaign is open is asked to sign at once, one who moves out or leaves stops
//! counting, and nobody has to keep a list in step.
//!
//! # Coverage at province scale
//! Counting 200,000 people on every page view is too slow, so two rollup tables are kept in
//! step by database triggers, in the same transaction as the change that moves them:
//! `unit_people_stats.working` (working people per unit, migration 0004) and
//! `campaign_unit_done` (per campaign and unit, the working people now in that unit who have
//! signed, migration 0005). A person's signature follows them: a move shifts their signed campaigns' counts
//! to the new unit, a departure removes them. Coverage of any subtree is then a sum over its
//! units (about 20,000 rows for a whole province), never a scan of people. Triggers rather
//! than code in each writer so that bulk loads, imports and any future writer keep the
//! figures right by construction.
//!
//! # Signatures and receipts
//! One signature per person and campaign (a unique constraint). Writers are serialised by
//! [`crate::Db::begin_write`], so of two devices signing at once the second finds the first's
//! signature and gets the same receipt back. Each signature appends an audit entry holding the
//! hash of the text signed; the receipt names that entry (number and hash), so anyone holding
//! it can have it checked later against the tamper-evident chain ([`verify`]).

pub(crate) mod batch;
mod coverage;
pub mod demo;
mod receipt;
mod sign;

pub use coverage::{OrgRow, PersonFilter, PersonLine, coverage, people, province_overview};
pub use demo::load_demo;
pub use receipt::{Receipt, Verified, verify};
pub(crate) use sign::ancestors as ancestors_of;
pub use sign::{
    SignMethod, Signed, my_campaigns, precheck, receipt_of, record_paper, sign, signer_details,
    unsigned_count,
};

use crate::audit::{self, Actor, Event};
use crate::scope::{CampaignManage, CampaignView};
use crate::sql::SqlBuf;
use crate::{Db, Error, Result, Scope, now_ms, units};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::Row;
use sqlx::any::AnyRow;

pub const MAX_BODY_CHARS: usize = 20_000;

/// Open (people may sign) or closed (figures frozen in what was signed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Open,
    Closed,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Closed => "closed",
        }
    }
    fn parse(s: &str) -> Result<Status> {
        match s {
            "open" => Ok(Status::Open),
            "closed" => Ok(Status::Closed),
            _ => Err(Error::Invalid("err.cmt_status")),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Campaign {
    pub id: i64,
    pub owner_unit_id: i64,
    pub owner_path: String,
    pub owner_name: String,
    pub year: i64,
    pub title: String,
    /// Heading of the commitment document ("BẢN CAM KẾT").
    pub heading: String,
    /// The commitment text every signer reads.
    pub body: String,
    /// SHA-256 of the text, the value a signature and its receipt carry.
    pub body_hash: String,
    pub opens_on: NaiveDate,
    pub deadline: NaiveDate,
    pub status: Status,
    pub created_at: i64,
}

/// What an officer enters to launch a campaign.
#[derive(Debug, Clone)]
pub struct CampaignInput {
    pub owner_unit_id: i64,
    pub year: i64,
    pub title: String,
    pub heading: String,
    pub body: String,
    pub opens_on: NaiveDate,
    pub deadline: NaiveDate,
}

pub(crate) const COLS: &str = "c.id, c.owner_unit_id, c.owner_path, u.name AS owner_name, c.year, c.title, \
    c.heading, c.body, c.body_hash, c.opens_on, c.deadline, c.status, c.created_at";
pub(crate) const FROM: &str = "FROM commitment_campaigns c JOIN units u ON u.id = c.owner_unit_id";

fn day(s: &str) -> Result<NaiveDate> {
    s.parse()
        .map_err(|_| Error::Db(sqlx::Error::Decode(format!("campaign day {s:?}").into())))
}

pub(crate) fn from_row(r: &AnyRow) -> Result<Campaign> {
    Ok(Campaign {
        id: r.try_get("id")?,
        owner_unit_id: r.try_get("owner_unit_id")?,
        owner_path: r.try_get("owner_path")?,
        owner_name: r.try_get("owner_name")?,
        year: r.try_get("year")?,
        title: r.try_get("title")?,
        heading: r.try_get("heading")?,
        body: r.try_get("body")?,
        body_hash: r.try_get("body_hash")?,
        opens_on: day(&r.try_get::<String, _>("opens_on")?)?,
        deadline: day(&r.try_get::<String, _>("deadline")?)?,
        status: Status::parse(&r.try_get::<String, _>("status")?)?,
        created_at: r.try_get("created_at")?,
    })
}

/// SHA-256 of a commitment text, hex.
pub fn text_hash(body: &str) -> String {
    hex::encode(Sha256::digest(body.as_bytes()))
}

fn text(s: &str, max: usize, key: &'static str) -> Result<String> {
    let t = s.trim();
    if t.is_empty() || t.chars().count() > max {
        return Err(Error::Invalid(key));
    }
    Ok(t.to_owned())
}

/// Launches a campaign for a unit of the scope. Its text is fixed from then on: what people
/// sign must be what the receipts name.
pub async fn create(
    db: &Db,
    scope: &Scope<CampaignManage>,
    actor: &Actor,
    input: &CampaignInput,
) -> Result<Campaign> {
    let owner = units::get(db, scope, input.owner_unit_id)
        .await
        .map_err(|_| Error::Invalid("err.unit_unknown"))?;
    let title = text(&input.title, 300, "err.cmt_title")?;
    let heading = text(&input.heading, 100, "err.cmt_heading")?;
    let body = text(&input.body, MAX_BODY_CHARS, "err.cmt_body")?;
    if !(2000..=2100).contains(&input.year) {
        return Err(Error::Invalid("err.cmt_year"));
    }
    if input.deadline < input.opens_on {
        return Err(Error::Invalid("err.cmt_deadline"));
    }
    let hash = text_hash(&body);
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let row = sqlx::query(
        "INSERT INTO commitment_campaigns (owner_unit_id, owner_path, year, title, heading, body, body_hash, \
         opens_on, deadline, status, created_by, created_at, updated_at) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,'open',$10,$11,$11) RETURNING id",
    )
    .bind(owner.id)
    .bind(&owner.path)
    .bind(input.year)
    .bind(&title)
    .bind(&heading)
    .bind(&body)
    .bind(&hash)
    .bind(input.opens_on.to_string())
    .bind(input.deadline.to_string())
    .bind(actor.account_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let id: i64 = row.try_get("id")?;
    audit::append(
        &mut tx,
        actor,
        Event {
            action: "commitment.launch",
            object_kind: "commitment_campaign",
            object_id: id.to_string(),
            unit_path: Some(owner.path.clone()),
            details: json!({ "title": title, "year": input.year, "body_hash": hash,
                "opens_on": input.opens_on.to_string(), "deadline": input.deadline.to_string() }),
        },
    )
    .await?;
    tx.commit().await?;
    get_unscoped(db, id).await
}

/// Closes a campaign of a unit in the scope: nobody can sign it any more, and its coverage per
/// unit is frozen as it stands, in the same transaction.
pub async fn close(db: &Db, scope: &Scope<CampaignManage>, actor: &Actor, id: i64) -> Result<()> {
    let mut tx = db.begin_write().await?;
    let mut sql = SqlBuf::new("UPDATE commitment_campaigns SET status = 'closed', updated_at = ");
    sql.arg_i64(now_ms())
        .push(" WHERE status = 'open' AND id = ")
        .arg_i64(id)
        .push(" AND ");
    scope.push_filter(&mut sql, "owner_path", None);
    sql.push(" RETURNING owner_path");
    let row = sql
        .query()
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::NotFound)?;
    let path: String = row.try_get("owner_path")?;
    // The figures as they stand now are what the campaign achieved: later moves, departures
    // and joins must not change them (see `coverage::frozen`).
    let frozen = crate::coverage::freeze(
        &mut tx,
        crate::coverage::Kind::Commitment,
        id,
        snapshot_sql(id, &path),
    )
    .await?;
    audit::append(
        &mut tx,
        actor,
        Event {
            action: "commitment.close",
            object_kind: "commitment_campaign",
            object_id: id.to_string(),
            unit_path: Some(path),
            details: json!({ "required": frozen.required, "done": frozen.done }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The `INSERT … SELECT` that freezes a campaign's coverage per unit from the rollups (units
/// with someone required or done only).
pub(crate) fn snapshot_sql(id: i64, owner_path: &str) -> SqlBuf {
    let mut snap = crate::coverage::freeze_insert();
    snap.push("SELECT 'commitment', ")
        .arg_i64(id)
        .push(
            ", u.id, u.org_id, COALESCE(h.working, 0), COALESCE(d.done, 0) FROM units u \
             LEFT JOIN unit_people_stats h ON h.unit_id = u.id \
             LEFT JOIN campaign_unit_done d ON d.unit_id = u.id AND d.campaign_id = ",
        )
        .arg_i64(id)
        .push(" WHERE u.path >= ")
        .arg_text(owner_path)
        .push(" AND u.path < ")
        .arg_text(&crate::scope::path_end(owner_path))
        .push(" AND (COALESCE(h.working, 0) > 0 OR COALESCE(d.done, 0) > 0)");
    snap
}

pub(crate) async fn get_unscoped(db: &Db, id: i64) -> Result<Campaign> {
    let sql = format!("SELECT {COLS} {FROM} WHERE c.id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    from_row(&row.ok_or(Error::NotFound)?)
}

/// A campaign within reach: launched inside the scope or above it (a province-wide campaign
/// is seen by every organisation, each for its own part).
pub async fn get<C: crate::Cap>(db: &Db, scope: &Scope<C>, id: i64) -> Result<Campaign> {
    let mut sql = SqlBuf::new(&format!("SELECT {COLS} {FROM} WHERE c.id = "));
    sql.arg_i64(id).push(" AND ");
    scope.push_reach(&mut sql, "c.owner_path");
    let row = sql.query().fetch_optional(db.pool()).await?;
    from_row(&row.ok_or(Error::NotFound)?)
}

/// Campaigns within reach, newest first (by year, then launch), optionally of one year.
pub async fn list(
    db: &Db,
    scope: &Scope<CampaignView>,
    year: Option<i64>,
    limit: i64,
) -> Result<Vec<Campaign>> {
    let mut sql = SqlBuf::new(&format!("SELECT {COLS} {FROM} WHERE "));
    scope.push_reach(&mut sql, "c.owner_path");
    if let Some(y) = year {
        sql.push(" AND c.year = ").arg_i64(y);
    }
    sql.push(" ORDER BY c.year DESC, c.id DESC LIMIT ")
        .arg_i64(limit.clamp(1, 500));
    sql.query()
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(from_row)
        .collect()
}
