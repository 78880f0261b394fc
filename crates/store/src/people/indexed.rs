//! People searches answered by the in-memory word index ([`crate::search::memory`]).

use super::{Filters, Person, packed};
use crate::scope::Root;
use crate::search::{self, live, memory::Accept};
use crate::{Cap, Db, Result, Scope};

/// The scope and the list's unit and status filters, as the index checks them.
struct Allowed<'a> {
    roots: &'a [Root],
    unit: Option<&'a str>,
    status: Option<&'a str>,
}

impl Accept for Allowed<'_> {
    fn unit(&self, path: &str) -> bool {
        self.roots.iter().any(|r| path.starts_with(&r.path))
            && self.unit.is_none_or(|u| path.starts_with(u))
    }

    fn status(&self, status: &str) -> bool {
        self.status.is_none_or(|s| s == status)
    }
}

/// The page's people in list order (`limit + 1` at most, the extra one telling that more
/// follow), or `None` when the index is not current and the database's plans must answer.
pub(super) async fn page<C: Cap>(
    db: &Db,
    scope: &Scope<C>,
    f: &Filters,
    terms: &[String],
    limit: i64,
) -> Result<Option<Vec<Person>>> {
    if !db.search_tuning().memory {
        return Ok(None);
    }
    let Some(ix) = live::fresh(db).await? else {
        return Ok(None);
    };
    let allowed = Allowed {
        roots: scope.roots(),
        unit: f.unit.as_ref().map(|u| u.path.as_str()),
        status: f.status.map(|s| s.code()),
    };
    let after = f.cursor.as_ref().map(|(_, id)| *id);
    let Some(ids) = ix.page(terms, &allowed, after, limit as usize + 1) else {
        return Ok(None);
    };
    if ids.is_empty() {
        return Ok(Some(Vec::new()));
    }
    // The rows are read back with every condition the SQL plans apply, so the database
    // has the last word on scope, filters and words.
    let mut sql = packed::select(db.backend());
    sql.push("p.id IN (");
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.arg_i64(*id);
    }
    sql.push(") AND ");
    f.push(&mut sql, scope);
    sql.push(" AND ");
    search::push_words_like(&mut sql, "p.search_folded", terms);
    let people = packed::fetch(db, sql).await?;
    // Someone changed between reading the version and reading the rows: a page with a hole
    // must not be shown, the database's plans answer instead.
    if people.len() != ids.len() {
        return Ok(None);
    }
    Ok(Some(people))
}
