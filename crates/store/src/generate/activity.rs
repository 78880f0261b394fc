//! A year of activity appended to the audit chain.
use super::*;

impl Generator<'_> {
    /// A year of activity on working days and hours, appended to the chain in order. The last
    /// entry records the generation itself, dated now. The chain's order is its numbering, so
    /// these entries come after the ones already in the database even though most are dated
    /// earlier.
    pub(super) async fn audit(&mut self, tx: &mut WriteTx) -> Result<()> {
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
