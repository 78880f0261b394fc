//! The demo's movement models: every demo organisation has at least one; the Office's are
//! reviewed and active this year; the school's model has fallen silent, so the province page
//! shows one organisation without a working model. Dates follow today, so the demo looks the
//! same whenever it is loaded.

use super::Rating;
use super::rules;
use super::write::{
    ActivityInput, ModelInput, ReviewInput, add_activity, add_member, create, review,
};
use crate::audit::Actor;
use crate::scope::ModelManage;
use crate::{Db, Result, Scope, units};
use chrono::{Days, NaiveDate, Utc};
use sqlx::Row;

struct DemoModel {
    org_abbr: &'static str,
    name: &'static str,
    description: &'static str,
    since: (i32, u32, u32),
    /// Member roles, given to the organisation's first people (self-defence members first).
    roles: &'static [&'static str],
    /// Activities of the current evaluation year: (days before today, title).
    this_year: &'static [(u64, &'static str)],
    /// Activities of the previous evaluation year: (days before its end, title).
    last_year: &'static [(u64, &'static str)],
    /// Review of the previous evaluation year: rating and reviewer.
    last_review: Option<(Rating, &'static str)>,
}

const MODELS: &[DemoModel] = &[
    DemoModel {
        org_abbr: "VPTU",
        name: "Tổ tự quản về an ninh, trật tự và phòng cháy, chữa cháy cơ quan Văn phòng Tỉnh ủy",
        description: "Tổ gồm cán bộ trong lực lượng tự vệ cơ quan, phối hợp với Tiểu đội Cảnh sát bảo vệ mục tiêu tuần tra trụ sở ngoài giờ hành chính, kiểm tra phương tiện phòng cháy, chữa cháy hằng tháng và nắm tình hình diễn biến bất thường trong, ngoài cơ quan.",
        since: (2019, 3, 26),
        roles: &[
            "Tổ trưởng",
            "Tổ phó",
            "Tổ viên",
            "Tổ viên",
            "Tổ viên",
            "Tổ viên",
        ],
        this_year: &[
            (
                2,
                "Kiểm tra bình chữa cháy, hệ thống báo cháy khu nhà A và kho lưu trữ",
            ),
            (
                30,
                "Tuần tra trụ sở phối hợp Tiểu đội Cảnh sát bảo vệ mục tiêu",
            ),
            (
                75,
                "Diễn tập phương án chữa cháy và cứu nạn, cứu hộ tại chỗ",
            ),
        ],
        last_year: &[
            (20, "Trực bảo vệ trụ sở dịp Quốc khánh 2/9"),
            (95, "Tập huấn nghiệp vụ phòng cháy, chữa cháy cho tổ viên"),
            (200, "Kiểm tra an toàn điện các phòng làm việc"),
        ],
        last_review: Some((Rating::VeryEffective, "Đặng Văn Thành — Chánh Văn phòng")),
    },
    DemoModel {
        org_abbr: "VPTU",
        name: "Trung đội tự vệ cơ quan Văn phòng Tỉnh ủy",
        description: "Lực lượng tự vệ tại chỗ của cơ quan, huấn luyện theo Luật Dân quân tự vệ, bảo vệ trụ sở trong các đợt cao điểm.",
        since: (2015, 5, 12),
        roles: &[
            "Trung đội trưởng",
            "Tiểu đội trưởng",
            "Chiến sĩ",
            "Chiến sĩ",
        ],
        this_year: &[(12, "Huấn luyện tự vệ tại chỗ đợt 1")],
        last_year: &[
            (60, "Huấn luyện tự vệ tại chỗ năm"),
            (150, "Trực cao điểm dịp Tết Nguyên đán"),
        ],
        last_review: Some((Rating::Effective, "Đặng Văn Thành — Chánh Văn phòng")),
    },
    DemoModel {
        org_abbr: "CAT",
        name: "Mô hình \"Camera an ninh\" tại trụ sở và khu tập thể Công an tỉnh",
        description: "Lắp đặt, kết nối camera giám sát cổng, bãi xe và khu tập thể; phân công trực xem và lưu trữ hình ảnh.",
        since: (2021, 8, 19),
        roles: &["Phụ trách", "Thành viên", "Thành viên"],
        this_year: &[(20, "Rà soát, bổ sung 6 camera khu tập thể")],
        last_year: &[(
            40,
            "Trích xuất hình ảnh phục vụ xác minh vụ mất trộm xe máy",
        )],
        last_review: Some((Rating::Effective, "Nguyễn Văn Khải — Giám đốc")),
    },
    DemoModel {
        org_abbr: "STC",
        name: "Cơ quan an toàn — không ma túy, không tệ nạn xã hội",
        description: "Tuyên truyền, ký cam kết và theo dõi cán bộ, người lao động không vi phạm tệ nạn xã hội.",
        since: (2020, 6, 26),
        roles: &["Trưởng ban", "Thành viên", "Thành viên"],
        this_year: &[(
            8,
            "Tuyên truyền hưởng ứng Ngày toàn dân phòng, chống ma túy",
        )],
        last_year: &[(150, "Sinh hoạt chuyên đề phòng, chống tệ nạn xã hội")],
        last_review: Some((Rating::Effective, "Trần Quốc Bảo — Giám đốc")),
    },
    DemoModel {
        org_abbr: "CNSH",
        name: "Tổ bảo vệ an ninh, trật tự nhà máy nước",
        description: "Bảo vệ khu vực xử lý và bể chứa nước sạch, kiểm soát người ra vào, phối hợp công an phường.",
        since: (2018, 9, 10),
        roles: &["Tổ trưởng", "Tổ viên", "Tổ viên"],
        this_year: &[(15, "Kiểm tra hàng rào, khóa cổng khu bể chứa")],
        last_year: &[(90, "Phối hợp công an phường tuần tra khu vực trạm bơm")],
        last_review: None,
    },
    DemoModel {
        org_abbr: "LQĐ",
        name: "Cổng trường an toàn giao thông, an ninh trật tự",
        description: "Phân công giáo viên và đoàn viên trực cổng giờ tan học, phối hợp công an phường giữ trật tự.",
        since: (2017, 9, 5),
        roles: &["Phụ trách", "Thành viên"],
        this_year: &[],
        last_year: &[(250, "Trực cổng trường tuần đầu năm học")],
        last_review: Some((Rating::Limited, "Phạm Thu Hà — Hiệu trưởng")),
    },
];

fn d((y, m, day): (i32, u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

/// Loads the demo models once; does nothing when any model exists or there is no province.
pub async fn load_demo(db: &Db) -> Result<()> {
    let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM movement_models")
        .fetch_one(db.pool())
        .await?
        .try_get("n")?;
    let Some(province) = units::province(db).await? else {
        return Ok(());
    };
    if n > 0 {
        return Ok(());
    }
    let scope: Scope<ModelManage> = Scope::whole_system_for_cli(province.root());
    let actor = Actor::system("demo");
    // Today in Vietnam (UTC+7, no daylight saving).
    let today = (Utc::now() + chrono::Duration::hours(7)).date_naive();
    let (rule, year) = rules::current(db, today).await?;
    let window = rule.window(year);
    let last = rule.window(year - 1);
    for m in MODELS {
        let Some(org) =
            sqlx::query("SELECT id FROM units WHERE kind = 'organisation' AND abbreviation = $1")
                .bind(m.org_abbr)
                .fetch_optional(db.pool())
                .await?
        else {
            continue;
        };
        let org_id: i64 = org.try_get("id")?;
        let id = create(
            db,
            &scope,
            &actor,
            &ModelInput {
                org_id,
                name: m.name.into(),
                description: Some(m.description.into()),
                since: d(m.since),
                ended_on: None,
            },
        )
        .await?;
        let people = sqlx::query(
            "SELECT id FROM people WHERE org_id = $1 AND status = 'working' \
             ORDER BY self_defence DESC, fire_force DESC, id LIMIT $2",
        )
        .bind(org_id)
        .bind(m.roles.len() as i64)
        .fetch_all(db.pool())
        .await?;
        for (p, role) in people.iter().zip(m.roles) {
            add_member(db, &scope, &actor, id, p.try_get("id")?, role).await?;
        }
        for (back, title) in m.last_year {
            let on_day = last
                .end
                .checked_sub_days(Days::new(*back))
                .unwrap_or(last.end)
                .max(last.start);
            let input = ActivityInput {
                on_day,
                title: (*title).into(),
                note: None,
            };
            add_activity(db, &scope, &actor, id, &input, &[]).await?;
        }
        for (back, title) in m.this_year {
            // Never before the window opened, so the activity counts this year whatever the day.
            let on_day = today
                .checked_sub_days(Days::new(*back))
                .unwrap_or(today)
                .max(window.start);
            let input = ActivityInput {
                on_day,
                title: (*title).into(),
                note: None,
            };
            add_activity(db, &scope, &actor, id, &input, &[]).await?;
        }
        if let Some((rating, reviewer)) = m.last_review {
            let reviewed_on = last
                .end
                .checked_add_days(Days::new(5))
                .unwrap_or(last.end)
                .min(today);
            let input = ReviewInput {
                year: year - 1,
                rating,
                reviewer: reviewer.into(),
                reviewed_on,
                note: None,
            };
            review(db, &scope, &actor, id, &input).await?;
        }
    }
    Ok(())
}
