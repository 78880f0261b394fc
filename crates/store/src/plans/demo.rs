//! Demo plans of the Office: last year's Tết plan (issued, carried out and closed with its
//! after-action report), this year's coming peaks with an approved plan for the nearest one,
//! an inspection visit coming without a plan yet, and an account for the provincial police as
//! a partner. Dates follow the day the demo is loaded, so the demo always has a past Tết and
//! coming peaks.
//!
//! Runs after the registers demo (it needs the Office's register settings and numbering).

use super::peaks::window;
use super::{NewPlan, Origin};
use crate::accounts::{self, NewAccount};
use crate::audit::{self, Actor, Event};
use crate::registers::{self, Level, OutgoingInput, Viewer};
use crate::scope::{PlanApprove, PlanManage};
use crate::{Db, Result, Scope, now_ms, units};
use chrono::{Datelike, Days, NaiveDate};
use serde_json::json;
use sqlx::Row;

/// Username of the demo account acting for the provincial police.
pub const PARTNER_USERNAME: &str = "doitac.congan";

async fn account_id(db: &Db, username: &str) -> Result<Option<i64>> {
    Ok(sqlx::query("SELECT id FROM accounts WHERE username = $1")
        .bind(username)
        .fetch_optional(db.pool())
        .await?
        .map(|r| r.try_get("id"))
        .transpose()?)
}

async fn actor(db: &Db, username: &str) -> Result<Actor> {
    Ok(Actor {
        account_id: account_id(db, username).await?,
        name: username.to_owned(),
        ip: None,
    })
}

/// Loads the demo plans once (nothing happens when plans exist or the Office is missing).
pub async fn load_demo(db: &Db, today: NaiveDate) -> Result<()> {
    let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM plans")
        .fetch_one(db.pool())
        .await?
        .try_get("n")?;
    let Some(province) = units::province(db).await? else {
        return Ok(());
    };
    let office =
        sqlx::query("SELECT id FROM units WHERE abbreviation = 'VPTU' AND kind = 'organisation'")
            .fetch_optional(db.pool())
            .await?;
    let (0, Some(office)) = (n, office) else {
        return Ok(());
    };
    let org_id: i64 = office.try_get("id")?;
    let manage: Scope<PlanManage> = Scope::whole_system_for_cli(province.root());
    let approve: Scope<PlanApprove> = Scope::whole_system_for_cli(province.root());
    let viewer = Viewer {
        clearance: Level::TuyetMat,
    };
    let officer = actor(db, "canbo.antt").await?;
    let leader = actor(db, "lanhdao").await?;

    // Last year's Tết: the most recent Tết window that has ended.
    let y = today.year();
    let last_tet = if window("tet", y)?.end < today {
        y
    } else {
        y - 1
    };
    let w = window("tet", last_tet)?;
    let id = super::create(
        db,
        &manage,
        &viewer,
        &officer,
        &NewPlan {
            org_id,
            peak_id: Some("tet".into()),
            event_id: None,
            year: last_tet,
            origin: Origin::Template,
        },
    )
    .await?;
    super::submit(db, &manage, &viewer, &officer, id, today).await?;
    let issued_on = w.start - Days::new(12);
    issue_on_paper(db, org_id, id, issued_on, &leader).await?;
    super::start(db, &manage, &viewer, &officer, id, today).await?;
    let report = format!(
        "Trong thời gian cao điểm Tết từ {} đến {}, lực lượng bảo vệ duy trì trực 24/24 giờ, \
         không để xảy ra mất an ninh, trật tự, cháy nổ tại trụ sở. Tiểu đội cảnh sát bảo vệ mục tiêu \
         phối hợp tốt; lực lượng tự vệ trực đủ quân số. Tồn tại: một bình chữa cháy khu nhà B quá hạn \
         kiểm định, đã thay. Đề xuất: bổ sung camera cổng phụ trước cao điểm năm sau.",
        w.start.format("%d/%m/%Y"),
        w.end.format("%d/%m/%Y")
    );
    super::close(db, &manage, &viewer, &officer, id, &report, today).await?;

    // The nearest coming calendar peak gets an approved plan.
    let mut coming = Vec::new();
    for year in [y, y + 1] {
        for p in lich::Calendar::standard()
            .map_err(|_| crate::Error::Invalid("err.plan_peak"))?
            .peak_periods(year)
            .map_err(|_| crate::Error::Invalid("err.plan_peak"))?
        {
            if p.start > today && p.id != "tet" {
                coming.push((p.start, p.id, year));
            }
        }
    }
    coming.sort();
    if let Some((_, peak, year)) = coming.into_iter().next() {
        let id = super::create(
            db,
            &manage,
            &viewer,
            &officer,
            &NewPlan {
                org_id,
                peak_id: Some(peak),
                event_id: None,
                year,
                origin: Origin::Template,
            },
        )
        .await?;
        super::submit(db, &manage, &viewer, &officer, id, today).await?;
        super::approve(db, &approve, &viewer, &leader, id, None, today).await?;
    }

    // An inspection visit in ten days with no plan yet: the home page asks for one.
    let visit_on = today + Days::new(10);
    crate::events::create(
        db,
        &Scope::whole_system_for_cli(province.root()),
        &officer,
        &crate::events::EventInput {
            unit_id: org_id,
            title: "Đón Đoàn kiểm tra công tác bảo vệ chính trị nội bộ của Ban Thường vụ Tỉnh ủy"
                .into(),
            kind: crate::events::EventKind::Visit,
            starts_on: visit_on,
            ends_on: visit_on + Days::new(1),
            location: Some("Trụ sở Tỉnh ủy".into()),
            note: None,
        },
    )
    .await?;

    // The provincial police sees the plans naming it.
    let police = sqlx::query(
        "SELECT pa.id FROM partners pa JOIN units u ON u.id = pa.owner_unit_id \
         WHERE u.parent_id IS NULL AND pa.kind = 'police' ORDER BY pa.id LIMIT 1",
    )
    .fetch_optional(db.pool())
    .await?;
    if let Some(p) = police
        && account_id(db, PARTNER_USERNAME).await?.is_none()
    {
        let partner_id: i64 = p.try_get("id")?;
        let system = Actor::system("demo");
        let mut tx = db.begin_write().await?;
        accounts::insert(
            &mut tx,
            &system,
            &NewAccount {
                username: PARTNER_USERNAME.into(),
                display_name: "Phòng An ninh chính trị nội bộ, Công an tỉnh Sơn Hà".into(),
                person_id: None,
                password: crate::demo::DEMO_PASSWORD.into(),
            },
            None,
        )
        .await?;
        tx.commit().await?;
        let scope = Scope::whole_system_for_cli(province.root());
        super::partner::link(db, &scope, &system, partner_id, PARTNER_USERNAME).await?;
    }
    Ok(())
}

/// Approves a submitted plan as it was done on paper on `day`: the number was given then, so
/// it is registered as a number given by hand (after every number of its series), which is
/// how the register records documents numbered before they were entered.
async fn issue_on_paper(
    db: &Db,
    org_id: i64,
    id: i64,
    day: NaiveDate,
    leader: &Actor,
) -> Result<()> {
    let org = units::by_id(db, org_id).await?;
    let plan = sqlx::query("SELECT title, doc_type FROM plans WHERE id = $1")
        .bind(id)
        .fetch_one(db.pool())
        .await?;
    let mut tx = db.begin_write().await?;
    let last: Option<i64> = sqlx::query(
        "SELECT MAX(number) AS n FROM register_entries WHERE org_id = $1 AND direction = 'outgoing' AND doc_date >= $2 AND doc_date <= $3",
    )
    .bind(org_id)
    .bind(format!("{}-01-01", day.year()))
    .bind(format!("{}-12-31", day.year()))
    .fetch_one(&mut *tx)
    .await?
    .try_get("n")?;
    let input = OutgoingInput {
        org_id,
        doc_type: plan.try_get("doc_type")?,
        doc_date: Some(day),
        title: plan.try_get("title")?,
        signer: "Đặng Văn Thành".into(),
        signer_position: Some("Chánh Văn phòng".into()),
        recipients: vec![
            "Công an tỉnh Sơn Hà".into(),
            "Bộ Chỉ huy Quân sự tỉnh Sơn Hà".into(),
            "Lưu: VT".into(),
        ],
        copies: 5,
        manual_number: Some(last.unwrap_or(0) + 1),
        confirm_duplicate: true,
        ..OutgoingInput::default()
    };
    let saved = registers::issue_in_tx(&mut tx, &org, leader, &input).await?;
    sqlx::query(
        "UPDATE plans SET state = 'approved', register_entry_id = $1, approved_by = $2, \
         approved_name = 'Đặng Văn Thành', approved_at = $3 WHERE id = $4",
    )
    .bind(saved.id)
    .bind(leader.account_id)
    .bind(now_ms())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO plan_history (plan_id, from_state, to_state, actor_name, note, at) \
         VALUES ($1, 'submitted', 'approved', $2, $3, $4)",
    )
    .bind(id)
    .bind(&leader.name)
    .bind(format!("Ký ban hành ngày {}", day.format("%d/%m/%Y")))
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    audit::append(
        &mut tx,
        leader,
        Event {
            action: "plan.approve",
            object_kind: "plan",
            object_id: id.to_string(),
            unit_path: Some(org.path.clone()),
            details: json!({ "from": "submitted", "to": "approved", "number": saved.number,
                "ky_hieu": saved.ky_hieu, "register_entry": saved.id, "issued_on": day.to_string() }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
