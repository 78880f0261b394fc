//! People, their accounts, grants and history.
use super::*;

impl Generator<'_> {
    /// People, each with a search index row (SQLite), a "joined" history row (and a status row
    /// for those who left), an account and a staff grant on their organisation.
    pub(super) async fn people(&mut self, tx: &mut WriteTx) -> Result<()> {
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
                    let folded = search_text([
                        full_name.as_str(),
                        position,
                        email.as_deref().unwrap_or(""),
                        phone.as_deref().unwrap_or(""),
                    ]);
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
}
