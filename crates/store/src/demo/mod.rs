//! Demo data modelled on the founding article: a province with its Party Committee Office
//! (departments, about 80 staff, the self-defence platoon), the police squad guarding the
//! headquarters and other partners, four more organisations, and the demo accounts.
//!
//! Every demo account's password is `antoan-demo`. Accounts that must use a second factor share
//! one fixed TOTP secret, [`DEMO_TOTP_SECRET`], printed in the README, so that any
//! authenticator app can be used with the demo.

pub mod names;

use crate::accounts::{self, NewAccount};
use crate::audit::Actor;
use crate::partners::{self, PartnerInput};
use crate::people::{self, PersonInput};
use crate::scope::{PartnerManage, PersonManage, Root};
use crate::units::{self, Unit, UnitInput};
use crate::{Db, Error, Result, Scope, WriteTx};
use chrono::NaiveDate;
use domain::Role;
use domain::values::{Email, Gender, OrgKind, PartnerKind, PersonStatus, Phone, UnitKind};
use names::Rng;

pub const DEMO_PASSWORD: &str = "antoan-demo";
/// Base32 TOTP secret shared by the demo accounts that need a second factor.
pub const DEMO_TOTP_SECRET: &str = "ANTOANDEMOANTOANDEMOANTOANDEMO22";
pub const PROVINCE_NAME: &str = "Tỉnh Sơn Hà";

/// Whether the database holds no units yet (the demo loads only into an empty database).
pub async fn is_empty(db: &Db) -> Result<bool> {
    Ok(units::province(db).await?.is_none())
}

struct Loader<'a> {
    tx: WriteTx,
    db: &'a Db,
    actor: Actor,
    province: Unit,
    rng: Rng,
    since: NaiveDate,
}

impl Loader<'_> {
    fn scope<C: crate::Cap>(&self) -> Scope<C> {
        Scope::whole_system_for_cli(self.province.root())
    }

    async fn unit(
        &mut self,
        parent: &Unit,
        kind: UnitKind,
        name: &str,
        abbr: Option<&str>,
        org_kind: Option<OrgKind>,
        party: bool,
    ) -> Result<Unit> {
        let input = UnitInput {
            name: name.into(),
            abbreviation: abbr.map(Into::into),
            org_kind,
            has_party_org: party,
            doc_format: None,
            address: None,
        };
        units::insert(&mut self.tx, &self.actor, Some(parent), kind, &input).await
    }

    #[expect(clippy::too_many_arguments, reason = "one demo person, field by field")]
    async fn person(
        &mut self,
        unit: &Unit,
        name: &str,
        female: bool,
        position: &str,
        party: bool,
        sd: bool,
        fire: bool,
    ) -> Result<i64> {
        let year = 1965 + self.rng.below(37) as i32;
        let birth = NaiveDate::from_ymd_opt(
            year,
            1 + self.rng.below(12) as u32,
            1 + self.rng.below(28) as u32,
        );
        let phone = format!("09{:08}", self.rng.below(100_000_000));
        let p = PersonInput {
            full_name: name.into(),
            gender: if female { Gender::Female } else { Gender::Male },
            birth_date: birth,
            position: position.into(),
            unit_id: unit.id,
            phone: Phone::parse(&phone).ok(),
            email: Email::parse(&format!(
                "{}@sonha.gov.vn",
                username_of(name, self.rng.below(1000))
            ))
            .ok(),
            party_member: party,
            self_defence: sd,
            fire_force: fire,
            status: PersonStatus::Working,
        };
        let scope: Scope<PersonManage> = self.scope();
        people::insert(&mut self.tx, self.db, &scope, &self.actor, &p, self.since).await
    }

    async fn random_people(&mut self, unit: &Unit, n: usize, positions: &[&str]) -> Result<()> {
        for i in 0..n {
            let (name, female) = names::full_name(&mut self.rng);
            let position = positions[i.min(positions.len() - 1)];
            let party = self.rng.chance(70);
            let sd = !female && self.rng.chance(35);
            let fire = self.rng.chance(20);
            self.person(unit, &name, female, position, party, sd, fire)
                .await?;
        }
        Ok(())
    }

    async fn account(
        &mut self,
        username: &str,
        display: &str,
        person: Option<i64>,
        grants: &[(Role, &Unit)],
        totp: bool,
    ) -> Result<i64> {
        let a = NewAccount {
            username: username.into(),
            display_name: display.into(),
            person_id: person,
            password: DEMO_PASSWORD.into(),
        };
        let id = accounts::insert(&mut self.tx, &self.actor, &a, None).await?;
        for (role, unit) in grants {
            accounts::insert_grant(&mut self.tx, &self.actor, id, *role, unit).await?;
        }
        if totp {
            sqlx::query("UPDATE accounts SET totp_secret = $1, totp_enabled = 1 WHERE id = $2")
                .bind(DEMO_TOTP_SECRET)
                .bind(id)
                .execute(&mut *self.tx)
                .await?;
        }
        Ok(id)
    }

    async fn partner(
        &mut self,
        owner: &Unit,
        kind: PartnerKind,
        name: &str,
        contact: &str,
        phone: &str,
    ) -> Result<()> {
        let p = PartnerInput {
            owner_unit_id: owner.id,
            kind,
            name: name.into(),
            contact_person: Some(contact.into()),
            phone: Phone::parse(phone).ok(),
            email: None,
            address: Some("Sơn Hà".into()),
            note: None,
        };
        let scope: Scope<PartnerManage> = self.scope();
        partners::insert(&mut self.tx, &scope, &self.actor, &p).await?;
        Ok(())
    }
}

/// A login name from a Vietnamese name: "Nguyễn Văn Đức" → "ducnv" plus a number.
pub fn username_of(full_name: &str, n: u64) -> String {
    let folded = domain::text::fold_vi(full_name);
    let words: Vec<&str> = folded.split(' ').collect();
    let given = words.last().copied().unwrap_or("x");
    let initials: String = words[..words.len().saturating_sub(1)]
        .iter()
        .filter_map(|w| w.chars().next())
        .collect();
    format!("{given}{initials}{n}")
}

/// Loads the demo into an empty database, in one transaction.
pub async fn load(db: &Db) -> Result<()> {
    if !is_empty(db).await? {
        return Err(Error::Invalid("err.demo_not_empty"));
    }
    let mut tx = db.begin_write().await?;
    let actor = Actor::system("demo");
    let province = units::create_province(&mut tx, &actor, PROVINCE_NAME).await?;
    let mut l = Loader {
        tx,
        db,
        actor,
        province: province.clone(),
        rng: Rng::new(20_260_819),
        since: NaiveDate::from_ymd_opt(2020, 1, 2).expect("valid date"),
    };

    // The Provincial Party Committee Office and its departments.
    let vp = l
        .unit(
            &province,
            UnitKind::Organisation,
            "Văn phòng Tỉnh ủy Sơn Hà",
            Some("VPTU"),
            Some(OrgKind::PartyBody),
            true,
        )
        .await?;
    let lead = l
        .unit(
            &vp,
            UnitKind::Department,
            "Lãnh đạo Văn phòng",
            None,
            None,
            false,
        )
        .await?;
    let th = l
        .unit(
            &vp,
            UnitKind::Department,
            "Phòng Tổng hợp",
            Some("TH"),
            None,
            false,
        )
        .await?;
    let hc = l
        .unit(
            &vp,
            UnitKind::Department,
            "Phòng Hành chính - Tổ chức",
            Some("HCTC"),
            None,
            false,
        )
        .await?;
    let qt = l
        .unit(
            &vp,
            UnitKind::Department,
            "Phòng Quản trị - Tài vụ",
            Some("QTTV"),
            None,
            false,
        )
        .await?;
    let cntt = l
        .unit(
            &vp,
            UnitKind::Department,
            "Phòng Công nghệ thông tin - Cơ yếu",
            Some("CNTT"),
            None,
            false,
        )
        .await?;
    let lt = l
        .unit(
            &vp,
            UnitKind::Department,
            "Phòng Lưu trữ",
            Some("LT"),
            None,
            false,
        )
        .await?;
    let bv = l
        .unit(&qt, UnitKind::Team, "Tổ Bảo vệ", None, None, false)
        .await?;
    let lx = l
        .unit(&qt, UnitKind::Team, "Tổ Lái xe", None, None, false)
        .await?;
    let tv = l
        .unit(
            &vp,
            UnitKind::Team,
            "Trung đội Tự vệ cơ quan",
            None,
            None,
            false,
        )
        .await?;

    let leader = l
        .person(
            &lead,
            "Đặng Văn Thành",
            false,
            "Chánh Văn phòng",
            true,
            false,
            false,
        )
        .await?;
    l.person(
        &lead,
        "Nguyễn Thị Thu Hà",
        true,
        "Phó Chánh Văn phòng",
        true,
        false,
        false,
    )
    .await?;
    l.person(
        &lead,
        "Hoàng Quốc Việt",
        false,
        "Phó Chánh Văn phòng",
        true,
        true,
        false,
    )
    .await?;
    let officer = l
        .person(
            &hc,
            "Lê Minh Đức",
            false,
            "Chuyên viên phụ trách công tác bảo vệ",
            true,
            true,
            true,
        )
        .await?;
    let staff = l
        .person(
            &th,
            "Nguyễn Thị Hồng Nhung",
            true,
            "Chuyên viên",
            true,
            false,
            false,
        )
        .await?;
    l.person(
        &th,
        "Nguyễn Văn Đức",
        false,
        "Chuyên viên chính",
        true,
        false,
        false,
    )
    .await?;
    l.person(
        &hc,
        "Đặng Thị Thùy Dương",
        true,
        "Văn thư",
        false,
        false,
        true,
    )
    .await?;
    l.random_people(
        &th,
        14,
        &[
            "Trưởng phòng",
            "Phó Trưởng phòng",
            "Phó Trưởng phòng",
            "Chuyên viên chính",
            "Chuyên viên",
        ],
    )
    .await?;
    l.random_people(
        &hc,
        10,
        &[
            "Trưởng phòng",
            "Phó Trưởng phòng",
            "Chuyên viên",
            "Chuyên viên",
            "Văn thư",
            "Nhân viên",
        ],
    )
    .await?;
    l.random_people(
        &qt,
        9,
        &[
            "Trưởng phòng",
            "Phó Trưởng phòng",
            "Kế toán",
            "Kế toán",
            "Chuyên viên",
        ],
    )
    .await?;
    l.random_people(
        &cntt,
        8,
        &["Trưởng phòng", "Phó Trưởng phòng", "Chuyên viên"],
    )
    .await?;
    l.random_people(&lt, 6, &["Trưởng phòng", "Lưu trữ viên"])
        .await?;
    l.random_people(&bv, 8, &["Tổ trưởng", "Nhân viên bảo vệ"])
        .await?;
    l.random_people(&lx, 7, &["Tổ trưởng", "Nhân viên lái xe"])
        .await?;
    l.random_people(
        &tv,
        12,
        &[
            "Trung đội trưởng",
            "Tiểu đội trưởng",
            "Tiểu đội trưởng",
            "Chiến sĩ tự vệ",
        ],
    )
    .await?;

    // Partners every organisation works with, kept by the province, and the Office's own.
    l.partner(
        &province,
        PartnerKind::Police,
        "Công an tỉnh Sơn Hà",
        "Phòng An ninh chính trị nội bộ",
        "0236 3822 113",
    )
    .await?;
    l.partner(
        &province,
        PartnerKind::Military,
        "Bộ Chỉ huy Quân sự tỉnh Sơn Hà",
        "Ban Tác chiến",
        "0236 3822 234",
    )
    .await?;
    l.partner(
        &province,
        PartnerKind::FireService,
        "Phòng Cảnh sát PCCC và CNCH Công an tỉnh",
        "Trực ban",
        "0236 3822 114",
    )
    .await?;
    l.partner(
        &vp,
        PartnerKind::GuardSquad,
        "Tiểu đội Cảnh sát bảo vệ mục tiêu trụ sở Tỉnh ủy",
        "Tiểu đội trưởng",
        "0912 000 113",
    )
    .await?;
    l.partner(
        &vp,
        PartnerKind::Police,
        "Công an phường Hải Châu",
        "Trưởng Công an phường",
        "0236 3822 445",
    )
    .await?;

    // Other organisations of the province.
    let ca = l
        .unit(
            &province,
            UnitKind::Organisation,
            "Công an tỉnh Sơn Hà",
            Some("CAT"),
            Some(OrgKind::StateAgency),
            true,
        )
        .await?;
    let xdpt = l
        .unit(
            &ca,
            UnitKind::Department,
            "Phòng Tham mưu - Xây dựng phong trào Toàn dân bảo vệ ANTQ",
            None,
            None,
            false,
        )
        .await?;
    let overseer = l
        .person(
            &xdpt,
            "Phạm Văn Hùng",
            false,
            "Cán bộ xây dựng phong trào",
            true,
            false,
            false,
        )
        .await?;
    l.random_people(&xdpt, 6, &["Trưởng phòng", "Phó Trưởng phòng", "Cán bộ"])
        .await?;

    let stc = l
        .unit(
            &province,
            UnitKind::Organisation,
            "Sở Tài chính tỉnh Sơn Hà",
            Some("STC"),
            Some(OrgKind::StateAgency),
            true,
        )
        .await?;
    let stc_vp = l
        .unit(
            &stc,
            UnitKind::Department,
            "Văn phòng Sở",
            Some("VP"),
            None,
            false,
        )
        .await?;
    let stc_ns = l
        .unit(
            &stc,
            UnitKind::Department,
            "Phòng Quản lý ngân sách",
            Some("QLNS"),
            None,
            false,
        )
        .await?;
    l.random_people(
        &stc_vp,
        14,
        &[
            "Chánh Văn phòng",
            "Phó Chánh Văn phòng",
            "Chuyên viên",
            "Nhân viên",
        ],
    )
    .await?;
    l.random_people(
        &stc_ns,
        12,
        &["Trưởng phòng", "Phó Trưởng phòng", "Chuyên viên"],
    )
    .await?;

    let cn = l
        .unit(
            &province,
            UnitKind::Organisation,
            "Công ty Cổ phần Cấp nước Sơn Hà",
            Some("CNSH"),
            Some(OrgKind::Enterprise),
            true,
        )
        .await?;
    let cn_kt = l
        .unit(
            &cn,
            UnitKind::Department,
            "Phòng Kỹ thuật",
            None,
            None,
            false,
        )
        .await?;
    let cn_nm = l
        .unit(
            &cn,
            UnitKind::Department,
            "Nhà máy nước Cầu Đỏ",
            None,
            None,
            false,
        )
        .await?;
    l.random_people(&cn_kt, 10, &["Trưởng phòng", "Kỹ sư", "Kỹ sư", "Công nhân"])
        .await?;
    l.random_people(
        &cn_nm,
        14,
        &["Giám đốc nhà máy", "Tổ trưởng", "Công nhân vận hành"],
    )
    .await?;

    let sch = l
        .unit(
            &province,
            UnitKind::Organisation,
            "Trường THPT chuyên Lê Quý Đôn",
            Some("LQĐ"),
            Some(OrgKind::Education),
            true,
        )
        .await?;
    let sch_bgh = l
        .unit(
            &sch,
            UnitKind::Department,
            "Ban Giám hiệu",
            None,
            None,
            false,
        )
        .await?;
    let sch_tn = l
        .unit(
            &sch,
            UnitKind::Department,
            "Tổ Toán - Tin",
            None,
            None,
            false,
        )
        .await?;
    let sch_xh = l
        .unit(
            &sch,
            UnitKind::Department,
            "Tổ Ngữ văn - Lịch sử",
            None,
            None,
            false,
        )
        .await?;
    let school_admin = l
        .person(
            &sch_bgh,
            "Võ Thị Lan",
            true,
            "Phó Hiệu trưởng",
            true,
            false,
            false,
        )
        .await?;
    l.random_people(&sch_bgh, 2, &["Hiệu trưởng", "Phó Hiệu trưởng"])
        .await?;
    l.random_people(&sch_tn, 12, &["Tổ trưởng", "Giáo viên"])
        .await?;
    l.random_people(&sch_xh, 12, &["Tổ trưởng", "Giáo viên"])
        .await?;

    // Demo accounts.
    l.account(
        "quantri",
        "Quản trị hệ thống",
        None,
        &[(Role::Admin, &province)],
        true,
    )
    .await?;
    l.account(
        "canbo.antt",
        "Lê Minh Đức",
        Some(officer),
        &[(Role::SecurityOfficer, &vp), (Role::Staff, &vp)],
        false,
    )
    .await?;
    l.account(
        "nhanvien",
        "Nguyễn Thị Hồng Nhung",
        Some(staff),
        &[(Role::Staff, &vp)],
        false,
    )
    .await?;
    l.account(
        "lanhdao",
        "Đặng Văn Thành",
        Some(leader),
        &[
            (Role::Leader, &vp),
            (Role::PartyCommittee, &vp),
            (Role::Staff, &vp),
        ],
        false,
    )
    .await?;
    l.account(
        "congan.tinh",
        "Phạm Văn Hùng",
        Some(overseer),
        &[(Role::Overseer, &province)],
        true,
    )
    .await?;
    l.account(
        "quantri.truong",
        "Võ Thị Lan",
        Some(school_admin),
        &[(Role::OrgAdmin, &sch)],
        false,
    )
    .await?;

    // A little history: one move and one retirement in the Office.
    let tx = l.tx;
    tx.commit().await?;
    let scope: Scope<PersonManage> = Scope::whole_system_for_cli(Root {
        unit_id: province.id,
        path: province.path.clone(),
        org_id: None,
    });
    let actor = Actor::system("demo");
    let page = people::list(
        db,
        &scope,
        &people::ListQuery {
            unit_id: Some(th.id),
            limit: 20,
            ..Default::default()
        },
    )
    .await?;
    if let Some(p) = page
        .items
        .iter()
        .find(|p| p.position == "Chuyên viên" && p.id != staff)
    {
        people::move_to(
            db,
            &scope,
            &actor,
            p.id,
            cntt.id,
            NaiveDate::from_ymd_opt(2025, 7, 1).expect("valid"),
            Some("Điều động theo Quyết định của Chánh Văn phòng"),
        )
        .await?;
    }
    let page = people::list(
        db,
        &scope,
        &people::ListQuery {
            unit_id: Some(lt.id),
            limit: 20,
            ..Default::default()
        },
    )
    .await?;
    if let Some(p) = page.items.last() {
        people::set_status(
            db,
            &scope,
            &actor,
            p.id,
            PersonStatus::Retired,
            NaiveDate::from_ymd_opt(2026, 3, 1).expect("valid"),
            Some("Nghỉ hưu theo chế độ"),
        )
        .await?;
    }
    Ok(())
}
