//! A plan as an official document (`vanban::Document`): the usual sections of a kế hoạch /
//! phương án bảo vệ (purpose, forces, coordination, situation handling, organisation), the
//! contact list and the plan's issued duty rosters as annexes, and the number, date and signer from its register entry once
//! approved (a draft prints with a blank number).

use domain::plans::{ForceKind, Situation};
use store::plans::{Content, Plan};
use store::registers::{Entry, Settings};
use store::rosters::Detail;
use store::units::Unit;
use vanban::{Annex, Block, Document, Format, Issuer, Signer, Table};

fn force_vi(k: ForceKind) -> &'static str {
    match k {
        ForceKind::GuardSquad => "Cảnh sát bảo vệ mục tiêu",
        ForceKind::SelfDefence => "Tự vệ cơ quan",
        ForceKind::Leader => "Lãnh đạo trực",
        ForceKind::DutyOfficer => "Cán bộ trực",
        ForceKind::FireForce => "PCCC và CNCH cơ sở",
    }
}

fn section(label: &str, title: &str, blocks: Vec<Block>) -> Block {
    Block::Section {
        label: label.to_owned(),
        title: title.to_owned(),
        blocks,
    }
}

fn paragraphs(text: &str) -> Vec<Block> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| Block::Paragraph {
            text: p.replace('\n', " "),
        })
        .collect()
}

/// The document of a plan the viewer may read.
pub fn of(
    plan: &Plan,
    content: &Content,
    org: &Unit,
    settings: &Settings,
    entry: Option<&Entry>,
    rosters: &[Detail],
) -> Document {
    let mut body = Vec::new();
    body.push(section(
        "I.",
        "MỤC ĐÍCH, YÊU CẦU",
        paragraphs(&content.objectives),
    ));
    let mut forces = vec![Block::Paragraph {
        text: format!(
            "Thời gian thực hiện: từ ngày {} đến ngày {}.",
            plan.starts_on.format("%d/%m/%Y"),
            plan.ends_on.format("%d/%m/%Y")
        ),
    }];
    if !content.forces.is_empty() {
        forces.push(Block::Table(Table {
            header: vec![
                "Lực lượng".into(),
                "Người, đơn vị".into(),
                "Nhiệm vụ".into(),
                "Điện thoại".into(),
            ],
            rows: content
                .forces
                .iter()
                .map(|f| {
                    vec![
                        force_vi(f.kind).to_owned(),
                        f.name.clone(),
                        f.duty.clone(),
                        f.phone.clone().unwrap_or_default(),
                    ]
                })
                .collect(),
            widths: Some(vec![1.2, 1.6, 3.0, 1.1]),
        }));
    }
    body.push(section("II.", "LỰC LƯỢNG, THỜI GIAN THỰC HIỆN", forces));
    if !content.tasks.is_empty() {
        body.push(section(
            "III.",
            "PHỐI HỢP VỚI CÁC LỰC LƯỢNG",
            content
                .tasks
                .iter()
                .enumerate()
                .map(|(i, t)| Block::Point {
                    label: format!("{}.", i + 1),
                    text: format!("{}: {}", t.partner_name, t.task),
                    blocks: Vec::new(),
                })
                .collect(),
        ));
    }
    let mut handling = Vec::new();
    for (i, s) in Situation::ALL.into_iter().enumerate() {
        let steps = content.steps_of(s);
        if steps.is_empty() {
            continue;
        }
        handling.push(Block::Point {
            label: format!("{}.", i + 1),
            text: s.heading_vi().to_owned(),
            blocks: steps
                .iter()
                .enumerate()
                .map(|(j, st)| Block::Point {
                    label: format!("{})", char::from(b'a' + (j as u8 % 26))),
                    text: if st.calls.trim().is_empty() {
                        format!("{} ({}).", st.action, st.actor)
                    } else {
                        format!("{} ({}); {}.", st.action, st.actor, st.calls)
                    },
                    blocks: Vec::new(),
                })
                .collect(),
        });
    }
    body.push(section("IV.", "PHƯƠNG ÁN XỬ LÝ TÌNH HUỐNG", handling));
    body.push(section(
        "V.",
        "TỔ CHỨC THỰC HIỆN",
        vec![Block::Paragraph {
            text: "Các lực lượng, cá nhân được phân công nghiêm túc thực hiện; trong quá trình \
                   thực hiện có vướng mắc báo cáo Lãnh đạo trực để chỉ đạo giải quyết."
                .into(),
        }],
    ));
    let annexes = annexes(content, rosters);
    let mut distribution: Vec<String> = content
        .tasks
        .iter()
        .map(|t| t.partner_name.clone())
        .collect();
    distribution.dedup();
    distribution.push("Lưu: VT".into());
    Document {
        format: match org.doc_format {
            Some(domain::values::DocFormat::Hd36) => Format::Party,
            _ => Format::State,
        },
        doc_type: plan.doc_type,
        issuer: Issuer {
            parent: settings.parent_name.clone(),
            name: settings.issuer_name.clone(),
            abbreviation: org.abbreviation.clone().unwrap_or_default(),
            drafting_unit: None,
        },
        number: entry.and_then(|e| u32::try_from(e.number).ok().filter(|n| *n > 0)),
        place: settings.place.clone(),
        date: plan.doc_date.unwrap_or_else(crate::view::today),
        summary: plan.title.clone(),
        legal_bases: Vec::new(),
        enactment: None,
        recipients: Vec::new(),
        body,
        signer: Signer {
            authority: Vec::new(),
            position: Some(
                entry
                    .and_then(|e| e.signer_position.clone())
                    .unwrap_or_else(|| "Chánh Văn phòng".to_owned()),
            ),
            name: entry
                .and_then(|e| e.signer.clone())
                .or_else(|| plan.approved_name.clone())
                .unwrap_or_default(),
        },
        distribution,
        secrecy: plan.secrecy.stamp(),
        urgency: None,
        annexes,
    }
}

/// The annexes of a plan, in the order they are numbered (Phụ lục I, II …): the contact list,
/// then each published or closed duty roster of the plan as the roster capability lays it out.
pub fn annexes(content: &Content, rosters: &[Detail]) -> Vec<Annex> {
    let mut out = Vec::with_capacity(rosters.len() + 1);
    if !content.contacts.is_empty() {
        out.push(Annex {
            title: "DANH SÁCH LIÊN LẠC".into(),
            blocks: vec![Block::Table(Table {
                header: vec![
                    "Đơn vị, cá nhân".into(),
                    "Nội dung".into(),
                    "Điện thoại".into(),
                ],
                rows: content
                    .contacts
                    .iter()
                    .map(|c| vec![c.name.clone(), c.role.clone(), c.phone.clone()])
                    .collect(),
                widths: Some(vec![2.5, 2.0, 1.4]),
            })],
        });
    }
    out.extend(rosters.iter().map(store::rosters::annex::annex));
    out
}

/// The label of annex `i` of `count`: "PHỤ LỤC" alone when it is the only one, numbered in
/// Roman numerals from two on (NĐ 30/2020, Phụ lục I), upper case as the print view heads it.
pub fn annex_label(i: usize, count: usize) -> String {
    if count > 1 {
        format!("PHỤ LỤC {}", vanban::format::roman(i as u32 + 1))
    } else {
        "PHỤ LỤC".to_owned()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn annexes_are_numbered_from_two_on() {
        assert_eq!(super::annex_label(0, 1), "PHỤ LỤC");
        assert_eq!(super::annex_label(0, 3), "PHỤ LỤC I");
        assert_eq!(super::annex_label(1, 3), "PHỤ LỤC II");
        assert_eq!(super::annex_label(2, 3), "PHỤ LỤC III");
    }
}
