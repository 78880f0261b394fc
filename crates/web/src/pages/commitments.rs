//! Commitment campaigns: the list (what the person must sign, what they watch), launching a
//! campaign, a campaign's page with live coverage and drill-down from the organisation (or the
//! province) to units, teams and people, closing, reminders, and the province overview of
//! every organisation side by side.
//!
//! Watching needs `CampaignView`, launching and recording `CampaignManage`; signing needs only
//! to be the person asked (see `store::commitments`).

mod document;
mod report;
pub(crate) use report::missing_workbook;
mod sign;
pub(crate) use sign::{confirm as confirm_signer, person_of};

use crate::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::{Authz, User};
use crate::error::{AppError, AppResult};
use crate::view::{Page, html};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use store::commitments::{self, Campaign, CampaignInput, Receipt, Status};
use store::coverage::{Coverage, Figures};
use store::scope::{CampaignManage, CampaignView};
use store::units::{self, Unit};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/commitments", get(index).post(create))
        .route("/commitments/new", get(new))
        .route("/commitments/province", get(province))
        .route("/commitments/{id}", get(show))
        .route("/commitments/{id}/close", post(close))
        .route("/commitments/{id}/remind", post(remind))
        .route("/commitments/{id}/sign", get(sign::page).post(sign::submit))
        .route("/commitments/{id}/receipt", get(sign::receipt))
        .route("/commitments/{id}/receipt.json", get(sign::receipt_json))
        .route("/commitments/{id}/signed.pdf", get(sign::signed_pdf))
        .route("/commitments/{id}/document.pdf", get(document::launch_pdf))
        .route("/commitments/{id}/people", get(report::people))
        .route("/commitments/{id}/missing.xlsx", get(report::missing_xlsx))
        .route(
            "/commitments/{id}/paper",
            get(report::paper_form).post(report::paper_submit),
        )
}

/// Whether the person may manage campaigns of this owner.
pub(crate) fn can_manage(user: &User, owner_path: &str) -> bool {
    user.id
        .grants
        .scope::<CampaignManage>()
        .is_some_and(|s| s.contains_path(owner_path))
}

#[derive(Template)]
#[template(path = "commitments/index.html")]
struct IndexPage {
    page: Page,
    mine: Vec<(Campaign, Option<Receipt>)>,
    watched: Vec<(Campaign, Option<Figures>)>,
    can_launch: bool,
    province_view: bool,
}

impl IndexPage {
    fn date(&self, d: &chrono::NaiveDate) -> String {
        crate::view::date(d)
    }
    fn when(&self, ms: &i64) -> String {
        crate::view::datetime_ms(*ms)
    }
}

/// `GET /commitments`.
async fn index(State(st): State<AppState>, user: User) -> AppResult<Response> {
    let mine = match user.id.account.person_id {
        Some(p) => commitments::my_campaigns(&st.db, p).await?,
        None => Vec::new(),
    };
    let mut watched = Vec::new();
    let view = user.id.grants.scope::<CampaignView>();
    if let Some(scope) = &view {
        for c in commitments::list(&st.db, scope, None, 100).await? {
            // Figures for the open campaigns; closed ones are a click away.
            let f = if c.status == Status::Open {
                Some(
                    commitments::coverage(&st.db, scope, &c, None)
                        .await?
                        .figures,
                )
            } else {
                None
            };
            watched.push((c, f));
        }
    }
    if view.is_none() && user.id.account.person_id.is_none() {
        return Err(AppError::Forbidden);
    }
    let page = IndexPage {
        page: Page::new(&user, user.t().s("cmt.title"), "movement"),
        mine,
        watched,
        can_launch: user.id.grants.scope::<CampaignManage>().is_some(),
        province_view: view
            .as_ref()
            .is_some_and(|s| s.roots().iter().any(|r| r.org_id.is_none())),
    };
    Ok(html(&page)?.into_response())
}

#[derive(Template)]
#[template(path = "commitments/new.html")]
struct NewPage {
    page: Page,
    owners: Vec<Unit>,
    f: NewForm,
    error: Option<&'static str>,
}

#[derive(Deserialize, Default, Clone)]
pub(crate) struct NewForm {
    #[serde(default)]
    owner: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    heading: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    opens_on: String,
    #[serde(default)]
    deadline: String,
}

/// The text most organisations start from; the officer edits it before launching.
const DEFAULT_BODY: &str = "Tôi xin cam kết thực hiện tốt các nội dung sau:\n\n\
1. Chấp hành nghiêm chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước; nội quy, quy chế của cơ quan.\n\n\
2. Thực hiện tốt công tác bảo vệ bí mật nhà nước, bảo vệ chính trị nội bộ; không lưu giữ, phát tán thông tin sai sự thật.\n\n\
3. Tích cực tham gia phong trào Toàn dân bảo vệ an ninh Tổ quốc; phát hiện, báo cáo kịp thời các hành vi vi phạm.\n\n\
4. Chấp hành các quy định về phòng cháy, chữa cháy, an toàn giao thông; không vi phạm tệ nạn xã hội.\n\n\
Nếu vi phạm, tôi xin chịu hoàn toàn trách nhiệm trước cơ quan và pháp luật.";

async fn owners(st: &AppState, scope: &store::Scope<CampaignManage>) -> AppResult<Vec<Unit>> {
    let mut out = units::scope_roots(&st.db, scope).await?;
    out.retain(|u| {
        u.kind != domain::values::UnitKind::Department && u.kind != domain::values::UnitKind::Team
    });
    Ok(out)
}

/// `GET /commitments/new`.
async fn new(State(st): State<AppState>, a: Authz<CampaignManage>) -> AppResult<Response> {
    let today = crate::view::today();
    let f = NewForm {
        year: today.format("%Y").to_string(),
        title: format!(
            "Ký cam kết thực hiện phong trào Toàn dân bảo vệ an ninh Tổ quốc năm {}",
            today.format("%Y")
        ),
        heading: "BẢN CAM KẾT".into(),
        body: DEFAULT_BODY.into(),
        opens_on: crate::view::date(&today),
        deadline: crate::view::date(&(today + chrono::Days::new(30))),
        ..NewForm::default()
    };
    let page = NewPage {
        page: Page::new(&a.user, a.t().s("cmt.new"), "movement"),
        owners: owners(&st, &a.scope).await?,
        f,
        error: None,
    };
    Ok(html(&page)?.into_response())
}

fn parse_day(s: &str) -> AppResult<chrono::NaiveDate> {
    domain::values::parse_date(s).map_err(|_| AppError::Invalid("err.cmt_date"))
}

/// `POST /commitments`: launches a campaign; errors come back on the form with what was typed.
async fn create(
    State(st): State<AppState>,
    a: Authz<CampaignManage>,
    CsrfForm(f): CsrfForm<NewForm>,
) -> AppResult<Response> {
    let parsed = (|| -> AppResult<CampaignInput> {
        Ok(CampaignInput {
            owner_unit_id: f
                .owner
                .parse()
                .map_err(|_| AppError::Invalid("err.unit_unknown"))?,
            year: f
                .year
                .trim()
                .parse()
                .map_err(|_| AppError::Invalid("err.cmt_year"))?,
            title: f.title.clone(),
            heading: f.heading.clone(),
            body: f.body.replace("\r\n", "\n"),
            opens_on: parse_day(&f.opens_on)?,
            deadline: parse_day(&f.deadline)?,
        })
    })();
    let result = match parsed {
        Ok(input) => commitments::create(&st.db, &a.scope, &a.actor(), &input)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(c) => Ok(Redirect::to(&format!("/commitments/{}", c.id)).into_response()),
        Err(AppError::Invalid(k)) => {
            let page = NewPage {
                page: Page::new(&a.user, a.t().s("cmt.new"), "movement"),
                owners: owners(&st, &a.scope).await?,
                f,
                error: Some(k),
            };
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, html(&page)?).into_response())
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, Default)]
pub(crate) struct AreaQuery {
    pub unit: Option<i64>,
    pub notice: Option<String>,
    /// After a reminder: people reminded, e-mails queued, people without an address.
    pub sent: Option<i64>,
    pub mailed: Option<i64>,
    pub nomail: Option<i64>,
}

#[derive(Template)]
#[template(path = "commitments/show.html")]
struct ShowPage {
    page: Page,
    c: Campaign,
    cov: Coverage,
    crumbs: Vec<Unit>,
    base: String,
    can_manage: bool,
    notice: Option<String>,
    can_sign: bool,
    /// E-mail reminders are configured.
    mail_on: bool,
}

impl ShowPage {
    fn date(&self, d: &chrono::NaiveDate) -> String {
        crate::view::date(d)
    }
    fn open(&self) -> bool {
        self.c.status == Status::Open
    }
}

/// `GET /commitments/{id}?unit=`: coverage of an area with its split, the 100% target.
async fn show(
    State(st): State<AppState>,
    a: Authz<CampaignView>,
    Path(id): Path<i64>,
    Query(q): Query<AreaQuery>,
) -> AppResult<Response> {
    let c = commitments::get(&st.db, &a.scope, id).await?;
    let cov = commitments::coverage(&st.db, &a.scope, &c, q.unit).await?;
    let crumbs = units::ancestors(&st.db, &a.scope, &cov.area).await?;
    let can_sign = match a.user.id.account.person_id {
        Some(p) => commitments::my_campaigns(&st.db, p)
            .await?
            .iter()
            .any(|(m, r)| m.id == c.id && r.is_none()),
        None => false,
    };
    let counts = reminded_text(&a.t(), &q);
    let notice = q
        .notice
        .filter(|n| {
            [
                "cmt.launched",
                "cmt.closed_ok",
                "cmt.reminded",
                "cmt.paper_ok",
            ]
            .contains(&n.as_str())
        })
        .map(|n| match &counts {
            Some(counts) if n == "cmt.reminded" => format!("{} {counts}", a.t().s(&n)),
            _ => a.t().s(&n).to_owned(),
        });
    let page = ShowPage {
        page: Page::new(&a.user, c.title.clone(), "movement"),
        mail_on: st.cfg.smtp.is_some(),
        can_manage: can_manage(&a.user, &c.owner_path),
        base: format!("/commitments/{}", c.id),
        c,
        cov,
        crumbs,
        notice,
        can_sign,
    };
    Ok(html(&page)?.into_response())
}

#[derive(Deserialize)]
pub(crate) struct Empty {}

/// `POST /commitments/{id}/close`.
async fn close(
    State(st): State<AppState>,
    a: Authz<CampaignManage>,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> AppResult<Response> {
    commitments::close(&st.db, &a.scope, &a.actor(), id).await?;
    Ok(Redirect::to(&format!("/commitments/{id}?notice=cmt.closed_ok")).into_response())
}

/// `POST /commitments/{id}/remind`: an in-app notice to everyone in the scope who has not
/// signed.
async fn remind(
    State(st): State<AppState>,
    a: Authz<CampaignManage>,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> AppResult<Response> {
    let c = commitments::get(&st.db, &a.scope, id).await?;
    let text = format!("{} {}", a.t().s("cmt.remind_text"), c.title);
    let url = format!("{}/commitments/{}/sign", st.cfg.public_url, c.id);
    let compose = |r: &store::notices::Recipient| {
        crate::mail::reminder(
            crate::mail::About::Commitment,
            r,
            &c.title,
            c.deadline,
            &url,
        )
    };
    let mail: Option<store::notices::Compose<'_>> = st.cfg.smtp.as_ref().map(|_| &compose as _);
    let done =
        store::notices::remind_commitment(&st.db, &a.scope, &a.actor(), id, &text, mail).await?;
    Ok(Redirect::to(&format!(
        "/commitments/{id}?notice=cmt.reminded&{}",
        reminded_query(&done)
    ))
    .into_response())
}

/// The counts of a reminder, carried to the page shown after it.
pub(crate) fn reminded_query(r: &store::notices::Reminded) -> String {
    if r.mail_on {
        format!(
            "sent={}&mailed={}&nomail={}",
            r.recipients.len(),
            r.emails_queued,
            r.no_email
        )
    } else {
        format!("sent={}", r.recipients.len())
    }
}

/// The sentence telling what a reminder did (in-app, and e-mails queued or skipped).
pub(crate) fn reminded_text(t: &crate::i18n::T, q: &AreaQuery) -> Option<String> {
    let sent = q.sent?;
    let mut s = t.f("mail.reminded", sent);
    if let (Some(m), Some(n)) = (q.mailed, q.nomail) {
        s.push(' ');
        s.push_str(&t.f2("mail.queued", m, n));
    }
    Some(s)
}

#[derive(Deserialize, Default)]
struct YearQuery {
    year: Option<i64>,
}

/// One organisation of the province overview: its latest campaign of the year (its own or
/// one launched above it) with the figures of the organisation's part.
pub(crate) struct OrgLine {
    org_id: i64,
    name: String,
    campaign: Option<(i64, String, Figures)>,
}

#[derive(Template)]
#[template(path = "commitments/province.html")]
struct ProvincePage {
    page: Page,
    year: i64,
    rows: Vec<OrgLine>,
    total: Figures,
    complete: usize,
}

/// `GET /commitments/province?year=`: every organisation side by side.
async fn province(
    State(st): State<AppState>,
    a: Authz<CampaignView>,
    Query(q): Query<YearQuery>,
) -> AppResult<Response> {
    let year = q
        .year
        .unwrap_or_else(|| i64::from(chrono::Datelike::year(&crate::view::today())));
    // Newest first, so the first campaign found for an organisation is its latest.
    let campaigns = commitments::list(&st.db, &a.scope, Some(year), 500).await?;
    let rows = commitments::province_overview(&st.db, &a.scope, &campaigns).await?;
    let mut total = Figures::default();
    let mut complete = 0;
    let rows: Vec<OrgLine> =
        rows.into_iter()
            .map(|r| {
                let campaign =
                    r.cells.iter().enumerate().find_map(|(i, c)| {
                        c.map(|f| (campaigns[i].id, campaigns[i].title.clone(), f))
                    });
                if let Some((_, _, f)) = &campaign {
                    total.required += f.required;
                    total.done += f.done;
                    complete += usize::from(f.complete());
                }
                OrgLine {
                    org_id: r.org_id,
                    name: r.name,
                    campaign,
                }
            })
            .collect();
    let page = ProvincePage {
        page: Page::new(&a.user, a.t().s("cmt.province"), "movement"),
        year,
        rows,
        total,
        complete,
    };
    Ok(html(&page)?.into_response())
}

/// Lines for the home page's "what needs attention": commitments to sign, documents to read,
/// and unread reminders.
pub(crate) async fn attention(st: &AppState, user: &User) -> AppResult<Vec<String>> {
    let t = user.t();
    let mut out = Vec::new();
    let Some(person) = user.id.account.person_id else {
        return Ok(out);
    };
    let (to_sign, to_read, notices) = tokio::try_join!(
        commitments::unsigned_count(&st.db, person),
        store::dissemination::pending_count(&st.db, person),
        store::notices::unread(&st.db, user.id.account.id),
    )?;
    if to_sign > 0 {
        out.push(t.f("home.attn.to_sign", to_sign));
    }
    if to_read > 0 {
        out.push(t.f("home.attn.to_read", to_read));
    }
    for n in notices.into_iter().take(3) {
        out.push(format!("{}: {}", t.s("home.attn.notices"), n.text));
    }
    Ok(out)
}
