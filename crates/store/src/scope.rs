//! The scope: which units an actor may act on for one kind of action.
//!
//! A handler cannot read or change organisation data without a `Scope<C>`, and a scope can only
//! be made from the actor's grants (or, for administrative commands run on the server itself,
//! through the loudly named [`Scope::whole_system_for_cli`]). Storage functions put the scope
//! into their `WHERE` clause, so a record outside it is simply not found.

use crate::sql::SqlBuf;
use crate::{Db, Result};
use domain::{Action, Role, permissions};
use sqlx::Row;
use std::marker::PhantomData;

/// A capability marker: the action a scope was resolved for.
pub trait Cap {
    const ACTION: Action;
}

macro_rules! caps {
    ($($name:ident => $action:ident),+ $(,)?) => {
        $(
            #[doc = concat!("Capability marker for `", stringify!($action), "`.")]
            #[derive(Debug, Clone, Copy)]
            pub struct $name;
            impl Cap for $name {
                const ACTION: Action = Action::$action;
            }
        )+
    };
}

caps! {
    UnitView => UnitView,
    UnitManage => UnitManage,
    PersonView => PersonView,
    PersonManage => PersonManage,
    PersonImport => PersonImport,
    PersonExport => PersonExport,
    PartnerView => PartnerView,
    PartnerManage => PartnerManage,
    AccountView => AccountView,
    AccountManage => AccountManage,
    AuditView => AuditView,
    ModelView => ModelView,
    ModelManage => ModelManage,
    NewsView => NewsView,
    NewsManage => NewsManage,
    DirectiveView => DirectiveView,
    DirectiveManage => DirectiveManage,
    CampaignView => CampaignView,
    CampaignManage => CampaignManage,
    RosterView => RosterView,
    RosterManage => RosterManage,
    PlanView => PlanView,
    PlanManage => PlanManage,
    PlanApprove => PlanApprove,
}

/// One subtree of the unit tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Root {
    pub unit_id: i64,
    /// Materialised path of the subtree's root, e.g. `/1/7/`.
    pub path: String,
    /// The organisation the root belongs to, if the root is an organisation or below it; lets
    /// queries use the per-organisation indexes.
    pub org_id: Option<i64>,
}

impl Root {
    /// Upper bound of the path range: `/` is followed by `0` in byte order, so every path that
    /// starts with `path` lies in `[path, bound)`.
    pub fn path_end(&self) -> String {
        path_end(&self.path)
    }
}

/// Upper bound of the range of paths below `path` (see [`Root::path_end`]).
pub fn path_end(path: &str) -> String {
    let mut end = path.to_owned();
    end.pop();
    end.push('0');
    end
}

/// A role held by an account on a subtree.
#[derive(Debug, Clone)]
pub struct Grant {
    pub id: i64,
    pub role: Role,
    pub root: Root,
    pub unit_name: String,
}

/// The grants of one account, as loaded from the database.
#[derive(Debug, Clone, Default)]
pub struct Grants {
    pub list: Vec<Grant>,
}

impl Grants {
    /// The grant columns as [`Grants::from_joined`] reads them, on `role_grants g` joined to
    /// `units u`.
    pub(crate) const JOINED_COLS: &'static str = "g.id AS g_id, g.role AS g_role, u.id AS g_unit_id, \
        u.path AS g_path, u.org_id AS g_org_id, u.kind AS g_kind, u.name AS g_name";

    pub async fn load(db: &Db, account_id: i64) -> Result<Grants> {
        let sql = format!(
            "SELECT {} FROM role_grants g JOIN units u ON u.id = g.unit_id \
             WHERE g.account_id = $1 ORDER BY g.id",
            Self::JOINED_COLS
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(account_id)
            .fetch_all(db.pool())
            .await?;
        Grants::from_joined(&rows)
    }

    /// Grants from rows carrying [`Grants::JOINED_COLS`]; rows without a grant (an outer join
    /// of an account that holds none) and roles this version does not know are skipped.
    pub(crate) fn from_joined(rows: &[sqlx::any::AnyRow]) -> Result<Grants> {
        let mut list = Vec::with_capacity(rows.len());
        for r in rows {
            let Some(id) = r.try_get::<Option<i64>, _>("g_id")? else {
                continue;
            };
            let Some(role) = Role::parse(&r.try_get::<String, _>("g_role")?) else {
                continue;
            };
            let kind: String = r.try_get("g_kind")?;
            let unit_id: i64 = r.try_get("g_unit_id")?;
            let org_id: Option<i64> = r.try_get("g_org_id")?;
            list.push(Grant {
                id,
                role,
                root: Root {
                    unit_id,
                    path: r.try_get("g_path")?,
                    org_id: if kind == "organisation" {
                        Some(unit_id)
                    } else {
                        org_id
                    },
                },
                unit_name: r.try_get("g_name")?,
            });
        }
        Ok(Grants { list })
    }

    pub fn roles(&self) -> impl Iterator<Item = Role> + '_ {
        self.list.iter().map(|g| g.role)
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.roles().any(|r| r == role)
    }

    pub fn requires_second_factor(&self) -> bool {
        self.roles().any(Role::requires_second_factor)
    }

    /// Whether any grant allows the action somewhere.
    pub fn allows(&self, action: Action) -> bool {
        self.roles().any(|r| permissions::allows(r, action))
    }

    /// The scope for capability `C`, or `None` when no grant allows it anywhere.
    pub fn scope<C: Cap>(&self) -> Option<Scope<C>> {
        let mut roots: Vec<Root> = self
            .list
            .iter()
            .filter(|g| permissions::allows(g.role, C::ACTION))
            .map(|g| g.root.clone())
            .collect();
        if roots.is_empty() {
            return None;
        }
        // Drop roots nested inside another root: they add nothing and cost a clause.
        roots.sort_by(|a, b| a.path.cmp(&b.path));
        let mut kept: Vec<Root> = Vec::new();
        for r in roots {
            if !kept.iter().any(|k| r.path.starts_with(&k.path)) {
                kept.push(r);
            }
        }
        Some(Scope {
            roots: kept,
            _cap: PhantomData,
        })
    }
}

/// The subtrees where capability `C` holds.
#[derive(Debug, Clone)]
pub struct Scope<C: Cap> {
    roots: Vec<Root>,
    _cap: PhantomData<C>,
}

impl<C: Cap> Scope<C> {
    /// The whole tree, for commands run by an administrator on the server itself (migrations,
    /// demo data, imports from the command line). Never reachable from a request.
    pub fn whole_system_for_cli(province: Root) -> Scope<C> {
        Scope {
            roots: vec![province],
            _cap: PhantomData,
        }
    }

    pub fn roots(&self) -> &[Root] {
        &self.roots
    }

    /// Whether a unit path lies inside the scope.
    pub fn contains_path(&self, path: &str) -> bool {
        self.roots.iter().any(|r| path.starts_with(&r.path))
    }

    /// A single organisation covers the whole scope: lists can use the per-organisation index.
    pub fn single_org(&self) -> Option<i64> {
        match self.roots.as_slice() {
            [r] => r.org_id,
            _ => None,
        }
    }

    /// Appends `(… OR …)` restricting `path_col` (and `org_col` where it helps an index).
    pub(crate) fn push_filter(&self, sql: &mut SqlBuf, path_col: &str, org_col: Option<&str>) {
        sql.push("(");
        for (i, r) in self.roots.iter().enumerate() {
            if i > 0 {
                sql.push(" OR ");
            }
            sql.push("(");
            if let (Some(col), Some(org)) = (org_col, r.org_id) {
                sql.push(col).push(" = ").arg_i64(org).push(" AND ");
            }
            // A root outside any organisation is the province, whose range holds every row.
            // It is written as a prefix match with the path inline (digits and slashes only):
            // SQLite then uses no path index (its LIKE is case-insensitive), so it walks the
            // index that gives a list its order instead of reading everything and sorting,
            // and PostgreSQL estimates it from its statistics as what it is, all rows.
            if r.org_id.is_none() && r.path.bytes().all(|b| b.is_ascii_digit() || b == b'/') {
                sql.push(&format!("{path_col} LIKE '{}%'", r.path));
            } else {
                sql.push(path_col).push(" >= ").arg_text(&r.path);
                sql.push(" AND ")
                    .push(path_col)
                    .push(" < ")
                    .arg_text(&r.path_end());
            }
            sql.push(")");
        }
        sql.push(")");
    }

    /// Appends `(… OR …)` for records addressed to a subtree, `path_col` holding the path of
    /// the addressed root: a record is in reach when its audience contains one of the scope's
    /// roots (the reader is inside the audience: the ancestors' paths are listed, so the index
    /// finds them by equality) or lies inside one (an article for a department is in reach of
    /// the organisation's officer).
    pub(crate) fn push_audience_filter(&self, sql: &mut SqlBuf, path_col: &str) {
        sql.push("(");
        for (i, r) in self.roots.iter().enumerate() {
            if i > 0 {
                sql.push(" OR ");
            }
            sql.push(path_col).push(" IN (");
            for (j, p) in ancestor_paths(&r.path).iter().enumerate() {
                if j > 0 {
                    sql.push(", ");
                }
                sql.arg_text(p);
            }
            sql.push(") OR (")
                .push(path_col)
                .push(" > ")
                .arg_text(&r.path);
            sql.push(" AND ")
                .push(path_col)
                .push(" < ")
                .arg_text(&r.path_end())
                .push(")");
        }
        sql.push(")");
    }

    /// Appends a clause matching records owned inside the scope or at a unit above one of its
    /// roots: what a higher level issues (the province's directives and campaigns) reaches
    /// every organisation below it.
    pub(crate) fn push_reach(&self, sql: &mut SqlBuf, owner_path_col: &str) {
        sql.push("(");
        self.push_filter(sql, owner_path_col, None);
        let mut above: Vec<String> = Vec::new();
        for r in &self.roots {
            let mut prefix = String::from("/");
            for seg in r
                .path
                .trim_matches('/')
                .split('/')
                .filter(|s| !s.is_empty())
            {
                prefix.push_str(seg);
                prefix.push('/');
                if prefix != r.path && !above.contains(&prefix) {
                    above.push(prefix.clone());
                }
            }
        }
        if !above.is_empty() {
            sql.push(" OR ").push(owner_path_col).push(" IN (");
            for (i, p) in above.iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.arg_text(p);
            }
            sql.push(")");
        }
        sql.push(")");
    }

    /// Whether a record owned at `owner_path` is within reach (see [`Scope::push_reach`]).
    pub fn reaches(&self, owner_path: &str) -> bool {
        self.contains_path(owner_path) || self.roots.iter().any(|r| r.path.starts_with(owner_path))
    }

    /// Narrows to the capability needed for a related action over the same roots; used when
    /// one page shows data that needs the same reach (never to widen).
    pub fn narrow<D: Cap>(&self, grants: &Grants) -> Option<Scope<D>> {
        let other = grants.scope::<D>()?;
        let roots: Vec<Root> = other
            .roots
            .into_iter()
            .filter(|r| self.contains_path(&r.path))
            .collect();
        if roots.is_empty() {
            None
        } else {
            Some(Scope {
                roots,
                _cap: PhantomData,
            })
        }
    }
}

/// `/1/5/8/` → `/1/`, `/1/5/`, `/1/5/8/`: the path itself and the paths of its ancestors.
pub(crate) fn ancestor_paths(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, c) in path.char_indices().skip(1) {
        if c == '/' {
            out.push(path[..=i].to_owned());
        }
    }
    out
}

/// Rows of `role_grants` as shown on the accounts page.
pub async fn unit_path(db: &Db, unit_id: i64) -> Result<Option<String>> {
    let row = sqlx::query("SELECT path FROM units WHERE id = $1")
        .bind(unit_id)
        .fetch_optional(db.pool())
        .await?;
    Ok(match row {
        Some(r) => Some(r.try_get("path")?),
        None => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(role: Role, path: &str, org: Option<i64>) -> Grant {
        Grant {
            id: 1,
            role,
            root: Root {
                unit_id: 1,
                path: path.into(),
                org_id: org,
            },
            unit_name: String::new(),
        }
    }

    #[test]
    fn path_range_covers_subtree_only() {
        let r = Root {
            unit_id: 5,
            path: "/1/5/".into(),
            org_id: Some(5),
        };
        assert_eq!(r.path_end(), "/1/50");
        for inside in ["/1/5/", "/1/5/9/", "/1/5/12/3/"] {
            assert!(
                inside >= r.path.as_str() && inside < r.path_end().as_str(),
                "{inside}"
            );
        }
        for outside in ["/1/50/", "/1/51/", "/1/4/", "/1/"] {
            assert!(
                !(outside >= r.path.as_str() && outside < r.path_end().as_str()),
                "{outside}"
            );
        }
    }

    #[test]
    fn ancestor_paths_list_every_level() {
        assert_eq!(ancestor_paths("/1/5/8/"), vec!["/1/", "/1/5/", "/1/5/8/"]);
        assert_eq!(ancestor_paths("/1/"), vec!["/1/"]);
    }

    #[test]
    fn scope_follows_matrix_and_merges_nested_roots() {
        let grants = Grants {
            list: vec![
                grant(Role::Staff, "/1/5/", Some(5)),
                grant(Role::SecurityOfficer, "/1/5/", Some(5)),
                grant(Role::Leader, "/1/5/8/", Some(5)),
            ],
        };
        assert!(grants.scope::<AccountManage>().is_none());
        let s = grants.scope::<PersonView>().unwrap();
        assert_eq!(s.roots().len(), 1);
        assert_eq!(s.single_org(), Some(5));
        assert!(s.contains_path("/1/5/8/9/"));
        assert!(!s.contains_path("/1/6/"));
    }
}
