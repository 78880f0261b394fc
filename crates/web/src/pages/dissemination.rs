//! Dissemination campaigns: launching one (documents of the library, an audience of unit
//! subtrees and an optional group, an optional quiz), its page with live coverage and the
//! people still to read, reminders, closing, the XLSX of the missing; the person's reading
//! page lives in `read`, the officer's meeting briefing in `briefing`.

mod briefing;
mod read;

use crate::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::{Authz, User};
use crate::error::{AppError, AppResult};
use crate::pages::commitments::{AreaQuery, Empty};
use crate::view::{Page, html};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use store::coverage::Coverage;
use store::directives::{self, Directive};
use store::dissemination::{self, Campaign, CampaignInput, Group, Missing, QuestionInput, Task};
use store::registers::Viewer;
use store::scope::{CampaignManage, CampaignView, DirectiveView};
use store::units::{self, Unit};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dissemination", get(index).post(create))
        .route("/dissemination/new", get(new))
        .route("/dissemination/{id}", get(show))
        .route("/dissemination/{id}/close", post(close))
        .route("/dissemination/{id}/remind", post(remind))
        .route("/dissemination/{id}/missing.xlsx", get(missing_xlsx))
        .route(
            "/dissemination/{id}/read",
            get(read::page).post(read::submit),
        )
        .route(
            "/dissemination/{id}/briefing",
            get(briefing::form).post(briefing::submit),
        )
}

#[derive(Template)]
#[template(path = "dissemination/index.html")]
struct IndexPage {
    page: Page,
    tasks: Vec<Task>,
    watched: Vec<Campaign>,
    can_launch: bool,
}

impl IndexPage {
    fn date(&self, d: &chrono::NaiveDate) -> String {
        crate::view::date(d)
    }
}

/// `GET /dissemination`: what the person must read, and the campaigns they watch.
async fn index(State(st): State<AppState>, user: User) -> AppResult<Response> {
    let viewer = Viewer::of_account(&st.db, user.id.account.id).await?;
    let tasks = match user.id.account.person_id {
        Some(p) => dissemination::my_tasks(&st.db, &viewer, p).await?,
        None => Vec::new(),
    };
    let view = user.id.grants.scope::<CampaignView>();
    let watched = match &view {
        Some(s) => dissemination::list(&st.db, s, 200).await?,
        None => Vec::new(),
    };
    if view.is_none() && user.id.account.person_id.is_none() {
        return Err(AppError::Forbidden);
    }
    let page = IndexPage {
        page: Page::new(&user, user.t().s("dis.title"), "movement"),
        tasks,
        watched,
        can_launch: user.id.grants.scope::<CampaignManage>().is_some(),
    };
    Ok(html(&page)?.into_response())
}

#[derive(Deserialize, Default, Clone)]
pub(crate) struct NewForm {
    #[serde(default)]
    owner: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    audience: String,
    #[serde(default)]
    group: String,
    #[serde(default)]
    documents: String,
    #[serde(default)]
    quiz: String,
    #[serde(default)]
    pass_mark: String,
    #[serde(default)]
    opens_on: String,
    #[serde(default)]
    deadline: String,
}

#[derive(Template)]
#[template(path = "dissemination/new.html")]
struct NewPage {
    page: Page,
    owners: Vec<Unit>,
    units: Vec<Unit>,
    directives: Vec<Directive>,
    groups: [Group; 4],
    f: NewForm,
    error: Option<&'static str>,
}

impl NewPage {
    fn has(&self, list: &str, id: &i64) -> bool {
        list.split(',').any(|x| x.trim() == id.to_string())
    }
}

/// Parses the quiz textarea: questions separated by a blank line; the first line is the
/// question, the following lines its options, the right one marked with a leading `*`.
pub(crate) fn parse_quiz(text: &str) -> AppResult<Vec<QuestionInput>> {
    let mut out = Vec::new();
    for block in text.replace("\r\n", "\n").split("\n\n") {
        let lines: Vec<&str> = block
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let Some((q, opts)) = lines.split_first() else {
            continue;
        };
        let correct: Vec<usize> = opts
            .iter()
            .enumerate()
            .filter(|(_, o)| o.starts_with('*'))
            .map(|(i, _)| i)
            .collect();
        if correct.len() != 1 {
            return Err(AppError::Invalid("err.dis_quiz"));
        }
        out.push(QuestionInput {
            question: (*q).to_owned(),
            options: opts
                .iter()
                .map(|o| o.trim_start_matches('*').trim().to_owned())
                .collect(),
            correct: correct[0],
        });
    }
    Ok(out)
}

async fn new_page(
    st: &AppState,
    a: &Authz<CampaignManage>,
    f: NewForm,
    error: Option<&'static str>,
) -> AppResult<NewPage> {
    let roots = units::scope_roots(&st.db, &a.scope).await?;
    let view = a
        .scope
        .narrow::<store::scope::UnitView>(&a.user.id.grants)
        .ok_or(AppError::Forbidden)?;
    let mut all = Vec::new();
    for r in &roots {
        all.extend(units::subtree(&st.db, &view, r.id, 300).await?);
    }
    let dview = a
        .user
        .id
        .grants
        .scope::<DirectiveView>()
        .ok_or(AppError::Forbidden)?;
    let viewer = Viewer::of_account(&st.db, a.user.id.account.id).await?;
    let (directives, _) = directives::list(&st.db, &dview, &viewer, None, 200).await?;
    Ok(NewPage {
        page: Page::new(&a.user, a.t().s("dis.new"), "movement"),
        owners: roots,
        units: all,
        directives,
        groups: Group::ALL,
        f,
        error,
    })
}

/// `GET /dissemination/new`.
async fn new(State(st): State<AppState>, a: Authz<CampaignManage>) -> AppResult<Response> {
    let today = crate::view::today();
    let f = NewForm {
        opens_on: crate::view::date(&today),
        deadline: crate::view::date(&(today + chrono::Days::new(30))),
        pass_mark: "80".into(),
        group: "all".into(),
        ..NewForm::default()
    };
    Ok(html(&new_page(&st, &a, f, None).await?)?.into_response())
}

fn ids(s: &str) -> AppResult<Vec<i64>> {
    s.split([',', ' '])
        .filter(|x| !x.trim().is_empty())
        .map(|x| x.trim().parse().map_err(|_| AppError::Invalid("err.form")))
        .collect()
}

/// `POST /dissemination`. The form sends audience and documents as repeated fields; they
/// arrive joined by commas (see `read_form`).
async fn create(
    State(st): State<AppState>,
    a: Authz<CampaignManage>,
    CsrfForm(raw): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let f = read_form(&raw);
    let parsed = (|| -> AppResult<CampaignInput> {
        let day =
            |s: &str| domain::values::parse_date(s).map_err(|_| AppError::Invalid("err.cmt_date"));
        Ok(CampaignInput {
            owner_unit_id: f
                .owner
                .parse()
                .map_err(|_| AppError::Invalid("err.unit_unknown"))?,
            title: f.title.clone(),
            audience_unit_ids: ids(&f.audience)?,
            group: Group::parse(&f.group)?,
            directive_ids: ids(&f.documents)?,
            questions: parse_quiz(&f.quiz)?,
            pass_mark: if f.quiz.trim().is_empty() {
                0
            } else {
                f.pass_mark
                    .trim()
                    .parse()
                    .map_err(|_| AppError::Invalid("err.dis_quiz"))?
            },
            opens_on: day(&f.opens_on)?,
            deadline: day(&f.deadline)?,
        })
    })();
    let result = match parsed {
        Ok(input) => dissemination::create(&st.db, &a.scope, &a.actor(), &input)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(c) => Ok(Redirect::to(&format!("/dissemination/{}", c.id)).into_response()),
        Err(AppError::Invalid(k)) => {
            let page = new_page(&st, &a, f, Some(k)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)?).into_response())
        }
        Err(e) => Err(e),
    }
}

fn read_form(raw: &[(String, String)]) -> NewForm {
    let mut f = NewForm::default();
    let mut audience = Vec::new();
    let mut documents = Vec::new();
    for (k, v) in raw {
        match k.as_str() {
            "owner" => f.owner = v.clone(),
            "title" => f.title = v.clone(),
            "audience" => audience.push(v.clone()),
            "group" => f.group = v.clone(),
            "documents" => documents.push(v.clone()),
            "quiz" => f.quiz = v.clone(),
            "pass_mark" => f.pass_mark = v.clone(),
            "opens_on" => f.opens_on = v.clone(),
            "deadline" => f.deadline = v.clone(),
            _ => {}
        }
    }
    f.audience = audience.join(",");
    f.documents = documents.join(",");
    f
}

#[derive(Template)]
#[template(path = "dissemination/show.html")]
struct ShowPage {
    page: Page,
    c: Campaign,
    cov: Coverage,
    base: String,
    missing: Vec<Missing>,
    titles: Vec<String>,
    can_manage: bool,
    notice: Option<String>,
    /// E-mail reminders are configured.
    mail_on: bool,
}

impl ShowPage {
    fn date(&self, d: &chrono::NaiveDate) -> String {
        crate::view::date(d)
    }
}

/// `GET /dissemination/{id}?unit=`.
async fn show(
    State(st): State<AppState>,
    a: Authz<CampaignView>,
    Path(id): Path<i64>,
    Query(q): Query<AreaQuery>,
) -> AppResult<Response> {
    let c = dissemination::get(&st.db, &a.scope, id).await?;
    let cov = dissemination::coverage(&st.db, &a.scope, &c, q.unit).await?;
    let missing = if cov.area.kind == domain::values::UnitKind::Province {
        Vec::new()
    } else {
        dissemination::missing_people(&st.db, &a.scope, &c, Some(cov.area.id), 500).await?
    };
    let viewer = Viewer::of_account(&st.db, a.user.id.account.id).await?;
    let ids: Vec<i64> = c.documents.iter().map(|d| d.directive_id).collect();
    let docs = store::directives::get_many_for_campaigns(&st.db, &viewer, &ids).await?;
    let mut titles = Vec::new();
    for d in &c.documents {
        let dir = docs.get(&d.directive_id).ok_or(store::Error::NotFound)?;
        titles.push(format!(
            "{} — {} ({} {})",
            dir.code,
            dir.title_text(),
            a.t().s("dir.version"),
            dir.version
        ));
    }
    let counts = crate::pages::commitments::reminded_text(&a.t(), &q);
    let notice = q
        .notice
        .filter(|n| ["dis.reminded", "cmt.closed_ok", "dis.briefed"].contains(&n.as_str()))
        .map(|n| match &counts {
            Some(counts) if n == "dis.reminded" => format!("{} {counts}", a.t().s(&n)),
            _ => a.t().s(&n).to_owned(),
        });
    let page = ShowPage {
        page: Page::new(&a.user, c.title.clone(), "movement"),
        mail_on: st.cfg.smtp.is_some(),
        can_manage: crate::pages::commitments::can_manage(&a.user, &c.owner_path),
        base: format!("/dissemination/{}", c.id),
        c,
        cov,
        missing,
        titles,
        notice,
    };
    Ok(html(&page)?.into_response())
}

/// `POST /dissemination/{id}/close`.
async fn close(
    State(st): State<AppState>,
    a: Authz<CampaignManage>,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> AppResult<Response> {
    dissemination::close(&st.db, &a.scope, &a.actor(), id).await?;
    Ok(Redirect::to(&format!("/dissemination/{id}?notice=cmt.closed_ok")).into_response())
}

/// `POST /dissemination/{id}/remind`.
async fn remind(
    State(st): State<AppState>,
    a: Authz<CampaignManage>,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> AppResult<Response> {
    let c = dissemination::get(&st.db, &a.scope, id).await?;
    let text = format!("{} {}", a.t().s("dis.remind_text"), c.title);
    let url = format!("{}/dissemination/{}/read", st.cfg.public_url, c.id);
    let compose = |r: &store::notices::Recipient| {
        crate::mail::reminder(
            crate::mail::About::Dissemination,
            r,
            &c.title,
            c.deadline,
            &url,
        )
    };
    let mail: Option<store::notices::Compose<'_>> = st.cfg.smtp.as_ref().map(|_| &compose as _);
    let done =
        store::notices::remind_dissemination(&st.db, &a.scope, &a.actor(), id, &text, mail).await?;
    Ok(Redirect::to(&format!(
        "/dissemination/{id}?notice=dis.reminded&{}",
        crate::pages::commitments::reminded_query(&done)
    ))
    .into_response())
}

/// `GET /dissemination/{id}/missing.xlsx?unit=`.
async fn missing_xlsx(
    State(st): State<AppState>,
    a: Authz<CampaignView>,
    Path(id): Path<i64>,
    Query(q): Query<AreaQuery>,
) -> AppResult<Response> {
    let c = dissemination::get(&st.db, &a.scope, id).await?;
    let cov = dissemination::coverage(&st.db, &a.scope, &c, q.unit).await?;
    let missing =
        dissemination::missing_people(&st.db, &a.scope, &c, Some(cov.area.id), 50_000).await?;
    let t = a.t();
    let rows: Vec<[String; 4]> = missing
        .iter()
        .enumerate()
        .map(|(i, p)| {
            [
                (i + 1).to_string(),
                p.full_name.clone(),
                p.position.clone(),
                p.unit_name.clone(),
            ]
        })
        .collect();
    let heading = format!(
        "{} — {}: {} {}/{} ({}%)",
        c.title,
        cov.area.name,
        t.s("dis.acknowledged"),
        cov.figures.done,
        cov.figures.required,
        cov.figures.percent()
    );
    let bytes = crate::pages::commitments::missing_workbook(
        &heading,
        [
            t.s("cmt.col.no"),
            t.s("cmt.col.name"),
            t.s("cmt.col.position"),
            t.s("cmt.col.unit"),
        ],
        &rows,
    )?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"chua-quan-triet-{}-{}.xlsx\"",
                    c.id, cov.area.id
                ),
            ),
        ],
        bytes,
    )
        .into_response())
}
