//! The movement's demo data: the province's legal bases and the Office's own rules in the
//! library; this year's commitment campaign of the Office, open with about two thirds of its
//! staff signed (never `nhanvien`, who is left with one to sign), last year's closed; a
//! dissemination campaign of Thông tư 124/2021 under way in the Office; and a campaign of each
//! other organisation so that the overseer's province view has figures side by side.
//!
//! Everything goes through the same functions the pages call, so signatures carry receipts and
//! audit entries like real ones.

use super::{CampaignInput, close, create, sign};
use crate::audit::Actor;
use crate::directives::{self, DirectiveInput};
use crate::dissemination::{self, Group, QuestionInput};
use crate::registers::Level;
use crate::{Db, Result, Scope, units};
use chrono::{Datelike, Days, NaiveDate};
use sqlx::Row;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid demo date")
}

/// The commitment text of the demo campaigns.
pub const DEMO_BODY: &str = "Tôi xin cam kết thực hiện tốt các nội dung sau:\n\n\
1. Chấp hành nghiêm chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước; nội quy, quy chế của cơ quan.\n\n\
2. Thực hiện tốt công tác bảo vệ bí mật nhà nước, bảo vệ chính trị nội bộ; không lưu giữ, phát tán thông tin sai sự thật, thông tin xấu, độc trên không gian mạng.\n\n\
3. Tích cực tham gia phong trào Toàn dân bảo vệ an ninh Tổ quốc; phát hiện, báo cáo kịp thời với lãnh đạo cơ quan và Công an các hành vi vi phạm pháp luật.\n\n\
4. Chấp hành các quy định về phòng cháy, chữa cháy, an toàn giao thông; không vi phạm tệ nạn xã hội.\n\n\
Nếu vi phạm, tôi xin chịu hoàn toàn trách nhiệm trước cơ quan và trước pháp luật.";

async fn org(db: &Db, abbr: &str) -> Result<units::Unit> {
    let id: i64 =
        sqlx::query("SELECT id FROM units WHERE abbreviation = $1 AND kind = 'organisation'")
            .bind(abbr)
            .fetch_one(db.pool())
            .await?
            .try_get("id")?;
    units::by_id(db, id).await
}

async fn working(db: &Db, org_id: i64) -> Result<Vec<i64>> {
    let rows =
        sqlx::query("SELECT id FROM people WHERE org_id = $1 AND status = 'working' ORDER BY id")
            .bind(org_id)
            .fetch_all(db.pool())
            .await?;
    rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
}

async fn person_of(db: &Db, username: &str) -> Result<Option<i64>> {
    Ok(
        sqlx::query("SELECT person_id FROM accounts WHERE username = $1")
            .bind(username)
            .fetch_optional(db.pool())
            .await?
            .map(|r| r.try_get("person_id"))
            .transpose()?
            .flatten(),
    )
}

/// Signs for the first `per_mille` thousandths of `people` (in the order given), skipping
/// `except`.
async fn sign_share(
    db: &Db,
    campaign: &super::Campaign,
    people: &[i64],
    per_mille: usize,
    except: Option<i64>,
    today: NaiveDate,
) -> Result<usize> {
    let mut n = 0;
    for (i, p) in people.iter().enumerate() {
        if Some(*p) == except || i * 1000 / people.len().max(1) >= per_mille {
            continue;
        }
        let actor = Actor {
            account_id: None,
            name: format!("demo:person:{p}"),
            ip: None,
        };
        sign(db, &actor, *p, campaign.id, &campaign.body_hash, today).await?;
        n += 1;
    }
    Ok(n)
}

fn spread(people: &[i64]) -> Vec<i64> {
    // Interleave so that "the first two thirds" are spread across the units, not the first
    // departments only.
    let mut out: Vec<i64> = people.iter().step_by(3).copied().collect();
    out.extend(people.iter().skip(1).step_by(3));
    out.extend(people.iter().skip(2).step_by(3));
    out
}

/// Loads the movement's demo data (into a database holding the base demo).
pub async fn load_demo(db: &Db, today: NaiveDate) -> Result<()> {
    let province = units::province(db).await?.ok_or(crate::Error::NotFound)?;
    let scope: Scope<crate::scope::DirectiveManage> = Scope::whole_system_for_cli(province.root());
    let cscope: Scope<crate::scope::CampaignManage> = Scope::whole_system_for_cli(province.root());
    let actor = Actor::system("demo");
    let office = org(db, "VPTU").await?;

    let tt124 = directives::create(db, &scope, &actor, &DirectiveInput {
        owner_unit_id: province.id,
        kind: "thong_tu".into(),
        code: "124/2021/TT-BCA".into(),
        title: "Quy định về khu dân cư, xã, phường, thị trấn, cơ quan, doanh nghiệp, cơ sở giáo dục đạt tiêu chuẩn \u{201c}An toàn về an ninh, trật tự\u{201d}".into(),
        issuer: "Bộ Công an".into(),
        issued_on: d(2021, 12, 28),
        effective_on: Some(d(2022, 2, 10)),
        secrecy: Level::None,
        body: "Thông tư quy định nguyên tắc, tiêu chuẩn, trình tự, thủ tục, thẩm quyền xét duyệt, công nhận khu dân cư, xã, phường, thị trấn, cơ quan, doanh nghiệp, cơ sở giáo dục đạt tiêu chuẩn \u{201c}An toàn về an ninh, trật tự\u{201d}; thay thế Thông tư số 23/2012/TT-BCA.\n\n\
Đối với cơ quan, doanh nghiệp (Điều 6): trong quý I hằng năm, tổ chức Đảng có nghị quyết, cơ quan có kế hoạch về công tác bảo đảm an ninh, trật tự và đăng ký phấn đấu đạt tiêu chuẩn; có nội quy, quy chế về bảo vệ cơ quan, bảo vệ bí mật nhà nước, bảo vệ chính trị nội bộ, an toàn lao động, phòng chống cháy nổ, bảo vệ môi trường; 100% cán bộ, công chức, viên chức, người lao động được phổ biến, quán triệt các quy định đó và các tiêu chuẩn; có ít nhất 01 mô hình phong trào hoạt động hiệu quả.\n\n\
Thời gian xét: từ ngày 16/11 năm trước đến ngày 15/11 năm xét; kết quả là đạt hoặc chưa đạt.".into(),
    }, &[], usize::MAX).await?;
    directives::create(db, &scope, &actor, &DirectiveInput {
        owner_unit_id: province.id,
        kind: "chi_thi".into(),
        code: "07/CT-BCA-V28".into(),
        title: "Đẩy mạnh phong trào toàn dân bảo vệ an ninh Tổ quốc trong cơ quan, doanh nghiệp, nhà trường đáp ứng yêu cầu, nhiệm vụ bảo đảm an ninh trật tự trong tình hình mới".into(),
        issuer: "Bộ Công an".into(),
        issued_on: d(2014, 8, 15),
        effective_on: None,
        secrecy: Level::None,
        body: "Chỉ thị của Bộ trưởng Bộ Công an về đẩy mạnh phong trào toàn dân bảo vệ an ninh Tổ quốc trong cơ quan, doanh nghiệp, nhà trường, trước hết là bảo vệ an ninh, an toàn cơ quan; xác định phong trào là một trong những nhiệm vụ trọng tâm trong công tác phòng ngừa, đấu tranh với tội phạm.".into(),
    }, &[], usize::MAX).await?;
    let own_rules = [
        (
            "quy_che",
            "03-QC/VPTU",
            "Quy chế bảo vệ cơ quan Văn phòng Tỉnh ủy",
            Level::None,
            "Quy định chế độ ra vào cơ quan, trực bảo vệ, quản lý tài sản, phương tiện; trách nhiệm của lực lượng bảo vệ và tự vệ cơ quan; phối hợp với Công an phường và Đội cảnh vệ.",
        ),
        (
            "quy_che",
            "05-QC/VPTU",
            "Quy chế bảo vệ bí mật nhà nước trong cơ quan Văn phòng Tỉnh ủy",
            Level::Mat,
            "Danh mục bí mật nhà nước của cơ quan; người được giao quản lý, soạn thảo, sao, chụp, vận chuyển, giao nhận tài liệu mật; chế độ báo cáo, kiểm tra.",
        ),
        (
            "quy_dinh",
            "07-QĐi/VPTU",
            "Quy định về công tác bảo vệ chính trị nội bộ",
            Level::None,
            "Nội dung, trách nhiệm và quy trình bảo vệ chính trị nội bộ; thẩm định, xác minh lý lịch; quản lý hồ sơ cán bộ.",
        ),
        (
            "quy_dinh",
            "09-QĐi/VPTU",
            "Nội quy phòng cháy, chữa cháy và cứu nạn, cứu hộ",
            Level::None,
            "Quy định sử dụng điện, lửa, chất dễ cháy trong cơ quan; trách nhiệm của đội phòng cháy, chữa cháy cơ sở; phương án chữa cháy và thoát nạn.",
        ),
    ];
    for (kind, code, title, level, body) in own_rules {
        directives::create(
            db,
            &scope,
            &actor,
            &DirectiveInput {
                owner_unit_id: office.id,
                kind: kind.into(),
                code: code.into(),
                title: title.into(),
                issuer: "Văn phòng Tỉnh ủy Sơn Hà".into(),
                issued_on: d(2024, 1, 15),
                effective_on: None,
                secrecy: level,
                body: body.into(),
            },
            &[],
            usize::MAX,
        )
        .await?;
    }

    let year = today.year();
    let opens = today - Days::new(20);
    let deadline = today + Days::new(25);
    // The yearly campaign of an organisation, launched and signed by `per_mille` of `people`
    // (never `except`).
    let launch = |owner: i64, y: i32, shift: u64, people: Vec<i64>, per_mille, except| {
        let (cscope, actor) = (&cscope, &actor);
        async move {
            let input = CampaignInput {
                owner_unit_id: owner,
                year: i64::from(y),
                title: format!(
                    "Ký cam kết thực hiện phong trào Toàn dân bảo vệ an ninh Tổ quốc năm {y}"
                ),
                heading: "BẢN CAM KẾT".into(),
                body: DEMO_BODY.into(),
                opens_on: opens - Days::new(shift),
                deadline: deadline - Days::new(shift),
            };
            let c = create(db, cscope, actor, &input).await?;
            sign_share(db, &c, &people, per_mille, except, today).await?;
            Ok::<_, crate::Error>(c)
        }
    };

    // Last year's, closed with everyone but two signed.
    let office_people = working(db, office.id).await?;
    let nhanvien = person_of(db, "nhanvien").await?;
    let everyone_but_two: Vec<i64> = office_people.iter().skip(2).copied().collect();
    let last = launch(office.id, year - 1, 365, everyone_but_two, 1000, None).await?;
    close(db, &cscope, &actor, last.id).await?;

    // This year's, open: two thirds signed, spread over the units, nhanvien not among them.
    launch(office.id, year, 0, spread(&office_people), 667, nhanvien).await?;

    // Thông tư 124/2021 put before the Office, with a short quiz.
    let dis = dissemination::create(db, &cscope, &actor, &dissemination::CampaignInput {
        owner_unit_id: office.id,
        title: "Quán triệt Thông tư 124/2021/TT-BCA và các tiêu chuẩn \u{201c}An toàn về an ninh, trật tự\u{201d}".into(),
        audience_unit_ids: vec![office.id],
        group: Group::All,
        directive_ids: vec![tt124],
        questions: vec![
            QuestionInput {
                question: "Cơ quan đạt tiêu chuẩn \u{201c}An toàn về an ninh, trật tự\u{201d} cần bao nhiêu phần trăm cán bộ được phổ biến, quán triệt?".into(),
                options: vec!["50%".into(), "80%".into(), "100%".into()],
                correct: 2,
            },
            QuestionInput {
                question: "Thời gian xét tiêu chuẩn đối với cơ quan tính đến ngày nào?".into(),
                options: vec!["31/10".into(), "15/11".into(), "31/12".into()],
                correct: 1,
            },
        ],
        pass_mark: 50,
        opens_on: opens,
        deadline,
    }).await?;
    let version = [(tt124, 1)];
    let qs = dissemination::questions(db, dis.id).await?;
    let answers: Vec<(i64, usize)> = qs.iter().map(|q| (q.id, q.correct)).collect();
    for p in spread(&office_people)
        .iter()
        .take(office_people.len() * 2 / 5)
    {
        if Some(*p) == nhanvien {
            continue;
        }
        let a = Actor {
            account_id: None,
            name: format!("demo:person:{p}"),
            ip: None,
        };
        dissemination::acknowledge(db, &a, *p, dis.id, &version, &answers, today).await?;
    }

    // The other organisations: a campaign each, at different stages.
    for (abbr, per_mille) in [("CAT", 950), ("STC", 720), ("CNSH", 480), ("LQĐ", 300)] {
        let Ok(o) = org(db, abbr).await else { continue };
        let people = spread(&working(db, o.id).await?);
        launch(o.id, year, 0, people, per_mille, None).await?;
    }
    Ok(())
}
