//! Writing registers: issuing outgoing documents (numbers drawn on save), registering incoming
//! ones, recall, the processing trail, and the per-organisation numbering configuration.
//! Every write runs in one [`Db::begin_write`] transaction with its audit entry.

use super::{Direction, Level, MAX_CONTENT_CHARS, MAX_TITLE_CHARS, Settings, StoredTerm, Urgency};
use crate::audit::{self, Actor, Event};
use crate::scope::{PartnerManage, PartnerView};
use crate::units::{self, Unit};
use crate::{Db, Error, Result, Scope, WriteTx, now_ms};
use chrono::{Datelike, NaiveDate};
use domain::values::{DocFormat, UnitKind};
use serde_json::json;
use sqlx::Row;
use vanban::format::{pad_number, party_ky_hieu, state_cong_van_ky_hieu, state_ky_hieu};
use vanban::{CounterKey, DocumentType, Format, NumberingCycle, Series, Term};

/// An outgoing document as the officer fills it in.
#[derive(Debug, Clone, Default)]
pub struct OutgoingInput {
    pub org_id: i64,
    pub doc_type: String,
    pub doc_date: Option<NaiveDate>,
    pub title: String,
    pub content: Option<String>,
    pub signer: String,
    pub signer_position: Option<String>,
    pub recipients: Vec<String>,
    /// Drafting unit of a state công văn ("VX" in "12/UBND-VX").
    pub drafting_unit: Option<String>,
    /// Đơn vị, người nhận bản lưu.
    pub keeper: Option<String>,
    pub secrecy: Option<Level>,
    pub urgency: Option<Urgency>,
    pub copies: i64,
    pub note: Option<String>,
    /// A number already given on paper; `None` draws the next one.
    pub manual_number: Option<i64>,
    /// The officer saw the duplicate-number warning and registers anyway.
    pub confirm_duplicate: bool,
    /// Keep as a draft: no number until issued.
    pub draft: bool,
}

/// An incoming document as the clerk registers it.
#[derive(Debug, Clone, Default)]
pub struct IncomingInput {
    pub org_id: i64,
    pub doc_type: String,
    pub sender: String,
    /// The sender's "số, ký hiệu", e.g. "125/CAT-PV01".
    pub sender_number: String,
    pub sender_date: Option<NaiveDate>,
    pub received_on: Option<NaiveDate>,
    pub title: String,
    pub signer: Option<String>,
    pub secrecy: Option<Level>,
    pub urgency: Option<Urgency>,
    pub copies: i64,
    pub due_on: Option<NaiveDate>,
    pub note: Option<String>,
    pub confirm_duplicate: bool,
}

/// What a save produced: the entry, its number and ký hiệu, and warnings to show.
#[derive(Debug, Clone)]
pub struct Saved {
    pub id: i64,
    pub number: i64,
    pub ky_hieu: String,
    /// Message keys of warnings (a number repeated in the series).
    pub warnings: Vec<&'static str>,
}

pub(super) fn clean(s: &Option<String>) -> Option<String> {
    s.as_ref()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

pub(super) fn check_title(title: &str) -> Result<()> {
    let n = title.trim().chars().count();
    if n == 0 {
        return Err(Error::Invalid("err.reg_title"));
    }
    if n > MAX_TITLE_CHARS {
        return Err(Error::Invalid("err.reg_too_large"));
    }
    Ok(())
}

pub(super) fn format_of(org: &Unit) -> Format {
    match org.doc_format {
        Some(DocFormat::Hd36) => Format::Party,
        _ => Format::State,
    }
}

pub(super) fn series_code(s: Series) -> String {
    match s {
        Series::AllTypes => "all".to_owned(),
        Series::Copies => "copies".to_owned(),
        Series::Type(t) => format!("type:{}", t.code()),
    }
}

/// The organisation a register belongs to, read in the transaction.
pub(super) async fn organisation(
    tx: &mut WriteTx,
    scope: &Scope<PartnerManage>,
    org_id: i64,
) -> Result<Unit> {
    let org = units::get_tx(tx, scope, org_id).await?;
    if org.kind != UnitKind::Organisation {
        return Err(Error::Invalid("err.reg_org"));
    }
    Ok(org)
}

/// The stored terms of an organisation, oldest first.
pub async fn terms(db: &Db, org_id: i64) -> Result<Vec<StoredTerm>> {
    let rows = sqlx::query(
        "SELECT id, starts_on, ends_on, source FROM register_terms WHERE org_id = $1 ORDER BY starts_on",
    )
    .bind(org_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(term_of).collect()
}

fn term_of(r: &sqlx::any::AnyRow) -> Result<StoredTerm> {
    let parse = |s: String| {
        s.parse::<NaiveDate>()
            .map_err(|_| Error::Db(sqlx::Error::Decode(format!("term day {s:?}").into())))
    };
    let end: Option<String> = r.try_get("ends_on")?;
    Ok(StoredTerm {
        id: r.try_get("id")?,
        term: Term {
            start: parse(r.try_get("starts_on")?)?,
            end: end.map(parse).transpose()?,
        },
        source: r.try_get("source")?,
    })
}

pub(super) async fn cycle(tx: &mut WriteTx, org: &Unit, format: Format) -> Result<NumberingCycle> {
    let rows =
        sqlx::query("SELECT id, starts_on, ends_on, source FROM register_terms WHERE org_id = $1")
            .bind(org.id)
            .fetch_all(&mut **tx)
            .await?;
    let terms = rows
        .iter()
        .map(|r| term_of(r).map(|t| t.term))
        .collect::<Result<Vec<_>>>()?;
    NumberingCycle::for_format(format, terms).map_err(|_| Error::Invalid("err.reg_terms"))
}

/// Adds a Party committee term, with the source of its dates; terms must not overlap.
pub async fn add_term(
    db: &Db,
    scope: &Scope<PartnerManage>,
    actor: &Actor,
    org_id: i64,
    term: Term,
    source: &str,
) -> Result<i64> {
    let mut tx = db.begin_write().await?;
    let org = organisation(&mut tx, scope, org_id).await?;
    let mut all: Vec<Term> = cycle_terms(&mut tx, org.id).await?;
    all.push(term);
    NumberingCycle::committee_terms(all).map_err(|_| Error::Invalid("err.reg_terms"))?;
    let row = sqlx::query(
        "INSERT INTO register_terms (org_id, starts_on, ends_on, source, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(org.id)
    .bind(term.start.to_string())
    .bind(term.end.map(|d| d.to_string()))
    .bind(source.trim())
    .bind(now_ms())
    .fetch_one(&mut *tx)
    .await?;
    let id: i64 = row.try_get("id")?;
    let ev = Event {
        action: "register.term_add",
        object_kind: "unit",
        object_id: org.id.to_string(),
        unit_path: Some(org.path.clone()),
        details: json!({ "start": term.start.to_string(), "end": term.end.map(|d| d.to_string()), "source": source.trim() }),
    };
    audit::append(&mut tx, actor, ev).await?;
    tx.commit().await?;
    Ok(id)
}

async fn cycle_terms(tx: &mut WriteTx, org_id: i64) -> Result<Vec<Term>> {
    let rows =
        sqlx::query("SELECT id, starts_on, ends_on, source FROM register_terms WHERE org_id = $1")
            .bind(org_id)
            .fetch_all(&mut **tx)
            .await?;
    rows.iter().map(|r| term_of(r).map(|t| t.term)).collect()
}

/// The printing settings of an organisation; defaults come from the unit tree.
pub async fn settings(db: &Db, org: &Unit) -> Result<Settings> {
    let row = sqlx::query(
        "SELECT place, parent_name, issuer_name FROM register_settings WHERE org_id = $1",
    )
    .bind(org.id)
    .fetch_optional(db.pool())
    .await?;
    if let Some(r) = row {
        return Ok(Settings {
            org_id: org.id,
            place: r.try_get("place")?,
            parent_name: r.try_get("parent_name")?,
            issuer_name: r.try_get("issuer_name")?,
        });
    }
    let province = units::province(db).await?;
    let province_name = province.map(|p| p.name).unwrap_or_default();
    let place = province_name
        .trim_start_matches("Tỉnh ")
        .trim_start_matches("Thành phố ")
        .to_owned();
    Ok(Settings {
        org_id: org.id,
        place,
        parent_name: Some(province_name).filter(|s| !s.is_empty()),
        issuer_name: org.name.clone(),
    })
}

/// Stores the printing settings of an organisation of the scope.
pub async fn set_settings(
    db: &Db,
    scope: &Scope<PartnerManage>,
    actor: &Actor,
    s: &Settings,
) -> Result<()> {
    if s.place.trim().is_empty() || s.issuer_name.trim().is_empty() {
        return Err(Error::Invalid("err.reg_settings"));
    }
    let mut tx = db.begin_write().await?;
    let org = organisation(&mut tx, scope, s.org_id).await?;
    sqlx::query("DELETE FROM register_settings WHERE org_id = $1")
        .bind(org.id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO register_settings (org_id, place, parent_name, issuer_name, updated_at) VALUES ($1,$2,$3,$4,$5)",
    )
    .bind(org.id)
    .bind(s.place.trim())
    .bind(clean(&s.parent_name))
    .bind(s.issuer_name.trim())
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    let ev = Event {
        action: "register.settings",
        object_kind: "unit",
        object_id: org.id.to_string(),
        unit_path: Some(org.path.clone()),
        details: json!({ "place": s.place.trim(), "parent_name": clean(&s.parent_name), "issuer_name": s.issuer_name.trim() }),
    };
    audit::append(&mut tx, actor, ev).await?;
    tx.commit().await?;
    Ok(())
}

/// "05/KH-UBND" (state), "12/UBND-VX" (state công văn), "36-HD/VPTW" (Party).
pub fn ky_hieu(
    format: Format,
    number: i64,
    doc_type: DocumentType,
    issuer: &str,
    drafting_unit: Option<&str>,
    date: NaiveDate,
) -> Result<String> {
    let profile =
        vanban::profile::select(format, date).map_err(|_| Error::Invalid("err.reg_date"))?;
    let printed = profile
        .abbreviation_for(doc_type)
        .ok_or(Error::Invalid("err.reg_type_format"))?;
    let n = pad_number(u32::try_from(number).map_err(|_| Error::Invalid("err.reg_number"))?);
    Ok(match format {
        Format::State if printed.is_empty() => {
            let unit = drafting_unit.ok_or(Error::Invalid("err.reg_drafting_unit"))?;
            format!("{n}/{}", state_cong_van_ky_hieu(issuer, unit))
        }
        Format::State => format!("{n}/{}", state_ky_hieu(printed, issuer)),
        Format::Party => format!("{n}-{}", party_ky_hieu(printed, issuer)),
    })
}

/// Draws the next number of a counter inside the write transaction.
pub(super) async fn allocate(
    tx: &mut WriteTx,
    org_id: i64,
    direction: Direction,
    key: &CounterKey,
) -> Result<i64> {
    let period = key.period_start.to_string();
    let series = series_code(key.series);
    sqlx::query(
        "INSERT INTO register_counters (org_id, direction, period_start, series, last_number) \
         VALUES ($1, $2, $3, $4, 0) ON CONFLICT DO NOTHING",
    )
    .bind(org_id)
    .bind(direction.code())
    .bind(&period)
    .bind(&series)
    .execute(&mut **tx)
    .await?;
    let row = sqlx::query(
        "UPDATE register_counters SET last_number = last_number + 1 \
         WHERE org_id = $1 AND direction = $2 AND period_start = $3 AND series = $4 RETURNING last_number",
    )
    .bind(org_id)
    .bind(direction.code())
    .bind(&period)
    .bind(&series)
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.try_get("last_number")?)
}

/// Raises a counter to a number given by hand, so the next drawn number follows it.
pub(super) async fn raise_counter(
    tx: &mut WriteTx,
    org_id: i64,
    direction: Direction,
    key: &CounterKey,
    n: i64,
) -> Result<()> {
    let period = key.period_start.to_string();
    let series = series_code(key.series);
    sqlx::query(
        "INSERT INTO register_counters (org_id, direction, period_start, series, last_number) \
         VALUES ($1, $2, $3, $4, 0) ON CONFLICT DO NOTHING",
    )
    .bind(org_id)
    .bind(direction.code())
    .bind(&period)
    .bind(&series)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE register_counters SET last_number = $5 WHERE org_id = $1 AND direction = $2 \
         AND period_start = $3 AND series = $4 AND last_number < $5",
    )
    .bind(org_id)
    .bind(direction.code())
    .bind(&period)
    .bind(&series)
    .bind(n)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Numbers follow time order: a drawn number may not be dated before the last drawn one.
pub(super) async fn check_time_order(
    tx: &mut WriteTx,
    org_id: i64,
    direction: Direction,
    key: &CounterKey,
    date: NaiveDate,
) -> Result<()> {
    let row = sqlx::query(
        "SELECT doc_date FROM register_entries WHERE org_id = $1 AND direction = $2 AND period_start = $3 \
         AND series = $4 AND manual = 0 AND number > 0 ORDER BY number DESC LIMIT 1",
    )
    .bind(org_id)
    .bind(direction.code())
    .bind(key.period_start.to_string())
    .bind(series_code(key.series))
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(r) = row {
        let last: String = r.try_get("doc_date")?;
        if date.to_string() < last {
            return Err(Error::Invalid("err.reg_date_order"));
        }
    }
    Ok(())
}

/// Types sharing a number: same series and number. Returns whether one has the same type.
pub(super) async fn repeats(
    tx: &mut WriteTx,
    org_id: i64,
    key: &CounterKey,
    n: i64,
    doc_type: DocumentType,
) -> Result<(bool, bool)> {
    let rows = sqlx::query(
        "SELECT doc_type FROM register_entries WHERE org_id = $1 AND direction = 'outgoing' \
         AND period_start = $2 AND series = $3 AND number = $4",
    )
    .bind(org_id)
    .bind(key.period_start.to_string())
    .bind(series_code(key.series))
    .bind(n)
    .fetch_all(&mut **tx)
    .await?;
    let same = rows
        .iter()
        .any(|r| r.try_get::<String, _>("doc_type").ok().as_deref() == Some(doc_type.code()));
    Ok((!rows.is_empty(), same))
}

pub(super) fn audit_title(level: Level, title: &str) -> Option<String> {
    // The audit log is read by organisation administrators without clearance.
    (!level.is_secret()).then(|| title.trim().to_owned())
}

/// Org scope check for reads that list assignable accounts.
pub(super) async fn org_in_view(db: &Db, scope: &Scope<PartnerView>, org_id: i64) -> Result<Unit> {
    units::get(db, scope, org_id).await
}

/// The calendar year of a date, for the incoming register.
pub(super) fn year_key(date: NaiveDate) -> CounterKey {
    let start = NaiveDate::from_ymd_opt(date.year(), 1, 1).unwrap_or(date);
    CounterKey {
        period_start: start,
        period_end: NaiveDate::from_ymd_opt(date.year(), 12, 31),
        series: Series::AllTypes,
    }
}

pub(super) fn checks(content: &Option<String>) -> Result<()> {
    if content
        .as_ref()
        .is_some_and(|c| c.chars().count() > MAX_CONTENT_CHARS)
    {
        return Err(Error::Invalid("err.reg_too_large"));
    }
    Ok(())
}
