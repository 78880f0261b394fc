//! News on SQLite, and on PostgreSQL with `ANTOAN_TEST_DATABASE_URL`: audiences (an
//! organisation never sees another's articles or images), scheduled publishing, read counts
//! that count each reader once under concurrency, sanitised bodies and image limits.

use sqlx::Row;
use store::audit::Actor;
use store::news::{self, ArticleInput};
use store::scope::{Grants, NewsManage, NewsView};
use store::testdb::TestDb;
use store::{Db, Error, Scope, accounts, now_ms, units};

const DAY: i64 = 24 * 60 * 60 * 1000;
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0";

async fn org_id(db: &Db, abbr: &str) -> i64 {
    sqlx::query("SELECT id FROM units WHERE abbreviation = $1 AND kind = 'organisation'")
        .bind(abbr)
        .fetch_one(db.pool())
        .await
        .unwrap()
        .try_get("id")
        .unwrap()
}

async fn admin<C: store::Cap>(db: &Db) -> Scope<C> {
    Scope::whole_system_for_cli(units::province(db).await.unwrap().unwrap().root())
}

async fn scope_of<C: store::Cap>(db: &Db, username: &str) -> Option<Scope<C>> {
    let acc = accounts::by_username(db, username).await.unwrap().unwrap();
    Grants::load(db, acc.id).await.unwrap().scope::<C>()
}

async fn actor_of(db: &Db, username: &str) -> Actor {
    let acc = accounts::by_username(db, username).await.unwrap().unwrap();
    Actor {
        account_id: Some(acc.id),
        name: acc.username,
        ip: None,
    }
}

async fn publish(db: &Db, audience: i64, title: &str, at: i64) -> i64 {
    let input = ArticleInput {
        audience_unit_id: audience,
        title: title.into(),
        summary: None,
        body: format!("Nội dung {title}"),
        publish_at: Some(at),
    };
    news::create(db, &admin(db).await, &Actor::system("test"), &input)
        .await
        .unwrap()
}

async fn titles(db: &Db, user: &str) -> Vec<String> {
    let view: Scope<NewsView> = scope_of(db, user).await.unwrap();
    let manage: Option<Scope<NewsManage>> = scope_of(db, user).await;
    let (items, _) = news::list(db, &view, manage.as_ref(), None, 100)
        .await
        .unwrap();
    items.into_iter().map(|h| h.title).collect()
}

#[tokio::test]
async fn audiences_and_scheduled_articles() {
    let t = TestDb::new().await.unwrap();
    store::demo::load(&t.db).await.unwrap();
    let db = &t.db;
    let office = org_id(db, "VPTU").await;
    let school = org_id(db, "LQĐ").await;
    let province = units::province(db).await.unwrap().unwrap().id;
    let dept: i64 = sqlx::query(
        "SELECT id FROM units WHERE org_id = $1 AND kind = 'department' ORDER BY id LIMIT 1",
    )
    .bind(office)
    .fetch_one(db.pool())
    .await
    .unwrap()
    .try_get("id")
    .unwrap();
    let now = now_ms();
    let office_art = publish(db, office, "Tin Văn phòng", now - DAY).await;
    publish(db, school, "Tin Trường", now - DAY).await;
    publish(db, province, "Tin toàn tỉnh", now - 2 * DAY).await;
    publish(db, dept, "Tin phòng", now - 3 * DAY).await;
    let later = publish(db, office, "Tin hẹn giờ", now + 7 * DAY).await;

    // Office staff: the Office's, the province's; not the school's; the scheduled one not yet.
    let staff = titles(db, "nhanvien").await;
    assert!(staff.contains(&"Tin Văn phòng".to_owned()), "{staff:?}");
    assert!(staff.contains(&"Tin toàn tỉnh".to_owned()));
    assert!(!staff.contains(&"Tin Trường".to_owned()));
    assert!(!staff.contains(&"Tin hẹn giờ".to_owned()));
    // The Office's officer also sees the department's article and the scheduled one.
    let officer = titles(db, "canbo.antt").await;
    assert!(officer.contains(&"Tin phòng".to_owned()), "{officer:?}");
    assert!(officer.contains(&"Tin hẹn giờ".to_owned()));
    assert!(!officer.contains(&"Tin Trường".to_owned()));
    // The school sees its own and the province's only.
    let school_view = titles(db, "quantri.truong").await;
    assert_eq!(
        school_view,
        vec!["Tin Trường".to_owned(), "Tin toàn tỉnh".to_owned()]
    );
    // The overseer reads everything published.
    let overseer = titles(db, "congan.tinh").await;
    assert_eq!(overseer.len(), 4, "{overseer:?}");

    let sv: Scope<NewsView> = scope_of(db, "quantri.truong").await.unwrap();
    assert!(matches!(
        news::get(db, &sv, None, office_art).await,
        Err(Error::NotFound)
    ));
    let staff_view: Scope<NewsView> = scope_of(db, "nhanvien").await.unwrap();
    assert!(matches!(
        news::get(db, &staff_view, None, later).await,
        Err(Error::NotFound)
    ));
    let board = news::board(db, &staff_view, 5).await.unwrap();
    assert_eq!(board[0].title, "Tin Văn phòng");
    assert!(board.iter().all(|h| h.publish_at <= now_ms()));
    // The board is the list's first page, for every kind of reader (its query is written
    // differently, as branches per audience range).
    for user in ["nhanvien", "quantri.truong", "congan.tinh", "canbo.antt"] {
        let v: Scope<NewsView> = scope_of(db, user).await.unwrap();
        for n in [1, 2, 5] {
            let board: Vec<i64> = news::board(db, &v, n)
                .await
                .unwrap()
                .iter()
                .map(|h| h.id)
                .collect();
            let list: Vec<i64> = news::list(db, &v, None, None, n)
                .await
                .unwrap()
                .0
                .iter()
                .map(|h| h.id)
                .collect();
            assert_eq!(board, list, "{user}, {n}");
        }
    }
    // The overseer's province holds every published article, newest first.
    let all: Vec<i64> = sqlx::query(
        "SELECT id FROM news_articles WHERE publish_at <= $1 ORDER BY publish_at DESC, id DESC",
    )
    .bind(now_ms())
    .fetch_all(db.pool())
    .await
    .unwrap()
    .iter()
    .map(|r| sqlx::Row::try_get(r, 0).unwrap())
    .collect();
    let v: Scope<NewsView> = scope_of(db, "congan.tinh").await.unwrap();
    let seen: Vec<i64> = news::list(db, &v, None, None, 200)
        .await
        .unwrap()
        .0
        .iter()
        .map(|h| h.id)
        .collect();
    assert!(all.len() > 2, "the demo publishes articles");
    assert_eq!(seen, all);

    // The school's administrator may not publish to the Office or the province.
    let sm: Scope<NewsManage> = scope_of(db, "quantri.truong").await.unwrap();
    for audience in [office, province] {
        let input = ArticleInput {
            audience_unit_id: audience,
            title: "Không được".into(),
            summary: None,
            body: "x".into(),
            publish_at: None,
        };
        assert!(matches!(
            news::create(db, &sm, &Actor::system("test"), &input).await,
            Err(Error::Invalid("err.news_audience"))
        ));
        assert!(matches!(
            news::update(db, &sm, &Actor::system("test"), office_art, &input).await,
            Err(Error::NotFound)
        ));
    }
    // Staff cannot publish at all.
    assert!(scope_of::<NewsManage>(db, "nhanvien").await.is_none());
    // Paging walks the list without repeats.
    let view: Scope<NewsView> = admin(db).await;
    let (first, next) = news::list(db, &view, None, None, 2).await.unwrap();
    let (second, _) = news::list(db, &view, None, next.as_deref(), 2)
        .await
        .unwrap();
    assert_eq!(first.len(), 2);
    assert!(second.iter().all(|h| first.iter().all(|f| f.id != h.id)));
}

#[tokio::test]
async fn each_reader_counts_once_even_at_the_same_moment() {
    let t = TestDb::new().await.unwrap();
    store::demo::load(&t.db).await.unwrap();
    let db = &t.db;
    let office = org_id(db, "VPTU").await;
    let id = publish(db, office, "Đọc một lần", now_ms() - 1000).await;
    let view: Scope<NewsView> = admin(db).await;
    let art = news::get(db, &view, None, id).await.unwrap();
    let staff = actor_of(db, "nhanvien").await;
    let officer = actor_of(db, "canbo.antt").await;
    let mut tasks = Vec::new();
    for i in 0..12 {
        let db = db.clone();
        let art = art.clone();
        let who = if i % 2 == 0 {
            staff.clone()
        } else {
            officer.clone()
        };
        tasks.push(tokio::spawn(async move {
            news::mark_read(&db, &who, &art).await.unwrap()
        }));
    }
    let mut counted = 0;
    for t in tasks {
        if t.await.unwrap() {
            counted += 1;
        }
    }
    assert_eq!(counted, 2);
    let again = news::get(db, &view, None, id).await.unwrap();
    assert_eq!(again.read_count, 2);
    assert!(!news::mark_read(db, &staff, &again).await.unwrap());
    assert_eq!(news::get(db, &view, None, id).await.unwrap().read_count, 2);
    // A scheduled article is not counted.
    let later = publish(db, office, "Sau", now_ms() + DAY).await;
    let art = news::get(db, &view, Some(&admin(db).await), later)
        .await
        .unwrap();
    assert!(!news::mark_read(db, &staff, &art).await.unwrap());
    assert_eq!(store::audit::verify(db).await.unwrap().first_break, None);
}

#[tokio::test]
async fn bodies_are_sanitised_and_images_checked() {
    let t = TestDb::new().await.unwrap();
    store::demo::load(&t.db).await.unwrap();
    let db = &t.db;
    let office = org_id(db, "VPTU").await;
    let school = org_id(db, "LQĐ").await;
    let m: Scope<NewsManage> = scope_of(db, "canbo.antt").await.unwrap();
    let actor = actor_of(db, "canbo.antt").await;
    // Images: type from the bytes, size limit, audience in the manager's reach.
    let big = [PNG, &vec![0u8; store::files::MAX_IMAGE_BYTES]].concat();
    for (bytes, key) in [
        (
            b"<svg onload=alert(1)></svg>".to_vec(),
            "err.news_image_type",
        ),
        (big, "err.file_too_large"),
        (Vec::new(), "err.file_empty"),
    ] {
        match news::upload_image(db, &m, &actor, office, &bytes).await {
            Err(Error::Invalid(k)) => assert_eq!(k, key),
            other => panic!("{key}: {other:?}"),
        }
    }
    assert!(matches!(
        news::upload_image(db, &m, &actor, school, PNG).await,
        Err(Error::Invalid("err.news_audience"))
    ));
    let dept: i64 = sqlx::query(
        "SELECT id FROM units WHERE org_id = $1 AND kind = 'department' ORDER BY id LIMIT 1",
    )
    .bind(office)
    .fetch_one(db.pool())
    .await
    .unwrap()
    .try_get("id")
    .unwrap();
    let img = news::upload_image(db, &m, &actor, dept, PNG).await.unwrap();
    let input = ArticleInput {
        audience_unit_id: office,
        title: "Ảnh và mã độc".into(),
        summary: None,
        body: format!(
            "<p onmouseover=\"steal()\">Chào<script>alert(document.cookie)</script></p>\
             <img src=\"/news/images/{img}\" alt=\"ảnh\"><img src=\"https://evil.example/p.gif\">\
             <a href=\"javascript:alert(1)\">x</a>"
        ),
        publish_at: None,
    };
    let id = news::create(db, &m, &actor, &input).await.unwrap();
    let view: Scope<NewsView> = scope_of(db, "nhanvien").await.unwrap();
    let art = news::get(db, &view, None, id).await.unwrap();
    for bad in ["script", "onmouseover", "evil.example", "javascript:"] {
        assert!(
            !art.body_html.contains(bad),
            "{bad} survived: {}",
            art.body_html
        );
    }
    assert!(art.body_html.contains(&format!("/news/images/{img}")));
    assert_eq!(art.author_name, "Lê Minh Đức");
    // The image was uploaded for a department; shown by an article for the whole Office, it
    // now reaches every reader of the Office, and still nobody outside it.
    let f = news::image(db, &view, None, img).await.unwrap();
    assert_eq!(f.content_type, "image/png");
    assert_eq!(f.data, PNG);
    let sv: Scope<NewsView> = scope_of(db, "quantri.truong").await.unwrap();
    assert!(matches!(
        news::image(db, &sv, None, img).await,
        Err(Error::NotFound)
    ));
    // Empty title or body saves nothing.
    let before = news::count(db).await.unwrap();
    for (title, body, key) in [
        ("", "x", "err.news_title"),
        ("T", "<script>x</script>", "err.news_body"),
    ] {
        let input = ArticleInput {
            audience_unit_id: office,
            title: title.into(),
            summary: None,
            body: body.into(),
            publish_at: None,
        };
        match news::create(db, &m, &actor, &input).await {
            Err(Error::Invalid(k)) => assert_eq!(k, key),
            other => panic!("{key}: {other:?}"),
        }
    }
    assert_eq!(news::count(db).await.unwrap(), before);
}

#[tokio::test]
async fn demo_news_has_a_scheduled_article() {
    let t = TestDb::new().await.unwrap();
    store::demo::load(&t.db).await.unwrap();
    let db = &t.db;
    news::load_demo(db).await.unwrap();
    news::load_demo(db).await.unwrap();
    assert_eq!(news::count(db).await.unwrap(), 4);
    let staff = titles(db, "nhanvien").await;
    assert_eq!(staff.len(), 3, "{staff:?}");
    let officer = titles(db, "canbo.antt").await;
    assert_eq!(officer.len(), 4, "{officer:?}");
}
