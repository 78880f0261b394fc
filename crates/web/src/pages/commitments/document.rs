//! The commitment as an official document, typeset by vanban: the launch plan (Kế hoạch) of
//! the owning unit with the commitment form as its annex, and a person's signed copy, whose
//! annex carries their name, unit, the time of signing and the receipt line.

use crate::AppState;
use crate::auth::Authz;
use crate::error::AppResult;
use crate::pages::registers::render;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use store::commitments::{self, Campaign, Receipt};
use store::scope::CampaignView;
use store::units::{self, Unit};
use vanban::{Annex, Block, Document, DocumentType, Format, Issuer, OutputKind, Signer};

fn paragraphs(text: &str) -> Vec<Block> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| Block::Paragraph {
            text: p.replace('\n', " "),
        })
        .collect()
}

/// Who signed, for the filled-in annex.
pub struct SignedBy<'a> {
    pub receipt: &'a Receipt,
    pub unit_name: &'a str,
    pub position: &'a str,
}

/// The launch plan with the commitment form annexed (blank, or filled in for one signer).
pub async fn document(
    st: &AppState,
    owner: &Unit,
    c: &Campaign,
    signed: Option<SignedBy<'_>>,
) -> AppResult<Document> {
    let settings = store::registers::settings(&st.db, owner).await?;
    let format = match owner.doc_format {
        Some(domain::values::DocFormat::Hd36) => Format::Party,
        _ => Format::State,
    };
    let body = vec![
        Block::Paragraph {
            text: format!(
                "Thực hiện phong trào Toàn dân bảo vệ an ninh Tổ quốc, {} phát động cán bộ, công chức, viên chức, người lao động ký cam kết năm {}.",
                owner.name, c.year
            ),
        },
        Block::Paragraph {
            text: format!(
                "Thời gian thực hiện: từ ngày {} đến ngày {}. Mỗi người đọc kỹ và ký bản cam kết kèm theo Kế hoạch này; chỉ tiêu 100% cán bộ, công chức, viên chức, người lao động ký cam kết.",
                c.opens_on.format("%d/%m/%Y"),
                c.deadline.format("%d/%m/%Y")
            ),
        },
    ];
    let mut form = Vec::new();
    match &signed {
        Some(s) => {
            form.push(Block::Paragraph {
                text: format!(
                    "Họ và tên: {}. Chức vụ: {}. Đơn vị: {}.",
                    s.receipt.person_name, s.position, s.unit_name
                ),
            });
        }
        None => form.push(Block::Paragraph {
            text: "Họ và tên: ……………………… Chức vụ: ……………………… Đơn vị: ………………………".into(),
        }),
    }
    form.extend(paragraphs(&c.body));
    if let Some(s) = &signed {
        form.push(Block::Paragraph {
            text: format!(
                "Đã ký xác nhận {} lúc {}. Mã băm nội dung (SHA-256): {}. Biên nhận: mục nhật ký số {}, mã {}.",
                if s.receipt.method == "paper" {
                    "bằng bản giấy (bản quét lưu trên hệ thống)"
                } else {
                    "trên hệ thống An Toàn"
                },
                crate::view::datetime_ms(s.receipt.signed_at),
                s.receipt.text_hash,
                s.receipt.audit_seq,
                s.receipt.audit_hash
            ),
        });
    }
    Ok(Document {
        format,
        doc_type: DocumentType::KeHoach,
        issuer: Issuer {
            parent: settings.parent_name.clone(),
            name: settings.issuer_name.clone(),
            abbreviation: owner.abbreviation.clone().unwrap_or_default(),
            drafting_unit: None,
        },
        number: None,
        place: settings.place.clone(),
        date: c.opens_on,
        summary: Some(c.title.clone()),
        legal_bases: Vec::new(),
        enactment: None,
        recipients: Vec::new(),
        body,
        signer: Signer {
            authority: Vec::new(),
            position: Some("Thủ trưởng cơ quan".into()),
            // The plan is printed for reference; the head signs the paper original.
            name: "……………………………".into(),
        },
        distribution: vec![
            "Cán bộ, công chức, viên chức, người lao động".into(),
            "Lưu: VT".into(),
        ],
        secrecy: None,
        urgency: None,
        annexes: vec![Annex {
            title: c.heading.clone(),
            blocks: form,
        }],
    })
}

pub fn pdf_response(bytes: Vec<u8>, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// `GET /commitments/{id}/document.pdf`: the launch plan with the blank form.
pub(super) async fn launch_pdf(
    State(st): State<AppState>,
    a: Authz<CampaignView>,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let c = commitments::get(&st.db, &a.scope, id).await?;
    let owner = units::by_id(&st.db, c.owner_unit_id).await?;
    let doc = document(&st, &owner, &c, None).await?;
    let bytes = render::render(doc, OutputKind::Pdf).await?;
    Ok(pdf_response(bytes, &format!("cam-ket-{}.pdf", c.id)))
}
