//! People search has two plans (a name-ordered scan for common terms, the full-text index for
//! rare ones) and the dashboards read head counts the database keeps per unit. Both must give
//! exactly what a plain reading of the table gives, on SQLite by default and on PostgreSQL
//! when `ANTOAN_TEST_DATABASE_URL` is set.

use chrono::NaiveDate;
use domain::values::{Gender, PersonStatus};
use sqlx::Row;
use store::audit::Actor;
use store::generate::{self, Spec};
use store::people::{self, ListQuery, PersonInput};
use store::scope::{PersonManage, PersonView, Root};
use store::search::Tuning;
use store::testdb::TestDb;
use store::{Db, Scope, demo, units};

/// Everything a brute-force answer needs, read straight from the table.
struct Row_ {
    id: i64,
    sort_key: String,
    search: String,
    status: String,
    unit_path: String,
}

async fn all_people(db: &Db) -> Vec<Row_> {
    sqlx::query("SELECT id, sort_key, search_folded, status, unit_path FROM people")
        .fetch_all(db.pool())
        .await
        .unwrap()
        .iter()
        .map(|r| Row_ {
            id: r.try_get("id").unwrap(),
            sort_key: r.try_get("sort_key").unwrap(),
            search: r.try_get("search_folded").unwrap(),
            status: r.try_get("status").unwrap(),
            unit_path: r.try_get("unit_path").unwrap(),
        })
        .collect()
}

/// Ids matching every term as a word prefix, in name order: the definition of search.
fn expected(rows: &[Row_], path: &str, q: &str, status: Option<&str>) -> Vec<i64> {
    let terms = domain::text::search_terms(q);
    let mut hits: Vec<&Row_> = rows
        .iter()
        .filter(|r| r.unit_path.starts_with(path))
        .filter(|r| status.is_none_or(|s| r.status == s))
        .filter(|r| {
            terms
                .iter()
                .all(|t| r.search.split(' ').any(|w| w.starts_with(t.as_str())))
        })
        .collect();
    hits.sort_by(|a, b| (&a.sort_key, a.id).cmp(&(&b.sort_key, b.id)));
    hits.into_iter().map(|r| r.id).collect()
}

/// Every page of a search, followed by cursor.
async fn paged<C: store::Cap>(
    db: &Db,
    scope: &Scope<C>,
    q: &str,
    status: Option<PersonStatus>,
    limit: i64,
) -> Vec<i64> {
    let mut out = Vec::new();
    let mut cursor = None;
    loop {
        let page = people::list(
            db,
            scope,
            &ListQuery {
                q: Some(q.to_owned()),
                status,
                cursor: cursor.take(),
                limit,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        out.extend(page.items.iter().map(|p| p.id));
        match page.next {
            Some(n) => cursor = Some(n),
            None => return out,
        }
    }
}

async fn setup() -> (TestDb, Root, Root) {
    let t = TestDb::new().await.unwrap();
    demo::load(&t.db).await.unwrap();
    generate::province(
        &t.db,
        &Spec {
            organisations: 12,
            people: 4000,
            audit_entries: 100,
            seed: 11,
            on_top_of_demo: true,
        },
    )
    .await
    .unwrap();
    let province = units::province(&t.db).await.unwrap().unwrap().root();
    // The largest organisation, so that its scope is bigger than one scan window too.
    let org_id: i64 = sqlx::query(
        "SELECT org_id FROM people GROUP BY org_id ORDER BY COUNT(*) DESC, org_id LIMIT 1",
    )
    .fetch_one(t.db.pool())
    .await
    .unwrap()
    .try_get(0)
    .unwrap();
    let all: Scope<store::scope::UnitView> = Scope::whole_system_for_cli(province.clone());
    let org = units::get(&t.db, &all, org_id).await.unwrap().root();
    (t, province, org)
}

/// The in-memory word index; the province's switch points of the database plans; and two
/// sets low enough for a few thousand people to take every database plan: the ordered walk for
/// common words, and the walk handing over to the word index when its matches sit late in name
/// order.
fn tunings() -> [(&'static str, Tuning); 4] {
    let sql = Tuning {
        memory: false,
        ..Tuning::default()
    };
    [
        (
            "memory",
            Tuning {
                memory_chunk: 700,
                ..Tuning::default()
            },
        ),
        ("default", sql),
        (
            "walk",
            Tuning {
                first_window: 60,
                index_bound: 40,
                window: 300,
                walk_limit: 1_000_000,
                ..sql
            },
        ),
        (
            "hand-over",
            Tuning {
                first_window: 60,
                index_bound: 40,
                window: 100,
                walk_limit: 300,
                ..sql
            },
        ),
    ]
}

#[tokio::test]
async fn every_plan_returns_exactly_the_matches_in_name_order() {
    let (mut t, province, org) = setup().await;
    for (name, tuning) in tunings() {
        t.db.set_search_tuning(tuning);
        // Built now (in chunks smaller than the data), so the memory plan answers rather than
        // starting a rebuild in the background.
        if tuning.memory {
            t.db.warm_search().await.unwrap();
        }
        check_plans(&t.db, &province, &org, name).await;
    }
    // Nothing was written, so the memory plan really answered its round.
    assert!(t.db.search_index_current().await.unwrap());
}

async fn check_plans(db: &Db, province: &Root, org: &Root, tuning: &str) {
    let rows = all_people(db).await;
    // A rare full name, a phone prefix and an e-mail word come from the data itself.
    let (rare, phone, mail) = {
        let r = sqlx::query(
            "SELECT full_name, phone, email FROM people WHERE phone IS NOT NULL AND email IS NOT NULL \
             ORDER BY id DESC LIMIT 1",
        )
        .fetch_one(db.pool())
        .await
        .unwrap();
        let name: String = r.try_get("full_name").unwrap();
        let phone: String = r.try_get("phone").unwrap();
        let email: String = r.try_get("email").unwrap();
        let domain_word = email.split(['@', '.']).nth(1).unwrap().to_owned();
        (
            domain::text::fold_vi(&name),
            phone[..5].to_owned(),
            domain_word,
        )
    };
    let queries = [
        "nguyen",     // very common: the scan fills pages
        "van",        // a middle name in nearly half the names
        "NGUYEN van", // two common words
        "nguyen van duc",
        "thi",
        "le minh", // a two-letter word is checked on the rows the longer one finds
        "vu thanh tam",
        "le",   // only short words: the index is asked for them after all
        "pho",  // a word of positions
        "ngo",  // a prefix shared by several family names
        "xyzw", // nothing
        rare.as_str(),
        phone.as_str(),
        mail.as_str(),
    ];
    for (label, scope_root) in [("province", province), ("organisation", org)] {
        let scope: Scope<PersonView> = Scope::whole_system_for_cli(scope_root.clone());
        for q in queries {
            for limit in [50, 7] {
                let got = paged(db, &scope, q, None, limit).await;
                let want = expected(&rows, &scope_root.path, q, None);
                assert_eq!(
                    got, want,
                    "{tuning} plan, {label} scope, q={q:?}, limit={limit}"
                );
            }
            let got = paged(db, &scope, q, Some(PersonStatus::Working), 50).await;
            let want = expected(&rows, &scope_root.path, q, Some("working"));
            assert_eq!(
                got, want,
                "{tuning} plan, {label} scope, q={q:?}, working only"
            );
            let n = people::count_matching(
                db,
                &scope,
                &ListQuery {
                    q: Some(q.to_owned()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
            assert_eq!(n as usize, expected(&rows, &scope_root.path, q, None).len());
        }
        for (status, code) in [
            (None, None),
            (Some(PersonStatus::Working), Some("working")),
            (Some(PersonStatus::Retired), Some("retired")),
        ] {
            let n = people::count_matching(
                db,
                &scope,
                &ListQuery {
                    status,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
            assert_eq!(
                n as usize,
                expected(&rows, &scope_root.path, "", code).len(),
                "{label} scope, count of status {code:?}"
            );
        }
    }
    // The common query really is common at this size, so the scan plan was exercised.
    assert!(expected(&rows, &province.path, "nguyen", None).len() > 1000);
    assert!(!expected(&rows, &province.path, &rare, None).is_empty());
}

async fn brute_counts(db: &Db, path: &str) -> [i64; 6] {
    let r = sqlx::query(
        "SELECT COUNT(*) AS total, \
         CAST(COALESCE(SUM(CASE WHEN status = 'working' THEN 1 ELSE 0 END), 0) AS BIGINT) AS working, \
         CAST(COALESCE(SUM(party_member), 0) AS BIGINT) AS party, \
         CAST(COALESCE(SUM(self_defence), 0) AS BIGINT) AS sd, \
         CAST(COALESCE(SUM(fire_force), 0) AS BIGINT) AS fire, \
         CAST(COALESCE(SUM(CASE WHEN status = 'working' AND (birth_date IS NULL OR phone IS NULL) \
              THEN 1 ELSE 0 END), 0) AS BIGINT) AS incomplete \
         FROM people WHERE unit_path >= $1 AND unit_path < $2",
    )
    .bind(path)
    .bind(format!("{}0", &path[..path.len() - 1]))
    .fetch_one(db.pool())
    .await
    .unwrap();
    ["total", "working", "party", "sd", "fire", "incomplete"].map(|c| r.try_get(c).unwrap())
}

async fn kept_counts(db: &Db, root: &Root) -> [i64; 6] {
    let scope: Scope<PersonView> = Scope::whole_system_for_cli(root.clone());
    let c = people::counts(db, &scope).await.unwrap();
    let attn = store::dashboard::attention(db, Some(&scope), None)
        .await
        .unwrap();
    [
        c.total,
        c.working,
        c.party_members,
        c.self_defence,
        c.fire_force,
        attn.incomplete_people,
    ]
}

#[tokio::test]
async fn head_counts_follow_every_write() {
    let (t, province, org) = setup().await;
    let db = &t.db;
    let check = async |when: &str| {
        for root in [&province, &org] {
            assert_eq!(
                kept_counts(db, root).await,
                brute_counts(db, &root.path).await,
                "{when}, scope {}",
                root.path
            );
        }
    };
    check("after generation").await;

    let manage: Scope<PersonManage> = Scope::whole_system_for_cli(province.clone());
    let actor = Actor::system("test");
    let day = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    let units_of_org: Vec<i64> = sqlx::query(
        "SELECT id FROM units WHERE org_id = $1 AND kind <> 'organisation' ORDER BY id",
    )
    .bind(org.unit_id)
    .fetch_all(db.pool())
    .await
    .unwrap()
    .iter()
    .map(|r| r.try_get(0).unwrap())
    .collect();
    let elsewhere: i64 = sqlx::query(
        "SELECT id FROM units WHERE kind = 'department' AND org_id <> $1 ORDER BY id LIMIT 1",
    )
    .bind(org.unit_id)
    .fetch_one(db.pool())
    .await
    .unwrap()
    .try_get(0)
    .unwrap();
    let input = PersonInput {
        full_name: "Lê Thị Hồng Nhung".into(),
        gender: Gender::Female,
        birth_date: None,
        position: "Chuyên viên".into(),
        unit_id: units_of_org[0],
        phone: None,
        email: None,
        party_member: true,
        self_defence: true,
        fire_force: false,
        status: PersonStatus::Working,
    };
    let p = people::create(db, &manage, &actor, &input, day)
        .await
        .unwrap();
    check("after a join").await;

    let mut changed = input.clone();
    changed.birth_date = NaiveDate::from_ymd_opt(1990, 5, 1);
    changed.phone = Some(domain::values::Phone::parse("0912345678").unwrap());
    changed.fire_force = true;
    people::update(db, &manage, &actor, p.id, &changed)
        .await
        .unwrap();
    check("after an edit").await;

    people::move_to(db, &manage, &actor, p.id, elsewhere, day, None)
        .await
        .unwrap();
    check("after a move out of the organisation").await;

    people::set_status(db, &manage, &actor, p.id, PersonStatus::Retired, day, None)
        .await
        .unwrap();
    check("after a departure").await;

    // The figures a server keeps are never older than the database, whoever changed it.
    sqlx::query(
        "UPDATE people SET party_member = 1 - party_member, status = 'working' WHERE id = $1",
    )
    .bind(p.id)
    .execute(db.pool())
    .await
    .unwrap();
    check("after a change by plain SQL").await;
}

async fn brute_kinds(db: &Db, path: &str) -> Vec<(String, i64)> {
    sqlx::query(
        "SELECT kind, COUNT(*) AS n FROM units WHERE substr(path, 1, length($1)) = $1 \
         GROUP BY kind ORDER BY kind",
    )
    .bind(path)
    .fetch_all(db.pool())
    .await
    .unwrap()
    .iter()
    .map(|r| (r.try_get("kind").unwrap(), r.try_get("n").unwrap()))
    .collect()
}

async fn kept_kinds(db: &Db, root: &Root) -> Vec<(String, i64)> {
    let scope: Scope<store::scope::UnitView> = Scope::whole_system_for_cli(root.clone());
    let mut k: Vec<(String, i64)> = units::counts(db, &scope)
        .await
        .unwrap()
        .into_iter()
        .map(|(k, n)| (k.code().to_owned(), n))
        .collect();
    k.sort();
    k
}

#[tokio::test]
async fn unit_counts_follow_every_write() {
    let (t, province, org) = setup().await;
    let db = &t.db;
    let check = async |when: &str| {
        for root in [&province, &org] {
            assert_eq!(
                kept_kinds(db, root).await,
                brute_kinds(db, &root.path).await,
                "{when}, scope {}",
                root.path
            );
        }
    };
    check("after generation").await;
    let manage: Scope<store::scope::UnitManage> = Scope::whole_system_for_cli(province.clone());
    let input = units::UnitInput {
        name: "Tổ bảo vệ mới".into(),
        abbreviation: None,
        org_kind: None,
        has_party_org: false,
        doc_format: None,
        address: None,
    };
    let team = units::create(
        db,
        &manage,
        &Actor::system("test"),
        org.unit_id,
        domain::values::UnitKind::Team,
        &input,
    )
    .await
    .unwrap();
    check("after a new team").await;
    sqlx::query("DELETE FROM units WHERE id = $1")
        .bind(team.id)
        .execute(db.pool())
        .await
        .unwrap();
    check("after a removal by plain SQL").await;
}

/// The in-memory index is a copy: after any change of a person it is not trusted until rebuilt,
/// and searches stay exact in between, whoever made the change.
#[tokio::test]
async fn memory_index_is_never_trusted_stale() {
    let (t, province, org) = setup().await;
    let db = &t.db;
    let scope: Scope<PersonView> = Scope::whole_system_for_cli(province.clone());
    let manage: Scope<PersonManage> = Scope::whole_system_for_cli(province.clone());
    let actor = Actor::system("test");
    let day = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    db.warm_search().await.unwrap();
    assert!(db.search_index_current().await.unwrap());
    assert!(paged(db, &scope, "quynhthu", None, 50).await.is_empty());

    let unit_id: i64 = sqlx::query("SELECT id FROM units WHERE org_id = $1 ORDER BY id LIMIT 1")
        .bind(org.unit_id)
        .fetch_one(db.pool())
        .await
        .unwrap()
        .try_get(0)
        .unwrap();
    let input = PersonInput {
        full_name: "Đỗ Quỳnhthu".into(),
        gender: Gender::Female,
        birth_date: None,
        position: "Chuyên viên".into(),
        unit_id,
        phone: None,
        email: None,
        party_member: false,
        self_defence: false,
        fire_force: false,
        status: PersonStatus::Working,
    };
    let p = people::create(db, &manage, &actor, &input, day)
        .await
        .unwrap();
    // Stale now: the database answers, and finds the newcomer.
    assert!(!db.search_index_current().await.unwrap());
    assert_eq!(paged(db, &scope, "quynhthu", None, 50).await, vec![p.id]);
    db.warm_search().await.unwrap();
    assert_eq!(paged(db, &scope, "quynhthu", None, 50).await, vec![p.id]);

    // A change made outside this handle (another server, the command line) is seen too.
    sqlx::query("UPDATE people SET status = 'retired' WHERE id = $1")
        .bind(p.id)
        .execute(db.pool())
        .await
        .unwrap();
    assert!(!db.search_index_current().await.unwrap());
    for _ in 0..2 {
        let working = paged(db, &scope, "quynhthu", Some(PersonStatus::Working), 50).await;
        assert!(working.is_empty());
        let retired = paged(db, &scope, "quynhthu", Some(PersonStatus::Retired), 50).await;
        assert_eq!(retired, vec![p.id]);
        db.warm_search().await.unwrap();
    }
    let rows = all_people(db).await;
    assert_eq!(
        paged(db, &scope, "nguyen van", None, 50).await,
        expected(&rows, &province.path, "nguyen van", None)
    );
}

/// The server's first build reports "warming" from the moment it is asked for until it ends,
/// so readiness never goes green before the index can answer.
#[tokio::test]
async fn warming_lasts_until_the_first_build_ends() {
    let (t, _province, _org) = setup().await;
    let db = &t.db;
    assert!(!db.search_warming());
    assert!(!db.search_index_current().await.unwrap());
    db.warm_search_in_background();
    assert!(db.search_warming(), "set before the build is spawned");
    for _ in 0..200 {
        if !db.search_warming() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert!(!db.search_warming(), "the build ended within 5 s");
    assert!(db.search_index_current().await.unwrap());
}
