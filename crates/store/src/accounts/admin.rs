//! Accounts as administrators and their owners manage them from the web pages: creating an
//! account with its first role, listing grants, temporary passwords, second-factor resets,
//! the owner's own person record and language.

use super::{Account, NewAccount, get_managed, hash_password, insert, insert_grant};
use crate::audit::{self, Actor, Event};
use crate::scope::{AccountManage, AccountView, Grants};
use crate::sql::SqlBuf;
use crate::{Db, Error, Result, Scope, WriteTx, now_ms, people, units};
use domain::Role;
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

/// A person of the scope who has no account yet, offered when creating one.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    pub person_id: i64,
    pub full_name: String,
    pub unit_name: String,
}

/// Working people of the scope without an account, in unit then name order; capped so the
/// picker stays usable.
pub async fn people_without_account(
    db: &Db,
    scope: &Scope<AccountManage>,
    limit: i64,
) -> Result<Vec<Candidate>> {
    let mut sql = SqlBuf::new(
        "SELECT p.id, p.full_name, u.name AS unit_name FROM people p JOIN units u ON u.id = p.unit_id \
         WHERE p.status = 'working' AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.person_id = p.id) AND ",
    );
    scope.push_filter(&mut sql, "p.unit_path", None);
    sql.push(" ORDER BY p.unit_path, p.sort_key, p.id LIMIT ")
        .arg_i64(limit);
    sql.query()
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(Candidate {
                person_id: r.try_get("id")?,
                full_name: r.try_get("full_name")?,
                unit_name: r.try_get("unit_name")?,
            })
        })
        .collect()
}

/// Creates an account for a person of the scope and, optionally, its first role, in one
/// transaction: a refused role leaves no half-made account behind.
pub async fn create_with_role(
    db: &Db,
    scope: &Scope<AccountManage>,
    granter: &Grants,
    actor: &Actor,
    a: &NewAccount,
    first_role: Option<(Role, i64)>,
) -> Result<i64> {
    let pid = a.person_id.ok_or(Error::Invalid("err.person_unknown"))?;
    let person = people::get(db, scope, pid)
        .await
        .map_err(|_| Error::Invalid("err.person_unknown"))?;
    if let Some((role, _)) = first_role
        && !granter.roles().any(|r| r.may_grant(role))
    {
        return Err(Error::Invalid("err.role_not_grantable"));
    }
    let mut tx = db.begin_write().await?;
    let taken = sqlx::query("SELECT id FROM accounts WHERE person_id = $1")
        .bind(pid)
        .fetch_optional(&mut *tx)
        .await?;
    if taken.is_some() {
        return Err(Error::Invalid("err.person_has_account"));
    }
    let id = insert(&mut tx, actor, a, Some(person.unit_path)).await?;
    if let Some((role, unit_id)) = first_role {
        let unit = units::get_tx(&mut tx, scope, unit_id)
            .await
            .map_err(|_| Error::Invalid("err.unit_unknown"))?;
        insert_grant(&mut tx, actor, id, role, &unit).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// An account linked to a person of the scope or holding a role in it, for viewing.
pub async fn get_viewed(db: &Db, scope: &Scope<AccountView>, id: i64) -> Result<Account> {
    super::get_in_scope(db, scope, id).await
}

/// One role grant as shown on an account's page.
#[derive(Debug, Clone, Serialize)]
pub struct GrantRow {
    pub id: i64,
    pub role: Role,
    pub unit_id: i64,
    pub unit_name: String,
    pub unit_path: String,
    pub granted_at: i64,
}

/// Every grant of an account, in the order given.
pub async fn grants_of(db: &Db, account_id: i64) -> Result<Vec<GrantRow>> {
    let rows = sqlx::query(
        "SELECT g.id, g.role, g.unit_id, g.granted_at, u.name, u.path FROM role_grants g JOIN units u ON u.id = g.unit_id \
         WHERE g.account_id = $1 ORDER BY g.id",
    )
    .bind(account_id)
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let Some(role) = Role::parse(&r.try_get::<String, _>("role")?) else {
            continue;
        };
        out.push(GrantRow {
            id: r.try_get("id")?,
            role,
            unit_id: r.try_get("unit_id")?,
            unit_name: r.try_get("name")?,
            unit_path: r.try_get("path")?,
            granted_at: r.try_get("granted_at")?,
        });
    }
    Ok(out)
}

/// Refuses to act on an account that holds a role the actor could not grant, or a role
/// outside the actor's scope: resetting its password or second factor would hand the actor
/// that wider reach.
pub async fn check_outranked(
    db: &Db,
    scope: &Scope<AccountManage>,
    granter: &Grants,
    account_id: i64,
) -> Result<()> {
    for g in grants_of(db, account_id).await? {
        if !scope.contains_path(&g.unit_path) || !granter.roles().any(|r| r.may_grant(g.role)) {
            return Err(Error::Invalid("err.account_outranks"));
        }
    }
    Ok(())
}

/// A new password that passed the rules, already hashed. Hashing takes tens of milliseconds
/// of CPU, so callers make this before taking the write lock (and off the async workers).
#[derive(Debug, Clone)]
pub struct NewPassword {
    hash: String,
}

impl NewPassword {
    pub fn new(password: &str, username: &str) -> Result<NewPassword> {
        domain::values::check_password(password, username)?;
        Ok(NewPassword {
            hash: hash_password(password),
        })
    }
}

/// Replaces the password inside the caller's transaction and ends every browser session and
/// API sign-in token of the account, so nothing opened with the old password survives.
pub async fn replace_password(
    tx: &mut WriteTx,
    actor: &Actor,
    account: &Account,
    new: &NewPassword,
    action: &str,
) -> Result<()> {
    let now = now_ms();
    sqlx::query("UPDATE accounts SET password_hash = $1, password_changed_at = $2, failed_count = 0, locked_until = 0, updated_at = $2 WHERE id = $3")
        .bind(&new.hash)
        .bind(now)
        .bind(account.id)
        .execute(&mut **tx)
        .await?;
    let sessions = crate::sessions::delete_all(tx, account.id).await?;
    let tokens = crate::tokens::revoke_sessions(tx, account.id).await?;
    audit::append(
        tx,
        actor,
        Event {
            action,
            object_kind: "account",
            object_id: account.id.to_string(),
            unit_path: None,
            details: json!({ "sessions_ended": sessions, "api_sign_ins_revoked": tokens }),
        },
    )
    .await?;
    Ok(())
}

/// An administrator sets a temporary password for an account of the scope.
pub async fn reset_password(
    db: &Db,
    scope: &Scope<AccountManage>,
    granter: &Grants,
    actor: &Actor,
    account: &Account,
    new: &NewPassword,
) -> Result<()> {
    get_managed(db, scope, account.id).await?;
    check_outranked(db, scope, granter, account.id).await?;
    let mut tx = db.begin_write().await?;
    replace_password(&mut tx, actor, account, new, "account.password_reset").await?;
    tx.commit().await?;
    Ok(())
}

/// An administrator turns off the second factor of an account of the scope (a lost phone).
/// The sessions of the account end too: whoever holds the phone should not keep a way in.
pub async fn reset_totp(
    db: &Db,
    scope: &Scope<AccountManage>,
    granter: &Grants,
    actor: &Actor,
    id: i64,
) -> Result<()> {
    let account = get_managed(db, scope, id).await?;
    check_outranked(db, scope, granter, id).await?;
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE accounts SET totp_secret = NULL, totp_enabled = 0, totp_last_step = 0, updated_at = $1 WHERE id = $2")
        .bind(now_ms())
        .bind(account.id)
        .execute(&mut *tx)
        .await?;
    crate::sessions::delete_all(&mut tx, account.id).await?;
    crate::tokens::revoke_sessions(&mut tx, account.id).await?;
    audit::append(
        &mut tx,
        actor,
        Event {
            action: "account.totp_reset",
            object_kind: "account",
            object_id: account.id.to_string(),
            unit_path: None,
            details: json!({}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The person an account is linked to, as shown on its own profile.
#[derive(Debug, Clone, Serialize)]
pub struct LinkedPerson {
    pub id: i64,
    pub full_name: String,
    pub position: String,
    pub unit_name: String,
}

/// The account's own person record: a person may always see who the system takes them for.
pub async fn linked_person(db: &Db, account: &Account) -> Result<Option<LinkedPerson>> {
    let Some(pid) = account.person_id else {
        return Ok(None);
    };
    let row = sqlx::query("SELECT p.id, p.full_name, p.position, u.name FROM people p JOIN units u ON u.id = p.unit_id WHERE p.id = $1")
        .bind(pid)
        .fetch_optional(db.pool())
        .await?;
    let Some(r) = row else { return Ok(None) };
    Ok(Some(LinkedPerson {
        id: r.try_get("id")?,
        full_name: r.try_get("full_name")?,
        position: r.try_get("position")?,
        unit_name: r.try_get("name")?,
    }))
}

/// Sets the preferred language from the profile, with its audit entry.
pub async fn set_locale_audited(
    db: &Db,
    actor: &Actor,
    account_id: i64,
    locale: &str,
) -> Result<()> {
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE accounts SET locale = $1, updated_at = $2 WHERE id = $3")
        .bind(locale)
        .bind(now_ms())
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
    audit::append(
        &mut tx,
        actor,
        Event {
            action: "account.language",
            object_kind: "account",
            object_id: account_id.to_string(),
            unit_path: None,
            details: json!({ "lang": locale }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
