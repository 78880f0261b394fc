//! News through the router, with JavaScript off: publishing (sanitised), scheduled articles,
//! read counts, the notice board on the home page, the printable view, image uploads with
//! their limits; bad input answered with a localized message and a 4xx, nothing saved. Runs
//! on SQLite, and on PostgreSQL with `ANTOAN_TEST_DATABASE_URL`.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use store::Scope;
use store::scope::{NewsView, UnitView};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0";

async fn office(app: &TestApp) -> i64 {
    let db = &app.t.db;
    let province = store::units::province(db).await.unwrap().unwrap();
    let scope: Scope<UnitView> = Scope::whole_system_for_cli(province.root());
    let (orgs, _) = store::units::organisations(db, &scope, Some("van phong tinh uy"), None, 5)
        .await
        .unwrap();
    orgs[0].id
}

async fn count(app: &TestApp) -> i64 {
    store::news::count(&app.t.db).await.unwrap()
}

fn id_of(location: &str) -> i64 {
    location
        .split('?')
        .next()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn publish_sanitised_read_once_on_the_board_and_printable() {
    let app = TestApp::new().await;
    let office = office(&app).await;
    let mut b = app.login("canbo.antt").await;
    let audience = office.to_string();

    // Bad input: the form comes back with its message, nothing saved.
    for (fields, message) in [
        (
            vec![
                ("audience", audience.as_str()),
                ("title", ""),
                ("body", "x"),
            ],
            "Hãy nhập tiêu đề",
        ),
        (
            vec![
                ("audience", audience.as_str()),
                ("title", "T"),
                ("body", "  "),
            ],
            "Hãy nhập nội dung",
        ),
        (
            vec![("audience", "1"), ("title", "T"), ("body", "x")],
            "Phạm vi đọc không thuộc",
        ),
        (
            vec![
                ("audience", audience.as_str()),
                ("title", "T"),
                ("body", "x"),
                ("publish_date", "32/13/2026"),
            ],
            "Ngày đăng không hợp lệ",
        ),
    ] {
        let r = app.submit(&mut b, "/news/new", "/news", &fields).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains(message), "{message}: {}", r.text());
    }
    assert_eq!(count(&app).await, 0);

    let r = app
        .submit(
            &mut b,
            "/news/new",
            "/news",
            &[
                ("audience", &audience),
                ("title", "Phát động phong trào năm nay"),
                ("summary", "Toàn thể cán bộ ký cam kết"),
                (
                    "body",
                    "<p onclick=\"steal()\">Đầu năm<script>alert('x')</script></p><img src=x onerror=alert(1)><a href=\"javascript:alert(1)\">xem</a>",
                ),
                ("publish_date", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let id = id_of(&r.location());
    let page = app.get(&mut b, &format!("/news/{id}")).await;
    let text = page.text();
    assert!(text.contains("Phát động phong trào năm nay"));
    for bad in ["<script>alert", "onclick", "onerror", "javascript:alert"] {
        assert!(!text.contains(bad), "{bad} reached the page");
    }
    assert!(
        text.contains("1 lượt đọc"),
        "the author's reading counts once"
    );

    // Staff read it: counted once however often they open it.
    let mut s = app.login("nhanvien").await;
    for _ in 0..3 {
        let r = app.get(&mut s, &format!("/news/{id}")).await;
        assert_eq!(r.status, StatusCode::OK);
    }
    let r = app.get(&mut s, &format!("/news/{id}")).await.text();
    assert!(r.contains("2 lượt đọc"), "{r}");
    // The notice board on the home page shows it.
    let home = app.get(&mut s, "/").await.text();
    assert!(home.contains("Bảng tin") && home.contains("Phát động phong trào năm nay"));
    // The printable view: the article without the menu.
    let print = app.get(&mut s, &format!("/news/{id}/print")).await;
    assert_eq!(print.status, StatusCode::OK);
    assert!(print.text().contains("Phát động phong trào năm nay"));
    assert!(!print.text().contains("class=\"menu\""));
    // Staff cannot edit or publish.
    assert_eq!(
        app.get(&mut s, "/news/new").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get(&mut s, &format!("/news/{id}/edit")).await.status,
        StatusCode::FORBIDDEN
    );

    // A scheduled article: the officer sees it marked, staff do not see it yet.
    let next_week = (chrono::Utc::now() + chrono::Duration::days(7))
        .format("%d/%m/%Y")
        .to_string();
    let r = app
        .submit(
            &mut b,
            "/news/new",
            "/news",
            &[
                ("audience", &audience),
                ("title", "Lịch trực tuần sau"),
                ("body", "Phân công trực\n\nCác phòng bố trí người"),
                ("publish_date", &next_week),
                ("publish_time", "07:30"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let later = id_of(&r.location());
    let own = app.get(&mut b, &format!("/news/{later}")).await.text();
    assert!(own.contains("Bài viết sẽ hiện với người đọc từ"));
    assert!(
        own.contains("<p>Phân công trực</p>"),
        "simple text becomes paragraphs"
    );
    assert!(
        app.get(&mut b, "/news")
            .await
            .text()
            .contains("Hẹn giờ đăng")
    );
    assert_eq!(
        app.get(&mut s, &format!("/news/{later}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(
        !app.get(&mut s, "/news")
            .await
            .text()
            .contains("Lịch trực tuần sau")
    );
    assert!(
        !app.get(&mut s, "/")
            .await
            .text()
            .contains("Lịch trực tuần sau")
    );

    // Editing keeps it sanitised.
    let r = app
        .submit(
            &mut b,
            &format!("/news/{id}/edit"),
            &format!("/news/{id}/edit"),
            &[
                ("audience", &audience),
                ("title", "Phát động phong trào (sửa)"),
                ("body", "<b>Đã sửa</b><iframe src=//x></iframe>"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let view: Scope<NewsView> = Scope::whole_system_for_cli(
        store::units::province(&app.t.db)
            .await
            .unwrap()
            .unwrap()
            .root(),
    );
    let art = store::news::get(&app.t.db, &view, None, id).await.unwrap();
    assert_eq!(art.title, "Phát động phong trào (sửa)");
    assert_eq!(art.body_html, "<b>Đã sửa</b>");
}

#[tokio::test]
async fn images_are_checked_stored_and_served_with_their_type() {
    let app = TestApp::new().await;
    let office = office(&app).await.to_string();
    let mut b = app.login("canbo.antt").await;
    let r = app
        .submit_multipart(
            &mut b,
            "/news/images",
            "/news/images",
            &[("unit", &office)],
            &[("file", "anh.png", PNG)],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let text = r.text();
    let start = text.find("/news/images/").unwrap() + "/news/images/".len();
    let img: String = text[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let got = app.get(&mut b, &format!("/news/images/{img}")).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.headers["content-type"], "image/png");
    assert_eq!(got.headers["x-content-type-options"], "nosniff");
    assert_eq!(got.body, PNG);
    // Staff of the Office may load it; the school may not.
    let mut s = app.login("nhanvien").await;
    assert_eq!(
        app.get(&mut s, &format!("/news/images/{img}")).await.status,
        StatusCode::OK
    );
    let mut other = app.login("quantri.truong").await;
    assert_eq!(
        app.get(&mut other, &format!("/news/images/{img}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Wrong type, too large, missing: a localized message and a 4xx; nothing stored.
    let big = [PNG, &vec![0u8; 3 * 1024 * 1024]].concat();
    for (bytes, message) in [
        (
            &b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"[..],
            "Ảnh phải là PNG",
        ),
        (&big[..], "Tệp quá lớn"),
    ] {
        let r = app
            .submit_multipart(
                &mut b,
                "/news/images",
                "/news/images",
                &[("unit", &office)],
                &[("file", "x.svg", bytes)],
            )
            .await;
        assert!(r.status.is_client_error(), "{}", r.status);
        assert!(r.text().contains(message), "{message}: {}", r.text());
    }
    let r = app
        .submit_multipart(
            &mut b,
            "/news/images",
            "/news/images",
            &[("unit", &office)],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("Chưa chọn tệp"));
    let next: i64 = img.parse::<i64>().unwrap() + 1;
    assert_eq!(
        app.get(&mut b, &format!("/news/images/{next}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_api_reads_models_and_news_within_scope() {
    let app = TestApp::new().await;
    store::movement::load_demo(&app.t.db).await.unwrap();
    store::news::load_demo(&app.t.db).await.unwrap();
    let spec = app.api("GET", "/api/openapi.json", None, None).await.json();
    let text = spec.to_string();
    for op in [
        "listMovementModels",
        "getMovementModel",
        "listNews",
        "getNews",
    ] {
        assert!(text.contains(&format!("\"operationId\":\"{op}\"")), "{op}");
    }
    // The overseer sees every organisation's models; the school only its own.
    let overseer = app.api_token("congan.tinh").await;
    let all = app
        .api(
            "GET",
            "/api/v1/movement-models?limit=2",
            Some(&overseer),
            None,
        )
        .await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.text());
    let first = all.json();
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    let cursor = first["next"].as_str().unwrap().to_owned();
    let rest = app
        .api(
            "GET",
            &format!(
                "/api/v1/movement-models?limit=100&cursor={}",
                urlencode(&cursor)
            ),
            Some(&overseer),
            None,
        )
        .await
        .json();
    assert_eq!(rest["items"].as_array().unwrap().len(), 4, "{rest}");
    let office_model = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .chain(rest["items"].as_array().unwrap())
        .find(|m| m["org_name"] == "Văn phòng Tỉnh ủy Sơn Hà")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let school = app.api_token("quantri.truong").await;
    let mine = app
        .api("GET", "/api/v1/movement-models", Some(&school), None)
        .await
        .json();
    let mine = mine["items"].as_array().unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["org_name"], "Trường THPT chuyên Lê Quý Đôn");
    let r = app
        .api(
            "GET",
            &format!("/api/v1/movement-models/{office_model}"),
            Some(&school),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json()["error"]["code"], "not_found");
    let d = app
        .api(
            "GET",
            &format!("/api/v1/movement-models/{office_model}"),
            Some(&overseer),
            None,
        )
        .await;
    assert_eq!(d.status, StatusCode::OK);
    let d = d.json();
    assert!(d["members"].as_array().unwrap().len() >= 4, "{d}");
    assert_eq!(d["standing"]["working"], true);
    // Staff hold no model capability.
    let staff = app.api_token("nhanvien").await;
    assert_eq!(
        app.api("GET", "/api/v1/movement-models", Some(&staff), None)
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // News: staff see the Office's published articles and the province's, not the scheduled.
    let list = app
        .api("GET", "/api/v1/news", Some(&staff), None)
        .await
        .json();
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 3, "{list}");
    let id = items[0]["id"].as_i64().unwrap();
    let a = app
        .api("GET", &format!("/api/v1/news/{id}"), Some(&staff), None)
        .await
        .json();
    assert_eq!(a["read_count"], 1);
    let a = app
        .api("GET", &format!("/api/v1/news/{id}"), Some(&staff), None)
        .await
        .json();
    assert_eq!(a["read_count"], 1, "read twice, counted once");
    let officer = app.api_token("canbo.antt").await;
    let all = app
        .api("GET", "/api/v1/news", Some(&officer), None)
        .await
        .json();
    let scheduled = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["title"].as_str().unwrap().starts_with("Lịch trực"))
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        app.api(
            "GET",
            &format!("/api/v1/news/{scheduled}"),
            Some(&staff),
            None
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.api("GET", &format!("/api/v1/news/{id}"), Some(&school), None)
            .await
            .status,
        if items[0]["audience"] == "Tỉnh Sơn Hà" {
            StatusCode::OK
        } else {
            StatusCode::NOT_FOUND
        }
    );
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
