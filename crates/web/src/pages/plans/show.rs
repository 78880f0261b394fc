//! One plan: its page (content, its duty rosters, history, the actions open to the person),
//! the lifecycle actions, the print view and the official document as DOCX or PDF, both
//! with the plan's issued rosters as annexes.

use super::{document, peak_label, viewer};
use crate::AppState;
use crate::auth::User;
use crate::auth::csrf::CsrfForm;
use crate::error::{AppError, AppResult};
use crate::view::{Page, datetime_ms, html};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use domain::plans::{ForceKind, PlanState, Situation, Transition};
use serde::Deserialize;
use store::Scope;
use store::plans::{self, Content, HistoryEntry, Plan, Step};
use store::rosters::{self, PlanRoster};
use store::scope::{PlanApprove, PlanManage, PlanView, RosterManage, RosterView};

#[derive(Template)]
#[template(path = "plans/show.html")]
struct ShowPage {
    page: Page,
    plan: Plan,
    content: Content,
    history: Vec<HistoryEntry>,
    can_edit: bool,
    actions: Vec<Transition>,
    notice: Option<&'static str>,
    today: chrono::NaiveDate,
    rosters: Vec<PlanRoster>,
    /// The person may make a roster for this plan (`RosterManage` over its organisation).
    can_roster: bool,
}

impl ShowPage {
    fn period(&self, r: &PlanRoster) -> String {
        format!(
            "{} – {}",
            crate::view::date(&r.start_day),
            crate::view::date(&r.end_day)
        )
    }
    fn date(&self, d: &chrono::NaiveDate) -> String {
        crate::view::date(d)
    }
    fn when(&self, ms: &i64) -> String {
        datetime_ms(*ms)
    }
    fn peak_name(&self) -> String {
        peak_label(&self.page.t, self.plan.peak_id.as_deref())
    }
    fn days_left(&self) -> i64 {
        self.plan.days_until(self.today)
    }
    fn situations(&self) -> [Situation; 4] {
        Situation::ALL
    }
    fn steps_of(&self, s: &Situation) -> Vec<&Step> {
        self.content.steps_of(*s)
    }
    fn force_label(&self, k: &ForceKind) -> String {
        self.page.t.k("plan.force", k.code())
    }
    fn state_of(&self, s: &Option<PlanState>) -> String {
        match s {
            Some(s) => self.page.t.k("plan.state", s.code()),
            None => "—".to_owned(),
        }
    }
    fn needs_note(&self, t: &Transition) -> bool {
        matches!(t, Transition::Return | Transition::Close)
    }
    fn confirm_key(&self, t: &Transition) -> String {
        format!("plan.confirm.{}", t.code())
    }
}

#[derive(Deserialize, Default)]
pub(super) struct NoticeQuery {
    notice: Option<String>,
}

const NOTICES: &[&str] = &["plan.saved", "plan.created", "plan.moved"];

/// The actions the person may take on the plan now.
fn actions_for(user: &User, plan: &Plan) -> Vec<Transition> {
    let g = &user.id.grants;
    let manage = g
        .scope::<PlanManage>()
        .is_some_and(|s| s.contains_path(&plan.unit_path));
    let approve = g
        .scope::<PlanApprove>()
        .is_some_and(|s| s.contains_path(&plan.unit_path));
    plan.state
        .open()
        .into_iter()
        .filter(|t| match t.needs() {
            domain::plans::Needs::Manage => manage,
            domain::plans::Needs::Approve => approve,
        })
        .collect()
}

/// Rosters are read over the plan scope narrowed to `RosterView` (the same roles hold both
/// today; narrowing keeps it so if they part).
fn roster_scope(user: &User) -> Option<Scope<RosterView>> {
    let g = &user.id.grants;
    g.scope::<PlanView>()?.narrow::<RosterView>(g)
}

/// The issued (published or closed) rosters of a plan the person may read, whole.
async fn issued_rosters(
    st: &AppState,
    user: &User,
    plan: &Plan,
) -> AppResult<Vec<rosters::Detail>> {
    Ok(match roster_scope(user) {
        Some(s) => rosters::issued_for_plan(&st.db, &s, plan.id).await?,
        None => Vec::new(),
    })
}

async fn load(st: &AppState, user: &User, id: i64) -> AppResult<(Plan, Content)> {
    let scope = user
        .id
        .grants
        .scope::<PlanView>()
        .ok_or(AppError::Forbidden)?;
    let v = viewer(st, user).await?;
    let plan = plans::get(&st.db, &scope, &v, id).await?;
    let content = plans::load_content(&st.db, &plan).await?;
    Ok((plan, content))
}

/// `GET /plans/{id}`.
pub(super) async fn show(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> AppResult<Response> {
    let (plan, content) = load(&st, &user, id).await?;
    let history = plans::history(&st.db, &plan).await?;
    let can_edit = plan.state.editable()
        && !plan.redacted
        && user
            .id
            .grants
            .scope::<PlanManage>()
            .is_some_and(|s| s.contains_path(&plan.unit_path));
    let actions = if plan.redacted {
        Vec::new()
    } else {
        actions_for(&user, &plan)
    };
    let notice = q
        .notice
        .as_deref()
        .and_then(|n| NOTICES.iter().copied().find(|k| *k == n));
    let rosters = match roster_scope(&user) {
        Some(s) if !plan.redacted => rosters::for_plan(&st.db, &s, plan.id).await?,
        _ => Vec::new(),
    };
    let can_roster = !plan.redacted
        && user
            .id
            .grants
            .scope::<RosterManage>()
            .is_some_and(|s| s.contains_path(&plan.unit_path));
    let page = ShowPage {
        page: Page::new(&user, plan.title_text().to_owned(), "plans"),
        plan,
        content,
        history,
        can_edit,
        actions,
        notice,
        today: crate::view::today(),
        rosters,
        can_roster,
    };
    Ok(html(&page)?.into_response())
}

#[derive(Deserialize, Default)]
pub(super) struct ActForm {
    #[serde(default)]
    note: String,
}

/// `POST /plans/{id}/act/{action}`: submit, approve, return, start or close.
pub(super) async fn act(
    State(st): State<AppState>,
    user: User,
    Path((id, action)): Path<(i64, String)>,
    CsrfForm(f): CsrfForm<ActForm>,
) -> AppResult<Response> {
    let t = Transition::parse(&action).ok_or(AppError::NotFound)?;
    let v = viewer(&st, &user).await?;
    let (db, actor, today) = (&st.db, user.actor(), crate::view::today());
    let g = &user.id.grants;
    let note = Some(f.note.trim()).filter(|n| !n.is_empty());
    match t {
        Transition::Approve | Transition::Return => {
            let s = g.scope::<PlanApprove>().ok_or(AppError::Forbidden)?;
            if t == Transition::Approve {
                plans::approve(db, &s, &v, &actor, id, note, today).await?;
            } else {
                plans::send_back(db, &s, &v, &actor, id, &f.note, today).await?;
            }
        }
        _ => {
            let s = g.scope::<PlanManage>().ok_or(AppError::Forbidden)?;
            match t {
                Transition::Submit => plans::submit(db, &s, &v, &actor, id, today).await?,
                Transition::Start => plans::start(db, &s, &v, &actor, id, today).await?,
                _ => plans::close(db, &s, &v, &actor, id, &f.note, today).await?,
            };
        }
    }
    Ok(Redirect::to(&format!("/plans/{id}?notice=plan.moved")).into_response())
}

#[derive(Template)]
#[template(path = "plans/print.html")]
struct PrintPage {
    page: Page,
    plan: Plan,
    content: Content,
    issuer: String,
    parent: Option<String>,
    place: String,
    /// Party format (HD 36): "ĐẢNG CỘNG SẢN VIỆT NAM", "Số 05-KH/VPTU"; else the state format.
    party: bool,
    annexes: Vec<PrintAnnex>,
}

/// An annex as the print view lays it out: its label, title, lines and table.
struct PrintAnnex {
    label: String,
    title: String,
    lines: Vec<String>,
    tables: Vec<vanban::Table>,
}

fn print_annexes(list: Vec<vanban::Annex>) -> Vec<PrintAnnex> {
    let count = list.len();
    list.into_iter()
        .enumerate()
        .map(|(i, a)| {
            let mut p = PrintAnnex {
                label: document::annex_label(i, count),
                title: a.title,
                lines: Vec::new(),
                tables: Vec::new(),
            };
            for b in a.blocks {
                match b {
                    vanban::Block::Paragraph { text } => p.lines.push(text),
                    vanban::Block::Table(t) => p.tables.push(t),
                    _ => {}
                }
            }
            p
        })
        .collect()
}

impl PrintPage {
    fn date(&self, d: &chrono::NaiveDate) -> String {
        crate::view::date(d)
    }
    fn situations(&self) -> [Situation; 4] {
        Situation::ALL
    }
    fn steps_of(&self, s: &Situation) -> Vec<&Step> {
        self.content.steps_of(*s)
    }
    fn force_label(&self, k: &ForceKind) -> String {
        self.page.t.k("plan.force", k.code())
    }
    fn date_line(&self) -> String {
        let d = self.plan.doc_date.unwrap_or_else(crate::view::today);
        vanban::format::format_place_date(&self.place, d)
    }
}

/// `GET /plans/{id}/print`: the plan laid out for printing from the browser.
pub(super) async fn print(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let (plan, content) = load(&st, &user, id).await?;
    if plan.redacted {
        return Err(AppError::NotFound);
    }
    let org = store::units::by_id(&st.db, plan.org_id).await?;
    let settings = store::registers::settings(&st.db, &org).await?;
    let rosters = issued_rosters(&st, &user, &plan).await?;
    let annexes = print_annexes(document::annexes(&content, &rosters));
    let page = PrintPage {
        page: Page::new(&user, plan.title_text().to_owned(), "plans"),
        plan,
        content,
        issuer: settings.issuer_name,
        parent: settings.parent_name,
        place: settings.place,
        party: org.doc_format == Some(domain::values::DocFormat::Hd36),
        annexes,
    };
    Ok(html(&page)?.into_response())
}

async fn download(
    st: &AppState,
    user: &User,
    id: i64,
    kind: vanban::OutputKind,
) -> AppResult<Response> {
    let (plan, content) = load(st, user, id).await?;
    if plan.redacted {
        return Err(AppError::NotFound);
    }
    let org = store::units::by_id(&st.db, plan.org_id).await?;
    let settings = store::registers::settings(&st.db, &org).await?;
    // The register entry is the plan's own, and the plan was read within the person's scope
    // and clearance: its number, date and signer are read at the plan's level.
    let signer = match plan.register_entry_id {
        Some(e) => {
            let scope = store::Scope::<store::scope::PartnerView>::whole_system_for_cli(org.root());
            let v = store::registers::Viewer {
                clearance: plan.secrecy,
            };
            store::registers::get(&st.db, &scope, &v, e).await.ok()
        }
        None => None,
    };
    let rosters = issued_rosters(st, user, &plan).await?;
    let doc = document::of(&plan, &content, &org, &settings, signer.as_ref(), &rosters);
    let bytes = crate::pages::registers::render::render(doc, kind).await?;
    let (ctype, ext) = crate::pages::registers::render::content_type(kind);
    Ok((
        [
            (header::CONTENT_TYPE, ctype.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"ke-hoach-{}.{ext}\"", plan.id),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// `GET /plans/{id}/document.pdf`.
pub(super) async fn pdf(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    download(&st, &user, id, vanban::OutputKind::Pdf).await
}

/// `GET /plans/{id}/document.docx`.
pub(super) async fn docx(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    download(&st, &user, id, vanban::OutputKind::Docx).await
}
