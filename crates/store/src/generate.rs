//! A province-scale data set for benchmarks: by default 2,000 organisations, 200,000 people
//! with their accounts and grants, and 400,000 audit entries (about a year of activity).
//!
//! Loading that through the normal API (one statement and one audit entry at a time, one
//! argon2 hash per account) would take hours, so this module writes rows directly: explicit
//! ids computed from the current maxima (children reference parents without round trips),
//! multi-row `INSERT` statements of thousands of values each, and one transaction for the whole
//! set, so that a failure leaves the database as it was. The audit rows continue the hash chain
//! from the current head, so [`crate::audit::verify`] still passes afterwards.
//!
//! Everything is drawn from a seeded [`Rng`], so the same [`Spec`] gives the same names, sizes
//! and activity on both databases.

use crate::audit::{Actor, Entry};
use crate::demo::names::{self, Rng};
use crate::demo::{DEMO_PASSWORD, username_of};
use crate::{Backend, Db, Error, Result, WriteTx, accounts, now_ms, units};
use chrono::{Datelike, Days, NaiveDate, Utc, Weekday};
use domain::Role;
use domain::text::{NameParts, fold_vi, search_text};
use domain::values::{OrgKind, PartnerKind, PersonStatus, UnitKind};
use serde_json::json;
use sqlx::any::AnyArguments;
use sqlx::{Arguments, Encode, Row, Type};
use std::collections::HashSet;
use std::time::{Duration, Instant};

mod activity;
mod campaigns;
mod catalog;
mod movement;
mod organisations;
mod staff;
use catalog::*;

/// What to generate.
#[derive(Debug, Clone)]
pub struct Spec {
    pub organisations: usize,
    pub people: usize,
    /// Activity entries appended to the audit chain, dated over the past year.
    pub audit_entries: usize,
    pub seed: u64,
    /// Add to the province already in the database (the demo's) instead of requiring an empty
    /// database. Off by default so that a mistaken run cannot fill a real database.
    pub on_top_of_demo: bool,
}

impl Default for Spec {
    fn default() -> Self {
        Spec {
            organisations: 2000,
            people: 200_000,
            audit_entries: 400_000,
            seed: 20_260_819,
            on_top_of_demo: false,
        }
    }
}

/// What was written, and how long it took (loading and statistics together).
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub organisations: usize,
    pub departments: usize,
    pub teams: usize,
    pub partners: usize,
    pub people: usize,
    pub accounts: usize,
    pub role_grants: usize,
    pub history: usize,
    pub audit_entries: usize,
    pub models: usize,
    pub articles: usize,
    pub campaigns: usize,
    pub signatures: usize,
    pub elapsed: Duration,
}

/// Generates the data set described by `spec` under the database's province.
///
/// On an empty database the province is created first. On a database that already holds
/// units the call fails with `err.demo_not_empty` unless `spec.on_top_of_demo` is set, in which
/// case the organisations are added under the existing province (`antoan demo --scale` loads
/// the demo, then this).
///
/// Every generated account shares ONE argon2 hash of the demo password `antoan-demo`, computed
/// once: this is a benchmark data set, and hashing 200,000 passwords one by one would take over
/// an hour. Accounts of people who no longer work are disabled.
pub async fn province(db: &Db, spec: &Spec) -> Result<Report> {
    let started = Instant::now();
    if spec.organisations == 0 && (spec.people > 0 || spec.audit_entries > 1) {
        // People belong to organisations, and the activity is theirs.
        return Err(Error::Invalid("err.generate_spec"));
    }
    let password_hash = accounts::hash_password(DEMO_PASSWORD);
    let mut tx = db.begin_write().await?;
    // Read inside the write transaction, so no other loader can slip in between check and load.
    let sql = format!(
        "SELECT {} FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1",
        units::COLS
    );
    let existing = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_optional(&mut *tx)
        .await?;
    let province = match existing {
        Some(row) => {
            if !spec.on_top_of_demo {
                return Err(Error::Invalid("err.demo_not_empty"));
            }
            units::from_row(&row)?
        }
        None => {
            units::create_province(&mut tx, &Actor::system("demo"), crate::demo::PROVINCE_NAME)
                .await?
        }
    };
    let mut g = Generator::new(db.backend(), spec, province, password_hash, &mut tx).await?;
    g.units(&mut tx).await?;
    tracing::info!(
        organisations = g.orgs.len(),
        units = g.units.len(),
        "generated units and partners"
    );
    // On PostgreSQL the per-row head-count trigger is off for the bulk load and the counts are
    // rebuilt in one grouped statement each: 200,000 single-row updates of 2,000 counter rows
    // are slow and leave the counter tables a thousand pages long, which every province read
    // of them (coverage, overviews) then pays for.
    if db.backend() == Backend::Postgres {
        sqlx::query("ALTER TABLE people DISABLE TRIGGER people_stats_insert_delete")
            .execute(&mut *tx)
            .await?;
    }
    g.people(&mut tx).await?;
    if db.backend() == Backend::Postgres {
        for sql in [
            "DELETE FROM unit_people_stats",
            "DELETE FROM org_people_stats",
            "INSERT INTO unit_people_stats (unit_id, total, working, party, self_defence, fire_force, incomplete) \
             SELECT unit_id, COUNT(*), SUM(CASE WHEN status = 'working' THEN 1 ELSE 0 END), SUM(party_member), \
             SUM(self_defence), SUM(fire_force), \
             SUM(CASE WHEN status = 'working' AND (birth_date IS NULL OR phone IS NULL) THEN 1 ELSE 0 END) \
             FROM people WHERE unit_id IS NOT NULL GROUP BY unit_id",
            "INSERT INTO org_people_stats (org_id, total, working, party, self_defence, fire_force, incomplete) \
             SELECT org_id, COUNT(*), SUM(CASE WHEN status = 'working' THEN 1 ELSE 0 END), SUM(party_member), \
             SUM(self_defence), SUM(fire_force), \
             SUM(CASE WHEN status = 'working' AND (birth_date IS NULL OR phone IS NULL) THEN 1 ELSE 0 END) \
             FROM people WHERE org_id IS NOT NULL GROUP BY org_id",
            "ALTER TABLE people ENABLE TRIGGER people_stats_insert_delete",
        ] {
            sqlx::query(sql).execute(&mut *tx).await?;
        }
    }
    tracing::info!(people = g.report.people, "generated people and accounts");
    g.movement(&mut tx).await?;
    tracing::info!(
        models = g.report.models,
        articles = g.report.articles,
        "generated movement models and news"
    );
    g.audit(&mut tx).await?;
    tracing::info!(entries = g.report.audit_entries, "generated audit entries");
    g.campaigns(&mut tx).await?;
    tracing::info!(
        signatures = g.report.signatures,
        "generated commitment campaigns"
    );
    if db.backend() == Backend::Postgres {
        // Explicit ids leave the identity sequences behind; later inserts would collide.
        for table in [
            "units",
            "partners",
            "people",
            "person_history",
            "accounts",
            "role_grants",
            "movement_models",
            "movement_activities",
            "movement_reviews",
            "news_articles",
        ] {
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            );
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut *tx)
                .await?;
        }
    }
    tx.commit().await?;
    // Fresh statistics, so the planner sees the tables at their new size from the first query.
    match db.backend() {
        Backend::Postgres => {
            sqlx::query("ANALYZE").execute(db.pool()).await?;
        }
        Backend::Sqlite => {
            sqlx::query("ANALYZE").execute(db.pool()).await?;
            sqlx::query("PRAGMA optimize").execute(db.pool()).await?;
            // Folds the large write-ahead log back into the database file now rather than
            // leaving it to slow the first readers.
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(db.pool())
                .await?;
        }
    }
    let mut report = g.report;
    report.elapsed = started.elapsed();
    Ok(report)
}

/// SQLite accepts at most 32,766 parameters in a statement, PostgreSQL 65,535; staying under
/// the smaller keeps one code path.
const MAX_PARAMS: usize = 32_000;
/// Rows per statement beyond which larger statements stop paying for themselves.
const MAX_ROWS: usize = 2_000;
/// People written per round of statements. Each round writes the people before the rows that
/// reference them (index, history, accounts, grants), so foreign keys hold at every statement.
const PEOPLE_CHUNK: usize = 1_000;

/// Rows for one table, gathered into multi-row `INSERT` statements of at most [`MAX_ROWS`]
/// rows and [`MAX_PARAMS`] parameters. Full statements all have the same text, so each database
/// prepares it once.
///
/// Placeholders are `$n` on PostgreSQL but plain `?` on SQLite: the SQLite driver looks each
/// `$n` up by name, a linear search through the statement's parameters, which makes binding a
/// statement of thousands of parameters quadratic (minutes for the default set instead of
/// seconds). Anonymous `?` parameters are bound by position with no lookup.
struct Rows {
    backend: Backend,
    head: String,
    cols: usize,
    max_rows: usize,
    full: Vec<AnyArguments>,
    args: AnyArguments,
    rows: usize,
    values_in_row: usize,
    written: usize,
}

impl Rows {
    fn new(backend: Backend, table: &str, cols: &[&str]) -> Rows {
        Rows {
            backend,
            head: format!("INSERT INTO {table} ({}) VALUES ", cols.join(", ")),
            cols: cols.len(),
            max_rows: (MAX_PARAMS / cols.len()).min(MAX_ROWS),
            full: Vec::new(),
            args: AnyArguments::default(),
            rows: 0,
            values_in_row: 0,
            written: 0,
        }
    }

    fn v<'q, T: Encode<'q, sqlx::Any> + Type<sqlx::Any> + 'q>(&mut self, value: T) -> &mut Self {
        self.args
            .add(value)
            .expect("integers and text always encode");
        self.values_in_row += 1;
        self
    }

    fn end_row(&mut self) {
        debug_assert_eq!(self.values_in_row, self.cols, "{}", self.head);
        self.values_in_row = 0;
        self.rows += 1;
        if self.rows == self.max_rows {
            self.full.push(std::mem::take(&mut self.args));
            self.rows = 0;
        }
    }

    fn sql(&self, rows: usize) -> String {
        let mut s = String::with_capacity(self.head.len() + rows * self.cols * 7);
        s.push_str(&self.head);
        let mut n = 0;
        for r in 0..rows {
            s.push_str(if r == 0 { "(" } else { ",(" });
            for c in 0..self.cols {
                n += 1;
                if c > 0 {
                    s.push(',');
                }
                match self.backend {
                    Backend::Sqlite => s.push('?'),
                    Backend::Postgres => {
                        s.push('$');
                        s.push_str(&n.to_string());
                    }
                }
            }
            s.push(')');
        }
        s
    }

    /// Writes the full statements gathered so far.
    async fn flush_full(&mut self, tx: &mut WriteTx) -> Result<()> {
        if self.full.is_empty() {
            return Ok(());
        }
        let sql = self.sql(self.max_rows);
        for args in std::mem::take(&mut self.full) {
            sqlx::query_with(sqlx::AssertSqlSafe(sql.clone()), args)
                .execute(&mut **tx)
                .await?;
            self.written += self.max_rows;
        }
        Ok(())
    }

    /// Writes everything gathered, the last statement possibly shorter.
    async fn flush(&mut self, tx: &mut WriteTx) -> Result<()> {
        self.flush_full(tx).await?;
        if self.rows > 0 {
            let sql = self.sql(self.rows);
            let args = std::mem::take(&mut self.args);
            sqlx::query_with(sqlx::AssertSqlSafe(sql), args)
                .execute(&mut **tx)
                .await?;
            self.written += self.rows;
            self.rows = 0;
        }
        Ok(())
    }
}

/// Next free id of a table.
async fn next_id(tx: &mut WriteTx, table: &str) -> Result<i64> {
    let sql = format!("SELECT COALESCE(MAX(id), 0) AS m FROM {table}");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_one(&mut **tx)
        .await?;
    Ok(row.try_get::<i64, _>("m")? + 1)
}

/// A generated unit, kept for placing people and for the audit entries.
struct GenUnit {
    id: i64,
    path: String,
    /// Position titles: the head, the deputy, and what everyone else is.
    head: &'static str,
    deputy: &'static str,
    staff: &'static [&'static str],
    /// Share of the organisation's people.
    weight: f64,
    self_defence: bool,
    fire_force: bool,
}

struct GenOrg {
    id: i64,
    path: String,
    kind: OrgKind,
    mail_domain: String,
    /// Index range into `Generator::units` (the organisation itself first).
    units: std::ops::Range<usize>,
    partners: Vec<i64>,
    admin: (i64, String),
    officer: (i64, String),
    /// Index range into `Generator::people`.
    people: std::ops::Range<usize>,
}

/// A generated person, as much as the audit entries need.
struct GenPerson {
    id: i64,
    account_id: i64,
    username: String,
    org: u32,
    unit: u32,
    working: bool,
}

struct Generator<'a> {
    backend: Backend,
    spec: &'a Spec,
    province: units::Unit,
    password_hash: String,
    rng: Rng,
    now: i64,
    today: NaiveDate,
    next_unit: i64,
    next_partner: i64,
    next_person: i64,
    next_history: i64,
    next_account: i64,
    next_grant: i64,
    units: Vec<GenUnit>,
    orgs: Vec<GenOrg>,
    people: Vec<GenPerson>,
    report: Report,
}

impl<'a> Generator<'a> {
    async fn new(
        backend: Backend,
        spec: &'a Spec,
        province: units::Unit,
        password_hash: String,
        tx: &mut WriteTx,
    ) -> Result<Generator<'a>> {
        Ok(Generator {
            backend,
            spec,
            province,
            password_hash,
            rng: Rng::new(spec.seed),
            now: now_ms(),
            today: Utc::now().date_naive(),
            next_unit: next_id(tx, "units").await?,
            next_partner: next_id(tx, "partners").await?,
            next_person: next_id(tx, "people").await?,
            next_history: next_id(tx, "person_history").await?,
            next_account: next_id(tx, "accounts").await?,
            next_grant: next_id(tx, "role_grants").await?,
            units: Vec::new(),
            orgs: Vec::new(),
            people: Vec::new(),
            report: Report::default(),
        })
    }

    fn unit_id(&mut self) -> i64 {
        let id = self.next_unit;
        self.next_unit += 1;
        id
    }
}

#[expect(clippy::too_many_arguments, reason = "one audit entry, field by field")]
fn entry(
    seq: i64,
    at: i64,
    actor: &Actor,
    action: &str,
    object_kind: &str,
    object_id: String,
    unit_path: Option<String>,
    details: String,
) -> Entry {
    Entry {
        seq,
        at,
        actor_id: actor.account_id,
        actor_name: actor.name.clone(),
        action: action.to_owned(),
        object_kind: object_kind.to_owned(),
        object_id,
        unit_path,
        ip: actor.ip.clone(),
        details,
        prev_hash: String::new(),
        hash: String::new(),
    }
}

/// Each organisation signs in from its own private subnet.
fn ip_of(org: usize, rng: &mut Rng) -> String {
    format!(
        "10.{}.{}.{}",
        1 + (org / 250) % 250,
        org % 250,
        10 + rng.below(240)
    )
}

#[expect(clippy::too_many_arguments, reason = "one row of the units table")]
fn push_unit(
    rows: &mut Rows,
    id: i64,
    parent: i64,
    path: &str,
    depth: i64,
    kind: UnitKind,
    name: &str,
    abbr: Option<&str>,
    now: i64,
) {
    let org_id = path
        .split('/')
        .filter(|s| !s.is_empty())
        .nth(1)
        .and_then(|s| s.parse::<i64>().ok());
    rows.v(id)
        .v(parent)
        .v(path.to_owned())
        .v(depth)
        .v(kind.code())
        .v(org_id)
        .v(name)
        .v(fold_vi(name))
        .v(abbr)
        .v(None::<String>)
        .v(0i64)
        .v(None::<String>)
        .v(None::<String>)
        .v(now)
        .v(now);
    rows.end_row();
}

/// A random day of a year (days 1–28, so every month has it).
fn day_in(year: i32, rng: &mut Rng) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 1 + rng.below(12) as u32, 1 + rng.below(28) as u32)
        .expect("day 1-28 exists in every month")
}

/// A size factor between about a fifth and five times the mean, most near the mean.
fn lognormal(rng: &mut Rng) -> f64 {
    // The sum of four uniforms is close enough to a normal for varied organisation sizes.
    let z: f64 = (0..4)
        .map(|_| rng.below(1_000_000) as f64 / 1_000_000.0)
        .sum::<f64>()
        - 2.0;
    (z * 3f64.sqrt() * 0.8).exp()
}

/// Splits `total` into `parts` counts proportional to the weights, summing exactly to `total`.
fn spread(
    total: usize,
    parts: usize,
    rng: &mut Rng,
    mut weight: impl FnMut(&mut Rng, usize) -> f64,
) -> Vec<usize> {
    if parts == 0 {
        return Vec::new();
    }
    let w: Vec<f64> = (0..parts).map(|i| weight(rng, i).max(0.0)).collect();
    let sum: f64 = w.iter().sum();
    let mut out: Vec<usize> = if sum > 0.0 {
        w.iter()
            .map(|x| (x / sum * total as f64).floor() as usize)
            .collect()
    } else {
        vec![0; parts]
    };
    let mut left = total - out.iter().sum::<usize>();
    let mut i = rng.below(parts as u64) as usize;
    while left > 0 {
        out[i] += 1;
        left -= 1;
        i = (i + 1) % parts;
    }
    out
}

/// Kinds in the province's proportions (party bodies 5%, state agencies 55%, enterprises 25%,
/// schools 15%), shuffled so that ids do not follow kinds.
fn org_kinds(n: usize, rng: &mut Rng) -> Vec<OrgKind> {
    let party = (n as f64 * 0.05).round() as usize;
    let enterprise = (n as f64 * 0.25).round() as usize;
    let education = (n as f64 * 0.15).round() as usize;
    let state = n.saturating_sub(party + enterprise + education);
    let mut kinds: Vec<OrgKind> = std::iter::repeat_n(OrgKind::PartyBody, party)
        .chain(std::iter::repeat_n(OrgKind::StateAgency, state))
        .chain(std::iter::repeat_n(OrgKind::Enterprise, enterprise))
        .chain(std::iter::repeat_n(OrgKind::Education, education))
        .take(n)
        .collect();
    for i in (1..kinds.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        kinds.swap(i, j);
    }
    kinds
}

/// Organisation names already in the database, so that generated ones do not repeat them.
async fn existing_names(tx: &mut WriteTx) -> Result<HashSet<String>> {
    let rows = sqlx::query("SELECT name FROM units WHERE kind = 'organisation'")
        .fetch_all(&mut **tx)
        .await?;
    rows.iter()
        .map(|r| r.try_get::<String, _>("name").map_err(Error::from))
        .collect()
}

/// Working hours (07:30–17:00 in Vietnam, UTC+7) on weekdays of the past year, laid end to end
/// so that evenly spaced positions on it give ordered instants in office time.
struct WorkClock {
    days: Vec<i64>,
}

const HOUR_MS: i64 = 3_600_000;
const WORK_MS: i64 = 9 * HOUR_MS + HOUR_MS / 2;
/// 07:30 in UTC+7 is 00:30 UTC.
const WORK_START_UTC_MS: i64 = HOUR_MS / 2;

impl WorkClock {
    fn past_year(today: NaiveDate) -> WorkClock {
        let days = (1..=365u64)
            .rev()
            .filter_map(|back| today.checked_sub_days(Days::new(back)))
            .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
            .map(|d| {
                d.and_hms_opt(0, 0, 0)
                    .expect("midnight exists")
                    .and_utc()
                    .timestamp_millis()
            })
            .collect();
        WorkClock { days }
    }

    /// The instant of entry `i` of `n`: inside the i-th equal slice of the working time, so
    /// instants never go backwards as `i` grows.
    fn at(&self, i: usize, n: usize, rng: &mut Rng) -> i64 {
        let total = self.days.len() as i64 * WORK_MS;
        let slice = total as f64 / n.max(1) as f64;
        let pos = ((i as f64 + rng.below(1000) as f64 / 1000.0) * slice) as i64;
        let pos = pos.clamp(0, total - 1);
        self.days[(pos / WORK_MS) as usize] + WORK_START_UTC_MS + pos % WORK_MS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_sums_to_total() {
        let mut rng = Rng::new(7);
        for (total, parts) in [(0, 3), (5, 10), (2000, 20), (200_000, 2000)] {
            let v = spread(total, parts, &mut rng, |r, _| lognormal(r));
            assert_eq!(v.len(), parts);
            assert_eq!(v.iter().sum::<usize>(), total);
        }
    }

    #[test]
    fn abbreviations_are_initials() {
        assert_eq!(abbreviation("Sở Nội vụ"), "SNV");
        assert_eq!(abbreviation("Ủy ban nhân dân xã Hòa Phú"), "UBNDXHP");
        assert_eq!(abbreviation("Đảng ủy phường Hải Châu"), "ĐUPHC");
        assert!(
            abbreviation("Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên huyện Hòa Vang")
                .chars()
                .count()
                <= 12
        );
    }

    #[test]
    fn kinds_follow_proportions() {
        let kinds = org_kinds(2000, &mut Rng::new(1));
        let count = |k| kinds.iter().filter(|x| **x == k).count();
        assert_eq!(count(OrgKind::PartyBody), 100);
        assert_eq!(count(OrgKind::StateAgency), 1100);
        assert_eq!(count(OrgKind::Enterprise), 500);
        assert_eq!(count(OrgKind::Education), 300);
    }

    #[test]
    fn work_clock_goes_forward_in_office_hours() {
        let clock = WorkClock::past_year(NaiveDate::from_ymd_opt(2026, 11, 29).unwrap());
        let mut rng = Rng::new(3);
        let mut last = 0;
        for i in 0..10_000 {
            let at = clock.at(i, 10_000, &mut rng);
            assert!(at >= last);
            last = at;
            let t = crate::from_ms(at);
            let minutes = (t.format("%H").to_string().parse::<i64>().unwrap() * 60
                + t.format("%M").to_string().parse::<i64>().unwrap()
                + 7 * 60)
                % (24 * 60);
            assert!((7 * 60 + 30..17 * 60).contains(&minutes), "{t}");
        }
    }
}
