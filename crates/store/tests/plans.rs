//! Protection plans on SQLite, and on PostgreSQL with `ANTOAN_TEST_DATABASE_URL`: the
//! lifecycle and who may move it, the register number drawn once at approval, copies from last
//! year with their dates moved (lunar and solar peaks), refused input that saves nothing, scope,
//! secrecy, partner accounts, the peak overview and the home page's count.

use chrono::{Days, NaiveDate};
use domain::plans::PlanState;
use sqlx::Row;
use store::audit::Actor;
use store::events::{EventInput, EventKind};
use store::plans::peaks::{self, LeadTime};
use store::plans::{self, Content, NewPlan, Origin, PlanHeader, Task};
use store::registers::{Level, Viewer};
use store::scope::{Grants, PlanApprove, PlanManage, PlanView};
use store::testdb::TestDb;
use store::{Cap, Db, Error, Scope, units};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

const CLEARED: Viewer = Viewer {
    clearance: Level::TuyetMat,
};

async fn one(db: &Db, sql: &str) -> i64 {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_one(db.pool())
        .await
        .unwrap()
        .try_get(0)
        .unwrap()
}

async fn setup() -> (TestDb, i64) {
    let t = TestDb::new().await.unwrap();
    store::demo::load(&t.db).await.unwrap();
    let office = one(
        &t.db,
        "SELECT id FROM units WHERE abbreviation = 'VPTU' AND kind = 'organisation'",
    )
    .await;
    // The Office numbers in the Party format: its documents need the committee's term.
    store::registers::add_term(
        &t.db,
        &admin(&t.db).await,
        &Actor::system("test"),
        office,
        vanban::Term {
            start: d(2025, 10, 16),
            end: None,
        },
        "Đại hội nhiệm kỳ 2025–2030 (dữ liệu thử)",
    )
    .await
    .unwrap();
    (t, office)
}

async fn scope_of<C: Cap>(db: &Db, username: &str) -> Option<Scope<C>> {
    let id = one(
        db,
        &format!("SELECT id FROM accounts WHERE username = '{username}'"),
    )
    .await;
    Grants::load(db, id).await.unwrap().scope::<C>()
}

async fn actor(db: &Db, username: &str) -> Actor {
    Actor {
        account_id: Some(
            one(
                db,
                &format!("SELECT id FROM accounts WHERE username = '{username}'"),
            )
            .await,
        ),
        name: username.into(),
        ip: None,
    }
}

async fn admin<C: Cap>(db: &Db) -> Scope<C> {
    Scope::whole_system_for_cli(units::province(db).await.unwrap().unwrap().root())
}

async fn new_plan(db: &Db, org: i64, peak: &str, year: i32, origin: Origin) -> Result<i64, Error> {
    let s = scope_of::<PlanManage>(db, "canbo.antt").await.unwrap();
    plans::create(
        db,
        &s,
        &CLEARED,
        &actor(db, "canbo.antt").await,
        &NewPlan {
            org_id: org,
            peak_id: Some(peak.into()),
            event_id: None,
            year,
            origin,
        },
    )
    .await
}

async fn header_and_content(db: &Db, id: i64) -> (PlanHeader, Content) {
    let p = plans::get(db, &admin::<PlanView>(db).await, &CLEARED, id)
        .await
        .unwrap();
    let c = plans::load_content(db, &p).await.unwrap();
    (
        PlanHeader {
            title: p.title.clone().unwrap(),
            doc_type: p.doc_type.code().into(),
            starts_on: Some(p.starts_on),
            ends_on: Some(p.ends_on),
            secrecy: p.secrecy,
        },
        c,
    )
}

#[tokio::test]
async fn lifecycle_is_audited_and_the_number_is_drawn_once() {
    let (t, office) = setup().await;
    let db = &t.db;
    let today = d(2026, 11, 29);
    let manage = scope_of::<PlanManage>(db, "canbo.antt").await.unwrap();
    let approve = scope_of::<PlanApprove>(db, "lanhdao").await.unwrap();
    let officer = actor(db, "canbo.antt").await;
    let leader = actor(db, "lanhdao").await;
    let id = new_plan(db, office, "ngay_22_12", 2026, Origin::Template)
        .await
        .unwrap();
    let entries = "SELECT COUNT(*) FROM register_entries";
    let before = one(db, entries).await;

    // Wrong order is refused with a message naming the transition.
    let e = plans::approve(db, &approve, &CLEARED, &leader, id, None, today).await;
    assert!(
        matches!(e, Err(Error::Invalid("err.plan_approve_state"))),
        "{e:?}"
    );
    let e = plans::start(db, &manage, &CLEARED, &officer, id, today).await;
    assert!(
        matches!(e, Err(Error::Invalid("err.plan_start_state"))),
        "{e:?}"
    );

    plans::submit(db, &manage, &CLEARED, &officer, id, today)
        .await
        .unwrap();
    // Sending back needs a reason.
    let e = plans::send_back(db, &approve, &CLEARED, &leader, id, " ", today).await;
    assert!(matches!(e, Err(Error::Invalid("err.plan_return_note"))));
    assert_eq!(
        plans::approve(db, &approve, &CLEARED, &leader, id, None, today)
            .await
            .unwrap(),
        PlanState::Approved
    );
    assert_eq!(one(db, entries).await, before + 1);
    let p = plans::get(db, &admin::<PlanView>(db).await, &CLEARED, id)
        .await
        .unwrap();
    let kh = p.ky_hieu.clone().unwrap();
    assert!(kh.contains("KH") && kh.contains("VPTU"), "{kh}");
    assert_eq!(p.doc_date, Some(today));
    assert!(p.approved_name.is_some());
    // The register entry is the plan's: same title, signed by the leader.
    let signer: String = sqlx::query("SELECT signer FROM register_entries WHERE id = $1")
        .bind(p.register_entry_id.unwrap())
        .fetch_one(db.pool())
        .await
        .unwrap()
        .try_get("signer")
        .unwrap();
    assert!(!signer.is_empty());

    // Approving twice draws no second number.
    let e = plans::approve(db, &approve, &CLEARED, &leader, id, None, today).await;
    assert!(matches!(e, Err(Error::Invalid("err.plan_approve_state"))));
    assert_eq!(one(db, entries).await, before + 1);
    // An approved plan can no longer be edited.
    let (h, c) = header_and_content(db, id).await;
    let e = plans::update(db, &manage, &CLEARED, &officer, id, &h, &c).await;
    assert!(matches!(e, Err(Error::Invalid("err.plan_not_draft"))));

    plans::start(db, &manage, &CLEARED, &officer, id, today)
        .await
        .unwrap();
    let e = plans::close(db, &manage, &CLEARED, &officer, id, "  ", today).await;
    assert!(matches!(e, Err(Error::Invalid("err.plan_report"))));
    plans::close(
        db,
        &manage,
        &CLEARED,
        &officer,
        id,
        "Không có vụ việc.",
        today,
    )
    .await
    .unwrap();
    let p = plans::get(db, &admin::<PlanView>(db).await, &CLEARED, id)
        .await
        .unwrap();
    assert_eq!(p.state, PlanState::Closed);
    assert_eq!(p.after_action.as_deref(), Some("Không có vụ việc."));
    let h = plans::history(db, &p).await.unwrap();
    let states: Vec<_> = h.iter().map(|x| x.to_state).collect();
    assert_eq!(
        states,
        vec![
            PlanState::Draft,
            PlanState::Submitted,
            PlanState::Approved,
            PlanState::InEffect,
            PlanState::Closed
        ]
    );
    let audited = one(
        db,
        &format!(
            "SELECT COUNT(*) FROM audit_log WHERE object_kind = 'plan' AND object_id = '{id}'"
        ),
    )
    .await;
    assert_eq!(audited, 5);
    assert!(
        store::audit::verify(db)
            .await
            .unwrap()
            .first_break
            .is_none()
    );
}

#[tokio::test]
async fn only_leaders_approve_and_other_organisations_get_not_found() {
    let (t, office) = setup().await;
    let db = &t.db;
    assert!(scope_of::<PlanApprove>(db, "nhanvien").await.is_none());
    assert!(scope_of::<PlanApprove>(db, "canbo.antt").await.is_none());
    assert!(scope_of::<PlanView>(db, "nhanvien").await.is_none());
    let id = new_plan(db, office, "quoc_khanh", 2027, Origin::Template)
        .await
        .unwrap();
    let school_view = scope_of::<PlanView>(db, "quantri.truong").await.unwrap();
    let e = plans::get(db, &school_view, &CLEARED, id).await;
    assert!(matches!(e, Err(Error::NotFound)));
    let school = scope_of::<PlanManage>(db, "quantri.truong").await.unwrap();
    let who = actor(db, "quantri.truong").await;
    let e = plans::submit(db, &school, &CLEARED, &who, id, d(2027, 8, 1)).await;
    assert!(matches!(e, Err(Error::NotFound)));
    let (h, c) = header_and_content(db, id).await;
    let e = plans::update(db, &school, &CLEARED, &who, id, &h, &c).await;
    assert!(matches!(e, Err(Error::NotFound)));
    // Nor can the school create a plan for the Office.
    let e = plans::create(
        db,
        &school,
        &CLEARED,
        &who,
        &NewPlan {
            org_id: office,
            peak_id: Some("tet".into()),
            event_id: None,
            year: 2027,
            origin: Origin::Template,
        },
    )
    .await;
    assert!(matches!(e, Err(Error::NotFound)));
    let listed = plans::list(
        db,
        &school_view,
        &CLEARED,
        &plans::ListQuery {
            limit: 50,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(listed.items.iter().all(|p| p.id != id));
}

#[tokio::test]
async fn copies_move_their_dates_with_the_calendar() {
    let (t, office) = setup().await;
    let db = &t.db;
    let manage = scope_of::<PlanManage>(db, "canbo.antt").await.unwrap();
    let officer = actor(db, "canbo.antt").await;
    // Last year's Tết plan starts two days before its window and ends with it.
    let old = new_plan(db, office, "tet", 2026, Origin::Template)
        .await
        .unwrap();
    let w26 = peaks::window("tet", 2026).unwrap();
    let (mut h, c) = header_and_content(db, old).await;
    h.starts_on = Some(w26.start - Days::new(2));
    plans::update(db, &manage, &CLEARED, &officer, old, &h, &c)
        .await
        .unwrap();
    let new = new_plan(db, office, "tet", 2027, Origin::Copy(old))
        .await
        .unwrap();
    let w27 = peaks::window("tet", 2027).unwrap();
    let p = plans::get(db, &admin::<PlanView>(db).await, &CLEARED, new)
        .await
        .unwrap();
    assert_eq!(p.starts_on, w27.start - Days::new(2));
    assert_eq!(p.ends_on, w27.end);
    // Tết moved by the lunar calendar: eleven days earlier in the solar year, not a year later.
    assert_ne!(p.starts_on, h.starts_on.unwrap() + Days::new(365));
    assert_eq!(w27.nominal_start, d(2027, 1, 30));
    assert_eq!(p.copied_from, Some(old));
    assert!(p.title_text().contains("2027") && !p.title_text().contains("2026"));
    let copied = plans::load_content(db, &p).await.unwrap();
    assert!(copied.objectives.contains("năm 2027") && !copied.objectives.contains("năm 2026"));
    assert_eq!(copied.steps, c.steps);
    assert_eq!(copied.forces.len(), c.forces.len());

    // A solar peak keeps its day of the year.
    let a = new_plan(db, office, "le_30_4_1_5", 2026, Origin::Template)
        .await
        .unwrap();
    let b = new_plan(db, office, "le_30_4_1_5", 2027, Origin::Copy(a))
        .await
        .unwrap();
    let pb = plans::get(db, &admin::<PlanView>(db).await, &CLEARED, b)
        .await
        .unwrap();
    assert_eq!(
        pb.starts_on,
        peaks::window("le_30_4_1_5", 2027).unwrap().start
    );
    // A copy must be of the same peak, and a peak has one plan a year.
    let e = new_plan(db, office, "quoc_khanh", 2027, Origin::Copy(a)).await;
    assert!(matches!(e, Err(Error::Invalid("err.plan_copy_kind"))));
    let e = new_plan(db, office, "tet", 2027, Origin::Template).await;
    assert!(matches!(e, Err(Error::Conflict("err.plan_exists"))));
}

#[tokio::test]
async fn refused_input_saves_nothing() {
    let (t, office) = setup().await;
    let db = &t.db;
    let manage = scope_of::<PlanManage>(db, "canbo.antt").await.unwrap();
    let officer = actor(db, "canbo.antt").await;
    let id = new_plan(db, office, "ngay_hoi_bvantq", 2027, Origin::Template)
        .await
        .unwrap();
    let (h0, c0) = header_and_content(db, id).await;
    let audit = "SELECT COUNT(*) FROM audit_log";

    let mut h = h0.clone();
    h.ends_on = Some(h.starts_on.unwrap() - Days::new(1));
    let mut c = c0.clone();
    c.objectives = "Mục tiêu mới".into();
    let e = plans::update(db, &manage, &CLEARED, &officer, id, &h, &c).await;
    assert!(matches!(e, Err(Error::Invalid("err.plan_dates"))));

    // A partner kept by another organisation is unknown to this plan.
    let school = one(
        db,
        "SELECT id FROM units WHERE kind = 'organisation' AND abbreviation <> 'VPTU' ORDER BY id LIMIT 1",
    )
    .await;
    let scope = admin::<store::scope::PartnerManage>(db).await;
    let foreign = store::partners::create(
        db,
        &scope,
        &Actor::system("test"),
        &store::partners::PartnerInput {
            owner_unit_id: school,
            kind: domain::values::PartnerKind::Police,
            name: "Công an xã khác".into(),
            contact_person: None,
            phone: None,
            email: None,
            address: None,
            note: None,
        },
    )
    .await
    .unwrap();
    let n0 = one(db, audit).await;
    let mut c = c0.clone();
    c.tasks.push(Task {
        partner_id: foreign,
        partner_name: String::new(),
        task: "Hỗ trợ".into(),
    });
    let e = plans::update(db, &manage, &CLEARED, &officer, id, &h0, &c).await;
    assert!(
        matches!(e, Err(Error::Invalid("err.plan_partner"))),
        "{e:?}"
    );
    let mut c = c0.clone();
    c.tasks.push(Task {
        partner_id: 999_999,
        partner_name: String::new(),
        task: "Hỗ trợ".into(),
    });
    let e = plans::update(db, &manage, &CLEARED, &officer, id, &h0, &c).await;
    assert!(matches!(e, Err(Error::Invalid("err.plan_partner"))));
    let mut c = c0.clone();
    c.steps[0].action = String::new();
    let e = plans::update(db, &manage, &CLEARED, &officer, id, &h0, &c).await;
    assert!(matches!(e, Err(Error::Invalid("err.plan_step"))));
    let mut h = h0.clone();
    h.doc_type = "QĐ".into();
    let e = plans::update(db, &manage, &CLEARED, &officer, id, &h, &c0).await;
    assert!(matches!(e, Err(Error::Invalid("err.plan_type"))));

    let (h1, c1) = header_and_content(db, id).await;
    assert_eq!((h1.starts_on, h1.ends_on), (h0.starts_on, h0.ends_on));
    assert_eq!(c1, c0);
    assert_eq!(one(db, audit).await, n0);
    // An unknown peak is refused before anything is written.
    let e = new_plan(db, office, "khong_co", 2027, Origin::Template).await;
    assert!(matches!(e, Err(Error::Invalid("err.plan_peak"))));
}

#[tokio::test]
async fn partners_see_only_issued_plans_naming_them_and_their_own_rows() {
    let (t, office) = setup().await;
    let db = &t.db;
    let today = d(2026, 11, 29);
    plans::demo::load_demo(db, today).await.unwrap();
    let account = one(
        db,
        &format!(
            "SELECT id FROM accounts WHERE username = '{}'",
            plans::demo::PARTNER_USERNAME
        ),
    )
    .await;
    let me = plans::partner::partner_of(db, account)
        .await
        .unwrap()
        .unwrap();
    let viewer = Viewer::of_account(db, account).await.unwrap();
    let seen = plans::partner::plans(db, me.partner_id, &viewer)
        .await
        .unwrap();
    assert_eq!(seen.len(), 2, "the closed Tết plan and the approved one");

    // A draft naming the partner and an issued plan not naming it stay hidden.
    let draft = new_plan(db, office, "tet", 2027, Origin::Template)
        .await
        .unwrap();
    let other = new_plan(db, office, "quoc_khanh", 2027, Origin::Template)
        .await
        .unwrap();
    let manage = scope_of::<PlanManage>(db, "canbo.antt").await.unwrap();
    let officer = actor(db, "canbo.antt").await;
    let (h, mut c) = header_and_content(db, other).await;
    c.tasks.retain(|x| x.partner_id != me.partner_id);
    c.forces.retain(|x| x.partner_id != Some(me.partner_id));
    plans::update(db, &manage, &CLEARED, &officer, other, &h, &c)
        .await
        .unwrap();
    plans::submit(db, &manage, &CLEARED, &officer, other, today)
        .await
        .unwrap();
    let approve = scope_of::<PlanApprove>(db, "lanhdao").await.unwrap();
    plans::approve(
        db,
        &approve,
        &CLEARED,
        &actor(db, "lanhdao").await,
        other,
        None,
        today,
    )
    .await
    .unwrap();
    let seen = plans::partner::plans(db, me.partner_id, &viewer)
        .await
        .unwrap();
    assert_eq!(seen.len(), 2);
    assert!(seen.iter().all(|p| p.id != draft && p.id != other));
    assert!(matches!(
        plans::partner::plan(db, me.partner_id, &viewer, other).await,
        Err(Error::NotFound)
    ));
    // In a plan it sees, only its own tasks, and no objectives.
    let (p, rows) = plans::partner::plan(db, me.partner_id, &viewer, seen[0].id)
        .await
        .unwrap();
    assert!(!rows.tasks.is_empty());
    assert!(rows.tasks.iter().all(|x| x.partner_id == me.partner_id));
    assert!(rows.contacts.is_empty() && rows.steps.is_empty());
    assert!(p.objectives.is_none());
    // A partner account holds no role, so the organisation's own views give it nothing.
    assert!(
        Grants::load(db, account)
            .await
            .unwrap()
            .scope::<PlanView>()
            .is_none()
    );
}

#[tokio::test]
async fn secret_plans_show_only_their_outline() {
    let (t, office) = setup().await;
    let db = &t.db;
    let manage = scope_of::<PlanManage>(db, "canbo.antt").await.unwrap();
    let officer = actor(db, "canbo.antt").await;
    let id = new_plan(db, office, "tet", 2027, Origin::Template)
        .await
        .unwrap();
    let (mut h, c) = header_and_content(db, id).await;
    h.secrecy = Level::Mat;
    plans::update(db, &manage, &CLEARED, &officer, id, &h, &c)
        .await
        .unwrap();
    let view = scope_of::<PlanView>(db, "lanhdao").await.unwrap();
    let p = plans::get(db, &view, &Viewer::uncleared(), id)
        .await
        .unwrap();
    assert!(p.redacted && p.title.is_none() && p.objectives.is_none());
    assert_eq!(p.title_text(), plans::SECRET_PLACEHOLDER);
    assert!(plans::load_content(db, &p).await.unwrap().forces.is_empty());
    // Changing it needs the clearance too.
    let e = plans::update(db, &manage, &Viewer::uncleared(), &officer, id, &h, &c).await;
    assert!(matches!(e, Err(Error::NotFound)));
}

#[tokio::test]
async fn peaks_show_plans_lead_times_and_what_needs_a_plan() {
    let (t, office) = setup().await;
    let db = &t.db;
    // 20/01/2027: the Tết 2027 window (from 30/01) is within its fourteen days of preparation.
    let today = d(2027, 1, 20);
    let view = admin::<PlanView>(db).await;
    let rows = peaks::upcoming(db, &view, &CLEARED, office, today)
        .await
        .unwrap();
    let tet = rows
        .iter()
        .find(|u| u.peak_id.as_deref() == Some("tet") && u.year == 2027)
        .unwrap();
    assert!(tet.lunar && tet.plan.is_none() && tet.needs_plan(today));
    assert_eq!(tet.days_left(today), (tet.start - today).num_days());
    let manage = admin::<PlanManage>(db).await;
    let before = plans::attention::needing_plans(db, &manage, today, 50)
        .await
        .unwrap();
    assert!(before >= 1);

    // Last year's plan is offered for copying, this year's is matched once it exists.
    let last = new_plan(db, office, "tet", 2026, Origin::Template)
        .await
        .unwrap();
    let id = new_plan(db, office, "tet", 2027, Origin::Copy(last))
        .await
        .unwrap();
    let rows = peaks::upcoming(db, &view, &CLEARED, office, today)
        .await
        .unwrap();
    let tet = rows
        .iter()
        .find(|u| u.peak_id.as_deref() == Some("tet") && u.year == 2027)
        .unwrap();
    assert_eq!(tet.plan.map(|p| p.0), Some(id));
    assert_eq!(tet.last_year, Some(last));
    assert_eq!(
        plans::attention::needing_plans(db, &manage, today, 50)
            .await
            .unwrap(),
        before - 1
    );

    // An organisation's own lead time replaces the default, with its basis.
    peaks::set_lead_time(
        db,
        &manage,
        &Actor::system("test"),
        office,
        &LeadTime {
            peak_id: "le_30_4_1_5".into(),
            lead_days: 30,
            basis: "Kế hoạch công tác năm của Văn phòng".into(),
        },
    )
    .await
    .unwrap();
    let rows = peaks::upcoming(db, &view, &CLEARED, office, today)
        .await
        .unwrap();
    let may = rows
        .iter()
        .find(|u| u.peak_id.as_deref() == Some("le_30_4_1_5"))
        .unwrap();
    assert_eq!(may.lead_days, 30);
    assert_eq!(may.prepare_from, may.start - Days::new(30));
    assert!(may.lead_basis.as_deref().unwrap().contains("Kế hoạch"));
    let e = peaks::set_lead_time(
        db,
        &manage,
        &Actor::system("test"),
        office,
        &LeadTime {
            peak_id: "tet".into(),
            lead_days: 10,
            basis: " ".into(),
        },
    )
    .await;
    assert!(matches!(e, Err(Error::Invalid("err.plan_lead_basis"))));

    // An event the Office adds shows up with its own plan status, and a plan takes its dates.
    let ev = store::events::create(
        db,
        &admin(db).await,
        &Actor::system("test"),
        &EventInput {
            unit_id: office,
            title: "Đại hội Chi bộ Văn phòng".into(),
            kind: EventKind::Congress,
            starts_on: d(2027, 2, 25),
            ends_on: d(2027, 2, 26),
            location: None,
            note: None,
        },
    )
    .await
    .unwrap();
    let rows = peaks::upcoming(db, &view, &CLEARED, office, today)
        .await
        .unwrap();
    assert!(
        rows.iter()
            .any(|u| u.event.as_ref().is_some_and(|e| e.id == ev))
    );
    let s = scope_of::<PlanManage>(db, "canbo.antt").await.unwrap();
    let pid = plans::create(
        db,
        &s,
        &CLEARED,
        &actor(db, "canbo.antt").await,
        &NewPlan {
            org_id: office,
            peak_id: None,
            event_id: Some(ev),
            year: 0,
            origin: Origin::Template,
        },
    )
    .await
    .unwrap();
    let p = plans::get(db, &view, &CLEARED, pid).await.unwrap();
    assert_eq!((p.starts_on, p.ends_on), (d(2027, 2, 25), d(2027, 2, 26)));
    assert!(p.title_text().contains("Đại hội Chi bộ Văn phòng"));
}
