//! Movement models through the router, with JavaScript off: registering a model, members,
//! activities with evidence files, reviews, the province page; bad input answered with a
//! localized message and a 4xx, nothing saved. Runs on SQLite, and on PostgreSQL with
//! `ANTOAN_TEST_DATABASE_URL`.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use store::Scope;
use store::scope::{ModelView, UnitView};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

async fn app() -> TestApp {
    let app = TestApp::new().await;
    store::movement::load_demo(&app.t.db).await.unwrap();
    app
}

async fn org(app: &TestApp, abbr: &str) -> i64 {
    let db = &app.t.db;
    let province = store::units::province(db).await.unwrap().unwrap();
    let scope: Scope<UnitView> = Scope::whole_system_for_cli(province.root());
    let (orgs, _) = store::units::organisations(db, &scope, None, None, 100)
        .await
        .unwrap();
    orgs.iter()
        .find(|o| o.abbreviation.as_deref() == Some(abbr))
        .unwrap()
        .id
}

async fn models(app: &TestApp, org: i64) -> Vec<store::movement::Model> {
    let province = store::units::province(&app.t.db).await.unwrap().unwrap();
    let scope: Scope<ModelView> = Scope::whole_system_for_cli(province.root());
    store::movement::list(&app.t.db, &scope, Some(org), None, 100)
        .await
        .unwrap()
        .0
}

#[tokio::test]
async fn officer_registers_a_model_and_records_its_year() {
    let app = app().await;
    let office = org(&app, "VPTU").await;
    let mut b = app.login("canbo.antt").await;
    let before = models(&app, office).await.len();

    // Bad input: the form comes back with its message, nothing saved.
    let from = format!("/models/org/{office}/new");
    let to = format!("/models/org/{office}");
    for (fields, message) in [
        (
            vec![("name", ""), ("since", "01/01/2020")],
            "Hãy nhập tên mô hình",
        ),
        (
            vec![("name", "Tổ mới"), ("since", "31/02/2020")],
            "Ngày không hợp lệ",
        ),
        (
            vec![
                ("name", "Tổ mới"),
                ("since", "01/01/2020"),
                ("ended_on", "01/01/2019"),
            ],
            "Ngày dừng hoạt động không được trước ngày thành lập",
        ),
    ] {
        let r = app.submit(&mut b, &from, &to, &fields).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains(message), "{}", r.text());
        assert!(r.text().contains("Tổ mới") || fields[0].1.is_empty());
    }
    assert_eq!(models(&app, office).await.len(), before);

    let r = app
        .submit(
            &mut b,
            &from,
            &to,
            &[
                ("name", "Tổ an toàn phòng cháy khu nhà B"),
                ("description", "Kiểm tra điện, bình chữa cháy"),
                ("since", "2024-03-01"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page_path = r.location().split('?').next().unwrap().to_owned();
    let id: i64 = page_path.rsplit('/').next().unwrap().parse().unwrap();
    let page = app.get(&mut b, &r.location()).await;
    assert!(page.text().contains("Tổ an toàn phòng cháy khu nhà B"));
    assert!(page.text().contains("Đã lưu mô hình"));
    assert!(page.text().contains("01/03/2024"));

    // A member of the Office.
    let officer = store::accounts::by_username(&app.t.db, "canbo.antt")
        .await
        .unwrap()
        .unwrap()
        .person_id
        .unwrap();
    let r = app
        .submit(
            &mut b,
            &page_path,
            &format!("{page_path}/members"),
            &[("person", &officer.to_string()), ("role", "Tổ trưởng")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let r = app
        .submit(
            &mut b,
            &page_path,
            &format!("{page_path}/members"),
            &[("person", "abc"), ("role", "X")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("Chỉ thêm được người đang công tác"));

    // An activity with a PDF as evidence; the file comes back with its type.
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let r = app
        .submit_multipart(
            &mut b,
            &page_path,
            &format!("{page_path}/activities"),
            &[
                ("on_day", &today),
                ("title", "Kiểm tra bình chữa cháy"),
                ("note", ""),
            ],
            &[("evidence", "bien-ban kiem tra.pdf", PDF)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = app.get(&mut b, &page_path).await.text();
    assert!(page.contains("Kiểm tra bình chữa cháy"));
    let start = page.find("/models/evidence/").unwrap() + "/models/evidence/".len();
    let ev: String = page[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let file = app.get(&mut b, &format!("/models/evidence/{ev}")).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.headers["content-type"], "application/pdf");
    assert_eq!(file.headers["x-content-type-options"], "nosniff");
    assert_eq!(file.body, PDF);

    // Evidence that is not an image or PDF, or too large, is refused and nothing is saved.
    let detail_before = app
        .get(&mut b, &page_path)
        .await
        .text()
        .matches("<tr>")
        .count();
    let big = [PDF, &vec![b' '; 6 * 1024 * 1024]].concat();
    for (name, bytes, message) in [
        (
            "x.html",
            &b"<script>alert(1)</script>"[..],
            "Tệp minh chứng phải là ảnh",
        ),
        ("big.pdf", &big[..], "Tệp quá lớn"),
    ] {
        let r = app
            .submit_multipart(
                &mut b,
                &page_path,
                &format!("{page_path}/activities"),
                &[("on_day", &today), ("title", "Không lưu")],
                &[("evidence", name, bytes)],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert!(r.text().contains(message), "{name}: {}", r.text());
    }
    // A date in the future is refused too.
    let r = app
        .submit_multipart(
            &mut b,
            &page_path,
            &format!("{page_path}/activities"),
            &[("on_day", "01/01/2999"), ("title", "Không lưu")],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let after = app.get(&mut b, &page_path).await.text();
    assert!(!after.contains("Không lưu"));
    assert_eq!(after.matches("<tr>").count(), detail_before);

    // A review: a bad rating is refused, a good one recorded.
    let year = store::movement::rules::current(&app.t.db, chrono::Utc::now().date_naive())
        .await
        .unwrap()
        .1
        .to_string();
    let r = app
        .submit(
            &mut b,
            &page_path,
            &format!("{page_path}/reviews"),
            &[
                ("year", &year),
                ("rating", "superb"),
                ("reviewer", "Đặng Văn Thành"),
                ("reviewed_on", &today),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("Mức đánh giá không hợp lệ"));
    let r = app
        .submit(
            &mut b,
            &page_path,
            &format!("{page_path}/reviews"),
            &[
                ("year", &year),
                ("rating", "effective"),
                ("reviewer", "Đặng Văn Thành"),
                ("reviewed_on", &today),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = app.get(&mut b, &page_path).await.text();
    assert!(page.contains("Hiệu quả") && page.contains("Đặng Văn Thành"));
    assert!(
        models(&app, office)
            .await
            .iter()
            .any(|m| m.id == id && m.members == 1)
    );
}

#[tokio::test]
async fn the_overseer_sees_every_organisation_side_by_side() {
    let app = app().await;
    let mut b = app.login("congan.tinh").await;
    let r = app.get(&mut b, "/models").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/models/province");
    let page = app.get(&mut b, "/models/province").await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.text();
    for name in [
        "Văn phòng Tỉnh ủy Sơn Hà",
        "Trường THPT chuyên Lê Quý Đôn",
        "Sở Tài chính tỉnh Sơn Hà",
    ] {
        assert!(text.contains(name), "{name}");
    }
    assert!(text.contains("4 / 5"), "{text}");
    assert!(text.contains("124/2021/TT-BCA"));
    let gaps = app.get(&mut b, "/models/province?gaps=1").await.text();
    assert!(gaps.contains("Lê Quý Đôn"));
    assert!(!gaps.contains("Sở Tài chính tỉnh Sơn Hà"));
    assert_eq!(
        app.get(&mut b, "/models/province?year=abc").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // The overseer reads but may not change.
    let office = org(&app, "VPTU").await;
    assert_eq!(
        app.get(&mut b, &format!("/models/org/{office}/new"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let page = app
        .get(&mut b, &format!("/models/org/{office}"))
        .await
        .text();
    assert!(!page.contains(&format!("/models/org/{office}/new")));
    // The Office's own people land on the Office's page.
    let mut o = app.login("canbo.antt").await;
    let r = app.get(&mut o, "/models").await;
    assert_eq!(r.location(), format!("/models/org/{office}"));
}
