//! A page of people read as one row: the database packs the page into a JSON array.
//!
//! The driver hands rows over one at a time, converting every column of every row, and on
//! SQLite each row also crosses from the database's thread to the request's. For the lists
//! every screen and search reads, that costs more than the query itself, so the page comes
//! back as a single text and is parsed here.

use super::{COLS, Person, Raw};
use crate::sql::SqlBuf;
use crate::{Backend, Db, Result};
use sqlx::Row;

/// The page's columns as JSON object members, by the names [`COLS`] gives them.
const MEMBERS: [&str; 16] = [
    "id",
    "unit_id",
    "unit_name",
    "unit_path",
    "org_id",
    "full_name",
    "gender",
    "birth_date",
    "position",
    "phone",
    "email",
    "party_member",
    "self_defence",
    "fire_force",
    "status",
    "sort_key",
];

/// `SELECT <packed page> FROM (SELECT <COLS> FROM people p WHERE `; the caller appends the
/// conditions, the order and the limit, then calls [`fetch`].
pub(super) fn select(backend: Backend) -> SqlBuf {
    let (array, object) = match backend {
        Backend::Sqlite => ("json_group_array", "json_object"),
        Backend::Postgres => ("json_agg", "json_build_object"),
    };
    let members = MEMBERS
        .iter()
        .map(|m| format!("'{m}', p.{m}"))
        .collect::<Vec<_>>()
        .join(", ");
    SqlBuf::new(&format!(
        "SELECT CAST({array}({object}({members}) ORDER BY p.sort_key, p.id) AS TEXT) AS packed \
         FROM (SELECT {COLS} FROM people p WHERE "
    ))
}

/// Runs a query begun by [`select`]: the people in name order.
pub(super) async fn fetch(db: &Db, mut sql: SqlBuf) -> Result<Vec<Person>> {
    sql.push(") p");
    let row = sql.query().fetch_one(db.pool()).await?;
    // No rows: SQLite gives an empty array, PostgreSQL a NULL.
    let Some(text) = row.try_get::<Option<String>, _>("packed")? else {
        return Ok(Vec::new());
    };
    let raws: Vec<Raw> = serde_json::from_str(&text)
        .map_err(|e| crate::Error::Db(sqlx::Error::Decode(Box::new(e))))?;
    raws.into_iter().map(Raw::person).collect()
}
