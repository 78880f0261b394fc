//! The movement through the router: signing on the pages (wrong password, unticked box,
//! twice), the API with its operationIds (sign, coverage, list, acknowledge), refused input
//! that changes nothing (a closed campaign, another campaign's quiz, an expired session),
//! exports, and what the overseer sees of secret documents.

mod common;

use axum::http::StatusCode;
use common::{TestApp, csrf_of, form};
use serde_json::json;
use sqlx::Row;

async fn setup() -> TestApp {
    let app = TestApp::new().await;
    store::commitments::load_demo(&app.t.db, web::view::today())
        .await
        .unwrap();
    app
}

async fn scalar(app: &TestApp, sql: &str, arg: i64) -> i64 {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .bind(arg)
        .fetch_one(app.t.db.pool())
        .await
        .unwrap()
        .try_get::<i64, _>(0)
        .unwrap()
}

async fn person(app: &TestApp, username: &str) -> i64 {
    store::accounts::by_username(&app.t.db, username)
        .await
        .unwrap()
        .unwrap()
        .person_id
        .unwrap()
}

/// The Office's open campaign (the one nhanvien has to sign).
async fn office_campaign(app: &TestApp) -> i64 {
    scalar(
        app,
        "SELECT c.id FROM commitment_campaigns c JOIN units u ON u.id = c.owner_unit_id \
         WHERE u.abbreviation = 'VPTU' AND c.status = 'open' AND c.id > $1",
        0,
    )
    .await
}

async fn signatures(app: &TestApp, campaign: i64, person: i64) -> i64 {
    sqlx::query(
        "SELECT COUNT(*) AS n FROM commitment_signatures WHERE campaign_id = $1 AND person_id = $2",
    )
    .bind(campaign)
    .bind(person)
    .fetch_one(app.t.db.pool())
    .await
    .unwrap()
    .try_get("n")
    .unwrap()
}

#[tokio::test]
async fn staff_signs_on_the_page_once_with_the_password() {
    let app = setup().await;
    let c = office_campaign(&app).await;
    let me = person(&app, "nhanvien").await;
    assert_eq!(
        signatures(&app, c, me).await,
        0,
        "the demo leaves nhanvien to sign"
    );
    let mut b = app.login("nhanvien").await;
    let home = app.get(&mut b, "/").await.text();
    assert!(home.contains("bản cam kết cần ký"), "home asks to sign");
    let page = app.get(&mut b, &format!("/commitments/{c}/sign")).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("BẢN CAM KẾT") && html.contains("Tôi xin cam kết"));
    let hash = html.split("name=\"text_hash\" value=\"").nth(1).unwrap()[..64].to_owned();
    let path = format!("/commitments/{c}/sign");
    let from = path.clone();

    // Wrong password: refused, nothing signed, the message shown.
    let r = app
        .submit(
            &mut b,
            &from,
            &path,
            &[
                ("read", "1"),
                ("secret", "sai-mat-khau"),
                ("text_hash", &hash),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("Mật khẩu hoặc mã xác thực không đúng"));
    // The box not ticked.
    let r = app
        .submit(
            &mut b,
            &from,
            &path,
            &[("secret", store::demo::DEMO_PASSWORD), ("text_hash", &hash)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(signatures(&app, c, me).await, 0);

    let r = app
        .submit(
            &mut b,
            &from,
            &path,
            &[
                ("read", "1"),
                ("secret", store::demo::DEMO_PASSWORD),
                ("text_hash", &hash),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.text().contains("Bạn đã ký cam kết"));
    assert!(r.text().contains("ANTOAN-CK1."));
    assert_eq!(signatures(&app, c, me).await, 1);
    // Twice: the same receipt, still one signature.
    let r = app
        .submit(
            &mut b,
            &from,
            &path,
            &[
                ("read", "1"),
                ("secret", store::demo::DEMO_PASSWORD),
                ("text_hash", &hash),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("trước đó"));
    assert_eq!(signatures(&app, c, me).await, 1);
    // The receipt, the printable copy.
    let r = app
        .get(&mut b, &format!("/commitments/{c}/receipt.json"))
        .await;
    let receipt = store::commitments::Receipt::decode(&r.text()).unwrap();
    assert!(
        store::commitments::verify(&app.t.db, &receipt)
            .await
            .unwrap()
            .is_ok()
    );
    let pdf = app
        .get(&mut b, &format!("/commitments/{c}/signed.pdf"))
        .await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert!(pdf.body.starts_with(b"%PDF"));
}

#[tokio::test]
async fn an_expired_session_signs_nothing() {
    let app = setup().await;
    let c = office_campaign(&app).await;
    let me = person(&app, "nhanvien").await;
    let mut b = app.login("nhanvien").await;
    let page = app
        .get(&mut b, &format!("/commitments/{c}/sign"))
        .await
        .text();
    let token = csrf_of(&page);
    let hash = page.split("name=\"text_hash\" value=\"").nth(1).unwrap()[..64].to_owned();
    sqlx::query("UPDATE sessions SET expires_at = 0")
        .execute(app.t.db.pool())
        .await
        .unwrap();
    let body = form(&[
        ("csrf", &token),
        ("read", "1"),
        ("secret", store::demo::DEMO_PASSWORD),
        ("text_hash", &hash),
    ]);
    let r = app
        .post(&mut b, &format!("/commitments/{c}/sign"), body)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/login"), "{}", r.location());
    assert_eq!(signatures(&app, c, me).await, 0);
    // Through the API, a token that no longer exists: 401 with a JSON error.
    let r = app
        .api(
            "POST",
            &format!("/api/v1/commitment-campaigns/{c}/signatures"),
            Some("at_expired"),
            Some(json!({"text_hash": hash, "confirm": "x"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(signatures(&app, c, me).await, 0);
}

#[tokio::test]
async fn api_signs_reads_coverage_and_refuses_bad_input() {
    let app = setup().await;
    let c = office_campaign(&app).await;
    let me = person(&app, "nhanvien").await;
    let staff = app.api_token("nhanvien").await;
    let officer = app.api_token("canbo.antt").await;

    let list = app
        .api("GET", "/api/v1/commitment-campaigns", Some(&staff), None)
        .await;
    assert_eq!(list.status, StatusCode::OK);
    let mine = list.json();
    let item = mine
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == c)
        .unwrap()
        .clone();
    assert_eq!(item["asks_me"], true);
    let hash = item["body_hash"].as_str().unwrap().to_owned();

    let before = app
        .api(
            "GET",
            &format!("/api/v1/commitment-campaigns/{c}/coverage"),
            Some(&officer),
            None,
        )
        .await
        .json();
    let sign = |confirm: &'static str| json!({ "text_hash": hash, "confirm": confirm });
    let r = app
        .api(
            "POST",
            &format!("/api/v1/commitment-campaigns/{c}/signatures"),
            Some(&staff),
            Some(sign("wrong")),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(signatures(&app, c, me).await, 0);
    let r = app
        .api(
            "POST",
            &format!("/api/v1/commitment-campaigns/{c}/signatures"),
            Some(&staff),
            Some(sign(store::demo::DEMO_PASSWORD)),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let receipt = r.json();
    let again = app
        .api(
            "POST",
            &format!("/api/v1/commitment-campaigns/{c}/signatures"),
            Some(&staff),
            Some(sign(store::demo::DEMO_PASSWORD)),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json()["audit_seq"], receipt["audit_seq"]);
    assert_eq!(signatures(&app, c, me).await, 1);

    let after = app
        .api(
            "GET",
            &format!("/api/v1/commitment-campaigns/{c}/coverage"),
            Some(&officer),
            None,
        )
        .await;
    assert_eq!(after.status, StatusCode::OK);
    let after = after.json();
    assert_eq!(
        after["done"].as_i64().unwrap(),
        before["done"].as_i64().unwrap() + 1
    );
    assert_eq!(after["required"], before["required"]);
    assert!(after["percent"].as_f64().unwrap() > 60.0);
    let units = after["units"].as_array().unwrap();
    assert!(units.len() >= 3);
    let sum: i64 = units.iter().map(|u| u["required"].as_i64().unwrap()).sum();
    assert_eq!(sum, after["required"].as_i64().unwrap());
    // Staff do not watch coverage.
    let r = app
        .api(
            "GET",
            &format!("/api/v1/commitment-campaigns/{c}/coverage"),
            Some(&staff),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // A closed campaign: launched and closed by the officer, then refused.
    let office = scalar(
        &app,
        "SELECT id FROM units WHERE abbreviation = 'VPTU' AND kind = 'organisation' AND id > $1",
        0,
    )
    .await;
    let today = web::view::today();
    let r = app
        .api(
            "POST",
            "/api/v1/commitment-campaigns",
            Some(&officer),
            Some(json!({
                "owner_unit_id": office, "year": 2026, "title": "Cam kết phòng cháy, chữa cháy",
                "body": "Tôi cam kết chấp hành nội quy phòng cháy, chữa cháy.",
                "opens_on": today.to_string(), "deadline": today.to_string()
            })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let closed = r.json()["id"].as_i64().unwrap();
    let closed_hash = r.json()["body_hash"].as_str().unwrap().to_owned();
    let mut b = app.login("canbo.antt").await;
    let r = app
        .submit(
            &mut b,
            &format!("/commitments/{closed}"),
            &format!("/commitments/{closed}/close"),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = app
        .api(
            "POST",
            &format!("/api/v1/commitment-campaigns/{closed}/signatures"),
            Some(&staff),
            Some(json!({ "text_hash": closed_hash, "confirm": store::demo::DEMO_PASSWORD })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(
        r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("kết thúc")
    );
    assert_eq!(signatures(&app, closed, me).await, 0);

    // Acknowledging with another campaign's quiz answers: refused, nothing recorded.
    let dis = app
        .api("GET", "/api/v1/dissemination-campaigns", Some(&staff), None)
        .await
        .json();
    let d = dis
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["asks_me"] == true)
        .unwrap()
        .clone();
    let id = d["id"].as_i64().unwrap();
    let docs: Vec<_> = d["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| json!({"directive_id": x["directive_id"], "version": x["version"]}))
        .collect();
    let acks_before = scalar(
        &app,
        "SELECT COUNT(*) FROM dissemination_acks WHERE person_id = $1",
        me,
    )
    .await;
    let r = app
        .api(
            "POST",
            &format!("/api/v1/dissemination-campaigns/{id}/acknowledgements"),
            Some(&staff),
            Some(json!({ "documents": docs, "answers": [{"question_id": 999_999, "option": 0}] })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM dissemination_acks WHERE person_id = $1",
            me
        )
        .await,
        acks_before
    );
    let qs = store::dissemination::questions(&app.t.db, id)
        .await
        .unwrap();
    let answers: Vec<_> = qs
        .iter()
        .map(|q| json!({"question_id": q.id, "option": q.correct}))
        .collect();
    let cov_before = app
        .api(
            "GET",
            &format!("/api/v1/dissemination-campaigns/{id}/coverage"),
            Some(&officer),
            None,
        )
        .await
        .json();
    let r = app
        .api(
            "POST",
            &format!("/api/v1/dissemination-campaigns/{id}/acknowledgements"),
            Some(&staff),
            Some(json!({ "documents": docs, "answers": answers })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["recorded"], 1);
    let cov_after = app
        .api(
            "GET",
            &format!("/api/v1/dissemination-campaigns/{id}/coverage"),
            Some(&officer),
            None,
        )
        .await
        .json();
    assert_eq!(
        cov_after["done"].as_i64().unwrap(),
        cov_before["done"].as_i64().unwrap() + 1
    );
}

#[tokio::test]
async fn the_officer_watches_exports_and_records_paper() {
    let app = setup().await;
    let c = office_campaign(&app).await;
    let mut b = app.login("canbo.antt").await;
    let page = app.get(&mut b, &format!("/commitments/{c}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("Chỉ tiêu: 100%"));
    let xlsx = app
        .get(&mut b, &format!("/commitments/{c}/missing.xlsx"))
        .await;
    assert_eq!(xlsx.status, StatusCode::OK);
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx.body.clone())).unwrap();
    let sheet = wb.worksheet_range_at(0).unwrap().unwrap();
    let rows = sheet.rows().count() - 3;
    let unsigned = scalar(&app,
        "SELECT COUNT(*) FROM people p JOIN commitment_campaigns c ON c.id = $1 WHERE p.status = 'working' AND p.org_id = c.owner_unit_id \
         AND NOT EXISTS (SELECT 1 FROM commitment_signatures s WHERE s.person_id = p.id AND s.campaign_id = c.id)", c).await;
    assert_eq!(rows as i64, unsigned);
    assert!(
        unsigned > 15 && unsigned < 40,
        "about a third unsigned: {unsigned}"
    );

    // A paper copy with a scan that is not a PDF is refused; a PDF is recorded.
    let who = scalar(&app,
        "SELECT MIN(p.id) FROM people p JOIN commitment_campaigns c ON c.id = $1 WHERE p.status = 'working' AND p.org_id = c.owner_unit_id \
         AND NOT EXISTS (SELECT 1 FROM commitment_signatures s WHERE s.person_id = p.id AND s.campaign_id = c.id)", c).await;
    let paper = format!("/commitments/{c}/paper");
    let token = csrf_of(&app.get(&mut b, &paper).await.text());
    let today = web::view::date(&web::view::today());
    let send = |bytes: &'static [u8]| {
        let boundary = "XyZ";
        let mut body = Vec::new();
        for (k, v) in [
            ("csrf", token.as_str()),
            ("person", &who.to_string()),
            ("date", &today),
        ] {
            body.extend(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"scan\"; filename=\"scan.pdf\"\r\nContent-Type: application/pdf\r\n\r\n").as_bytes());
        body.extend(bytes);
        body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
        axum::http::Request::post(paper.clone())
            .header(
                "cookie",
                b.cookies
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join("; "),
            )
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .header("host", "localhost")
            .header("origin", "http://localhost")
            .body(axum::body::Body::from(body))
            .unwrap()
    };
    let r = app.send(send(b"MZ\x90\x00 not a pdf")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("PDF, JPEG, PNG"));
    assert_eq!(signatures(&app, c, who).await, 0);
    let r = app
        .send(send(b"%PDF-1.4\n% scan of the signed copy\n"))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(signatures(&app, c, who).await, 1);
}

#[tokio::test]
async fn the_overseer_sees_figures_not_secret_text() {
    let app = setup().await;
    let mut b = app.login("congan.tinh").await;
    let page = app.get(&mut b, "/commitments/province").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    for org in [
        "Văn phòng Tỉnh ủy Sơn Hà",
        "Sở Tài chính tỉnh Sơn Hà",
        "Công ty Cổ phần Cấp nước Sơn Hà",
    ] {
        assert!(html.contains(org), "{org} listed");
    }
    let secret = scalar(
        &app,
        "SELECT id FROM directives WHERE secrecy = 'mat' AND id > $1",
        0,
    )
    .await;
    let page = app.get(&mut b, &format!("/directives/{secret}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("05-QC/VPTU"));
    assert!(
        !html.contains("Danh mục bí mật nhà nước"),
        "the text stays hidden"
    );
    assert!(html.contains("[Văn bản mật]"));
    // The officer of the Office, not cleared either, sees the same; the library lists the
    // province's documents to every organisation.
    let mut s = app.login("quantri.truong").await;
    let list = app.get(&mut s, "/directives").await.text();
    assert!(list.contains("124/2021/TT-BCA") && list.contains("07/CT-BCA-V28"));
    assert!(
        !list.contains("05-QC/VPTU"),
        "another organisation's rules are not listed"
    );
}

#[tokio::test]
async fn openapi_names_the_operations() {
    let app = setup().await;
    let doc = app.api("GET", "/api/openapi.json", None, None).await.text();
    for op in [
        "createCommitmentCampaign",
        "signCommitment",
        "getCampaignCoverage",
        "acknowledgeDocument",
        "getDisseminationCoverage",
        "listCommitmentCampaigns",
        "listDisseminationCampaigns",
    ] {
        assert!(doc.contains(&format!("\"operationId\": \"{op}\"")), "{op}");
    }
}

/// A multipart form post with the session's cookies: text fields, then files.
fn multipart(
    b: &common::Browser,
    path: &str,
    fields: &[(&str, &str)],
    files: &[(&str, &str, &[u8])],
) -> axum::http::Request<axum::body::Body> {
    let boundary = "QwErTy";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    for (k, name, bytes) in files {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .as_bytes(),
        );
        body.extend(*bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").as_bytes());
    axum::http::Request::post(path)
        .header(
            "cookie",
            b.cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; "),
        )
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header("host", "localhost")
        .header("origin", "http://localhost")
        .body(axum::body::Body::from(body))
        .unwrap()
}

#[tokio::test]
async fn the_officer_adds_a_directive_and_launches_a_dissemination_with_a_quiz() {
    let app = setup().await;
    let office = scalar(
        &app,
        "SELECT id FROM units WHERE abbreviation = 'VPTU' AND kind = 'organisation' AND id > $1",
        0,
    )
    .await;
    let mut b = app.login("canbo.antt").await;
    let token = csrf_of(&app.get(&mut b, "/directives/new").await.text());
    let fields = [
        ("csrf", token.as_str()),
        ("owner", &office.to_string()),
        ("kind", "quy_che"),
        ("code", "11-QC/VPTU"),
        ("title", "Quy chế làm việc với báo chí"),
        ("issuer", "Văn phòng Tỉnh ủy Sơn Hà"),
        ("issued_on", "02/03/2026"),
        ("secrecy", "none"),
        ("body", "Điều 1. Phạm vi áp dụng."),
    ];
    // A file whose bytes are not what its name says: refused, nothing saved.
    let before = scalar(&app, "SELECT COUNT(*) FROM directives WHERE id > $1", 0).await;
    let r = app
        .send(multipart(
            &b,
            "/directives",
            &fields,
            &[("files", "quy-che.pdf", b"MZ\x90\x00")],
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("11-QC/VPTU"), "what was typed comes back");
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM directives WHERE id > $1", 0).await,
        before
    );
    let r = app
        .send(multipart(
            &b,
            "/directives",
            &fields,
            &[("files", "quy-che.pdf", b"%PDF-1.7 quy che")],
        ))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = app.get(&mut b, &r.location()).await;
    assert!(page.text().contains("quy-che.pdf"));
    let dir = scalar(
        &app,
        "SELECT id FROM directives WHERE code = '11-QC/VPTU' AND id > $1",
        0,
    )
    .await;
    let file = scalar(
        &app,
        "SELECT file_id FROM directive_files WHERE directive_id = $1",
        dir,
    )
    .await;
    let got = app
        .get(&mut b, &format!("/directives/{dir}/files/{file}"))
        .await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.body, b"%PDF-1.7 quy che");

    // A quiz without a marked answer is refused; a good one launches the campaign.
    let launch = |quiz: &'static str| {
        let dir = dir.to_string();
        let office = office.to_string();
        move |token: String| {
            form(&[
                ("csrf", &token),
                ("owner", &office),
                ("title", "Quán triệt Quy chế làm việc với báo chí"),
                ("documents", &dir),
                ("group", "all"),
                ("quiz", quiz),
                ("pass_mark", "100"),
                ("opens_on", &web::view::date(&web::view::today())),
                (
                    "deadline",
                    &web::view::date(&(web::view::today() + chrono::Days::new(10))),
                ),
            ])
        }
    };
    let token = csrf_of(&app.get(&mut b, "/dissemination/new").await.text());
    let r = app
        .post(
            &mut b,
            "/dissemination",
            launch("Ai phát ngôn?\nChánh Văn phòng\nBất kỳ ai")(token),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let token = csrf_of(&app.get(&mut b, "/dissemination/new").await.text());
    let r = app
        .post(
            &mut b,
            "/dissemination",
            launch("Ai phát ngôn?\n*Chánh Văn phòng\nBất kỳ ai")(token),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = app.get(&mut b, &r.location()).await.text();
    assert!(page.contains("11-QC/VPTU") && page.contains("Chỉ tiêu: 100%"));

    // nhanvien reads it: a wrong answer is refused, the right one counts.
    let id: i64 = r.location().rsplit('/').next().unwrap().parse().unwrap();
    let mut s = app.login("nhanvien").await;
    // The new campaign is on the reader's home page until confirmed.
    let waiting = to_read(&app.get(&mut s, "/").await.text());
    assert!(waiting >= 1, "the home page lists the campaign to read");
    let read = app
        .get(&mut s, &format!("/dissemination/{id}/read"))
        .await
        .text();
    assert!(read.contains("Ai phát ngôn?"));
    let q = read
        .split("name=\"q")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let seen = format!("{dir}:1");
    let path = format!("/dissemination/{id}/read");
    let qname = format!("q{q}");
    let r = app
        .submit(
            &mut s,
            &path,
            &path,
            &[("seen", &seen), (&qname, "1"), ("read", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("Chưa đạt"));
    let r = app
        .submit(
            &mut s,
            &path,
            &path,
            &[("seen", &seen), (&qname, "0"), ("read", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("Đã ghi nhận xác nhận"));
    assert_eq!(to_read(&app.get(&mut s, "/").await.text()), waiting - 1);
}

/// The number in the home page's "documents to read" line (0 when the line is absent).
fn to_read(home: &str) -> i64 {
    let Some(end) = home.find(" đợt quán triệt văn bản cần đọc") else {
        return 0;
    };
    let start = home[..end]
        .rfind("Bạn có ")
        .expect("the line starts with its count")
        + "Bạn có ".len();
    home[start..end].trim().parse().expect("a count")
}
