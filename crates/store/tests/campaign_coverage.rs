//! Coverage of commitment and dissemination campaigns on SQLite, and on PostgreSQL with
//! `ANTOAN_TEST_DATABASE_URL`: the rollups against a count of the people table under joins,
//! moves and departures; closed campaigns' figures frozen in their snapshot.

mod fixtures;

use fixtures::*;
use sqlx::Row;
use store::commitments::{self, PersonFilter};
use store::dissemination::{self, Group};
use store::people::{self, PersonInput};
use store::scope::{CampaignManage, CampaignView, PersonManage};
use store::{Error, Scope, units};

/// The home page's count of campaigns to sign agrees with the full list a person sees.
async fn unsigned_agrees(db: &store::Db, people: &[i64]) {
    for p in people {
        let listed = commitments::my_campaigns(db, *p)
            .await
            .unwrap()
            .iter()
            .filter(|(_, r)| r.is_none())
            .count() as i64;
        assert_eq!(
            commitments::unsigned_count(db, *p).await.unwrap(),
            listed,
            "person {p}"
        );
    }
}

#[tokio::test]
async fn coverage_follows_joins_moves_departures() {
    let f = setup().await;
    let db = &f.t.db;
    let c = commitments::create(db, &admin(db).await, &actor(), &campaign_input(f.office))
        .await
        .unwrap();
    let people_ids = staff(db, f.office).await;
    assert!(people_ids.len() > 50, "the demo office has its staff");
    let (required, done) = check_against_count(db, &c).await;
    assert_eq!((required, done), (people_ids.len() as i64, 0));
    let before_signing = commitments::unsigned_count(db, people_ids[0])
        .await
        .unwrap();
    assert!(
        before_signing >= 1,
        "the new campaign asks the office's staff"
    );
    for p in &people_ids[..10] {
        sign(db, &c, *p).await;
    }
    assert_eq!(check_against_count(db, &c).await.1, 10);
    unsigned_agrees(db, &people_ids[..12]).await;
    // Signing took the campaign off the signer's count.
    assert_eq!(
        commitments::unsigned_count(db, people_ids[0])
            .await
            .unwrap(),
        before_signing - 1
    );

    // A signed person moves to another organisation: they leave the office's figures.
    let pm = admin::<PersonManage>(db).await;
    let stc_unit = f.stc;
    people::move_to(db, &pm, &actor(), people_ids[0], stc_unit, today(), None)
        .await
        .unwrap();
    assert_eq!(check_against_count(db, &c).await, (required - 1, 9));
    // ... and back: their signature counts again.
    let home = scalar(
        db,
        "SELECT to_unit_id FROM person_history WHERE person_id = $1 AND kind = 'joined'",
        people_ids[0],
    )
    .await;
    people::move_to(db, &pm, &actor(), people_ids[0], home, today(), None)
        .await
        .unwrap();
    assert_eq!(check_against_count(db, &c).await, (required, 10));

    // A move inside the office keeps the totals and shifts the unit lines.
    let current = scalar(
        db,
        "SELECT unit_id FROM people WHERE id = $1",
        people_ids[1],
    )
    .await;
    let other_unit = scalar(
        db,
        "SELECT MIN(u.id) FROM units u JOIN people p ON p.id = $1 WHERE u.org_id = p.org_id AND u.kind = 'team' AND u.id <> p.unit_id",
        people_ids[1],
    )
    .await;
    assert_ne!(current, other_unit);
    people::move_to(db, &pm, &actor(), people_ids[1], other_unit, today(), None)
        .await
        .unwrap();
    assert_eq!(check_against_count(db, &c).await, (required, 10));

    // Departures: a signed person retires, an unsigned one is transferred out.
    people::set_status(
        db,
        &pm,
        &actor(),
        people_ids[2],
        domain::values::PersonStatus::Retired,
        today(),
        None,
    )
    .await
    .unwrap();
    people::set_status(
        db,
        &pm,
        &actor(),
        people_ids[20],
        domain::values::PersonStatus::Transferred,
        today(),
        None,
    )
    .await
    .unwrap();
    assert_eq!(check_against_count(db, &c).await, (required - 2, 9));
    unsigned_agrees(db, &people_ids[..22]).await;
    assert_eq!(
        commitments::unsigned_count(db, people_ids[20])
            .await
            .unwrap(),
        0
    );
    // People who left are no longer asked.
    assert!(matches!(
        commitments::sign(db, &actor(), people_ids[2], c.id, &c.body_hash, today()).await,
        Err(Error::NotFound)
    ));
    assert!(matches!(
        commitments::sign(db, &actor(), people_ids[20], c.id, &c.body_hash, today()).await,
        Err(Error::NotFound)
    ));

    // A newcomer joins while the campaign is open: asked at once.
    let unit = scalar(
        db,
        "SELECT unit_id FROM people WHERE id = $1",
        people_ids[3],
    )
    .await;
    let newcomer = people::create(
        db,
        &pm,
        &actor(),
        &PersonInput {
            full_name: "Phạm Thị Mới".into(),
            gender: domain::values::Gender::Female,
            birth_date: None,
            position: "Chuyên viên".into(),
            unit_id: unit,
            phone: None,
            email: None,
            party_member: false,
            self_defence: false,
            fire_force: false,
            status: domain::values::PersonStatus::Working,
        },
        today(),
    )
    .await
    .unwrap();
    assert_eq!(check_against_count(db, &c).await, (required - 1, 9));
    let missing = commitments::people(
        db,
        &admin(db).await,
        &c,
        None,
        PersonFilter::Missing,
        None,
        1000,
    )
    .await
    .unwrap()
    .0;
    assert!(missing.iter().any(|p| p.person_id == newcomer.id));
    assert_eq!(missing.len() as i64, required - 1 - 9);
    sign(db, &c, newcomer.id).await;
    assert_eq!(check_against_count(db, &c).await, (required - 1, 10));
}

/// Every figure a viewer can read of a campaign: the area's totals and each line.
fn lines(cov: &store::coverage::Coverage) -> Vec<(i64, i64, i64)> {
    let mut out = vec![(cov.area.id, cov.figures.required, cov.figures.done)];
    out.extend(
        cov.lines
            .iter()
            .map(|l| (l.unit_id, l.figures.required, l.figures.done)),
    );
    out
}

fn newcomer(unit: i64) -> PersonInput {
    PersonInput {
        full_name: "Lê Văn Đến Sau".into(),
        gender: domain::values::Gender::Male,
        birth_date: None,
        position: "Chuyên viên".into(),
        unit_id: unit,
        phone: None,
        email: None,
        party_member: false,
        self_defence: false,
        fire_force: false,
        status: domain::values::PersonStatus::Working,
    }
}

#[tokio::test]
async fn a_closed_commitment_campaign_keeps_its_figures() {
    let f = setup().await;
    let db = &f.t.db;
    let province = units::province(db).await.unwrap().unwrap();
    let view = admin::<CampaignView>(db).await;
    let manage = admin::<CampaignManage>(db).await;
    let office = commitments::create(db, &manage, &actor(), &campaign_input(f.office))
        .await
        .unwrap();
    let wide = commitments::create(db, &manage, &actor(), &campaign_input(province.id))
        .await
        .unwrap();
    let people_ids = staff(db, f.office).await;
    for p in &people_ids[..12] {
        sign(db, &office, *p).await;
        sign(db, &wide, *p).await;
    }
    let before = check_against_count(db, &office).await;
    let before_lines = lines(
        &commitments::coverage(db, &view, &office, None)
            .await
            .unwrap(),
    );
    let before_wide = lines(&commitments::coverage(db, &view, &wide, None).await.unwrap());
    let team = before_lines[1].0;
    let before_team = lines(
        &commitments::coverage(db, &view, &office, Some(team))
            .await
            .unwrap(),
    );
    commitments::close(db, &manage, &actor(), office.id)
        .await
        .unwrap();
    commitments::close(db, &manage, &actor(), wide.id)
        .await
        .unwrap();
    // The audit entry of the closing names the frozen totals.
    let details: String = sqlx::query(
        "SELECT details FROM audit_log WHERE action = 'commitment.close' AND object_id = $1",
    )
    .bind(office.id.to_string())
    .fetch_one(db.pool())
    .await
    .unwrap()
    .try_get("details")
    .unwrap();
    let details: serde_json::Value = serde_json::from_str(&details).unwrap();
    assert_eq!(
        (details["required"].as_i64(), details["done"].as_i64()),
        (Some(before.0), Some(before.1))
    );

    // After closing: a signer moves out, another leaves, a newcomer joins.
    let pm = admin::<PersonManage>(db).await;
    people::move_to(db, &pm, &actor(), people_ids[0], f.stc, today(), None)
        .await
        .unwrap();
    people::set_status(
        db,
        &pm,
        &actor(),
        people_ids[1],
        domain::values::PersonStatus::Retired,
        today(),
        None,
    )
    .await
    .unwrap();
    let unit = scalar(
        db,
        "SELECT unit_id FROM people WHERE id = $1",
        people_ids[2],
    )
    .await;
    people::create(db, &pm, &actor(), &newcomer(unit), today())
        .await
        .unwrap();

    let office = commitments::get(db, &view, office.id).await.unwrap();
    let wide = commitments::get(db, &view, wide.id).await.unwrap();
    let after = commitments::coverage(db, &view, &office, None)
        .await
        .unwrap();
    assert_eq!(
        lines(&after),
        before_lines,
        "the office's figures are frozen"
    );
    assert_eq!(
        lines(
            &commitments::coverage(db, &view, &office, Some(team))
                .await
                .unwrap()
        ),
        before_team,
        "a unit's drill-down is frozen too"
    );
    assert_eq!(
        lines(&commitments::coverage(db, &view, &wide, None).await.unwrap()),
        before_wide,
        "the province view is frozen"
    );
    // The province overview reads the same frozen figures.
    let overview = commitments::province_overview(db, &view, std::slice::from_ref(&wide))
        .await
        .unwrap();
    let office_row = overview.iter().find(|r| r.org_id == f.office).unwrap();
    let cell = office_row.cells[0].unwrap();
    assert_eq!((cell.required, cell.done), (before.0, before.1));
    // The live count has moved on: the snapshot is what differs from it.
    let live: i64 =
        sqlx::query("SELECT COUNT(*) AS n FROM people WHERE status = 'working' AND org_id = $1")
            .bind(f.office)
            .fetch_one(db.pool())
            .await
            .unwrap()
            .try_get("n")
            .unwrap();
    assert_eq!(live, before.0 - 1, "one moved out, one left, one joined");
}

#[tokio::test]
async fn a_closed_dissemination_campaign_keeps_its_figures_across_new_versions() {
    let f = setup().await;
    let db = &f.t.db;
    let dir = province_directive(db).await;
    let input = dissemination::CampaignInput {
        owner_unit_id: f.office,
        title: "Quán triệt Thông tư 124/2021/TT-BCA".into(),
        audience_unit_ids: vec![f.office],
        group: Group::All,
        directive_ids: vec![dir],
        questions: Vec::new(),
        pass_mark: 0,
        opens_on: d(2026, 2, 1),
        deadline: d(2026, 4, 30),
    };
    let manage: Scope<CampaignManage> = org_scope(db, f.office).await;
    let c = dissemination::create(db, &manage, &actor(), &input)
        .await
        .unwrap();
    let people_ids = staff(db, f.office).await;
    for p in &people_ids[..7] {
        dissemination::acknowledge(db, &actor(), *p, c.id, &[(dir, 1)], &[], today())
            .await
            .unwrap();
    }
    let view = admin::<CampaignView>(db).await;
    let before = lines(&dissemination::coverage(db, &view, &c, None).await.unwrap());
    assert_eq!((before[0].1, before[0].2), (people_ids.len() as i64, 7));
    dissemination::close(db, &manage, &actor(), c.id)
        .await
        .unwrap();
    // A new version would ask everyone again while open; a closed campaign keeps its figures,
    // and so do moves after closing.
    revise(db, dir).await;
    let pm = admin::<PersonManage>(db).await;
    people::move_to(db, &pm, &actor(), people_ids[0], f.stc, today(), None)
        .await
        .unwrap();
    let c = dissemination::get(db, &view, c.id).await.unwrap();
    assert!(!c.open);
    assert_eq!(
        lines(&dissemination::coverage(db, &view, &c, None).await.unwrap()),
        before
    );
    // Closing twice is refused and changes nothing.
    assert!(matches!(
        dissemination::close(db, &manage, &actor(), c.id).await,
        Err(Error::NotFound)
    ));
    let rows = scalar(
        db,
        "SELECT COUNT(*) FROM campaign_snapshots WHERE campaign_kind = 'dissemination' AND campaign_id = $1",
        c.id,
    )
    .await;
    assert!(rows > 0, "the snapshot holds the office's units");
}

#[tokio::test]
async fn province_coverage_from_the_organisation_rollup_matches_a_count() {
    let f = setup().await;
    let db = &f.t.db;
    let province = units::province(db).await.unwrap().unwrap();
    let manage = admin::<CampaignManage>(db).await;
    let wide = commitments::create(db, &manage, &actor(), &campaign_input(province.id))
        .await
        .unwrap();
    let office = staff(db, f.office).await;
    for p in &office[..10] {
        sign(db, &wide, *p).await;
    }
    let (required, done) = check_against_count(db, &wide).await;
    assert_eq!(done, 10);
    let pm = admin::<PersonManage>(db).await;
    // A signer moves to another organisation: the province total stays, the split shifts.
    people::move_to(db, &pm, &actor(), office[0], f.stc, today(), None)
        .await
        .unwrap();
    assert_eq!(check_against_count(db, &wide).await, (required, 10));
    let view = admin::<CampaignView>(db).await;
    let cov = commitments::coverage(db, &view, &wide, None).await.unwrap();
    let stc = cov.lines.iter().find(|l| l.unit_id == f.stc).unwrap();
    assert_eq!(stc.figures.done, 1);
    // A signer leaves: out of both figures.
    people::set_status(
        db,
        &pm,
        &actor(),
        office[1],
        domain::values::PersonStatus::Retired,
        today(),
        None,
    )
    .await
    .unwrap();
    assert_eq!(check_against_count(db, &wide).await, (required - 1, 9));
    // The organisation rollup equals the unit rollup summed per organisation.
    let mismatches = scalar(
        db,
        "SELECT COUNT(*) FROM (SELECT u.org_id, SUM(d.done) AS n FROM campaign_unit_done d \
         JOIN units u ON u.id = d.unit_id WHERE d.campaign_id = $1 GROUP BY u.org_id) x \
         LEFT JOIN campaign_org_done o ON o.org_id = x.org_id AND o.campaign_id = $1 \
         WHERE COALESCE(o.done, 0) <> x.n",
        wide.id,
    )
    .await;
    assert_eq!(mismatches, 0);
}

/// The home page's count of documents to read agrees with the full task list a person sees.
async fn pending_agrees(db: &store::Db, people: &[i64]) -> i64 {
    let mut total = 0;
    for p in people {
        let listed = dissemination::my_tasks(db, &store::registers::Viewer::uncleared(), *p)
            .await
            .unwrap()
            .iter()
            .filter(|t| !t.done())
            .count() as i64;
        let counted = dissemination::pending_count(db, *p).await.unwrap();
        assert_eq!(counted, listed, "person {p}");
        total += counted;
    }
    total
}

#[tokio::test]
async fn pending_count_follows_groups_acknowledgements_versions_and_moves() {
    let f = setup().await;
    let db = &f.t.db;
    let dir = province_directive(db).await;
    let manage: Scope<CampaignManage> = org_scope(db, f.office).await;
    let input = |group| dissemination::CampaignInput {
        owner_unit_id: f.office,
        title: "Quán triệt Chỉ thị 07/CT-BCA-V28".into(),
        audience_unit_ids: vec![f.office],
        group,
        directive_ids: vec![dir],
        questions: Vec::new(),
        pass_mark: 0,
        opens_on: d(2026, 2, 1),
        deadline: d(2026, 4, 30),
    };
    let everyone = dissemination::create(db, &manage, &actor(), &input(Group::All))
        .await
        .unwrap();
    dissemination::create(db, &manage, &actor(), &input(Group::PartyMember))
        .await
        .unwrap();
    let mut people_ids = staff(db, f.office).await;
    people_ids.truncate(12);
    people_ids.extend(staff(db, f.stc).await.into_iter().take(3));
    let before = pending_agrees(db, &people_ids).await;
    assert!(
        before >= 12,
        "every office member has at least one campaign"
    );
    let first = people_ids[0];
    let first_before = dissemination::pending_count(db, first).await.unwrap();
    dissemination::acknowledge(db, &actor(), first, everyone.id, &[(dir, 1)], &[], today())
        .await
        .unwrap();
    assert_eq!(
        dissemination::pending_count(db, first).await.unwrap(),
        first_before - 1
    );
    pending_agrees(db, &people_ids).await;
    // A new version asks again while the campaign is open.
    revise(db, dir).await;
    assert_eq!(
        dissemination::pending_count(db, first).await.unwrap(),
        first_before
    );
    pending_agrees(db, &people_ids).await;
    // Moving out of the audience, or the campaign closing, takes it off the count.
    let pm = admin::<PersonManage>(db).await;
    people::move_to(db, &pm, &actor(), people_ids[1], f.stc, today(), None)
        .await
        .unwrap();
    assert_eq!(
        dissemination::pending_count(db, people_ids[1])
            .await
            .unwrap(),
        0
    );
    dissemination::close(db, &manage, &actor(), everyone.id)
        .await
        .unwrap();
    assert!(pending_agrees(db, &people_ids).await < before);
}
