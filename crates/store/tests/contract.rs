//! The storage contract, run on SQLite by default and on PostgreSQL when
//! `ANTOAN_TEST_DATABASE_URL` is set. Everything here goes through the public storage API.

use chrono::NaiveDate;
use domain::Role;
use domain::values::{Gender, PersonStatus, UnitKind};
use store::audit::{self, Actor, Break};
use store::people::{ListQuery, PersonInput};
use store::scope::{AccountManage, Grants, PersonManage, PersonView, UnitManage, UnitView};
use store::testdb::TestDb;
use store::{Error, Scope, accounts, demo, people, units};

async fn demo_db() -> TestDb {
    let t = TestDb::new().await.expect("test database");
    demo::load(&t.db).await.expect("demo loads");
    t
}

async fn grants_of(t: &TestDb, username: &str) -> Grants {
    let a = accounts::by_username(&t.db, username)
        .await
        .unwrap()
        .unwrap();
    Grants::load(&t.db, a.id).await.unwrap()
}

fn person(unit_id: i64, name: &str) -> PersonInput {
    PersonInput {
        full_name: name.into(),
        gender: Gender::Male,
        birth_date: NaiveDate::from_ymd_opt(1990, 5, 17),
        position: "Chuyên viên".into(),
        unit_id,
        phone: None,
        email: None,
        party_member: false,
        self_defence: true,
        fire_force: false,
        status: PersonStatus::Working,
    }
}

#[tokio::test]
async fn demo_loads_once_and_chain_verifies() {
    let t = demo_db().await;
    assert!(matches!(
        demo::load(&t.db).await,
        Err(Error::Invalid("err.demo_not_empty"))
    ));
    let v = audit::verify(&t.db).await.unwrap();
    assert!(
        v.entries > 100,
        "demo writes audit entries, got {}",
        v.entries
    );
    assert_eq!(v.first_break, None);
}

#[tokio::test]
async fn search_ignores_diacritics_and_case_and_sorts_vietnamese_way() {
    let t = demo_db().await;
    let g = grants_of(&t, "canbo.antt").await;
    let scope: Scope<PersonView> = g.scope().unwrap();
    let found = people::list(
        &t.db,
        &scope,
        &ListQuery {
            q: Some("nguyen van duc".into()),
            limit: 50,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(
        found.items.iter().any(|p| p.full_name == "Nguyễn Văn Đức"),
        "{:?}",
        found.items.iter().map(|p| &p.full_name).collect::<Vec<_>>()
    );
    let dang = people::list(
        &t.db,
        &scope,
        &ListQuery {
            q: Some("DANG".into()),
            limit: 50,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(dang.items.iter().any(|p| p.full_name.starts_with("Đặng")));
    assert!(
        dang.items
            .iter()
            .all(|p| domain::text::fold_vi(&p.full_name).contains("dang")
                || domain::text::fold_vi(&p.position).contains("dang"))
    );
    // Full list in key order, paged by cursor, no duplicates or gaps.
    let mut all = Vec::new();
    let mut cursor = None;
    loop {
        let page = people::list(
            &t.db,
            &scope,
            &ListQuery {
                cursor: cursor.clone(),
                limit: 7,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        all.extend(page.items);
        match page.next {
            Some(n) => cursor = Some(n),
            None => break,
        }
    }
    let total = people::counts(&t.db, &scope).await.unwrap().total;
    assert_eq!(all.len() as i64, total);
    let keys: Vec<_> = all.iter().map(|p| (p.sort_key.clone(), p.id)).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert!(
        (75..=100).contains(&total),
        "the Office has about 80 staff, got {total}"
    );
}

#[tokio::test]
async fn scope_hides_other_organisations() {
    let t = demo_db().await;
    let school: Scope<PersonView> = grants_of(&t, "quantri.truong").await.scope().unwrap();
    let office: Scope<PersonView> = grants_of(&t, "canbo.antt").await.scope().unwrap();
    let office_person = people::list(
        &t.db,
        &office,
        &ListQuery {
            limit: 1,
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .items[0]
        .clone();
    assert!(matches!(
        people::get(&t.db, &school, office_person.id).await,
        Err(Error::NotFound)
    ));
    assert!(people::get(&t.db, &office, office_person.id).await.is_ok());
    let school_list = people::list(
        &t.db,
        &school,
        &ListQuery {
            limit: 1000,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(!school_list.items.is_empty());
    assert!(
        school_list
            .items
            .iter()
            .all(|p| p.org_id == school_list.items[0].org_id)
    );
    // A unit of another organisation is not found either, even for listing.
    let uv: Scope<UnitView> = grants_of(&t, "quantri.truong").await.scope().unwrap();
    assert!(matches!(
        units::get(&t.db, &uv, office_person.unit_id).await,
        Err(Error::NotFound)
    ));
    // Staff may not list people at all.
    assert!(
        grants_of(&t, "nhanvien")
            .await
            .scope::<PersonView>()
            .is_none()
    );
}

#[tokio::test]
async fn moves_and_status_are_dated_history_and_audited() {
    let t = demo_db().await;
    let g = grants_of(&t, "canbo.antt").await;
    let manage: Scope<PersonManage> = g.scope().unwrap();
    let view: Scope<PersonView> = g.scope().unwrap();
    let actor = Actor {
        account_id: None,
        name: "canbo.antt".into(),
        ip: None,
    };
    let roots = units::scope_roots(&t.db, &g.scope::<UnitView>().unwrap())
        .await
        .unwrap();
    let office = &roots[0];
    let kids = units::children(&t.db, &g.scope().unwrap(), office.id)
        .await
        .unwrap();
    let p = people::create(
        &t.db,
        &manage,
        &actor,
        &person(kids[0].id, "Trần Văn Mới"),
        NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
    )
    .await
    .unwrap();
    let d = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    let moved = people::move_to(&t.db, &manage, &actor, p.id, kids[1].id, d, None)
        .await
        .unwrap();
    assert_eq!(moved.unit_id, kids[1].id);
    people::set_status(
        &t.db,
        &manage,
        &actor,
        p.id,
        PersonStatus::Transferred,
        NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
        Some("Chuyển công tác"),
    )
    .await
    .unwrap();
    let h = people::history(&t.db, &view, p.id).await.unwrap();
    assert_eq!(
        h.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(),
        vec!["joined", "moved", "status"]
    );
    assert_eq!(h[1].effective_date, d);
    // Moving into another organisation's unit is refused and changes nothing.
    let school = grants_of(&t, "quantri.truong").await;
    let school_unit = units::scope_roots(&t.db, &school.scope::<UnitView>().unwrap())
        .await
        .unwrap()[0]
        .id;
    let err = people::move_to(&t.db, &manage, &actor, p.id, school_unit, d, None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Invalid("err.unit_unknown")));
    assert_eq!(
        people::get(&t.db, &view, p.id).await.unwrap().unit_id,
        kids[1].id
    );
    assert_eq!(audit::verify(&t.db).await.unwrap().first_break, None);
}

#[tokio::test]
async fn grants_respect_granter_rights_and_scope() {
    let t = demo_db().await;
    let g = grants_of(&t, "quantri.truong").await;
    let scope: Scope<AccountManage> = g.scope().unwrap();
    let actor = Actor {
        account_id: None,
        name: "quantri.truong".into(),
        ip: None,
    };
    let school = units::scope_roots(&t.db, &g.scope::<UnitView>().unwrap())
        .await
        .unwrap()[0]
        .clone();
    let teacher = people::list(
        &t.db,
        &g.scope::<PersonView>().unwrap(),
        &ListQuery {
            limit: 5,
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .items[1]
        .clone();
    let acc = accounts::NewAccount {
        username: "giaovien1".into(),
        display_name: teacher.full_name.clone(),
        person_id: Some(teacher.id),
        password: "bao-ve-truong-2026".into(),
    };
    let id = accounts::create(&t.db, &scope, &actor, &acc).await.unwrap();
    assert!(matches!(
        accounts::create(&t.db, &scope, &actor, &acc).await,
        Err(Error::Conflict("err.username_taken"))
    ));
    accounts::grant(&t.db, &scope, &g, &actor, id, Role::Staff, school.id)
        .await
        .unwrap();
    assert!(matches!(
        accounts::grant(&t.db, &scope, &g, &actor, id, Role::Overseer, school.id).await,
        Err(Error::Invalid("err.role_not_grantable"))
    ));
    let province = units::province(&t.db).await.unwrap().unwrap();
    assert!(matches!(
        accounts::grant(&t.db, &scope, &g, &actor, id, Role::Staff, province.id).await,
        Err(Error::Invalid("err.unit_unknown"))
    ));
    let new_grants = Grants::load(&t.db, id).await.unwrap();
    assert_eq!(new_grants.roles().collect::<Vec<_>>(), vec![Role::Staff]);
}

#[tokio::test]
async fn unit_rules() {
    let t = demo_db().await;
    let g = grants_of(&t, "quantri").await;
    let scope: Scope<UnitManage> = g.scope().unwrap();
    let actor = Actor::system("test");
    let province = units::province(&t.db).await.unwrap().unwrap();
    let input = units::UnitInput {
        name: "Ban Dân vận Tỉnh ủy".into(),
        abbreviation: Some("BDV".into()),
        ..Default::default()
    };
    let org = units::create(
        &t.db,
        &scope,
        &actor,
        province.id,
        UnitKind::Organisation,
        &input,
    )
    .await
    .unwrap();
    assert_eq!(org.org_id, Some(org.id));
    assert_eq!(org.path, format!("{}{}/", province.path, org.id));
    let bad = units::create(&t.db, &scope, &actor, province.id, UnitKind::Team, &input).await;
    assert!(matches!(bad, Err(Error::Invalid("err.unit_kind_parent"))));
    let empty = units::UnitInput {
        name: "  ".into(),
        ..Default::default()
    };
    assert!(matches!(
        units::create(&t.db, &scope, &actor, org.id, UnitKind::Department, &empty).await,
        Err(Error::Invalid("err.unit_name"))
    ));
}

#[tokio::test]
async fn audit_detects_change_removal_insertion_and_truncation() {
    let t = demo_db().await;
    let pool = t.db.pool();
    let total = audit::verify(&t.db).await.unwrap().entries;
    // Changed.
    sqlx::query("UPDATE audit_log SET details = '{\"forged\":true}' WHERE seq = 5")
        .execute(pool)
        .await
        .unwrap();
    assert_eq!(
        audit::verify(&t.db).await.unwrap().first_break,
        Some(Break::Changed { seq: 5 })
    );
    let t = demo_db().await;
    sqlx::query("DELETE FROM audit_log WHERE seq = 7")
        .execute(t.db.pool())
        .await
        .unwrap();
    assert_eq!(
        audit::verify(&t.db).await.unwrap().first_break,
        Some(Break::Removed { after: 6, next: 8 })
    );
    // Replaced by a self-consistent forgery: the next entry no longer links to it.
    let t = demo_db().await;
    let mut e = audit::entry(&t.db, 9).await.unwrap().unwrap();
    e.details = "{\"forged\":true}".into();
    e.hash = e.compute_hash();
    sqlx::query("UPDATE audit_log SET details = $1, hash = $2 WHERE seq = 9")
        .bind(&e.details)
        .bind(&e.hash)
        .execute(t.db.pool())
        .await
        .unwrap();
    assert_eq!(
        audit::verify(&t.db).await.unwrap().first_break,
        Some(Break::Inserted { seq: 9 })
    );
    // An entry slipped in after the head.
    let t = demo_db().await;
    let mut last = audit::entry(&t.db, total).await.unwrap().unwrap();
    last.prev_hash = last.hash.clone();
    last.seq += 1;
    last.hash = last.compute_hash();
    sqlx::query("INSERT INTO audit_log (seq, at, actor_id, actor_name, action, object_kind, object_id, unit_path, ip, details, prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)")
        .bind(last.seq).bind(last.at).bind(last.actor_id).bind(&last.actor_name).bind(&last.action).bind(&last.object_kind)
        .bind(&last.object_id).bind(&last.unit_path).bind(&last.ip).bind(&last.details).bind(&last.prev_hash).bind(&last.hash)
        .execute(t.db.pool()).await.unwrap();
    assert_eq!(
        audit::verify(&t.db).await.unwrap().first_break,
        Some(Break::Inserted { seq: total + 1 })
    );
    // The newest entries removed.
    let t = demo_db().await;
    sqlx::query("DELETE FROM audit_log WHERE seq = $1")
        .bind(total)
        .execute(t.db.pool())
        .await
        .unwrap();
    assert_eq!(
        audit::verify(&t.db).await.unwrap().first_break,
        Some(Break::Truncated {
            last: total - 1,
            head: total
        })
    );
}

#[tokio::test]
async fn concurrent_writers_keep_the_chain_intact() {
    let t = demo_db().await;
    let g = grants_of(&t, "canbo.antt").await;
    let manage: Scope<PersonManage> = g.scope().unwrap();
    let unit = units::children(
        &t.db,
        &g.scope().unwrap(),
        units::scope_roots(&t.db, &g.scope::<UnitView>().unwrap())
            .await
            .unwrap()[0]
            .id,
    )
    .await
    .unwrap()[0]
        .id;
    let mut handles = Vec::new();
    for i in 0..16 {
        let db = t.db.clone();
        let scope = manage.clone();
        handles.push(tokio::spawn(async move {
            let actor = Actor::system("concurrency");
            people::create(
                &db,
                &scope,
                &actor,
                &person(
                    unit,
                    &format!("Người Thử Số {}", ["Một", "Hai", "Ba", "Bốn"][i % 4]),
                ),
                NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            )
            .await
        }));
    }
    for h in handles {
        h.await.unwrap().unwrap();
    }
    assert_eq!(audit::verify(&t.db).await.unwrap().first_break, None);
}
