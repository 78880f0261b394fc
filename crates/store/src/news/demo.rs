//! The demo's news: the Office has a few articles for its staff — one on this year's launch
//! of the movement, written after the founding article, one scheduled for next week — and
//! the province has one for every organisation.

use super::write::{ArticleInput, create};
use crate::audit::Actor;
use crate::scope::NewsManage;
use crate::{Db, Result, Scope, now_ms, units};
use sqlx::Row;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

const MOVEMENT: &str = "<p>Thực hiện Chỉ thị số 07/CT-BCA-V28 ngày 15/8/2014 của Bộ Công an về tăng cường công tác xây dựng phong trào Toàn dân bảo vệ an ninh Tổ quốc trong các cơ quan, doanh nghiệp, nhà trường, những năm qua Văn phòng Tỉnh ủy đã phổ biến, quán triệt các văn bản liên quan đến toàn thể cán bộ, đảng viên, công chức, người lao động, để mỗi người thấy rõ ý nghĩa của phong trào: trước hết là giữ an ninh, an toàn cho chính cơ quan mình.</p>
<h3>Mỗi năm một chu kỳ</h3>
<p>Tại hội nghị tổng kết công tác xây dựng Đảng và thi đua khen thưởng cuối năm, Đảng ủy và lãnh đạo Văn phòng đánh giá tình hình bảo đảm an ninh, trật tự trong cơ quan, thông qua kế hoạch năm sau và ban hành nghị quyết chuyên đề. Tiểu đội Cảnh sát bảo vệ mục tiêu cùng toàn thể cán bộ được yêu cầu nâng cao cảnh giác, theo dõi mọi diễn biến bất thường trong và ngoài cơ quan.</p>
<h3>Phát động và ký cam kết</h3>
<p>Đầu năm, lãnh đạo Văn phòng phát động phong trào trong cơ quan; 100% cán bộ, công chức, viên chức, người lao động ký cam kết bảo đảm an ninh, an toàn cơ quan. Văn phòng phối hợp chặt chẽ với Công an tỉnh, Bộ Chỉ huy Quân sự tỉnh xây dựng và thực hiện phương án bảo vệ trụ sở, nhất là trong các đợt cao điểm.</p>
<h3>Mô hình tự quản</h3>
<p>Tổ tự quản về an ninh, trật tự và phòng cháy, chữa cháy của cơ quan duy trì tuần tra ngoài giờ, kiểm tra phương tiện chữa cháy hằng tháng và diễn tập phương án tại chỗ. Nhờ vậy, nhiều năm liền cơ quan không để xảy ra vụ việc phức tạp, được công nhận đạt tiêu chuẩn \"An toàn về an ninh, trật tự\".</p>";

const ARTICLES: &[(&str, &str, &str, i64)] = &[
    (
        "Văn phòng Tỉnh ủy: chuyển biến tích cực trong phong trào Toàn dân bảo vệ an ninh Tổ quốc",
        "Nhìn lại các năm thực hiện Chỉ thị 07/CT-BCA-V28: phổ biến văn bản, ký cam kết, phối hợp bảo vệ trụ sở và mô hình tự quản.",
        MOVEMENT,
        -3,
    ),
    (
        "Kiểm tra phương tiện phòng cháy, chữa cháy tháng này",
        "Tổ tự quản kiểm tra bình chữa cháy và hệ thống báo cháy các khu nhà; đề nghị các phòng bố trí người phối hợp.",
        "<p>Tổ tự quản về an ninh, trật tự và phòng cháy, chữa cháy sẽ kiểm tra bình chữa cháy, họng nước và hệ thống báo cháy tại các khu nhà làm việc và kho lưu trữ.</p><p>Đề nghị các phòng cử một người đi cùng tổ kiểm tra và không để vật cản trước lối thoát nạn.</p>",
        -1,
    ),
    (
        "Lịch trực bảo vệ cơ quan dịp cao điểm cuối năm",
        "Phân công trực ngoài giờ hành chính và ngày nghỉ trong đợt cao điểm cuối năm.",
        "<p>Văn phòng phân công cán bộ trực bảo vệ cơ quan ngoài giờ hành chính và các ngày nghỉ trong đợt cao điểm cuối năm, phối hợp với Tiểu đội Cảnh sát bảo vệ mục tiêu.</p><p>Danh sách trực cụ thể được gửi tới từng phòng.</p>",
        7,
    ),
];

/// Loads the demo articles once; does nothing when any article exists or the Office is absent.
pub async fn load_demo(db: &Db) -> Result<()> {
    if super::count(db).await? > 0 {
        return Ok(());
    }
    let Some(province) = units::province(db).await? else {
        return Ok(());
    };
    let Some(office) =
        sqlx::query("SELECT id FROM units WHERE kind = 'organisation' AND abbreviation = 'VPTU'")
            .fetch_optional(db.pool())
            .await?
    else {
        return Ok(());
    };
    let office: i64 = office.try_get("id")?;
    // Written by the Office's security officer when the demo has that account.
    let actor = actor_of(db, "canbo.antt").await?;
    let scope: Scope<NewsManage> = Scope::whole_system_for_cli(province.root());
    let now = now_ms();
    for (title, summary, body, days) in ARTICLES {
        let input = ArticleInput {
            audience_unit_id: office,
            title: (*title).into(),
            summary: Some((*summary).into()),
            body: (*body).into(),
            publish_at: Some(now + days * DAY_MS),
        };
        create(db, &scope, &actor, &input).await?;
    }
    let input = ArticleInput {
        audience_unit_id: province.id,
        title: "Hướng dẫn tự đánh giá tiêu chuẩn \"An toàn về an ninh, trật tự\" năm nay".into(),
        summary: Some("Kỳ đánh giá từ 16/11 năm trước đến 15/11; các cơ quan, doanh nghiệp rà soát đủ các tiêu chí.".into()),
        body: "<p>Các cơ quan, doanh nghiệp, nhà trường rà soát việc thực hiện các tiêu chí theo Thông tư 124/2021/TT-BCA, trong đó có việc phổ biến, quán triệt cho 100% cán bộ và duy trì ít nhất 01 mô hình của phong trào hoạt động hiệu quả.</p><p>Kỳ đánh giá tính từ ngày 16/11 năm trước đến ngày 15/11 năm đánh giá.</p>".into(),
        publish_at: Some(now - 10 * DAY_MS),
    };
    create(db, &scope, &actor_of(db, "quantri").await?, &input).await?;
    Ok(())
}

async fn actor_of(db: &Db, username: &str) -> Result<Actor> {
    let row = sqlx::query("SELECT id, username FROM accounts WHERE username = $1")
        .bind(username)
        .fetch_optional(db.pool())
        .await?;
    Ok(match row {
        Some(r) => Actor {
            account_id: Some(r.try_get("id")?),
            name: r.try_get("username")?,
            ip: None,
        },
        None => Actor::system("demo"),
    })
}
