//! The starting content of a new plan, per peak type: objectives worded for the occasion, the
//! usual forces, the tasks asked of the partner bodies the organisation works with, and the
//! four situation playbooks with their steps and who calls whom. An officer edits all of it;
//! the templates only spare them the blank page.

use super::rows::{Contact, Content, Force, Step, Task};
use crate::units::Unit;
use crate::{Db, Result};
use domain::plans::{ForceKind, Situation};
use domain::values::PartnerKind;
use sqlx::Row;
use vanban::DocumentType;

/// A partner body the organisation works with.
#[derive(Debug, Clone)]
pub struct PartnerRef {
    pub id: i64,
    pub kind: PartnerKind,
    pub name: String,
    pub phone: Option<String>,
}

/// Partners kept by the organisation (or a unit in it) and by the province.
pub async fn partners_of(db: &Db, org: &Unit) -> Result<Vec<PartnerRef>> {
    let rows = sqlx::query(
        "SELECT pa.id, pa.kind, pa.name, pa.phone FROM partners pa JOIN units u ON u.id = pa.owner_unit_id \
         WHERE u.parent_id IS NULL OR (pa.owner_path >= $1 AND pa.owner_path < $2) ORDER BY pa.kind, pa.name LIMIT 500",
    )
    .bind(&org.path)
    .bind(crate::scope::path_end(&org.path))
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(PartnerRef {
                id: r.try_get("id")?,
                kind: PartnerKind::parse(&r.try_get::<String, _>("kind")?)?,
                name: r.try_get("name")?,
                phone: r.try_get("phone")?,
            })
        })
        .collect()
}

/// The working people of an organisation for the force pickers: `(id, name, position)` in
/// Vietnamese name order.
pub async fn people_of(db: &Db, org: &Unit) -> Result<Vec<(i64, String, String)>> {
    let rows = sqlx::query(
        "SELECT id, full_name, position FROM people WHERE org_id = $1 AND status = 'working' \
         ORDER BY sort_key, id LIMIT 2000",
    )
    .bind(org.id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("id")?,
                r.try_get("full_name")?,
                r.try_get("position")?,
            ))
        })
        .collect()
}

/// A template filled for one plan.
pub struct Template {
    pub title: String,
    pub doc_type: DocumentType,
    pub content: Content,
}

fn occasion(kind: &str, year: i32, event: Option<&str>) -> String {
    match kind {
        "tet" => format!("Tết Nguyên đán năm {year}"),
        "le_30_4_1_5" => format!("dịp lễ 30/4 và 1/5 năm {year}"),
        "ngay_hoi_bvantq" => {
            format!("Ngày hội toàn dân bảo vệ an ninh Tổ quốc 19/8 năm {year}")
        }
        "quoc_khanh" => format!("dịp Quốc khánh 2/9 năm {year}"),
        "ngay_22_12" => format!("dịp 22/12 năm {year}"),
        _ => match event {
            Some(e) => format!("{e} năm {year}"),
            None => format!("sự kiện năm {year}"),
        },
    }
}

fn first(partners: &[PartnerRef], kind: PartnerKind) -> Option<&PartnerRef> {
    partners.iter().find(|p| p.kind == kind)
}

fn step(situation: Situation, action: &str, actor: &str, calls: &str) -> Step {
    Step {
        situation,
        action: action.to_owned(),
        actor: actor.to_owned(),
        calls: calls.to_owned(),
    }
}

fn playbooks() -> Vec<Step> {
    use Situation::*;
    vec![
        step(
            Crowd,
            "Đóng cổng chính, hướng dẫn người đến tập trung tại phòng tiếp dân; không để tràn vào khu làm việc",
            "Tiểu đội cảnh sát bảo vệ mục tiêu",
            "Trực ban báo Lãnh đạo trực",
        ),
        step(
            Crowd,
            "Nắm số lượng, yêu cầu, người cầm đầu; ghi hình làm tài liệu",
            "Cán bộ trực",
            "Cán bộ trực báo Công an tỉnh (Phòng An ninh chính trị nội bộ)",
        ),
        step(
            Crowd,
            "Cử người tiếp, giải thích, hướng dẫn gửi đơn đúng nơi có thẩm quyền",
            "Lãnh đạo trực",
            "Lãnh đạo trực báo Chánh Văn phòng",
        ),
        step(
            Crowd,
            "Khi có dấu hiệu quá khích: đề nghị lực lượng Công an hỗ trợ giải tán, bảo vệ tài liệu, tài sản",
            "Lãnh đạo trực",
            "Lãnh đạo trực gọi 113 và Công an tỉnh",
        ),
        step(
            Disturbance,
            "Ngăn chặn, cách ly đối tượng khỏi khu vực làm việc; bảo vệ người và tài liệu",
            "Tiểu đội cảnh sát bảo vệ mục tiêu",
            "Trực cổng báo Cán bộ trực",
        ),
        step(
            Disturbance,
            "Lập biên bản, giữ nguyên hiện trường, thu giữ hung khí nếu có",
            "Cán bộ trực",
            "Cán bộ trực gọi 113, báo Lãnh đạo trực",
        ),
        step(
            Disturbance,
            "Bàn giao đối tượng và hồ sơ cho Công an phường",
            "Lãnh đạo trực",
            "Lãnh đạo trực báo Công an phường",
        ),
        step(
            Fire,
            "Hô báo, ngắt điện khu vực cháy, dùng bình chữa cháy tại chỗ",
            "Người phát hiện; Đội PCCC cơ sở",
            "Người phát hiện gọi 114, báo Cán bộ trực",
        ),
        step(
            Fire,
            "Tổ chức thoát nạn theo sơ đồ, kiểm đếm người; di chuyển tài liệu mật ra nơi an toàn",
            "Đội PCCC cơ sở; Lực lượng tự vệ",
            "Cán bộ trực báo Lãnh đạo trực",
        ),
        step(
            Fire,
            "Đón, dẫn đường xe chữa cháy; cung cấp thông tin nguồn nước, khu vực nguy hiểm",
            "Tiểu đội cảnh sát bảo vệ mục tiêu",
            "Lãnh đạo trực báo Cảnh sát PCCC và CNCH",
        ),
        step(
            SuspiciousObject,
            "Không chạm vào vật; phong tỏa, sơ tán người trong bán kính an toàn",
            "Người phát hiện; Tiểu đội cảnh sát bảo vệ mục tiêu",
            "Người phát hiện báo Cán bộ trực",
        ),
        step(
            SuspiciousObject,
            "Ghi nhận vị trí, hình dạng, thời điểm phát hiện; không dùng điện thoại gần vật",
            "Cán bộ trực",
            "Cán bộ trực gọi 113, báo Lãnh đạo trực",
        ),
        step(
            SuspiciousObject,
            "Phối hợp lực lượng chuyên trách xử lý; chỉ cho trở lại khi có thông báo an toàn",
            "Lãnh đạo trực",
            "Lãnh đạo trực báo Công an tỉnh, Bộ Chỉ huy Quân sự tỉnh",
        ),
    ]
}

/// The template for a peak type (`tet`, `le_30_4_1_5` … or `event`).
pub fn build(kind: &str, year: i32, event: Option<&str>, partners: &[PartnerRef]) -> Template {
    let what = occasion(kind, year, event);
    // The Tết peak is long and reinforced: a phương án; shorter peaks are kế hoạch.
    let doc_type = if kind == "tet" {
        DocumentType::PhuongAn
    } else {
        DocumentType::KeHoach
    };
    let title = format!("Bảo đảm an ninh, trật tự, bảo vệ cơ quan {what}");
    let objectives = format!(
        "Bảo đảm tuyệt đối an toàn trụ sở, tài liệu, tài sản và cán bộ trong {what}; \
         chủ động phòng ngừa, phát hiện và xử lý kịp thời mọi tình huống, không để bị động, bất ngờ.\n\n\
         Duy trì nghiêm chế độ trực chỉ huy, trực ban, trực bảo vệ 24/24 giờ; phối hợp chặt chẽ với \
         Công an tỉnh, Bộ Chỉ huy Quân sự tỉnh và lực lượng cảnh sát bảo vệ mục tiêu."
    );
    let mut forces = Vec::new();
    let guard = first(partners, PartnerKind::GuardSquad);
    forces.push(Force {
        kind: ForceKind::GuardSquad,
        person_id: None,
        partner_id: guard.map(|g| g.id),
        name: guard
            .map(|g| g.name.clone())
            .unwrap_or_else(|| "Tiểu đội cảnh sát bảo vệ mục tiêu".to_owned()),
        duty: "Canh gác, tuần tra 24/24 giờ tại cổng và khuôn viên trụ sở; kiểm soát người, phương tiện ra vào".to_owned(),
        phone: None,
    });
    for (kind, name, duty) in [
        (
            ForceKind::SelfDefence,
            "Trung đội tự vệ cơ quan",
            "Trực sẵn sàng chiến đấu theo ca; tuần tra khu vực làm việc ngoài giờ",
        ),
        (
            ForceKind::Leader,
            "Lãnh đạo Văn phòng trực chỉ huy",
            "Chỉ huy chung; quyết định xử lý tình huống; báo cáo cấp trên",
        ),
        (
            ForceKind::DutyOfficer,
            "Cán bộ trực ban",
            "Trực điện thoại, tiếp nhận và báo cáo thông tin; ghi sổ trực",
        ),
        (
            ForceKind::FireForce,
            "Đội PCCC và CNCH cơ sở",
            "Kiểm tra phương tiện chữa cháy trước cao điểm; sẵn sàng chữa cháy ban đầu",
        ),
    ] {
        forces.push(Force {
            kind,
            person_id: None,
            partner_id: None,
            name: name.to_owned(),
            duty: duty.to_owned(),
            phone: None,
        });
    }
    let mut tasks = Vec::new();
    for p in partners
        .iter()
        .filter(|p| matches!(p.kind, PartnerKind::Police | PartnerKind::Military))
        .take(4)
    {
        let task = if p.kind == PartnerKind::Police {
            "Trao đổi tình hình an ninh, trật tự liên quan đến cơ quan; hỗ trợ lực lượng xử lý tình huống phức tạp"
        } else {
            "Hướng dẫn, kiểm tra trực sẵn sàng chiến đấu của lực lượng tự vệ; sẵn sàng lực lượng cơ động hỗ trợ"
        };
        tasks.push(Task {
            partner_id: p.id,
            partner_name: p.name.clone(),
            task: task.to_owned(),
        });
    }
    if let Some(p) = guard {
        tasks.push(Task {
            partner_id: p.id,
            partner_name: p.name.clone(),
            task: "Tăng cường quân số canh gác trong thời gian cao điểm; phối hợp kiểm tra an toàn trụ sở trước ngày nghỉ".to_owned(),
        });
    }
    let mut contacts = vec![
        Contact {
            name: "Công an (khẩn cấp)".to_owned(),
            role: "Báo tin an ninh, trật tự".to_owned(),
            phone: "113".to_owned(),
        },
        Contact {
            name: "Cảnh sát PCCC và CNCH".to_owned(),
            role: "Báo cháy, cứu nạn".to_owned(),
            phone: "114".to_owned(),
        },
        Contact {
            name: "Cấp cứu y tế".to_owned(),
            role: "Cấp cứu".to_owned(),
            phone: "115".to_owned(),
        },
    ];
    for p in partners.iter().filter(|p| p.phone.is_some()).take(4) {
        contacts.push(Contact {
            name: p.name.clone(),
            role: "Đơn vị phối hợp".to_owned(),
            phone: p.phone.clone().unwrap_or_default(),
        });
    }
    Template {
        title,
        doc_type,
        content: Content {
            objectives,
            forces,
            tasks,
            contacts,
            steps: playbooks(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_cover_every_situation_and_name_the_partners() {
        let partners = vec![
            PartnerRef {
                id: 1,
                kind: PartnerKind::Police,
                name: "Công an tỉnh".into(),
                phone: Some("0203 111 111".into()),
            },
            PartnerRef {
                id: 2,
                kind: PartnerKind::GuardSquad,
                name: "Tiểu đội CSBV".into(),
                phone: None,
            },
        ];
        let t = build("tet", 2027, None, &partners);
        assert_eq!(t.doc_type, DocumentType::PhuongAn);
        assert!(t.title.contains("Tết Nguyên đán năm 2027"));
        for s in Situation::ALL {
            assert!(t.content.steps_of(s).len() >= 3, "{s:?}");
        }
        assert_eq!(t.content.forces[0].partner_id, Some(2));
        assert_eq!(t.content.partner_ids(), vec![1, 2]);
        assert!(t.content.contacts.iter().any(|c| c.phone == "0203 111 111"));
        let e = build("event", 2026, Some("Đại hội Đảng bộ tỉnh"), &[]);
        assert_eq!(e.doc_type, DocumentType::KeHoach);
        assert!(e.title.contains("Đại hội Đảng bộ tỉnh năm 2026"));
        assert!(e.content.tasks.is_empty());
    }
}
