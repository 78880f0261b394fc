//! The directive library: legal bases and directives (Chỉ thị 07/CT-BCA-V28, Thông tư
//! 124/2021/TT-BCA, an organisation's own rules on protecting the agency, state secrets,
//! internal political protection, fire safety) with their versions and attachments.
//!
//! # Reach
//! A directive belongs to the unit that keeps it. One kept at the province (issued above any
//! organisation) is read by every organisation; one kept by an organisation only inside it
//! (see [`Scope::push_reach`]). Reading needs `DirectiveView`, writing `DirectiveManage` over the
//! keeping unit.
//!
//! # Versions
//! Each change of text is a new version; older versions stay readable. Dissemination campaigns
//! acknowledge a version, so a new one asks the audience to read and confirm again.
//!
//! # Secrecy
//! As in the registers: a directive marked Mật or higher shows its title and text only to
//! accounts cleared for its level; anyone else sees its number, issuer, dates and figures.

use crate::attachments::{self, FileInfo, NewFile};
use crate::audit::{self, Actor, Event};
use crate::registers::{Level, Viewer};
use crate::scope::{DirectiveManage, DirectiveView};
use crate::sql::SqlBuf;
use crate::{Db, Error, Result, Scope, WriteTx, now_ms, units};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::Row;
use sqlx::any::AnyRow;

/// Shown instead of the title of a directive the reader is not cleared for.
pub const SECRET_PLACEHOLDER: &str = "[Văn bản mật]";
pub const MAX_BODY_CHARS: usize = 100_000;

/// Kinds of legal documents and internal rules, in the order the library lists them.
pub const KINDS: &[&str] = &[
    "luat",
    "nghi_dinh",
    "chi_thi",
    "thong_tu",
    "nghi_quyet",
    "quy_che",
    "quy_dinh",
    "huong_dan",
    "ke_hoach",
    "khac",
];

/// Checks a kind code.
pub fn parse_kind(s: &str) -> Result<&'static str> {
    KINDS
        .iter()
        .copied()
        .find(|k| *k == s.trim())
        .ok_or(Error::Invalid("err.dir_kind"))
}

/// A directive as a reader may see it.
#[derive(Debug, Clone, Serialize)]
pub struct Directive {
    pub id: i64,
    pub owner_unit_id: i64,
    pub owner_path: String,
    pub owner_name: String,
    pub kind: String,
    /// Số, ký hiệu: "07/CT-BCA-V28".
    pub code: String,
    /// `None` when the reader is not cleared.
    pub title: Option<String>,
    pub issuer: String,
    pub issued_on: NaiveDate,
    pub effective_on: Option<NaiveDate>,
    pub secrecy: Level,
    /// The current version number (1 for the first text).
    pub version: i64,
    /// The current version's text; `None` for a reader who is not cleared.
    pub body: Option<String>,
    pub redacted: bool,
}

impl Directive {
    pub fn title_text(&self) -> &str {
        self.title.as_deref().unwrap_or(SECRET_PLACEHOLDER)
    }
}

/// One version of a directive's text.
#[derive(Debug, Clone, Serialize)]
pub struct Version {
    pub version: i64,
    pub body_hash: String,
    pub note: Option<String>,
    pub created_at: i64,
    pub files: Vec<FileInfo>,
}

/// What is entered for a new directive.
#[derive(Debug, Clone)]
pub struct DirectiveInput {
    pub owner_unit_id: i64,
    pub kind: String,
    pub code: String,
    pub title: String,
    pub issuer: String,
    pub issued_on: NaiveDate,
    pub effective_on: Option<NaiveDate>,
    pub secrecy: Level,
    pub body: String,
}

const COLS: &str = "d.id, d.owner_unit_id, d.owner_path, u.name AS owner_name, d.kind, d.code, d.title, \
    d.issuer, d.issued_on, d.effective_on, d.secrecy, d.version, v.body";
const FROM: &str = "FROM directives d JOIN units u ON u.id = d.owner_unit_id \
    JOIN directive_versions v ON v.directive_id = d.id AND v.version = d.version";

fn day(s: &str) -> Result<NaiveDate> {
    s.parse()
        .map_err(|_| Error::Db(sqlx::Error::Decode(format!("directive day {s:?}").into())))
}

pub(crate) fn from_row(r: &AnyRow, viewer: &Viewer) -> Result<Directive> {
    let secrecy = Level::parse(&r.try_get::<String, _>("secrecy")?)?;
    let cleared = viewer.may_read(secrecy);
    let effective: Option<String> = r.try_get("effective_on")?;
    Ok(Directive {
        id: r.try_get("id")?,
        owner_unit_id: r.try_get("owner_unit_id")?,
        owner_path: r.try_get("owner_path")?,
        owner_name: r.try_get("owner_name")?,
        kind: r.try_get("kind")?,
        code: r.try_get("code")?,
        title: if cleared {
            Some(r.try_get("title")?)
        } else {
            None
        },
        issuer: r.try_get("issuer")?,
        issued_on: day(&r.try_get::<String, _>("issued_on")?)?,
        effective_on: effective.as_deref().map(day).transpose()?,
        secrecy,
        version: r.try_get("version")?,
        body: if cleared {
            Some(r.try_get("body")?)
        } else {
            None
        },
        redacted: !cleared,
    })
}

fn required(s: &str, max: usize, key: &'static str) -> Result<String> {
    let t = s.trim();
    if t.is_empty() || t.chars().count() > max {
        return Err(Error::Invalid(key));
    }
    Ok(t.to_owned())
}

fn hash_body(body: &str) -> String {
    hex::encode(Sha256::digest(body.as_bytes()))
}

async fn attach(
    tx: &mut WriteTx,
    actor: &Actor,
    owner_path: &str,
    id: i64,
    version: i64,
    attachments: &[NewFile],
    max_bytes: usize,
) -> Result<()> {
    for f in attachments {
        let file_id = attachments::insert(tx, actor, owner_path, f, max_bytes).await?;
        sqlx::query(
            "INSERT INTO directive_files (directive_id, version, file_id) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(version)
        .bind(file_id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Adds a directive to the library of a unit in the scope, with its first text and files.
pub async fn create(
    db: &Db,
    scope: &Scope<DirectiveManage>,
    actor: &Actor,
    input: &DirectiveInput,
    attachments: &[NewFile],
    max_bytes: usize,
) -> Result<i64> {
    let owner = units::get(db, scope, input.owner_unit_id)
        .await
        .map_err(|_| Error::Invalid("err.unit_unknown"))?;
    let kind = parse_kind(&input.kind)?;
    let code = required(&input.code, 100, "err.dir_code")?;
    let title = required(&input.title, 500, "err.dir_title")?;
    let issuer = required(&input.issuer, 300, "err.dir_issuer")?;
    let body = required(&input.body, MAX_BODY_CHARS, "err.dir_body")?;
    if input.effective_on.is_some_and(|e| e < input.issued_on) {
        return Err(Error::Invalid("err.dir_effective"));
    }
    for f in attachments {
        attachments::check(f, max_bytes)?;
    }
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let row = sqlx::query(
        "INSERT INTO directives (owner_unit_id, owner_path, kind, code, title, issuer, issued_on, \
         effective_on, secrecy, secrecy_rank, version, created_by, created_at, updated_at) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,1,$11,$12,$12) RETURNING id",
    )
    .bind(owner.id)
    .bind(&owner.path)
    .bind(kind)
    .bind(&code)
    .bind(&title)
    .bind(&issuer)
    .bind(input.issued_on.to_string())
    .bind(input.effective_on.map(|d| d.to_string()))
    .bind(input.secrecy.code())
    .bind(input.secrecy.rank())
    .bind(actor.account_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let id: i64 = row.try_get("id")?;
    insert_version(&mut tx, actor, id, 1, &body, None).await?;
    attach(&mut tx, actor, &owner.path, id, 1, attachments, max_bytes).await?;
    let shown = if input.secrecy.is_secret() {
        SECRET_PLACEHOLDER
    } else {
        title.as_str()
    };
    audit::append(
        &mut tx,
        actor,
        Event {
            action: "directive.create",
            object_kind: "directive",
            object_id: id.to_string(),
            unit_path: Some(owner.path.clone()),
            details: json!({ "code": code, "kind": kind, "title": shown, "secrecy": input.secrecy.code(),
                "files": attachments.len() }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

async fn insert_version(
    tx: &mut WriteTx,
    actor: &Actor,
    id: i64,
    version: i64,
    body: &str,
    note: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO directive_versions (directive_id, version, body, body_hash, note, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(version)
    .bind(body)
    .bind(hash_body(body))
    .bind(note.map(str::trim).filter(|s| !s.is_empty()))
    .bind(actor.account_id)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records a new version of a directive kept in the scope; returns its number. Every open
/// dissemination campaign carrying the directive now counts only acknowledgements of it.
#[expect(
    clippy::too_many_arguments,
    reason = "the new text with its note and files"
)]
pub async fn new_version(
    db: &Db,
    scope: &Scope<DirectiveManage>,
    actor: &Actor,
    id: i64,
    body: &str,
    note: Option<&str>,
    attachments: &[NewFile],
    max_bytes: usize,
) -> Result<i64> {
    let body = required(body, MAX_BODY_CHARS, "err.dir_body")?;
    for f in attachments {
        attachments::check(f, max_bytes)?;
    }
    let mut tx = db.begin_write().await?;
    let mut sql = SqlBuf::new("SELECT d.version, d.owner_path FROM directives d WHERE d.id = ");
    sql.arg_i64(id).push(" AND ");
    scope.push_filter(&mut sql, "d.owner_path", None);
    let row = sql
        .query()
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::NotFound)?;
    let version: i64 = row.try_get::<i64, _>("version")? + 1;
    let path: String = row.try_get("owner_path")?;
    insert_version(&mut tx, actor, id, version, &body, note).await?;
    sqlx::query("UPDATE directives SET version = $1, updated_at = $2 WHERE id = $3")
        .bind(version)
        .bind(now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    attach(&mut tx, actor, &path, id, version, attachments, max_bytes).await?;
    audit::append(
        &mut tx,
        actor,
        Event {
            action: "directive.version",
            object_kind: "directive",
            object_id: id.to_string(),
            unit_path: Some(path),
            details: json!({ "version": version, "body_hash": hash_body(&body) }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(version)
}

/// Directives within reach, newest first; `before` is the (issued_on, id) of the last one
/// shown.
pub async fn list(
    db: &Db,
    scope: &Scope<DirectiveView>,
    viewer: &Viewer,
    before: Option<(String, i64)>,
    limit: i64,
) -> Result<(Vec<Directive>, Option<(String, i64)>)> {
    let limit = limit.clamp(1, 200);
    let mut sql = SqlBuf::new(&format!("SELECT {COLS} {FROM} WHERE "));
    scope.push_reach(&mut sql, "d.owner_path");
    if let Some((d, id)) = &before {
        sql.push(" AND (d.issued_on < ")
            .arg_text(d)
            .push(" OR (d.issued_on = ")
            .arg_text(d)
            .push(" AND d.id < ")
            .arg_i64(*id)
            .push("))");
    }
    sql.push(" ORDER BY d.issued_on DESC, d.id DESC LIMIT ")
        .arg_i64(limit + 1);
    let rows = sql.query().fetch_all(db.pool()).await?;
    let mut out: Vec<Directive> = rows
        .iter()
        .map(|r| from_row(r, viewer))
        .collect::<Result<_>>()?;
    let next = if out.len() as i64 > limit {
        out.truncate(limit as usize);
        out.last().map(|d| (d.issued_on.to_string(), d.id))
    } else {
        None
    };
    Ok((out, next))
}

/// One directive within reach.
pub async fn get(
    db: &Db,
    scope: &Scope<DirectiveView>,
    viewer: &Viewer,
    id: i64,
) -> Result<Directive> {
    let mut sql = SqlBuf::new(&format!("SELECT {COLS} {FROM} WHERE d.id = "));
    sql.arg_i64(id).push(" AND ");
    scope.push_reach(&mut sql, "d.owner_path");
    let row = sql.query().fetch_optional(db.pool()).await?;
    from_row(&row.ok_or(Error::NotFound)?, viewer)
}

/// A directive by id with no scope: for readers who reach it through a campaign they belong
/// to (the campaign has already been checked).
pub(crate) async fn get_unscoped(db: &Db, viewer: &Viewer, id: i64) -> Result<Directive> {
    let sql = format!("SELECT {COLS} {FROM} WHERE d.id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    from_row(&row.ok_or(Error::NotFound)?, viewer)
}

/// The versions of a directive already read through [`get`], newest first, with their files.
pub async fn versions(db: &Db, d: &Directive) -> Result<Vec<Version>> {
    let rows = sqlx::query(
        "SELECT version, body_hash, note, created_at FROM directive_versions WHERE directive_id = $1 \
         ORDER BY version DESC",
    )
    .bind(d.id)
    .fetch_all(db.pool())
    .await?;
    let frows = sqlx::query(
        "SELECT f.id, f.name, f.content_type, f.size, f.sha256, f.created_at, l.version \
         FROM directive_files l JOIN stored_files f ON f.id = l.file_id WHERE l.directive_id = $1 ORDER BY f.id",
    )
    .bind(d.id)
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let version: i64 = r.try_get("version")?;
        let mut fs = Vec::new();
        for f in &frows {
            if f.try_get::<i64, _>("version")? == version {
                fs.push(attachments::info(f)?);
            }
        }
        out.push(Version {
            version,
            body_hash: r.try_get("body_hash")?,
            note: r.try_get("note")?,
            created_at: r.try_get("created_at")?,
            files: fs,
        });
    }
    Ok(out)
}

/// A file attached to a directive already read through [`get`]; not found when the file
/// belongs to another directive or the reader is not cleared for a secret one.
pub async fn file(db: &Db, d: &Directive, file_id: i64) -> Result<(FileInfo, Vec<u8>)> {
    if d.redacted {
        return Err(Error::NotFound);
    }
    let linked =
        sqlx::query("SELECT 1 AS x FROM directive_files WHERE directive_id = $1 AND file_id = $2")
            .bind(d.id)
            .bind(file_id)
            .fetch_optional(db.pool())
            .await?;
    if linked.is_none() {
        return Err(Error::NotFound);
    }
    attachments::read(db, file_id).await
}

/// A directive put before a reader by a campaign already checked (the campaign's documents
/// reach every member of its audience), read as the reader's clearance allows.
pub async fn get_for_campaign(db: &Db, viewer: &Viewer, id: i64) -> Result<Directive> {
    get_unscoped(db, viewer, id).await
}

/// Several directives of campaigns in one read (see [`get_for_campaign`]), by id; ids not
/// found are left out.
pub async fn get_many_for_campaigns(
    db: &Db,
    viewer: &Viewer,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, Directive>> {
    let mut out = std::collections::HashMap::with_capacity(ids.len());
    if ids.is_empty() {
        return Ok(out);
    }
    let mut sql = SqlBuf::new(&format!("SELECT {COLS} {FROM} WHERE d.id IN ("));
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.arg_i64(*id);
    }
    sql.push(")");
    for r in sql.query().fetch_all(db.pool()).await? {
        let d = from_row(&r, viewer)?;
        out.insert(d.id, d);
    }
    Ok(out)
}
