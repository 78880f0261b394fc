//! People: staff of the units, with a dated history of moves, positions and status.
//!
//! Lists sort by the Vietnamese name key (given, middle, family) and page by key, never by
//! offset; search matches folded words; every read and write takes a scope.

use crate::audit::{self, Actor, Event};
use crate::scope::{PersonManage, PersonView};
use crate::sql::SqlBuf;
use crate::{Cap, Db, Error, Result, Scope, WriteTx, now_ms, search, units};
use chrono::NaiveDate;
use domain::text::{NameParts, fold_vi, search_terms, search_text};
use domain::values::{Email, Gender, PersonStatus, Phone};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

mod indexed;
mod packed;

#[derive(Debug, Clone, Serialize)]
pub struct Person {
    pub id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub unit_path: String,
    pub org_id: Option<i64>,
    pub full_name: String,
    pub gender: Gender,
    pub birth_date: Option<NaiveDate>,
    pub position: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub party_member: bool,
    pub self_defence: bool,
    pub fire_force: bool,
    pub status: PersonStatus,
    pub sort_key: String,
}

const COLS: &str = "p.id, p.unit_id, (SELECT u.name FROM units u WHERE u.id = p.unit_id) AS unit_name, p.unit_path, p.org_id, p.full_name, p.gender, \
    p.birth_date, p.position, p.phone, p.email, p.party_member, p.self_defence, p.fire_force, p.status, p.sort_key";

/// A person's columns as the database keeps them (codes, flags as 0/1, days as text).
#[derive(Debug, serde::Deserialize)]
struct Raw {
    id: i64,
    unit_id: i64,
    unit_name: String,
    unit_path: String,
    org_id: Option<i64>,
    full_name: String,
    gender: String,
    birth_date: Option<String>,
    position: String,
    phone: Option<String>,
    email: Option<String>,
    party_member: i64,
    self_defence: i64,
    fire_force: i64,
    status: String,
    sort_key: String,
}

impl Raw {
    fn person(self) -> Result<Person> {
        Ok(Person {
            id: self.id,
            unit_id: self.unit_id,
            unit_name: self.unit_name,
            unit_path: self.unit_path,
            org_id: self.org_id,
            full_name: self.full_name,
            gender: Gender::parse(&self.gender)?,
            birth_date: self
                .birth_date
                .and_then(|b| NaiveDate::parse_from_str(&b, "%Y-%m-%d").ok()),
            position: self.position,
            phone: self.phone,
            email: self.email,
            party_member: self.party_member != 0,
            self_defence: self.self_defence != 0,
            fire_force: self.fire_force != 0,
            status: PersonStatus::parse(&self.status)?,
            sort_key: self.sort_key,
        })
    }
}

fn from_row(r: &AnyRow) -> Result<Person> {
    Raw {
        id: r.try_get("id")?,
        unit_id: r.try_get("unit_id")?,
        unit_name: r.try_get("unit_name")?,
        unit_path: r.try_get("unit_path")?,
        org_id: r.try_get("org_id")?,
        full_name: r.try_get("full_name")?,
        gender: r.try_get("gender")?,
        birth_date: r.try_get("birth_date")?,
        position: r.try_get("position")?,
        phone: r.try_get("phone")?,
        email: r.try_get("email")?,
        party_member: r.try_get("party_member")?,
        self_defence: r.try_get("self_defence")?,
        fire_force: r.try_get("fire_force")?,
        status: r.try_get("status")?,
        sort_key: r.try_get("sort_key")?,
    }
    .person()
}

/// A person's details as entered; parsed values only.
#[derive(Debug, Clone)]
pub struct PersonInput {
    pub full_name: String,
    pub gender: Gender,
    pub birth_date: Option<NaiveDate>,
    pub position: String,
    pub unit_id: i64,
    pub phone: Option<Phone>,
    pub email: Option<Email>,
    pub party_member: bool,
    pub self_defence: bool,
    pub fire_force: bool,
    pub status: PersonStatus,
}

fn folded_text(p: &PersonInput) -> String {
    search_text([
        p.full_name.as_str(),
        p.position.as_str(),
        p.email.as_ref().map_or("", |e| e.as_str()),
        p.phone.as_ref().map_or("", |ph| ph.as_str()),
    ])
}

/// Creates a person in a unit of the scope, with a "joined" history entry on `since`.
pub async fn create(
    db: &Db,
    scope: &Scope<PersonManage>,
    actor: &Actor,
    p: &PersonInput,
    since: NaiveDate,
) -> Result<Person> {
    let mut tx = db.begin_write().await?;
    let id = insert(&mut tx, db, scope, actor, p, since).await?;
    let person = get_tx(&mut tx, id).await?;
    tx.commit().await?;
    Ok(person)
}

/// Inserts within the caller's transaction (the importer inserts a whole file in one).
pub(crate) async fn insert<C: Cap>(
    tx: &mut WriteTx,
    db: &Db,
    scope: &Scope<C>,
    actor: &Actor,
    p: &PersonInput,
    since: NaiveDate,
) -> Result<i64> {
    let unit = units::get_tx(tx, scope, p.unit_id)
        .await
        .map_err(|_| Error::Invalid("err.unit_unknown"))?;
    if unit.org_id.is_none() {
        return Err(Error::Invalid("err.person_unit_province"));
    }
    let now = now_ms();
    let folded = folded_text(p);
    let row = sqlx::query(
        "INSERT INTO people (unit_id, unit_path, org_id, full_name, sort_key, search_folded, gender, birth_date, \
         position, phone, email, party_member, self_defence, fire_force, status, created_at, updated_at) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$16) RETURNING id",
    )
    .bind(unit.id)
    .bind(&unit.path)
    .bind(unit.org_id)
    .bind(&p.full_name)
    .bind(NameParts::split(&p.full_name).sort_key())
    .bind(&folded)
    .bind(p.gender.code())
    .bind(p.birth_date.map(|d| d.to_string()))
    .bind(p.position.trim())
    .bind(p.phone.as_ref().map(|v| v.as_str().to_owned()))
    .bind(p.email.as_ref().map(|v| v.as_str().to_owned()))
    .bind(i64::from(p.party_member))
    .bind(i64::from(p.self_defence))
    .bind(i64::from(p.fire_force))
    .bind(p.status.code())
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    let id: i64 = row.try_get("id")?;
    search::index_person(tx, db.backend(), id, &folded).await?;
    add_history(
        tx,
        id,
        since,
        "joined",
        None,
        Some(unit.id),
        Some(&p.position),
        Some(p.status),
        None,
        actor,
    )
    .await?;
    audit::append(
        tx,
        actor,
        Event {
            action: "person.create",
            object_kind: "person",
            object_id: id.to_string(),
            unit_path: Some(unit.path.clone()),
            details: json!({ "full_name": p.full_name, "unit": unit.id }),
        },
    )
    .await?;
    Ok(id)
}

#[expect(
    clippy::too_many_arguments,
    reason = "one row of the history table, column by column"
)]
async fn add_history(
    tx: &mut WriteTx,
    person_id: i64,
    date: NaiveDate,
    kind: &str,
    from_unit: Option<i64>,
    to_unit: Option<i64>,
    position: Option<&str>,
    status: Option<PersonStatus>,
    note: Option<&str>,
    actor: &Actor,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO person_history (person_id, effective_date, kind, from_unit_id, to_unit_id, position, status, \
         note, recorded_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)",
    )
    .bind(person_id)
    .bind(date.to_string())
    .bind(kind)
    .bind(from_unit)
    .bind(to_unit)
    .bind(position)
    .bind(status.map(|s| s.code()))
    .bind(note)
    .bind(actor.account_id)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn get_tx(tx: &mut WriteTx, id: i64) -> Result<Person> {
    let sql = format!("SELECT {COLS} FROM people p WHERE p.id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    from_row(&row.ok_or(Error::NotFound)?)
}

async fn get_scoped_tx<C: Cap>(tx: &mut WriteTx, scope: &Scope<C>, id: i64) -> Result<Person> {
    let p = get_tx(tx, id).await?;
    if scope.contains_path(&p.unit_path) {
        Ok(p)
    } else {
        Err(Error::NotFound)
    }
}

/// A person in the scope; anyone outside it is not found.
pub async fn get<C: Cap>(db: &Db, scope: &Scope<C>, id: i64) -> Result<Person> {
    let mut sql = SqlBuf::new(&format!("SELECT {COLS} FROM people p WHERE p.id = "));
    sql.arg_i64(id).push(" AND ");
    scope.push_filter(&mut sql, "p.unit_path", Some("p.org_id"));
    let row = sql.query().fetch_optional(db.pool()).await?;
    from_row(&row.ok_or(Error::NotFound)?)
}

/// Changes a person's details; the unit and status change through [`move_to`] and
/// [`set_status`] so that history records them with their dates.
pub async fn update(
    db: &Db,
    scope: &Scope<PersonManage>,
    actor: &Actor,
    id: i64,
    p: &PersonInput,
) -> Result<Person> {
    let mut tx = db.begin_write().await?;
    let before = get_scoped_tx(&mut tx, scope, id).await?;
    let folded = folded_text(p);
    sqlx::query(
        "UPDATE people SET full_name = $1, sort_key = $2, search_folded = $3, gender = $4, birth_date = $5, \
         position = $6, phone = $7, email = $8, party_member = $9, self_defence = $10, fire_force = $11, \
         updated_at = $12 WHERE id = $13",
    )
    .bind(&p.full_name)
    .bind(NameParts::split(&p.full_name).sort_key())
    .bind(&folded)
    .bind(p.gender.code())
    .bind(p.birth_date.map(|d| d.to_string()))
    .bind(p.position.trim())
    .bind(p.phone.as_ref().map(|v| v.as_str().to_owned()))
    .bind(p.email.as_ref().map(|v| v.as_str().to_owned()))
    .bind(i64::from(p.party_member))
    .bind(i64::from(p.self_defence))
    .bind(i64::from(p.fire_force))
    .bind(now_ms())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    search::index_person(&mut tx, db.backend(), id, &folded).await?;
    if before.position != p.position.trim() {
        let today = chrono::Utc::now().date_naive();
        add_history(
            &mut tx,
            id,
            today,
            "position",
            None,
            None,
            Some(p.position.trim()),
            None,
            None,
            actor,
        )
        .await?;
    }
    let after = get_tx(&mut tx, id).await?;
    audit::append(
        &mut tx,
        actor,
        Event {
            action: "person.update",
            object_kind: "person",
            object_id: id.to_string(),
            unit_path: Some(after.unit_path.clone()),
            details: json!({ "before": before, "after": after }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// Moves a person to another unit of the scope from `date`.
pub async fn move_to(
    db: &Db,
    scope: &Scope<PersonManage>,
    actor: &Actor,
    id: i64,
    unit_id: i64,
    date: NaiveDate,
    note: Option<&str>,
) -> Result<Person> {
    let mut tx = db.begin_write().await?;
    let before = get_scoped_tx(&mut tx, scope, id).await?;
    let unit = units::get_tx(&mut tx, scope, unit_id)
        .await
        .map_err(|_| Error::Invalid("err.unit_unknown"))?;
    if unit.org_id.is_none() {
        return Err(Error::Invalid("err.person_unit_province"));
    }
    if unit.id == before.unit_id {
        return Err(Error::Invalid("err.same_unit"));
    }
    sqlx::query("UPDATE people SET unit_id = $1, unit_path = $2, org_id = $3, updated_at = $4 WHERE id = $5")
        .bind(unit.id)
        .bind(&unit.path)
        .bind(unit.org_id)
        .bind(now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    add_history(
        &mut tx,
        id,
        date,
        "moved",
        Some(before.unit_id),
        Some(unit.id),
        None,
        None,
        note,
        actor,
    )
    .await?;
    audit::append(
        &mut tx,
        actor,
        Event {
            action: "person.move",
            object_kind: "person",
            object_id: id.to_string(),
            unit_path: Some(unit.path.clone()),
            details: json!({ "from": before.unit_id, "to": unit.id, "date": date.to_string() }),
        },
    )
    .await?;
    let after = get_tx(&mut tx, id).await?;
    tx.commit().await?;
    Ok(after)
}

/// Records a change of status (transferred out, retired, back to work) from `date`.
pub async fn set_status(
    db: &Db,
    scope: &Scope<PersonManage>,
    actor: &Actor,
    id: i64,
    status: PersonStatus,
    date: NaiveDate,
    note: Option<&str>,
) -> Result<Person> {
    let mut tx = db.begin_write().await?;
    let before = get_scoped_tx(&mut tx, scope, id).await?;
    if before.status == status {
        return Err(Error::Invalid("err.same_status"));
    }
    sqlx::query("UPDATE people SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(status.code())
        .bind(now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    add_history(
        &mut tx,
        id,
        date,
        "status",
        None,
        None,
        None,
        Some(status),
        note,
        actor,
    )
    .await?;
    audit::append(
        &mut tx,
        actor,
        Event {
            action: "person.status",
            object_kind: "person",
            object_id: id.to_string(),
            unit_path: Some(before.unit_path.clone()),
            details: json!({ "from": before.status.code(), "to": status.code(), "date": date.to_string() }),
        },
    )
    .await?;
    let after = get_tx(&mut tx, id).await?;
    tx.commit().await?;
    Ok(after)
}

#[derive(Debug, Clone, Serialize)]
pub struct HistoryEntry {
    pub effective_date: NaiveDate,
    pub kind: String,
    pub from_unit: Option<String>,
    pub to_unit: Option<String>,
    pub position: Option<String>,
    pub status: Option<String>,
    pub note: Option<String>,
}

/// A person's dated history, oldest first.
pub async fn history(db: &Db, scope: &Scope<PersonView>, id: i64) -> Result<Vec<HistoryEntry>> {
    get(db, scope, id).await?;
    let rows = sqlx::query(
        "SELECT h.effective_date, h.kind, fu.name AS from_unit, tu.name AS to_unit, h.position, h.status, h.note \
         FROM person_history h LEFT JOIN units fu ON fu.id = h.from_unit_id LEFT JOIN units tu ON tu.id = h.to_unit_id \
         WHERE h.person_id = $1 ORDER BY h.effective_date, h.id",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            let d: String = r.try_get("effective_date")?;
            Ok(HistoryEntry {
                effective_date: NaiveDate::parse_from_str(&d, "%Y-%m-%d").unwrap_or_default(),
                kind: r.try_get("kind")?,
                from_unit: r.try_get("from_unit")?,
                to_unit: r.try_get("to_unit")?,
                position: r.try_get("position")?,
                status: r.try_get("status")?,
                note: r.try_get("note")?,
            })
        })
        .collect()
}

/// A list request: folded search, optional unit subtree and status, keyset cursor.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub q: Option<String>,
    pub unit_id: Option<i64>,
    pub status: Option<PersonStatus>,
    pub cursor: Option<String>,
    pub limit: i64,
}

/// One page of people and the cursor of the next page.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    pub items: Vec<Person>,
    pub next: Option<String>,
}

fn encode_cursor(p: &Person) -> String {
    hex::encode(format!("{}\u{1f}{}", p.sort_key, p.id))
}

fn decode_cursor(c: &str) -> Result<(String, i64)> {
    let bytes = hex::decode(c).map_err(|_| Error::Invalid("err.cursor"))?;
    let s = String::from_utf8(bytes).map_err(|_| Error::Invalid("err.cursor"))?;
    let (key, id) = s.split_once('\u{1f}').ok_or(Error::Invalid("err.cursor"))?;
    Ok((
        key.to_owned(),
        id.parse().map_err(|_| Error::Invalid("err.cursor"))?,
    ))
}

/// The filters of a list request other than the search terms, resolved once.
struct Filters {
    unit: Option<units::Unit>,
    status: Option<PersonStatus>,
    cursor: Option<(String, i64)>,
}

impl Filters {
    async fn resolve<C: Cap>(db: &Db, scope: &Scope<C>, q: &ListQuery) -> Result<Filters> {
        let unit = match q.unit_id {
            Some(id) => Some(units::get(db, scope, id).await?),
            None => None,
        };
        let cursor = q.cursor.as_deref().map(decode_cursor).transpose()?;
        Ok(Filters {
            unit,
            status: q.status,
            cursor,
        })
    }

    /// Appends the scope and the filters as conditions on `people p`.
    fn push<C: Cap>(&self, sql: &mut SqlBuf, scope: &Scope<C>) {
        scope.push_filter(sql, "p.unit_path", Some("p.org_id"));
        if let Some(unit) = &self.unit {
            sql.push(" AND p.unit_path >= ").arg_text(&unit.path);
            sql.push(" AND p.unit_path < ")
                .arg_text(&unit.root().path_end());
        }
        if let Some(s) = self.status {
            sql.push(" AND p.status = ").arg_text(s.code());
        }
        if let Some((key, id)) = &self.cursor {
            sql.push(" AND (p.sort_key > ").arg_text(key);
            sql.push(" OR (p.sort_key = ")
                .arg_text(key)
                .push(" AND p.id > ")
                .arg_i64(*id)
                .push("))");
        }
    }
}

/// People in the scope in Vietnamese name order.
pub async fn list<C: Cap>(db: &Db, scope: &Scope<C>, q: &ListQuery) -> Result<Page> {
    let limit = q.limit.clamp(1, 1000);
    let f = Filters::resolve(db, scope, q).await?;
    let terms = q.q.as_deref().map(search_terms).unwrap_or_default();
    let mut items = if terms.is_empty() {
        let mut sql = packed::select(db.backend());
        f.push(&mut sql, scope);
        sql.push(" ORDER BY p.sort_key, p.id LIMIT ")
            .arg_i64(limit + 1);
        packed::fetch(db, sql).await?
    } else if let Some(items) = indexed::page(db, scope, &f, &terms, limit).await? {
        items
    } else {
        let matched = format!("SELECT {COLS} FROM w JOIN people p ON p.id = w.id WHERE ");
        let rows = format!("SELECT {COLS} FROM k JOIN people p ON p.id = k.id");
        let plan = search::Plan {
            index: search::WordIndex::People,
            window: "SELECT p.id, p.sort_key AS k, p.search_folded AS words FROM people p WHERE ",
            key: "p.sort_key",
            id: "p.id",
            descending: false,
            matched: &matched,
            result_key: "sort_key",
            keys: "SELECT p.id FROM f JOIN people p{hint} ON p.id = f.id WHERE ",
            sqlite_key_index: "people_id_cover",
            rows: &rows,
        };
        let rows = search::page(db, &plan, |sql| f.push(sql, scope), &terms, limit).await?;
        rows.iter().map(from_row).collect::<Result<Vec<_>>>()?
    };
    let next = if items.len() as i64 > limit {
        items.truncate(limit as usize);
        items.last().map(encode_cursor)
    } else {
        None
    };
    Ok(Page { items, next })
}

/// Headline figures for the dashboard.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    pub total: i64,
    pub working: i64,
    pub party_members: i64,
    pub self_defence: i64,
    pub fire_force: i64,
    /// Working people without a date of birth or a phone.
    pub incomplete: i64,
}

pub async fn counts<C: Cap>(db: &Db, scope: &Scope<C>) -> Result<Counts> {
    let s = crate::dashboard::head_counts(db, scope).await?;
    Ok(Counts {
        total: s.total,
        working: s.working,
        party_members: s.party,
        self_defence: s.self_defence,
        fire_force: s.fire_force,
        incomplete: s.incomplete,
    })
}

/// People of an organisation with the same folded name and birth date: likely duplicates.
pub(crate) async fn find_duplicate(
    tx: &mut WriteTx,
    org_id: i64,
    full_name: &str,
    birth: Option<NaiveDate>,
) -> Result<bool> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM people WHERE org_id = $1 AND sort_key = $2 AND \
         COALESCE(birth_date, '') = $3",
    )
    .bind(org_id)
    .bind(NameParts::split(full_name).sort_key())
    .bind(birth.map(|d| d.to_string()).unwrap_or_default())
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.try_get::<i64, _>("n")? > 0)
}

/// Inserts many people in one transaction: all or nothing. Returns the number inserted, or
/// the 0-based index and reason of the first row the database refused.
pub async fn insert_all(
    db: &Db,
    scope: &Scope<crate::scope::PersonImport>,
    actor: &Actor,
    rows: &[PersonInput],
    since: NaiveDate,
    source: &str,
) -> Result<Result<usize, (usize, Error)>> {
    let mut tx = db.begin_write().await?;
    for (i, p) in rows.iter().enumerate() {
        let unit = match units::get_tx(&mut tx, scope, p.unit_id).await {
            Ok(u) => u,
            Err(_) => return Ok(Err((i, Error::Invalid("err.unit_unknown")))),
        };
        if let Some(org) = unit.org_id
            && find_duplicate(&mut tx, org, &p.full_name, p.birth_date).await?
        {
            return Ok(Err((i, Error::Conflict("err.person_duplicate"))));
        }
        if let Err(e) = insert(&mut tx, db, scope, actor, p, since).await {
            return Ok(Err((i, e)));
        }
    }
    audit::append(
        &mut tx,
        actor,
        Event {
            action: "person.import",
            object_kind: "import",
            object_id: source.chars().take(200).collect(),
            unit_path: scope.roots().first().map(|r| r.path.clone()),
            details: json!({ "rows": rows.len(), "file": source }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(rows.len()))
}

/// How many people a list request matches in all (the list itself comes a page at a time).
pub async fn count_matching<C: Cap>(db: &Db, scope: &Scope<C>, q: &ListQuery) -> Result<i64> {
    let terms = q.q.as_deref().map(search_terms).unwrap_or_default();
    if terms.is_empty() && matches!(q.status, None | Some(PersonStatus::Working)) {
        // Without words, the kept head counts answer (all people, or the working ones).
        if q.unit_id.is_none() {
            let c = crate::dashboard::head_counts(db, scope).await?;
            return Ok(if q.status.is_some() {
                c.working
            } else {
                c.total
            });
        }
        let col = if q.status.is_some() {
            "working"
        } else {
            "total"
        };
        let mut sql = SqlBuf::new(&format!(
            "SELECT CAST(COALESCE(SUM(s.{col}), 0) AS BIGINT) AS n \
             FROM unit_people_stats s JOIN units u ON u.id = s.unit_id WHERE "
        ));
        scope.push_filter(&mut sql, "u.path", None);
        if let Some(unit_id) = q.unit_id {
            let unit = units::get(db, scope, unit_id).await?;
            sql.push(" AND u.path >= ").arg_text(&unit.path);
            sql.push(" AND u.path < ").arg_text(&unit.root().path_end());
        }
        return Ok(sql.query().fetch_one(db.pool()).await?.try_get("n")?);
    }
    let mut sql = SqlBuf::new("SELECT COUNT(*) AS n FROM people p WHERE ");
    scope.push_filter(&mut sql, "p.unit_path", Some("p.org_id"));
    if let Some(unit_id) = q.unit_id {
        let unit = units::get(db, scope, unit_id).await?;
        sql.push(" AND p.unit_path >= ").arg_text(&unit.path);
        sql.push(" AND p.unit_path < ")
            .arg_text(&unit.root().path_end());
    }
    if let Some(s) = q.status {
        sql.push(" AND p.status = ").arg_text(s.code());
    }
    if !terms.is_empty() {
        sql.push(" AND p.id IN (");
        search::push_ids(&mut sql, db.backend(), search::WordIndex::People, &terms);
        sql.push(")");
    }
    Ok(sql.query().fetch_one(db.pool()).await?.try_get("n")?)
}

/// The folded name and date of birth of everyone in the organisation of `unit_id` (a unit of
/// the importer's scope), so that an import can report every duplicate row before inserting.
/// Like [`insert_all`], it looks at the whole organisation: a person recorded in a department
/// outside the importer's reach is still the same person.
pub async fn org_name_keys(
    db: &Db,
    scope: &Scope<crate::scope::PersonImport>,
    unit_id: i64,
) -> Result<Vec<(String, Option<NaiveDate>)>> {
    let unit = units::get(db, scope, unit_id).await?;
    let Some(org) = unit.org_id else {
        return Ok(Vec::new());
    };
    let rows = sqlx::query("SELECT full_name, birth_date FROM people WHERE org_id = $1")
        .bind(org)
        .fetch_all(db.pool())
        .await?;
    rows.iter()
        .map(|r| {
            let birth: Option<String> = r.try_get("birth_date")?;
            Ok((
                fold_vi(&r.try_get::<String, _>("full_name")?),
                birth.and_then(|b| NaiveDate::parse_from_str(&b, "%Y-%m-%d").ok()),
            ))
        })
        .collect()
}
