//! The staff list as Excel: export (read back with calamine), the template, and the import
//! with its all-or-nothing rule and row-by-row report, through the router.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use calamine::{Data, Reader, Xlsx};
use common::{Browser, Resp, TestApp, csrf_of};
use store::Scope;
use store::scope::PersonView;

async fn whole(app: &TestApp) -> Scope<PersonView> {
    let p = store::units::province(&app.t.db).await.unwrap().unwrap();
    Scope::whole_system_for_cli(p.root())
}

async fn total(app: &TestApp) -> i64 {
    let s = whole(app).await;
    store::people::count_matching(
        &app.t.db,
        &s,
        &store::people::ListQuery {
            limit: 1,
            ..Default::default()
        },
    )
    .await
    .unwrap()
}

async fn office_count(app: &TestApp) -> i64 {
    let s = whole(app).await;
    let office = store::units::options(&app.t.db, &s, 1000)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.name == "Văn phòng Tỉnh ủy Sơn Hà")
        .unwrap();
    let q = store::people::ListQuery {
        unit_id: Some(office.id),
        limit: 1,
        ..Default::default()
    };
    store::people::count_matching(&app.t.db, &s, &q)
        .await
        .unwrap()
}

async fn last_audit(app: &TestApp) -> store::audit::Entry {
    let (seq, _) = store::audit::head(&app.t.db).await.unwrap();
    store::audit::entry(&app.t.db, seq).await.unwrap().unwrap()
}

fn cookie(b: &Browser) -> String {
    b.cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ")
}

fn sheet_rows(bytes: &[u8]) -> Vec<Vec<Data>> {
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec()))
        .expect("a valid workbook");
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    range.rows().map(|r| r.to_vec()).collect()
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// A workbook with one sheet: a title row, then `rows`. A cell written `date:YYYY-MM-DD`
/// becomes an Excel date cell, `num:N` a number cell.
fn book(rows: &[&[&str]]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let date = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    ws.write_string(0, 0, "DANH SÁCH CÁN BỘ PHÒNG TỔNG HỢP")
        .unwrap();
    for (i, row) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        for (j, cell) in row.iter().enumerate() {
            let c = j as u16;
            if let Some(d) = cell.strip_prefix("date:") {
                let x = rust_xlsxwriter::ExcelDateTime::parse_from_str(d).unwrap();
                ws.write_datetime_with_format(r, c, &x, &date).unwrap();
            } else if let Some(n) = cell.strip_prefix("num:") {
                ws.write_number(r, c, n.parse::<f64>().unwrap()).unwrap();
            } else if !cell.is_empty() {
                ws.write_string(r, c, *cell).unwrap();
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

const HEADER: &[&str] = &[
    "STT",
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Chức vụ",
    "Đơn vị",
    "Số điện thoại",
    "Email",
    "Đảng viên",
    "Tự vệ",
    "PCCC",
];

fn multipart(csrf: &str, file_name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let b = "antoan-test-boundary-41c7";
    let mut body = Vec::with_capacity(bytes.len() + 512);
    body.extend_from_slice(
        format!("--{b}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(
        format!("--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={b}"), body)
}

async fn upload_with(app: &TestApp, b: &mut Browser, csrf: &str, name: &str, bytes: &[u8]) -> Resp {
    let (ct, body) = multipart(csrf, name, bytes);
    let req = Request::post("/people/import")
        .header(header::COOKIE, cookie(b))
        .header(header::CONTENT_TYPE, ct)
        .header(header::HOST, "localhost")
        .header(header::ORIGIN, "http://localhost")
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

async fn upload(app: &TestApp, b: &mut Browser, name: &str, bytes: &[u8]) -> Resp {
    let page = app.get(b, "/people/import").await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = csrf_of(&page.text());
    upload_with(app, b, &csrf, name, bytes).await
}

#[tokio::test]
async fn export_gives_the_scope_as_a_workbook_and_is_audited() {
    let app = TestApp::new().await;
    let mut b = app.login("canbo.antt").await;
    let r = app.get(&mut b, "/people/export.xlsx").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(
        r.headers[header::CONTENT_TYPE],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let cd = r.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cd.starts_with("attachment; filename=\"danh-sach-can-bo-")
            && cd.contains("filename*=UTF-8''Danh%20s%C3%A1ch%20c%C3%A1n%20b%E1%BB%99"),
        "{cd}"
    );
    let rows = sheet_rows(&r.body);
    assert_eq!(text(&rows[0][0]), "DANH SÁCH CÁN BỘ, NHÂN VIÊN");
    let header: Vec<String> = rows[3].iter().map(text).collect();
    assert_eq!(
        header,
        [
            "STT",
            "Họ và tên",
            "Giới tính",
            "Ngày sinh",
            "Chức vụ",
            "Đơn vị",
            "Điện thoại",
            "Thư điện tử",
            "Đảng viên",
            "Tự vệ",
            "PCCC",
            "Trạng thái"
        ]
    );
    let data = &rows[4..];
    assert_eq!(
        data.len() as i64,
        office_count(&app).await,
        "every person of the Office, across pages"
    );
    let names: Vec<String> = data.iter().map(|r| text(&r[1])).collect();
    assert!(
        names.contains(&"Nguyễn Văn Đức".to_owned()) && !names.contains(&"Võ Thị Lan".to_owned())
    );
    let keys: Vec<String> = names
        .iter()
        .map(|n| domain::text::NameParts::split(n).sort_key())
        .collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]), "in name order");
    let duc = data.iter().find(|r| text(&r[1]) == "Lê Minh Đức").unwrap();
    assert!(
        matches!(duc[3], Data::DateTime(_)),
        "birth dates are Excel dates: {:?}",
        duc[3]
    );
    assert_eq!(text(&duc[8]), "x");
    assert_eq!(text(&duc[11]), "Đang công tác");
    assert!(
        text(&duc[6]).starts_with("09"),
        "phones keep their leading zero"
    );
    let e = last_audit(&app).await;
    assert_eq!(e.action, "person.export");
    assert_eq!(e.actor_name, "canbo.antt");
    assert!(
        e.details.contains(&format!("\"rows\":{}", data.len())),
        "{}",
        e.details
    );
    // One unit only.
    let s = whole(&app).await;
    let th = store::units::options(&app.t.db, &s, 1000)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.name == "Phòng Tổng hợp")
        .unwrap();
    let r = app
        .get(&mut b, &format!("/people/export.xlsx?unit={}", th.id))
        .await;
    let rows = sheet_rows(&r.body);
    assert!(rows[4..].iter().all(|r| text(&r[5]) == "Phòng Tổng hợp"));
    assert!(rows.len() > 5 && rows.len() < 30);
    // Outside the scope: not found, and nothing recorded.
    let mut school = app.login("quantri.truong").await;
    let before = store::audit::head(&app.t.db).await.unwrap().0;
    assert_eq!(
        app.get(&mut school, &format!("/people/export.xlsx?unit={}", th.id))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        store::audit::head(&app.t.db).await.unwrap().0,
        before,
        "a refused export is not recorded"
    );
}

#[tokio::test]
async fn a_good_file_imports_every_row_in_one_go() {
    let app = TestApp::new().await;
    let mut b = app.login("canbo.antt").await;
    let before = total(&app).await;
    let file = book(&[
        HEADER,
        &[
            "1",
            "Trần Thị Bích Ngọc",
            "Nữ",
            "05/06/1990",
            "Chuyên viên",
            "Phòng Tổng hợp",
            "0912 345 678",
            "ngoc@sonha.gov.vn",
            "x",
            "",
            "",
        ],
        &[
            "2",
            "Phan Văn Khải",
            "Nam",
            "date:1985-03-25",
            "Chuyên viên chính",
            "phong tong hop",
            "num:987654321",
            "",
            "Có",
            "x",
            "1",
        ],
        &[
            "3",
            "Lý Thị Mỹ Duyên",
            "nu",
            "",
            "",
            "Tổ Bảo vệ",
            "",
            "",
            "",
            "",
            "x",
        ],
    ]);
    let r = upload(&app, &mut b, "Danh sách phòng.xlsx", &file).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.location(), "/people?done=imported&n=3");
    assert_eq!(total(&app).await, before + 3);
    let list = app.get(&mut b, &r.location()).await.text();
    assert!(list.contains("Đã nhập 3 cán bộ"), "{list}");
    let found = app.get(&mut b, "/people?q=phan+van+khai").await.text();
    assert!(found.contains("Phan Văn Khải"));
    let s = whole(&app).await;
    let q = store::people::ListQuery {
        q: Some("Phan Văn Khải".into()),
        limit: 5,
        ..Default::default()
    };
    let p = store::people::list(&app.t.db, &s, &q)
        .await
        .unwrap()
        .items
        .remove(0);
    assert_eq!(p.birth_date, chrono::NaiveDate::from_ymd_opt(1985, 3, 25));
    assert_eq!(
        p.phone.as_deref(),
        Some("0987654321"),
        "the zero Excel dropped is back"
    );
    assert!(p.party_member && p.self_defence && p.fire_force);
    assert_eq!(p.unit_name, "Phòng Tổng hợp");
    let e = last_audit(&app).await;
    assert_eq!(e.action, "person.import");
    assert!(e.details.contains("Danh sách phòng.xlsx"));
}

/// Uploads a file that must be refused, and checks that nothing was imported.
async fn refused(
    app: &TestApp,
    b: &mut Browser,
    bytes: &[u8],
    status: StatusCode,
    expect: &[&str],
) -> String {
    let before = total(app).await;
    let r = upload(app, b, "ds.xlsx", bytes).await;
    assert_eq!(r.status, status, "{}", r.text());
    let html = r.text();
    assert!(html.contains("Chưa nhập dữ liệu"), "{html}");
    for e in expect {
        assert!(html.contains(e), "expected «{e}» in:\n{html}");
    }
    assert_eq!(total(app).await, before, "nothing imported");
    html
}

#[tokio::test]
async fn wrong_columns_an_empty_sheet_and_non_excel_files_are_refused() {
    let app = TestApp::new().await;
    let mut b = app.login("canbo.antt").await;
    let no_gender = book(&[
        &["Họ và tên", "Ngày sinh", "Chức vụ"],
        &["Trần Văn Tú", "01/01/1990", "Chuyên viên"],
    ]);
    refused(
        &app,
        &mut b,
        &no_gender,
        StatusCode::UNPROCESSABLE_ENTITY,
        &["Không tìm thấy cột bắt buộc: Giới tính, Đơn vị"],
    )
    .await;
    let no_header = book(&[&["a", "b"], &["c", "d"]]);
    refused(
        &app,
        &mut b,
        &no_header,
        StatusCode::UNPROCESSABLE_ENTITY,
        &["Họ và tên, Giới tính, Đơn vị"],
    )
    .await;
    let empty = book(&[HEADER]);
    refused(
        &app,
        &mut b,
        &empty,
        StatusCode::UNPROCESSABLE_ENTITY,
        &["không có dữ liệu cán bộ"],
    )
    .await;
    refused(
        &app,
        &mut b,
        b"Ho va ten,Gioi tinh\nAn,Nam\n",
        StatusCode::UNPROCESSABLE_ENTITY,
        &["không phải là tệp Excel .xlsx"],
    )
    .await;
    // A ZIP that is not a workbook (a Word document, say) is no better.
    let mut zip_like = b"PK\x03\x04".to_vec();
    zip_like.extend_from_slice(&[0u8; 200]);
    refused(
        &app,
        &mut b,
        &zip_like,
        StatusCode::UNPROCESSABLE_ENTITY,
        &["không phải là tệp Excel .xlsx"],
    )
    .await;
}

#[tokio::test]
async fn bad_dates_and_one_bad_row_among_good_ones_import_nothing() {
    let app = TestApp::new().await;
    let mut b = app.login("canbo.antt").await;
    let file = book(&[
        HEADER,
        &[
            "1",
            "Trần Thị Bích Ngọc",
            "Nữ",
            "05/06/1990",
            "",
            "Phòng Tổng hợp",
            "",
            "",
            "",
            "",
            "",
        ],
        &[
            "2",
            "Phan Văn Khải",
            "Nam",
            "31/02/1985",
            "",
            "Phòng Tổng hợp",
            "",
            "",
            "",
            "",
            "",
        ],
        &[
            "3",
            "Lý Thị Mỹ Duyên",
            "Nữ",
            "01/01/2020",
            "",
            "Phòng Tổng hợp",
            "",
            "",
            "",
            "",
            "",
        ],
        &[
            "4",
            "Hồ Văn Tâm",
            "Nam",
            "",
            "",
            "Phòng Tổng hợp",
            "12345",
            "",
            "",
            "",
            "",
        ],
        &[
            "5",
            "Ngô Thị Hoa",
            "Nữ",
            "",
            "",
            "Phòng Không Có",
            "",
            "",
            "có lẽ",
            "",
            "",
        ],
    ]);
    let html = refused(
        &app,
        &mut b,
        &file,
        StatusCode::UNPROCESSABLE_ENTITY,
        &[
            "<td data-label=\"Dòng\">4</td><td data-label=\"Cột\">D (Ngày sinh)</td><td data-label=\"Lỗi\">Ngày không hợp lệ",
            "<td data-label=\"Dòng\">5</td><td data-label=\"Cột\">D (Ngày sinh)</td><td data-label=\"Lỗi\">Ngày sinh không hợp lệ",
            "<td data-label=\"Dòng\">6</td><td data-label=\"Cột\">G (Số điện thoại)</td>",
            "Không có đơn vị tên này",
            "Chỉ ghi x, Có, 1",
        ],
    )
    .await;
    assert!(
        !html.contains("data-label=\"Dòng\">3<"),
        "the good row has no problem"
    );
    // In English the report speaks English.
    let _ = app.get(&mut b, "/lang/en?next=/people/import").await;
    let r = upload(&app, &mut b, "ds.xlsx", &file).await;
    assert!(
        r.text().contains("Date is not valid") && r.text().contains("Nothing was imported"),
        "{}",
        r.text()
    );
}

#[tokio::test]
async fn duplicates_in_the_file_or_in_the_organisation_import_nothing() {
    let app = TestApp::new().await;
    let mut b = app.login("canbo.antt").await;
    let s = whole(&app).await;
    let q = store::people::ListQuery {
        q: Some("Nguyễn Văn Đức".into()),
        limit: 5,
        ..Default::default()
    };
    let duc = store::people::list(&app.t.db, &s, &q)
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|p| p.full_name == "Nguyễn Văn Đức")
        .unwrap();
    let birth = duc.birth_date.unwrap().format("%d/%m/%Y").to_string();
    let file = book(&[
        HEADER,
        &[
            "1",
            "Trần Thị Bích Ngọc",
            "Nữ",
            "05/06/1990",
            "",
            "Phòng Tổng hợp",
            "",
            "",
            "",
            "",
            "",
        ],
        &[
            "2",
            "Tran Thi Bich Ngoc",
            "Nữ",
            "05/06/1990",
            "",
            "Phòng Hành chính - Tổ chức",
            "",
            "",
            "",
            "",
            "",
        ],
        // Written without diacritics, in another department: still the same person.
        &[
            "3",
            "Nguyen Van Duc",
            "Nam",
            &birth,
            "",
            "Phòng Lưu trữ",
            "",
            "",
            "",
            "",
            "",
        ],
    ]);
    refused(
        &app,
        &mut b,
        &file,
        StatusCode::UNPROCESSABLE_ENTITY,
        &[
            "Tran Thi Bich Ngoc: trùng họ tên và ngày sinh với dòng 3 của tệp",
            "<td data-label=\"Dòng\">5</td><td data-label=\"Cột\">B (Họ và tên)</td><td data-label=\"Lỗi\">Nguyen Van Duc: cán bộ cùng họ tên và ngày sinh đã có trong cơ quan",
        ],
    )
    .await;
}

#[tokio::test]
async fn an_oversized_upload_gets_a_clear_answer() {
    let app = TestApp::new().await;
    let mut b = app.login("canbo.antt").await;
    let mut big = b"PK\x03\x04".to_vec();
    big.resize(50 * 1024 * 1024, b'A');
    refused(
        &app,
        &mut b,
        &big,
        StatusCode::PAYLOAD_TOO_LARGE,
        &["Tệp quá lớn: tối đa 5 MB"],
    )
    .await;
    let mut six = b"PK\x03\x04".to_vec();
    six.resize(6 * 1024 * 1024, b'A');
    refused(
        &app,
        &mut b,
        &six,
        StatusCode::PAYLOAD_TOO_LARGE,
        &["Tệp quá lớn"],
    )
    .await;
}

#[tokio::test]
async fn the_template_is_a_workbook_the_importer_reads() {
    let app = TestApp::new().await;
    let mut b = app.login("canbo.antt").await;
    let r = app.get(&mut b, "/people/import/template.xlsx").await;
    assert_eq!(r.status, StatusCode::OK);
    let rows = sheet_rows(&r.body);
    let header: Vec<String> = rows[3].iter().map(text).collect();
    assert_eq!(&header[..4], ["STT", "Họ và tên", "Giới tính", "Ngày sinh"]);
    // Filled in and uploaded, the template's own layout is understood.
    let book: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(r.body.clone())).unwrap();
    assert_eq!(book.sheet_names().len(), 2, "the list and the instructions");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (j, h) in header.iter().enumerate() {
        ws.write_string(3, j as u16, h).unwrap();
    }
    ws.write_string(4, 1, "Đinh Công Tráng").unwrap();
    ws.write_string(4, 2, "Nam").unwrap();
    ws.write_string(4, 5, "Tổ Lái xe").unwrap();
    let before = total(&app).await;
    let r = upload(&app, &mut b, "mau.xlsx", &wb.save_to_buffer().unwrap()).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(total(&app).await, before + 1);
    // Without the session's token the upload is refused.
    let r = upload_with(&app, &mut b, "forged", "mau.xlsx", &book_bytes()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(total(&app).await, before + 1);
    // Staff may not import.
    let mut staff = app.login("nhanvien").await;
    assert_eq!(
        app.get(&mut staff, "/people/import/template.xlsx")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

fn book_bytes() -> Vec<u8> {
    book(&[
        HEADER,
        &[
            "1",
            "Mai Văn Lộc",
            "Nam",
            "",
            "",
            "Tổ Lái xe",
            "",
            "",
            "",
            "",
            "",
        ],
    ])
}
