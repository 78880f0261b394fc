//! Five years of commitment campaigns for the province-scale data set: each year the province
//! launches the yearly commitment for everyone, and nineteen organisations launch one of their
//! own (fire safety, state secrets…), twenty a year in all. Past years are closed with almost
//! everyone signed; this year's are open with about two thirds signed.
//!
//! Signatures are written in bulk. Each campaign gets one audit entry recording the load
//! (`commitment.import`: how many signatures and the SHA-256 of their list), and its
//! signatures name that entry, so the chain still verifies; a receipt of a generated
//! signature names the import entry rather than an entry of its own, which `verify` reports.
//! On PostgreSQL the per-row rollup triggers are switched off for the load and the rollups (per
//! unit, then per organisation) are rebuilt in one grouped statement each; SQLite runs its
//! triggers, which is cheaper than a statement per row in a server. Closed campaigns get their
//! frozen figures, as closing one does.

use super::*;
use sha2::{Digest, Sha256};

/// Campaigns per year: the province's own and the organisations'.
const PER_YEAR: usize = 20;
const YEARS: i32 = 5;

const TITLES: &[&str] = &[
    "Ký cam kết bảo vệ bí mật nhà nước",
    "Ký cam kết phòng cháy, chữa cháy",
    "Ký cam kết chấp hành pháp luật về an toàn giao thông",
    "Ký cam kết không vi phạm tệ nạn xã hội",
    "Ký cam kết bảo đảm an ninh mạng, an toàn thông tin",
];

struct GenCampaign {
    id: i64,
    owner_id: i64,
    owner_path: String,
    year: i32,
    title: String,
    opens_on: NaiveDate,
    deadline: NaiveDate,
    open: bool,
    /// Index range into `Generator::people` of its audience.
    people: std::ops::Range<usize>,
    /// Signed share in percent.
    share: u64,
}

impl Generator<'_> {
    pub(super) async fn campaigns(&mut self, tx: &mut WriteTx) -> Result<()> {
        if self.people.is_empty() || self.orgs.is_empty() {
            return Ok(());
        }
        let body = crate::commitments::demo::DEMO_BODY;
        let body_hash = crate::commitments::text_hash(body);
        let mut next_id = next_id(tx, "commitment_campaigns").await?;
        let this_year = self.today.year();
        let mut list = Vec::with_capacity(PER_YEAR * YEARS as usize);
        for y in (this_year - YEARS + 1)..=this_year {
            let open = y == this_year;
            let (opens_on, deadline) = if open {
                (self.today - Days::new(30), self.today + Days::new(30))
            } else {
                let start = NaiveDate::from_ymd_opt(y, 1, 5).expect("valid day");
                (start, start + Days::new(75))
            };
            list.push(GenCampaign {
                id: next_id,
                owner_id: self.province.id,
                owner_path: self.province.path.clone(),
                year: y,
                title: format!(
                    "Ký cam kết thực hiện phong trào Toàn dân bảo vệ an ninh Tổ quốc năm {y}"
                ),
                opens_on,
                deadline,
                open,
                people: 0..self.people.len(),
                share: if open { 66 } else { 98 },
            });
            next_id += 1;
            for _ in 1..PER_YEAR {
                let oi = self.rng.below(self.orgs.len() as u64) as usize;
                let o = &self.orgs[oi];
                let title = format!("{} năm {y}", self.rng.pick(TITLES));
                list.push(GenCampaign {
                    id: next_id,
                    owner_id: o.id,
                    owner_path: o.path.clone(),
                    year: y,
                    title,
                    opens_on: opens_on + Days::new(self.rng.below(20)),
                    deadline: deadline + Days::new(20),
                    open,
                    people: o.people.clone(),
                    share: if open { 60 } else { 95 },
                });
                next_id += 1;
            }
        }
        let mut rows = Rows::new(
            self.backend,
            "commitment_campaigns",
            &[
                "id",
                "owner_unit_id",
                "owner_path",
                "year",
                "title",
                "heading",
                "body",
                "body_hash",
                "opens_on",
                "deadline",
                "status",
                "created_by",
                "created_at",
                "updated_at",
            ],
        );
        for c in &list {
            let at = ms_of(c.opens_on, 8 * 3600);
            rows.v(c.id)
                .v(c.owner_id)
                .v(c.owner_path.clone())
                .v(i64::from(c.year))
                .v(c.title.clone())
                .v("BẢN CAM KẾT")
                .v(body)
                .v(body_hash.clone())
                .v(c.opens_on.to_string())
                .v(c.deadline.to_string())
                .v(if c.open { "open" } else { "closed" })
                .v(None::<i64>)
                .v(at)
                .v(at);
            rows.end_row();
        }
        rows.flush(tx).await?;

        if self.backend == Backend::Postgres {
            sqlx::query("ALTER TABLE commitment_signatures DISABLE TRIGGER signatures_rollup")
                .execute(&mut **tx)
                .await?;
        }
        let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(&mut **tx)
            .await?;
        let mut seq: i64 = head.try_get("seq")?;
        let mut prev_hash: String = head.try_get("hash")?;
        let mut sig_id = next_id_of(tx, "commitment_signatures").await?;
        let mut audit = Rows::new(
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
        let mut sigs = Rows::new(
            self.backend,
            "commitment_signatures",
            &[
                "id",
                "campaign_id",
                "person_id",
                "unit_id",
                "method",
                "text_hash",
                "signed_at",
                "audit_seq",
                "audit_hash",
                "recorded_by",
                "scan_file_id",
            ],
        );
        let mut signatures = 0usize;
        for c in &list {
            // Who signed and when, drawn first: the import entry hashes the list.
            let window = (c.deadline.min(self.today) - c.opens_on).num_days().max(1) as u64;
            let mut signed: Vec<(usize, i64)> = Vec::new();
            for pi in c.people.clone() {
                if !self.people[pi].working || !self.rng.chance(c.share) {
                    continue;
                }
                let day = c.opens_on + Days::new(self.rng.below(window));
                let secs = 7 * 3600 + self.rng.below(10 * 3600) as i64;
                signed.push((pi, ms_of(day, secs)));
            }
            let mut h = Sha256::new();
            for (pi, at) in &signed {
                h.update(self.people[*pi].id.to_le_bytes());
                h.update(at.to_le_bytes());
            }
            seq += 1;
            let mut e = entry(
                seq,
                ms_of(c.deadline.min(self.today), 17 * 3600),
                &Actor::system("demo"),
                "commitment.import",
                "commitment_campaign",
                c.id.to_string(),
                Some(c.owner_path.clone()),
                json!({ "campaign": c.id, "signatures": signed.len(), "list_sha256": hex::encode(h.finalize()) })
                    .to_string(),
            );
            e.prev_hash = std::mem::take(&mut prev_hash);
            e.hash = e.compute_hash();
            prev_hash = e.hash.clone();
            for (pi, at) in &signed {
                let p = &self.people[*pi];
                sigs.v(sig_id)
                    .v(c.id)
                    .v(p.id)
                    .v(self.units[p.unit as usize].id)
                    .v(if self.rng.chance(8) {
                        "paper"
                    } else {
                        "online"
                    })
                    .v(body_hash.clone())
                    .v(*at)
                    .v(e.seq)
                    .v(e.hash.clone())
                    .v(None::<i64>)
                    .v(None::<i64>);
                sigs.end_row();
                sig_id += 1;
                sigs.flush_full(tx).await?;
            }
            signatures += signed.len();
            audit
                .v(e.seq)
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
            audit.end_row();
        }
        sigs.flush(tx).await?;
        audit.flush(tx).await?;
        sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
            .bind(seq)
            .bind(&prev_hash)
            .execute(&mut **tx)
            .await?;
        if self.backend == Backend::Postgres {
            sqlx::query("ALTER TABLE campaign_unit_done DISABLE TRIGGER unit_done_org")
                .execute(&mut **tx)
                .await?;
            sqlx::query(
                "INSERT INTO campaign_unit_done (campaign_id, unit_id, done) \
                 SELECT s.campaign_id, p.unit_id, COUNT(*) FROM commitment_signatures s \
                 JOIN people p ON p.id = s.person_id JOIN commitment_campaigns c ON c.id = s.campaign_id \
                 WHERE p.status = 'working' AND c.id >= $1 GROUP BY s.campaign_id, p.unit_id \
                 ON CONFLICT (campaign_id, unit_id) DO UPDATE SET done = campaign_unit_done.done + excluded.done",
            )
            .bind(list[0].id)
            .execute(&mut **tx)
            .await?;
            sqlx::query(
                "INSERT INTO campaign_org_done (campaign_id, org_id, done) \
                 SELECT d.campaign_id, u.org_id, SUM(d.done) FROM campaign_unit_done d \
                 JOIN units u ON u.id = d.unit_id WHERE u.org_id IS NOT NULL AND d.campaign_id >= $1 \
                 GROUP BY d.campaign_id, u.org_id",
            )
            .bind(list[0].id)
            .execute(&mut **tx)
            .await?;
            for trigger in [
                "commitment_signatures ENABLE TRIGGER signatures_rollup",
                "campaign_unit_done ENABLE TRIGGER unit_done_org",
            ] {
                sqlx::query(sqlx::AssertSqlSafe(format!("ALTER TABLE {trigger}")))
                    .execute(&mut **tx)
                    .await?;
            }
            for table in ["commitment_campaigns", "commitment_signatures"] {
                let sql = format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                );
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .execute(&mut **tx)
                    .await?;
            }
        }
        // Past years' campaigns are closed: their figures are frozen as they stand.
        for c in list.iter().filter(|c| !c.open) {
            crate::commitments::snapshot_sql(c.id, &c.owner_path)
                .query()
                .execute(&mut **tx)
                .await?;
        }
        self.report.campaigns = list.len();
        self.report.signatures = signatures;
        Ok(())
    }
}

async fn next_id_of(tx: &mut WriteTx, table: &str) -> Result<i64> {
    next_id(tx, table).await
}

/// Milliseconds of a Vietnam-time moment `secs` after midnight of `day`.
fn ms_of(day: NaiveDate, secs: i64) -> i64 {
    let midnight = day
        .and_hms_opt(0, 0, 0)
        .expect("midnight exists")
        .and_utc()
        .timestamp_millis();
    midnight - 7 * 3600 * 1000 + secs * 1000
}
