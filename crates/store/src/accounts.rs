//! Accounts, passwords, second factor, role grants and sign-in throttling.

use crate::audit::{self, Actor, Event};
use crate::scope::{AccountManage, AccountView, Grants};
use crate::sql::SqlBuf;
use crate::{Db, Error, Result, Scope, WriteTx, now_ms, people, units};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use domain::Role;
use rand::RngCore;
use serde::Serialize;
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

/// Failed sign-ins before an account is locked, and for how long.
pub const LOCK_AFTER_FAILURES: i64 = 5;
pub const LOCK_MS: i64 = 15 * 60 * 1000;
/// Failed sign-ins from one address within the window before it is throttled.
pub const IP_FAILURES: i64 = 20;
pub const IP_WINDOW_MS: i64 = 15 * 60 * 1000;

#[derive(Debug, Clone, Serialize)]
pub struct Account {
    pub id: i64,
    pub username: String,
    pub person_id: Option<i64>,
    pub display_name: String,
    #[serde(skip)]
    pub password_hash: String,
    #[serde(skip)]
    pub totp_secret: Option<String>,
    pub totp_enabled: bool,
    #[serde(skip)]
    pub totp_last_step: i64,
    pub disabled: bool,
    pub failed_count: i64,
    pub locked_until: i64,
    pub locale: String,
}

pub(crate) const COLS: &str = "id, username, person_id, display_name, password_hash, totp_secret, totp_enabled, totp_last_step, \
    disabled, failed_count, locked_until, locale";

pub(crate) fn from_row(r: &AnyRow) -> Result<Account> {
    Ok(Account {
        id: r.try_get("id")?,
        username: r.try_get("username")?,
        person_id: r.try_get("person_id")?,
        display_name: r.try_get("display_name")?,
        password_hash: r.try_get("password_hash")?,
        totp_secret: r.try_get("totp_secret")?,
        totp_enabled: r.try_get::<i64, _>("totp_enabled")? != 0,
        totp_last_step: r.try_get("totp_last_step")?,
        disabled: r.try_get::<i64, _>("disabled")? != 0,
        failed_count: r.try_get("failed_count")?,
        locked_until: r.try_get("locked_until")?,
        locale: r.try_get("locale")?,
    })
}

/// Argon2id with the crate's recommended parameters and a random salt.
pub fn hash_password(password: &str) -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    let salt = SaltString::encode_b64(&bytes).expect("16 bytes is a valid salt length");
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default parameters")
        .to_string()
}

pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A hash of nothing, verified against when the username is unknown so that the time taken
/// does not reveal which usernames exist.
pub fn dummy_hash() -> &'static str {
    static H: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| hash_password("no such account"));
    &H
}

pub async fn by_username(db: &Db, username: &str) -> Result<Option<Account>> {
    let sql = format!("SELECT {COLS} FROM accounts WHERE username = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(username.trim().to_lowercase())
        .fetch_optional(db.pool())
        .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn by_id(db: &Db, id: i64) -> Result<Account> {
    let sql = format!("SELECT {COLS} FROM accounts WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    from_row(&row.ok_or(Error::NotFound)?)
}

/// New account details.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub person_id: Option<i64>,
    pub password: String,
}

/// Creates an account within a transaction the caller holds; checks the password rules.
pub async fn insert(
    tx: &mut WriteTx,
    actor: &Actor,
    a: &NewAccount,
    unit_path: Option<String>,
) -> Result<i64> {
    let username = domain::values::parse_username(&a.username)?;
    domain::values::check_password(&a.password, &username)?;
    let display = a.display_name.trim();
    if display.is_empty() || display.chars().count() > 100 {
        return Err(Error::Invalid("err.display_name"));
    }
    let now = now_ms();
    let row = sqlx::query(
        "INSERT INTO accounts (username, person_id, display_name, password_hash, password_changed_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5, $5) RETURNING id",
    )
    .bind(&username)
    .bind(a.person_id)
    .bind(display)
    .bind(hash_password(&a.password))
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| crate::error::conflict_on_unique(e, "err.username_taken"))?;
    let id: i64 = row.try_get("id")?;
    audit::append(
        tx,
        actor,
        Event {
            action: "account.create",
            object_kind: "account",
            object_id: id.to_string(),
            unit_path,
            details: json!({ "username": username, "person": a.person_id }),
        },
    )
    .await?;
    Ok(id)
}

/// Creates an account for a person of the scope (or with no person, for administrators).
pub async fn create(
    db: &Db,
    scope: &Scope<AccountManage>,
    actor: &Actor,
    a: &NewAccount,
) -> Result<i64> {
    let mut tx = db.begin_write().await?;
    let path = match a.person_id {
        Some(pid) => {
            let p = people::get(db, scope, pid)
                .await
                .map_err(|_| Error::Invalid("err.person_unknown"))?;
            Some(p.unit_path)
        }
        None => None,
    };
    let id = insert(&mut tx, actor, a, path).await?;
    tx.commit().await?;
    Ok(id)
}

/// An account row as listed on the accounts page, with its grants.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    pub account: Account,
    pub grants: Vec<(Role, String)>,
}

/// Accounts linked to people of the scope or holding a role inside it.
pub async fn list(db: &Db, scope: &Scope<AccountView>) -> Result<Vec<Listed>> {
    let mut sql = SqlBuf::new(&format!(
        "SELECT {COLS} FROM accounts a WHERE a.id IN (SELECT p_a.id FROM accounts p_a JOIN people p ON p.id = p_a.person_id WHERE "
    ));
    scope.push_filter(&mut sql, "p.unit_path", None);
    sql.push(") OR a.id IN (SELECT g.account_id FROM role_grants g JOIN units u ON u.id = g.unit_id WHERE ");
    scope.push_filter(&mut sql, "u.path", None);
    sql.push(") ORDER BY a.username LIMIT 2000");
    let accounts: Vec<Account> = sql
        .query()
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(from_row)
        .collect::<Result<_>>()?;
    let ids: Vec<i64> = accounts.iter().map(|a| a.id).collect();
    // One query for every listed account's grants, not one per account.
    let mut grants: std::collections::HashMap<i64, Vec<(Role, String)>> =
        std::collections::HashMap::new();
    if !ids.is_empty() {
        let mut g = SqlBuf::new(
            "SELECT g.account_id, g.role, u.name FROM role_grants g JOIN units u ON u.id = g.unit_id WHERE g.account_id IN (",
        );
        for (i, id) in ids.iter().enumerate() {
            if i > 0 {
                g.push(",");
            }
            g.arg_i64(*id);
        }
        g.push(") ORDER BY g.id");
        for r in g.query().fetch_all(db.pool()).await? {
            if let Some(role) = Role::parse(&r.try_get::<String, _>("role")?) {
                grants
                    .entry(r.try_get("account_id")?)
                    .or_default()
                    .push((role, r.try_get("name")?));
            }
        }
    }
    Ok(accounts
        .into_iter()
        .map(|a| Listed {
            grants: grants.remove(&a.id).unwrap_or_default(),
            account: a,
        })
        .collect())
}

/// An account the scope may manage: linked to a person in it or holding a role in it.
pub async fn get_managed(db: &Db, scope: &Scope<AccountManage>, id: i64) -> Result<Account> {
    get_in_scope(db, scope, id).await
}

/// An account linked to a person of the scope or holding a role in it; the one query behind
/// viewing and managing, which differ only in the capability the scope was resolved for.
pub(crate) async fn get_in_scope<C: crate::Cap>(
    db: &Db,
    scope: &Scope<C>,
    id: i64,
) -> Result<Account> {
    let mut sql = SqlBuf::new(&format!("SELECT {COLS} FROM accounts a WHERE a.id = "));
    sql.arg_i64(id);
    sql.push(" AND (a.id IN (SELECT p_a.id FROM accounts p_a JOIN people p ON p.id = p_a.person_id WHERE ");
    scope.push_filter(&mut sql, "p.unit_path", None);
    sql.push(") OR a.id IN (SELECT g.account_id FROM role_grants g JOIN units u ON u.id = g.unit_id WHERE ");
    scope.push_filter(&mut sql, "u.path", None);
    sql.push("))");
    let row = sql.query().fetch_optional(db.pool()).await?;
    from_row(&row.ok_or(Error::NotFound)?)
}

/// Grants `role` on `unit_id` to an account. The granter's own grants decide which roles they
/// may hand out, and the unit must be inside their scope.
pub async fn grant(
    db: &Db,
    scope: &Scope<AccountManage>,
    granter: &Grants,
    actor: &Actor,
    account_id: i64,
    role: Role,
    unit_id: i64,
) -> Result<()> {
    if !granter.roles().any(|r| r.may_grant(role)) {
        return Err(Error::Invalid("err.role_not_grantable"));
    }
    let mut tx = db.begin_write().await?;
    let unit = units::get_tx(&mut tx, scope, unit_id)
        .await
        .map_err(|_| Error::Invalid("err.unit_unknown"))?;
    insert_grant(&mut tx, actor, account_id, role, &unit).await?;
    tx.commit().await?;
    Ok(())
}

/// Writes a grant inside the caller's transaction (also used by the command line and demo).
pub async fn insert_grant(
    tx: &mut WriteTx,
    actor: &Actor,
    account_id: i64,
    role: Role,
    unit: &units::Unit,
) -> Result<()> {
    sqlx::query("INSERT INTO role_grants (account_id, role, unit_id, granted_by, granted_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(account_id)
        .bind(role.code())
        .bind(unit.id)
        .bind(actor.account_id)
        .bind(now_ms())
        .execute(&mut **tx)
        .await
        .map_err(|e| crate::error::conflict_on_unique(e, "err.grant_exists"))?;
    audit::append(
        tx,
        actor,
        Event {
            action: "role.grant",
            object_kind: "account",
            object_id: account_id.to_string(),
            unit_path: Some(unit.path.clone()),
            details: json!({ "role": role.code(), "unit": unit.id }),
        },
    )
    .await?;
    Ok(())
}

/// Removes a grant; same rules as granting.
pub async fn revoke(
    db: &Db,
    scope: &Scope<AccountManage>,
    granter: &Grants,
    actor: &Actor,
    grant_id: i64,
) -> Result<()> {
    let mut tx = db.begin_write().await?;
    let row = sqlx::query("SELECT g.account_id, g.role, g.unit_id, u.path FROM role_grants g JOIN units u ON u.id = g.unit_id WHERE g.id = $1")
        .bind(grant_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::NotFound)?;
    let path: String = row.try_get("path")?;
    if !scope.contains_path(&path) {
        return Err(Error::NotFound);
    }
    let role = Role::parse(&row.try_get::<String, _>("role")?).ok_or(Error::NotFound)?;
    if !granter.roles().any(|r| r.may_grant(role)) {
        return Err(Error::Invalid("err.role_not_grantable"));
    }
    let account_id: i64 = row.try_get("account_id")?;
    if Some(account_id) == actor.account_id && matches!(role, Role::Admin | Role::OrgAdmin) {
        return Err(Error::Invalid("err.revoke_self"));
    }
    sqlx::query("DELETE FROM role_grants WHERE id = $1")
        .bind(grant_id)
        .execute(&mut *tx)
        .await?;
    audit::append(
        &mut tx,
        actor,
        Event {
            action: "role.revoke",
            object_kind: "account",
            object_id: account_id.to_string(),
            unit_path: Some(path),
            details: json!({ "role": role.code(), "unit": row.try_get::<i64, _>("unit_id")? }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sets a new password (own change, administrator reset or command line) and ends every
/// session of the account, so a stolen session does not survive a reset.
pub async fn set_password(
    db: &Db,
    actor: &Actor,
    account: &Account,
    new_password: &str,
    action: &str,
) -> Result<()> {
    domain::values::check_password(new_password, &account.username)?;
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE accounts SET password_hash = $1, password_changed_at = $2, failed_count = 0, locked_until = 0, updated_at = $2 WHERE id = $3")
        .bind(hash_password(new_password))
        .bind(now_ms())
        .bind(account.id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE account_id = $1")
        .bind(account.id)
        .execute(&mut *tx)
        .await?;
    audit::append(
        &mut tx,
        actor,
        Event {
            action,
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

/// Stores a TOTP secret and turns the second factor on or off.
pub async fn set_totp(
    db: &Db,
    actor: &Actor,
    account_id: i64,
    secret: Option<&str>,
    action: &str,
) -> Result<()> {
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE accounts SET totp_secret = $1, totp_enabled = $2, totp_last_step = 0, updated_at = $3 WHERE id = $4")
        .bind(secret)
        .bind(i64::from(secret.is_some()))
        .bind(now_ms())
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
    audit::append(
        &mut tx,
        actor,
        Event {
            action,
            object_kind: "account",
            object_id: account_id.to_string(),
            unit_path: None,
            details: json!({}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Remembers the last TOTP time step used, so a code cannot be replayed. Returns false when
/// the step was already used (or an earlier one).
pub async fn consume_totp_step(db: &Db, account_id: i64, step: i64) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE accounts SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1",
    )
    .bind(step)
    .bind(account_id)
    .execute(db.pool())
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Enables or disables an account.
pub async fn set_disabled(
    db: &Db,
    scope: &Scope<AccountManage>,
    actor: &Actor,
    id: i64,
    disabled: bool,
) -> Result<()> {
    let acc = get_managed(db, scope, id).await?;
    if Some(acc.id) == actor.account_id {
        return Err(Error::Invalid("err.disable_self"));
    }
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE accounts SET disabled = $1, updated_at = $2 WHERE id = $3")
        .bind(i64::from(disabled))
        .bind(now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if disabled {
        sqlx::query("DELETE FROM sessions WHERE account_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE account_id = $2 AND revoked_at IS NULL",
        )
        .bind(now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    }
    let action = if disabled {
        "account.disable"
    } else {
        "account.enable"
    };
    audit::append(
        &mut tx,
        actor,
        Event {
            action,
            object_kind: "account",
            object_id: id.to_string(),
            unit_path: None,
            details: json!({}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Why a sign-in was refused before the password was even checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Throttled {
    No,
    /// Too many failures from this address; wait.
    Address,
}

/// Whether this address has failed too often recently.
pub async fn address_throttled(db: &Db, ip: &str) -> Result<Throttled> {
    let row = sqlx::query("SELECT window_start, failures FROM login_throttle WHERE key = $1")
        .bind(ip)
        .fetch_optional(db.pool())
        .await?;
    if let Some(r) = row {
        let start: i64 = r.try_get("window_start")?;
        let n: i64 = r.try_get("failures")?;
        if now_ms() - start < IP_WINDOW_MS && n >= IP_FAILURES {
            return Ok(Throttled::Address);
        }
    }
    Ok(Throttled::No)
}

/// Records a failed sign-in: counts it for the address and, if the account exists, locks it
/// after too many failures. The audit entry is written in the same transaction.
pub async fn record_failure(
    db: &Db,
    account: Option<&Account>,
    username: &str,
    ip: &str,
    reason: &str,
) -> Result<()> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let row = sqlx::query("SELECT window_start FROM login_throttle WHERE key = $1")
        .bind(ip)
        .fetch_optional(&mut *tx)
        .await?;
    match row {
        Some(r) if now - r.try_get::<i64, _>("window_start")? < IP_WINDOW_MS => {
            sqlx::query("UPDATE login_throttle SET failures = failures + 1 WHERE key = $1")
                .bind(ip)
                .execute(&mut *tx)
                .await?;
        }
        Some(_) => {
            sqlx::query("UPDATE login_throttle SET failures = 1, window_start = $1 WHERE key = $2")
                .bind(now)
                .bind(ip)
                .execute(&mut *tx)
                .await?;
        }
        None => {
            sqlx::query(
                "INSERT INTO login_throttle (key, window_start, failures) VALUES ($1, $2, 1)",
            )
            .bind(ip)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
    }
    if let Some(a) = account {
        let failures = a.failed_count + 1;
        let locked_until = if failures >= LOCK_AFTER_FAILURES {
            now + LOCK_MS
        } else {
            a.locked_until
        };
        sqlx::query("UPDATE accounts SET failed_count = $1, locked_until = $2 WHERE id = $3")
            .bind(if failures >= LOCK_AFTER_FAILURES {
                0
            } else {
                failures
            })
            .bind(locked_until)
            .bind(a.id)
            .execute(&mut *tx)
            .await?;
    }
    let actor = Actor {
        account_id: account.map(|a| a.id),
        name: username.chars().take(60).collect(),
        ip: Some(ip.to_owned()),
    };
    audit::append(
        &mut tx,
        &actor,
        Event {
            action: "auth.failure",
            object_kind: "account",
            object_id: account.map(|a| a.id.to_string()).unwrap_or_default(),
            unit_path: None,
            details: json!({ "reason": reason }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Clears the failure count after a successful sign-in and records it.
pub async fn record_success(
    tx: &mut WriteTx,
    account: &Account,
    ip: &str,
    method: &str,
) -> Result<()> {
    sqlx::query("UPDATE accounts SET failed_count = 0, locked_until = 0 WHERE id = $1")
        .bind(account.id)
        .execute(&mut **tx)
        .await?;
    let actor = Actor {
        account_id: Some(account.id),
        name: account.username.clone(),
        ip: Some(ip.to_owned()),
    };
    audit::append(
        tx,
        &actor,
        Event {
            action: "auth.login",
            object_kind: "account",
            object_id: account.id.to_string(),
            unit_path: None,
            details: json!({ "method": method }),
        },
    )
    .await?;
    Ok(())
}

/// Sets the preferred language.
pub async fn set_locale(db: &Db, account_id: i64, locale: &str) -> Result<()> {
    sqlx::query("UPDATE accounts SET locale = $1 WHERE id = $2")
        .bind(locale)
        .bind(account_id)
        .execute(db.pool())
        .await?;
    Ok(())
}

// Administration from the web pages: candidates for a new account, an account's grants, and
// the administrator's remedies. Kept in a child module so it can use this module's private
// helpers while this file stays readable.
mod admin;
pub use admin::*;
