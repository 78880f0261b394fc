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
use domain::text::{NameParts, fold_vi};
use domain::values::{OrgKind, PartnerKind, PersonStatus, UnitKind};
use serde_json::json;
use sqlx::any::AnyArguments;
use sqlx::{Arguments, Encode, Row, Type};
use std::collections::HashSet;
use std::time::{Duration, Instant};

mod catalog;
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
    g.people(&mut tx).await?;
    tracing::info!(people = g.report.people, "generated people and accounts");
    g.audit(&mut tx).await?;
    tracing::info!(entries = g.report.audit_entries, "generated audit entries");
    if db.backend() == Backend::Postgres {
        // Explicit ids leave the identity sequences behind; later inserts would collide.
        for table in [
            "units",
            "partners",
            "people",
            "person_history",
            "accounts",
            "role_grants",
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

    /// Organisations with their departments and teams, their partners, and the two
    /// administrative accounts of each with their grants.
    async fn units(&mut self, tx: &mut WriteTx) -> Result<()> {
        let mut units = Rows::new(
            self.backend,
            "units",
            &[
                "id",
                "parent_id",
                "path",
                "depth",
                "kind",
                "org_id",
                "name",
                "name_folded",
                "abbreviation",
                "org_kind",
                "has_party_org",
                "doc_format",
                "address",
                "created_at",
                "updated_at",
            ],
        );
        let mut partners = Rows::new(
            self.backend,
            "partners",
            &[
                "id",
                "owner_unit_id",
                "owner_path",
                "kind",
                "name",
                "contact_person",
                "phone",
                "address",
                "created_at",
                "updated_at",
            ],
        );
        let mut accounts = Rows::new(
            self.backend,
            "accounts",
            &[
                "id",
                "username",
                "display_name",
                "password_hash",
                "password_changed_at",
                "created_at",
                "updated_at",
            ],
        );
        let mut grants = Rows::new(
            self.backend,
            "role_grants",
            &["id", "account_id", "role", "unit_id", "granted_at"],
        );

        let kinds = org_kinds(self.spec.organisations, &mut self.rng);
        let mut taken: HashSet<String> = existing_names(tx).await?;
        let mut singles = Singles::default();
        let province_path = self.province.path.clone();
        let now = self.now;
        for (i, kind) in kinds.into_iter().enumerate() {
            let place = Place::pick(&mut self.rng);
            let tpl = self.org_template(kind, &mut singles);
            let name = unique_name(&tpl, &place, &mut self.rng, &mut taken);
            let abbr = abbreviation(&name);
            let org_id = self.unit_id();
            let path = format!("{province_path}{org_id}/");
            let party = match kind {
                OrgKind::PartyBody => true,
                OrgKind::StateAgency => self.rng.chance(85),
                OrgKind::Education => self.rng.chance(70),
                OrgKind::Enterprise => self.rng.chance(40),
            };
            let address = place.address();
            units
                .v(org_id)
                .v(self.province.id)
                .v(path.clone())
                .v(1i64)
                .v(UnitKind::Organisation.code())
                .v(org_id)
                .v(name.clone())
                .v(fold_vi(&name))
                .v(abbr.clone())
                .v(kind.code())
                .v(i64::from(party))
                .v(kind.default_format().code())
                .v(address.clone())
                .v(now)
                .v(now);
            units.end_row();
            let first_unit = self.units.len();
            self.units.push(GenUnit {
                id: org_id,
                path: path.clone(),
                head: tpl.head,
                deputy: tpl.deputy,
                staff: LEADERSHIP_STAFF,
                weight: 0.0,
                self_defence: false,
                fire_force: false,
            });

            // Departments: the leadership first, then 1–5 others of the organisation's kind.
            let catalogue = departments_of(kind);
            let n_depts = 1 + self.rng.below(5) as usize;
            let mut chosen: Vec<&Dept> = Vec::with_capacity(n_depts + 1);
            chosen.push(&catalogue[0]);
            while chosen.len() < (n_depts + 1).min(catalogue.len()) {
                let d = self.rng.pick(&catalogue[1..]);
                if !chosen.iter().any(|c| c.name == d.name) {
                    chosen.push(d);
                }
            }
            let mut dept_ids = Vec::with_capacity(chosen.len());
            for (j, d) in chosen.iter().enumerate() {
                let id = self.unit_id();
                let dpath = format!("{path}{id}/");
                let (head, deputy) = if j == 0 {
                    (tpl.head, tpl.deputy)
                } else {
                    (d.head, d.deputy)
                };
                push_unit(
                    &mut units,
                    id,
                    org_id,
                    &dpath,
                    2,
                    UnitKind::Department,
                    d.name,
                    d.abbr,
                    now,
                );
                let weight = if j == 0 {
                    0.5
                } else {
                    1.0 + self.rng.below(150) as f64 / 100.0
                };
                self.units.push(GenUnit {
                    id,
                    path: dpath.clone(),
                    head,
                    deputy,
                    staff: d.staff,
                    weight,
                    self_defence: false,
                    fire_force: false,
                });
                dept_ids.push((id, dpath));
                self.report.departments += 1;
            }
            // Teams: guards or drivers under a department, the self-defence platoon or the
            // fire-fighting team under the organisation.
            let n_teams = match self.rng.below(10) {
                0..=3 => 0,
                4..=7 => 1,
                _ => 2,
            };
            let mut team_names: Vec<&str> = Vec::new();
            while team_names.len() < n_teams {
                let t = self.rng.pick(&TEAMS);
                if team_names.contains(&t.name) {
                    continue;
                }
                team_names.push(t.name);
                let id = self.unit_id();
                let (parent, parent_path, depth) = if t.under_org || dept_ids.len() < 2 {
                    (org_id, path.clone(), 2)
                } else {
                    let (pid, ppath) =
                        &dept_ids[1 + self.rng.below(dept_ids.len() as u64 - 1) as usize];
                    (*pid, ppath.clone(), 3)
                };
                let tpath = format!("{parent_path}{id}/");
                push_unit(
                    &mut units,
                    id,
                    parent,
                    &tpath,
                    depth,
                    UnitKind::Team,
                    t.name,
                    None,
                    now,
                );
                self.units.push(GenUnit {
                    id,
                    path: tpath,
                    head: t.head,
                    deputy: t.member,
                    staff: t.staff,
                    weight: 0.3 + self.rng.below(40) as f64 / 100.0,
                    self_defence: t.self_defence,
                    fire_force: t.fire_force,
                });
                self.report.teams += 1;
            }

            // Partners: the local police, and for some the fire service of the area.
            let mut partner_ids = Vec::new();
            let police = format!("Công an {} {}", place.commune_kind, place.commune);
            let mut partner_rows: Vec<(PartnerKind, String, &str)> =
                vec![(PartnerKind::Police, police, "Trưởng Công an")];
            if self.rng.chance(40) {
                partner_rows.push((
                    PartnerKind::FireService,
                    format!("Đội Cảnh sát PCCC và CNCH khu vực {}", place.district),
                    "Đội trưởng",
                ));
            }
            for (pk, pname, contact) in partner_rows {
                let id = self.next_partner;
                self.next_partner += 1;
                let phone = format!("0236{:07}", self.rng.below(10_000_000));
                partners
                    .v(id)
                    .v(org_id)
                    .v(path.clone())
                    .v(pk.code())
                    .v(pname)
                    .v(contact)
                    .v(phone)
                    .v(address.clone())
                    .v(now)
                    .v(now);
                partners.end_row();
                partner_ids.push(id);
            }

            // The organisation's administrator and security officer.
            let slug = format!("dv{org_id}");
            let mut pair = Vec::with_capacity(2);
            for (prefix, display, role) in [
                ("quantri", "Quản trị", Role::OrgAdmin),
                ("antt", "Cán bộ ANTT", Role::SecurityOfficer),
            ] {
                let id = self.next_account;
                self.next_account += 1;
                let username = format!("{prefix}.{slug}");
                let shown: String = format!("{display} {abbr}").chars().take(100).collect();
                accounts
                    .v(id)
                    .v(username.clone())
                    .v(shown)
                    .v(self.password_hash.clone())
                    .v(now)
                    .v(now)
                    .v(now);
                accounts.end_row();
                grants
                    .v(self.next_grant)
                    .v(id)
                    .v(role.code())
                    .v(org_id)
                    .v(now);
                grants.end_row();
                self.next_grant += 1;
                pair.push((id, username));
            }
            let officer = pair.pop().expect("two accounts");
            let admin = pair.pop().expect("two accounts");
            let mail_domain = match kind {
                OrgKind::Enterprise => format!("{}.com.vn", abbr.to_lowercase()),
                OrgKind::Education => format!("{}.edu.vn", abbr.to_lowercase()),
                _ => "sonha.gov.vn".to_owned(),
            };
            self.orgs.push(GenOrg {
                id: org_id,
                path,
                kind,
                mail_domain: fold_vi(&mail_domain),
                units: first_unit..self.units.len(),
                partners: partner_ids,
                admin,
                officer,
                people: 0..0,
            });
            if i % 200 == 199 {
                units.flush_full(tx).await?;
            }
        }
        // Units first: partners, accounts' grants and people all reference them.
        units.flush(tx).await?;
        partners.flush(tx).await?;
        accounts.flush(tx).await?;
        grants.flush(tx).await?;
        self.report.organisations = self.orgs.len();
        self.report.partners = partners.written;
        self.report.accounts = accounts.written;
        self.report.role_grants = grants.written;
        Ok(())
    }

    fn org_template(&mut self, kind: OrgKind, singles: &mut Singles) -> OrgTemplate {
        let (list, used) = match kind {
            OrgKind::StateAgency => (&STATE_SINGLES[..], &mut singles.state),
            OrgKind::PartyBody => (&PARTY_SINGLES[..], &mut singles.party),
            _ => (&[][..], &mut singles.other),
        };
        // The province-level bodies exist once each; after them, bodies of districts and
        // communes, which repeat with their place names.
        if *used < list.len() {
            *used += 1;
            return list[*used - 1];
        }
        let pool: &[OrgTemplate] = match kind {
            OrgKind::StateAgency => &STATE_TEMPLATES,
            OrgKind::PartyBody => &PARTY_TEMPLATES,
            OrgKind::Enterprise => &ENTERPRISE_TEMPLATES,
            OrgKind::Education => &EDUCATION_TEMPLATES,
        };
        *self.rng.pick(pool)
    }

    /// People, each with a search index row (SQLite), a "joined" history row (and a status row
    /// for those who left), an account and a staff grant on their organisation.
    async fn people(&mut self, tx: &mut WriteTx) -> Result<()> {
        let mut people = Rows::new(
            self.backend,
            "people",
            &[
                "id",
                "unit_id",
                "unit_path",
                "org_id",
                "full_name",
                "sort_key",
                "search_folded",
                "gender",
                "birth_date",
                "position",
                "phone",
                "email",
                "party_member",
                "self_defence",
                "fire_force",
                "status",
                "created_at",
                "updated_at",
            ],
        );
        let mut fts = Rows::new(self.backend, "people_fts", &["rowid", "search"]);
        let mut history = Rows::new(
            self.backend,
            "person_history",
            &[
                "id",
                "person_id",
                "effective_date",
                "kind",
                "to_unit_id",
                "position",
                "status",
                "note",
                "created_at",
            ],
        );
        let mut accounts = Rows::new(
            self.backend,
            "accounts",
            &[
                "id",
                "username",
                "person_id",
                "display_name",
                "password_hash",
                "disabled",
                "password_changed_at",
                "created_at",
                "updated_at",
            ],
        );
        let mut grants = Rows::new(
            self.backend,
            "role_grants",
            &["id", "account_id", "role", "unit_id", "granted_at"],
        );

        let per_org = spread(
            self.spec.people,
            self.orgs.len(),
            &mut self.rng,
            |rng, _| lognormal(rng),
        );
        let mut folded_positions: std::collections::HashMap<&'static str, String> =
            std::collections::HashMap::new();
        let now = self.now;
        let mut in_chunk = 0usize;
        for (oi, org_count) in per_org.into_iter().enumerate() {
            let range = self.orgs[oi].units.clone();
            let weights: Vec<f64> = self.units[range.clone()].iter().map(|u| u.weight).collect();
            let per_unit = spread(org_count, weights.len(), &mut self.rng, |_, i| weights[i]);
            let first_person = self.people.len();
            let (org_id, org_kind) = (self.orgs[oi].id, self.orgs[oi].kind);
            for (k, count) in per_unit.into_iter().enumerate() {
                let ui = range.start + k;
                let unit = &self.units[ui];
                let (unit_id, unit_path, head, deputy, staff) = (
                    unit.id,
                    unit.path.clone(),
                    unit.head,
                    unit.deputy,
                    unit.staff,
                );
                let (team_sd, team_fire) = (unit.self_defence, unit.fire_force);
                for n in 0..count {
                    // One head, one deputy, a second deputy in larger units, then staff.
                    let position: &'static str = match n {
                        0 => head,
                        1 => deputy,
                        2 if count >= 8 => deputy,
                        _ => staff[self.rng.below(staff.len() as u64) as usize],
                    };
                    let (full_name, female) = names::full_name(&mut self.rng);
                    let id = self.next_person;
                    self.next_person += 1;
                    let username = username_of(&full_name, id as u64);
                    let birth_year = 1966 + self.rng.below(37) as i32;
                    let birth = day_in(birth_year, &mut self.rng);
                    let first_year = (birth_year + 22).max(1995).min(self.today.year() - 1);
                    let joined = day_in(
                        first_year + self.rng.below((self.today.year() - first_year) as u64) as i32,
                        &mut self.rng,
                    )
                    .min(self.today);
                    let status = if birth_year <= 1967 && self.rng.chance(45) {
                        PersonStatus::Retired
                    } else if self.rng.chance(3) {
                        PersonStatus::Transferred
                    } else {
                        PersonStatus::Working
                    };
                    let phone = self.rng.chance(85).then(|| {
                        let prefix = *self.rng.pick(&["09", "09", "03", "08", "07", "05"]);
                        format!("{prefix}{:08}", self.rng.below(100_000_000))
                    });
                    let email = self
                        .rng
                        .chance(60)
                        .then(|| format!("{username}@{}", self.orgs[oi].mail_domain));
                    let party = self.rng.chance(match org_kind {
                        OrgKind::PartyBody => 92,
                        OrgKind::StateAgency => 60,
                        OrgKind::Education => 45,
                        OrgKind::Enterprise => 25,
                    });
                    let sd = team_sd || (!female && self.rng.chance(30));
                    let fire = team_fire || self.rng.chance(15);
                    // The same text `people::create` indexes: name, position, e-mail, phone.
                    let mut folded = fold_vi(&full_name);
                    if !position.is_empty() {
                        folded.push(' ');
                        folded.push_str(
                            folded_positions
                                .entry(position)
                                .or_insert_with(|| fold_vi(position)),
                        );
                    }
                    for extra in [&email, &phone].into_iter().flatten() {
                        folded.push(' ');
                        folded.push_str(extra);
                    }
                    let sort_key = NameParts::split(&full_name).sort_key();
                    people
                        .v(id)
                        .v(unit_id)
                        .v(unit_path.clone())
                        .v(org_id)
                        .v(full_name.clone())
                        .v(sort_key)
                        .v(folded.clone())
                        .v(if female { "female" } else { "male" })
                        .v(birth.to_string())
                        .v(position)
                        .v(phone)
                        .v(email)
                        .v(i64::from(party))
                        .v(i64::from(sd))
                        .v(i64::from(fire))
                        .v(status.code())
                        .v(now)
                        .v(now);
                    people.end_row();
                    if self.backend == Backend::Sqlite {
                        fts.v(id).v(folded);
                        fts.end_row();
                    }
                    history
                        .v(self.next_history)
                        .v(id)
                        .v(joined.to_string())
                        .v("joined")
                        .v(Some(unit_id))
                        .v(Some(position))
                        .v(PersonStatus::Working.code())
                        .v(None::<String>)
                        .v(now);
                    history.end_row();
                    self.next_history += 1;
                    if status != PersonStatus::Working {
                        let left = self
                            .today
                            .checked_sub_days(Days::new(1 + self.rng.below(700)))
                            .unwrap_or(self.today)
                            .max(joined);
                        let note = if status == PersonStatus::Retired {
                            "Nghỉ hưu theo chế độ"
                        } else {
                            "Chuyển công tác"
                        };
                        history
                            .v(self.next_history)
                            .v(id)
                            .v(left.to_string())
                            .v("status")
                            .v(None::<i64>)
                            .v(None::<String>)
                            .v(status.code())
                            .v(Some(note))
                            .v(now);
                        history.end_row();
                        self.next_history += 1;
                    }
                    let account_id = self.next_account;
                    self.next_account += 1;
                    let working = status == PersonStatus::Working;
                    accounts
                        .v(account_id)
                        .v(username.clone())
                        .v(id)
                        .v(full_name)
                        .v(self.password_hash.clone())
                        .v(i64::from(!working))
                        .v(now)
                        .v(now)
                        .v(now);
                    accounts.end_row();
                    grants
                        .v(self.next_grant)
                        .v(account_id)
                        .v(Role::Staff.code())
                        .v(org_id)
                        .v(now);
                    grants.end_row();
                    self.next_grant += 1;
                    self.people.push(GenPerson {
                        id,
                        account_id,
                        username,
                        org: oi as u32,
                        unit: ui as u32,
                        working,
                    });
                    in_chunk += 1;
                    if in_chunk == PEOPLE_CHUNK {
                        in_chunk = 0;
                        for rows in [
                            &mut people,
                            &mut fts,
                            &mut history,
                            &mut accounts,
                            &mut grants,
                        ] {
                            rows.flush(tx).await?;
                        }
                    }
                }
            }
            self.orgs[oi].people = first_person..self.people.len();
        }
        for rows in [
            &mut people,
            &mut fts,
            &mut history,
            &mut accounts,
            &mut grants,
        ] {
            rows.flush(tx).await?;
        }
        self.report.people = people.written;
        self.report.history = history.written;
        self.report.accounts += accounts.written;
        self.report.role_grants += grants.written;
        Ok(())
    }

    /// A year of activity on working days and hours, appended to the chain in order. The last
    /// entry records the generation itself, dated now. The chain's order is its numbering, so
    /// these entries come after the ones already in the database even though most are dated
    /// earlier.
    async fn audit(&mut self, tx: &mut WriteTx) -> Result<()> {
        let n = self.spec.audit_entries;
        if n == 0 {
            return Ok(());
        }
        let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(&mut **tx)
            .await?;
        let mut seq: i64 = head.try_get("seq")?;
        let mut prev_hash: String = head.try_get("hash")?;
        let mut rows = Rows::new(
            self.backend,
            "audit_log",
            &[
                "seq",
                "at",
                "actor_id",
                "actor_name",
                "action",
                "object_kind",
                "object_id",
                "unit_path",
                "ip",
                "details",
                "prev_hash",
                "hash",
            ],
        );
        let clock = WorkClock::past_year(self.today);
        let working: Vec<u32> = (0..self.people.len() as u32)
            .filter(|&i| self.people[i as usize].working)
            .collect();
        for i in 0..n {
            seq += 1;
            let mut e = if i + 1 == n {
                self.summary_entry(seq, n)
            } else {
                let at = clock.at(i, n - 1, &mut self.rng);
                self.activity(seq, at, &working)
            };
            e.prev_hash = std::mem::take(&mut prev_hash);
            e.hash = e.compute_hash();
            prev_hash = e.hash.clone();
            rows.v(e.seq)
                .v(e.at)
                .v(e.actor_id)
                .v(e.actor_name)
                .v(e.action)
                .v(e.object_kind)
                .v(e.object_id)
                .v(e.unit_path)
                .v(e.ip)
                .v(e.details)
                .v(e.prev_hash)
                .v(e.hash);
            rows.end_row();
            // Written as soon as a statement is full: the entries are never all in memory.
            rows.flush_full(tx).await?;
        }
        rows.flush(tx).await?;
        sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
            .bind(seq)
            .bind(&prev_hash)
            .execute(&mut **tx)
            .await?;
        self.report.audit_entries = rows.written;
        Ok(())
    }

    fn summary_entry(&self, seq: i64, n: usize) -> Entry {
        let r = &self.report;
        let details = json!({
            "seed": self.spec.seed,
            "organisations": r.organisations,
            "departments": r.departments,
            "teams": r.teams,
            "people": r.people,
            "accounts": r.accounts,
            "audit_entries": n,
        });
        entry(
            seq,
            now_ms(),
            &Actor::system("demo"),
            "demo.generate",
            "unit",
            self.province.id.to_string(),
            Some(self.province.path.clone()),
            details.to_string(),
        )
    }

    /// One entry of everyday activity: mostly sign-ins, then changes to people, exports, and
    /// the occasional failed sign-in or change to a partner or department.
    fn activity(&mut self, seq: i64, at: i64, working: &[u32]) -> Entry {
        // Every random draw first, then the borrowed lookups.
        let roll = self.rng.below(100);
        let by_officer = self.rng.chance(70);
        let pick = self.rng.next_u64();
        let pi = if working.is_empty() {
            self.rng.below(self.people.len() as u64) as usize
        } else {
            working[self.rng.below(working.len() as u64) as usize] as usize
        };
        let Some(p) = self.people.get(pi) else {
            // No people at all: only the administrators sign in.
            let oi = self.rng.below(self.orgs.len() as u64) as usize;
            let ip = ip_of(oi, &mut self.rng);
            let (id, name) = &self.orgs[oi].admin;
            let actor = Actor {
                account_id: Some(*id),
                name: name.clone(),
                ip: Some(ip),
            };
            return entry(
                seq,
                at,
                &actor,
                "auth.login",
                "account",
                id.to_string(),
                None,
                json!({ "method": "password" }).to_string(),
            );
        };
        let (person_id, account_id, oi, ui) = (p.id, p.account_id, p.org as usize, p.unit as usize);
        let ip = ip_of(oi, &mut self.rng);
        let org = &self.orgs[oi];
        if roll < 60 {
            let (action, details) = if roll < 55 {
                ("auth.login", json!({ "method": "password" }))
            } else {
                ("auth.failure", json!({ "reason": "password" }))
            };
            let actor = Actor {
                account_id: Some(account_id),
                name: p.username.clone(),
                ip: Some(ip),
            };
            return entry(
                seq,
                at,
                &actor,
                action,
                "account",
                account_id.to_string(),
                None,
                details.to_string(),
            );
        }
        let (acc_id, acc_name) = if by_officer { &org.officer } else { &org.admin };
        let actor = Actor {
            account_id: Some(*acc_id),
            name: acc_name.clone(),
            ip: Some(ip),
        };
        let nth = |len: usize| (pick % len.max(1) as u64) as usize;
        if roll < 85 {
            let fields = [
                "phone",
                "email",
                "position",
                "birth_date",
                "self_defence",
                "fire_force",
                "party_member",
            ];
            let details = json!({ "person": person_id, "changed": [fields[nth(fields.len())]] });
            let unit_path = self.units[ui].path.clone();
            entry(
                seq,
                at,
                &actor,
                "person.update",
                "person",
                person_id.to_string(),
                Some(unit_path),
                details.to_string(),
            )
        } else if roll < 93 {
            let formats = ["xlsx", "xlsx", "csv", "pdf"];
            let details =
                json!({ "format": formats[nth(formats.len())], "rows": org.people.len() });
            entry(
                seq,
                at,
                &actor,
                "person.export",
                "unit",
                org.id.to_string(),
                Some(org.path.clone()),
                details.to_string(),
            )
        } else if roll < 97 && !org.partners.is_empty() {
            let partner = org.partners[nth(org.partners.len())];
            let details = json!({ "changed": ["phone"] });
            entry(
                seq,
                at,
                &actor,
                "partner.update",
                "partner",
                partner.to_string(),
                Some(org.path.clone()),
                details.to_string(),
            )
        } else {
            let unit = &self.units[org.units.start + nth(org.units.len())];
            let details = json!({ "changed": ["address"] });
            entry(
                seq,
                at,
                &actor,
                "unit.update",
                "unit",
                unit.id.to_string(),
                Some(unit.path.clone()),
                details.to_string(),
            )
        }
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
