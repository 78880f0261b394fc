//! Organisations, their departments, teams and partner bodies.
use super::*;

impl Generator<'_> {
    /// Organisations with their departments and teams, their partners, and the two
    /// administrative accounts of each with their grants.
    pub(super) async fn units(&mut self, tx: &mut WriteTx) -> Result<()> {
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
}
