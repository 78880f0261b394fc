//! Demo registers: the Party Committee Office numbers per type within the Party committee's
//! term, the other organisations per calendar year (NĐ 30/2020), over last year and this one;
//! the Office also receives directives and plans from the provincial police, some assigned
//! and dealt with, and a few documents are marked Mật.
//!
//! Term configuration of the demo (values, not law): the Sơn Hà provincial Party congress for
//! 2020–2025 closed on 15/10/2020 and the one for 2025–2030 on 15/10/2025, so the current term
//! starts on 16/10/2025 and has no end yet.

use super::{IncomingInput, Level, OutgoingInput, Settings, Urgency, Viewer};
use crate::audit::{self, Actor, Event};
use crate::scope::{PartnerManage, PartnerView};
use crate::sql::SqlBuf;
use crate::units::{self, Unit};
use crate::{Db, Error, Result, Scope, now_ms};
use chrono::{Datelike, Days, NaiveDate};
use domain::text::search_text;
use serde_json::json;
use sqlx::Row;
use vanban::Term;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

/// Start of the demo Office's current term (day after the congress closed on 15/10/2025).
pub fn demo_term_start() -> NaiveDate {
    d(2025, 10, 16)
}

async fn org(db: &Db, abbreviation: &str) -> Result<Option<Unit>> {
    let row = sqlx::query("SELECT id FROM units WHERE kind = 'organisation' AND abbreviation = $1")
        .bind(abbreviation)
        .fetch_optional(db.pool())
        .await?;
    let Some(r) = row else { return Ok(None) };
    let province = units::province(db).await?.ok_or(Error::NotFound)?;
    let scope: Scope<PartnerView> = Scope::whole_system_for_cli(province.root());
    Ok(Some(units::get(db, &scope, r.try_get("id")?).await?))
}

/// (type, trích yếu pattern; `{}` takes the month and year).
const OUTGOING: &[(&str, &str)] = &[
    ("KH", "Kế hoạch bảo đảm an ninh, trật tự tháng {}"),
    (
        "BC",
        "Báo cáo kết quả công tác bảo vệ an ninh, trật tự tháng {}",
    ),
    ("TB", "Thông báo lịch trực bảo vệ cơ quan tháng {}"),
    ("CV", "Về việc phối hợp bảo vệ trụ sở cơ quan tháng {}"),
    (
        "KH",
        "Kế hoạch phòng cháy, chữa cháy và cứu nạn, cứu hộ tháng {}",
    ),
    (
        "BC",
        "Báo cáo tình hình phong trào Toàn dân bảo vệ an ninh Tổ quốc tháng {}",
    ),
];

/// Loads the demo registers once; does nothing if any register entry exists.
pub async fn load_demo(db: &Db) -> Result<()> {
    let count: i64 = sqlx::query("SELECT COUNT(*) AS n FROM register_entries")
        .fetch_one(db.pool())
        .await?
        .try_get("n")?;
    let Some(province) = units::province(db).await? else {
        return Ok(());
    };
    if count > 0 {
        return Ok(());
    }
    let scope: Scope<PartnerManage> = Scope::whole_system_for_cli(province.root());
    let actor = Actor::system("demo");
    let today = chrono::Utc::now().date_naive();
    let orgs: [(&str, Option<&str>, &str, &str, &str); 5] = [
        (
            "VPTU",
            Some("Tỉnh ủy Sơn Hà"),
            "Văn phòng",
            "Chánh Văn phòng",
            "Đặng Văn Thành",
        ),
        (
            "STC",
            Some("Ủy ban nhân dân\ntỉnh Sơn Hà"),
            "Sở Tài chính",
            "Giám đốc",
            "Trần Quốc Bảo",
        ),
        (
            "CAT",
            Some("Bộ Công an"),
            "Công an tỉnh Sơn Hà",
            "Giám đốc",
            "Nguyễn Văn Khải",
        ),
        (
            "CNSH",
            None,
            "Công ty Cổ phần Cấp nước Sơn Hà",
            "Tổng Giám đốc",
            "Lê Thị Mai",
        ),
        (
            "LQĐ",
            Some("Sở Giáo dục và Đào tạo\ntỉnh Sơn Hà"),
            "Trường THPT chuyên Lê Quý Đôn",
            "Hiệu trưởng",
            "Phạm Thu Hà",
        ),
    ];
    for (i, (abbr, parent, issuer, position, signer)) in orgs.iter().enumerate() {
        let Some(unit) = org(db, abbr).await? else {
            continue;
        };
        let settings = Settings {
            org_id: unit.id,
            place: "Sơn Hà".into(),
            parent_name: parent.map(Into::into),
            issuer_name: (*issuer).into(),
        };
        super::set_settings(db, &scope, &actor, &settings).await?;
        if *abbr == "VPTU" {
            let src_old =
                "Đại hội Đảng bộ tỉnh Sơn Hà lần thứ XX bế mạc ngày 15/10/2020 (cấu hình mẫu)";
            let src_new = "Đại hội Đảng bộ tỉnh Sơn Hà lần thứ XXI, nhiệm kỳ 2025–2030, bế mạc ngày 15/10/2025 (cấu hình mẫu)";
            super::add_term(
                db,
                &scope,
                &actor,
                unit.id,
                Term {
                    start: d(2020, 10, 16),
                    end: Some(d(2025, 10, 15)),
                },
                src_old,
            )
            .await?;
            super::add_term(
                db,
                &scope,
                &actor,
                unit.id,
                Term {
                    start: demo_term_start(),
                    end: None,
                },
                src_new,
            )
            .await?;
        }
        // Fewer documents for the smaller organisations.
        let step = if i < 2 { 9 } else { 23 };
        let mut day = d(2025, 1, 6);
        let mut k = 0usize;
        while day <= today {
            let (t, pattern) = OUTGOING[k % OUTGOING.len()];
            let month = format!("{}/{}", day.month(), day.year());
            let secret = k % 17 == 5;
            let input = OutgoingInput {
                org_id: unit.id,
                doc_type: t.into(),
                doc_date: Some(day),
                title: pattern.replace("{}", &month),
                content: Some(format!(
                    "{} theo chỉ đạo của cấp trên và tình hình thực tế tại cơ quan.",
                    pattern.replace("{}", &month)
                )),
                signer: (*signer).into(),
                signer_position: Some((*position).into()),
                recipients: vec![
                    "Công an tỉnh Sơn Hà".into(),
                    "Các phòng, đơn vị trực thuộc".into(),
                    "Lưu: VT".into(),
                ],
                drafting_unit: Some("VP".into()),
                keeper: Some("Văn thư; Phòng Hành chính - Tổ chức".into()),
                secrecy: Some(if secret { Level::Mat } else { Level::None }),
                urgency: Some(if k % 11 == 3 {
                    Urgency::Khan
                } else {
                    Urgency::None
                }),
                copies: 3 + (k % 5) as i64,
                ..OutgoingInput::default()
            };
            super::create_outgoing(db, &scope, &actor, &input).await?;
            if *abbr == "VPTU" && k % 25 == 7 {
                let nq = OutgoingInput {
                    doc_type: "NQ".into(),
                    title: format!(
                        "Nghị quyết của Chi bộ Văn phòng về lãnh đạo công tác bảo vệ chính trị nội bộ {}",
                        day.year()
                    ),
                    signer: "Đặng Văn Thành".into(),
                    signer_position: Some("Bí thư Chi bộ".into()),
                    secrecy: Some(Level::None),
                    urgency: Some(Urgency::None),
                    ..input.clone()
                };
                super::create_outgoing(db, &scope, &actor, &nq).await?;
            }
            day = day.checked_add_days(Days::new(step)).unwrap_or(today);
            k += 1;
        }
        if *abbr == "VPTU" {
            incoming_demo(db, &scope, &actor, &unit, today).await?;
        }
    }
    Ok(())
}

async fn incoming_demo(
    db: &Db,
    scope: &Scope<PartnerManage>,
    actor: &Actor,
    unit: &Unit,
    today: NaiveDate,
) -> Result<()> {
    let officer = sqlx::query("SELECT id FROM accounts WHERE username = 'canbo.antt'")
        .fetch_optional(db.pool())
        .await?;
    let officer: Option<i64> = officer.map(|r| r.try_get("id")).transpose()?;
    let viewer = Viewer {
        clearance: Level::TuyetMat,
    };
    let mut day = d(2025, 1, 10);
    let mut k = 0i64;
    while day <= today {
        let (t, title) = match k % 3 {
            0 => (
                "CT",
                "Chỉ thị về tăng cường bảo đảm an ninh, trật tự trong dịp cao điểm",
            ),
            1 => ("KH", "Kế hoạch phối hợp bảo vệ trụ sở các cơ quan Đảng"),
            _ => (
                "CV",
                "Về việc rà soát, kiểm tra công tác bảo vệ bí mật nhà nước",
            ),
        };
        let code = if t == "CV" {
            format!("{}/CAT-PA03", 100 + k * 7)
        } else {
            format!("{}/{t}-CAT", 10 + k * 3)
        };
        let sender_date = day.checked_sub_days(Days::new(2));
        let input = IncomingInput {
            org_id: unit.id,
            doc_type: t.into(),
            sender: "Công an tỉnh Sơn Hà".into(),
            sender_number: code,
            sender_date,
            received_on: Some(day),
            title: format!("{title} ({}/{})", day.month(), day.year()),
            signer: Some("Nguyễn Văn Khải".into()),
            secrecy: Some(if k % 7 == 4 { Level::Mat } else { Level::None }),
            urgency: Some(if k % 5 == 1 {
                Urgency::ThuongKhan
            } else {
                Urgency::None
            }),
            copies: 1,
            due_on: day.checked_add_days(Days::new(15)),
            note: None,
            confirm_duplicate: false,
        };
        let saved = super::register_incoming(db, scope, actor, &input).await?;
        if let Some(officer) = officer {
            let older = (today - day).num_days() > 20;
            if k % 4 != 3 {
                super::assign(
                    db,
                    scope,
                    &viewer,
                    actor,
                    saved.id,
                    officer,
                    day,
                    input.due_on,
                    Some("Chủ trì tham mưu thực hiện".into()),
                )
                .await?;
                if older {
                    let next = day.checked_add_days(Days::new(5)).unwrap_or(day);
                    super::add_step(
                        db,
                        scope,
                        &viewer,
                        actor,
                        saved.id,
                        next,
                        "Đã dự thảo văn bản triển khai, trình lãnh đạo Văn phòng",
                    )
                    .await?;
                    let done = day.checked_add_days(Days::new(12)).unwrap_or(day);
                    super::mark_done(
                        db,
                        scope,
                        &viewer,
                        actor,
                        saved.id,
                        done,
                        Some("Đã triển khai, lưu hồ sơ".into()),
                    )
                    .await?;
                }
            }
        }
        day = day.checked_add_days(Days::new(16)).unwrap_or(today);
        k += 1;
    }
    Ok(())
}

/// Fills an organisation's outgoing register with `n` synthetic issued documents spread over
/// `years`, in register order, for benchmarks; one audit entry records the batch.
pub async fn bulk_generate(
    db: &Db,
    org_id: i64,
    n: usize,
    first_year: i32,
    years: i32,
) -> Result<()> {
    let org_row = sqlx::query("SELECT path, abbreviation FROM units WHERE id = $1")
        .bind(org_id)
        .fetch_one(db.pool())
        .await?;
    let path: String = org_row.try_get("path")?;
    let abbr: String = org_row
        .try_get::<Option<String>, _>("abbreviation")?
        .unwrap_or_else(|| "CQ".into());
    let per_year = n.div_ceil(years.max(1) as usize);
    let types = ["KH", "BC", "TB", "QĐ", "TTr", "PA"];
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let mut i = 0usize;
    while i < n {
        let mut sql = SqlBuf::new(
            "INSERT INTO register_entries (org_id, unit_path, direction, doc_type, number, ky_hieu, period_start, series, \
             manual, doc_date, title, title_folded, signer, secrecy, secrecy_rank, urgency, copies, status, created_at, updated_at) VALUES ",
        );
        for j in 0..500.min(n - i) {
            let idx = i + j;
            let year = first_year + (idx / per_year) as i32;
            let number = (idx % per_year) as i64 + 1;
            let day_of_year = (number as usize * 360 / per_year).min(359) as u64;
            let date = d(year, 1, 1)
                .checked_add_days(Days::new(day_of_year))
                .unwrap_or_default();
            let t = types[idx % types.len()];
            let title = format!(
                "{} về công tác bảo đảm an ninh, trật tự số {idx} khu vực {}",
                vanban::DocumentType::parse(t)
                    .map(|t| t.name())
                    .unwrap_or(t),
                idx % 97
            );
            let secret = idx.is_multiple_of(50);
            if j > 0 {
                sql.push(", ");
            }
            sql.push("(")
                .arg_i64(org_id)
                .push(",")
                .arg_text(&path)
                .push(",'outgoing',")
                .arg_text(t)
                .push(",")
                .arg_i64(number);
            sql.push(",")
                .arg_text(&format!("{number:02}/{t}-{abbr}"))
                .push(",")
                .arg_text(&format!("{year}-01-01"))
                .push(",'all',0,");
            sql.push("")
                .arg_text(&date.to_string())
                .push(",")
                .arg_text(&title)
                .push(",")
                .arg_text(&search_text([title.as_str()]));
            sql.push(",'Nguyễn Văn A',")
                .arg_text(if secret { "mat" } else { "none" })
                .push(",")
                .arg_i64(i64::from(secret));
            sql.push(",'none',1,'issued',")
                .arg_i64(now)
                .push(",")
                .arg_i64(now)
                .push(")");
        }
        sql.query().execute(&mut *tx).await?;
        i += 500.min(n - i);
    }
    let ev = Event {
        action: "register.bulk",
        object_kind: "unit",
        object_id: org_id.to_string(),
        unit_path: Some(path),
        details: json!({ "count": n }),
    };
    audit::append(&mut tx, &Actor::system("bench"), ev).await?;
    tx.commit().await?;
    // Fresh statistics, as the province generator leaves them, so that the first queries
    // are planned for a register of this size.
    sqlx::query("ANALYZE register_entries")
        .execute(db.pool())
        .await?;
    Ok(())
}
