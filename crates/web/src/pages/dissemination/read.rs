//! The person's reading page: the campaign's documents (as their clearance allows), the quiz
//! when there is one, and the confirmation. A document whose version changed since the page
//! was shown must be read again before it counts.

use crate::AppState;
use crate::auth::User;
use crate::auth::csrf::CsrfForm;
use crate::error::{AppError, AppResult};
use crate::pages::commitments::person_of;
use crate::view::{Page, html};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use store::dissemination::{self, Question, Task};
use store::registers::Viewer;

#[derive(Template)]
#[template(path = "dissemination/read.html")]
struct ReadPage {
    page: Page,
    task: Task,
    questions: Vec<Question>,
    error: Option<&'static str>,
    done_now: bool,
}

impl ReadPage {
    fn date(&self, d: &chrono::NaiveDate) -> String {
        crate::view::date(d)
    }
    fn paragraphs(&self, body: &str) -> Vec<String> {
        body.split("\n\n")
            .map(|p| p.trim().to_owned())
            .filter(|p| !p.is_empty())
            .collect()
    }
}

async fn build(
    st: &AppState,
    user: &User,
    id: i64,
    error: Option<&'static str>,
    done_now: bool,
) -> AppResult<ReadPage> {
    let viewer = Viewer::of_account(&st.db, user.id.account.id).await?;
    let task = dissemination::my_task(&st.db, &viewer, person_of(user)?, id).await?;
    let questions = dissemination::questions(&st.db, id).await?;
    Ok(ReadPage {
        page: Page::new(user, task.campaign.title.clone(), "movement"),
        task,
        questions,
        error,
        done_now,
    })
}

/// `GET /dissemination/{id}/read`.
pub(super) async fn page(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    Ok(html(&build(&st, &user, id, None, false).await?)?.into_response())
}

/// `POST /dissemination/{id}/read`: `seen` = "directive:version" for each document shown,
/// `q{question id}` = the option chosen.
pub(super) async fn submit(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<i64>,
    CsrfForm(raw): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let person = person_of(&user)?;
    let mut seen = Vec::new();
    let mut answers = Vec::new();
    let mut read = false;
    for (k, v) in &raw {
        if k == "seen" {
            let (d, ver) = v.split_once(':').ok_or(AppError::Invalid("err.form"))?;
            seen.push((
                d.parse().map_err(|_| AppError::Invalid("err.form"))?,
                ver.parse().map_err(|_| AppError::Invalid("err.form"))?,
            ));
        } else if let Some(q) = k.strip_prefix('q') {
            answers.push((
                q.parse().map_err(|_| AppError::Invalid("err.form"))?,
                v.parse().map_err(|_| AppError::Invalid("err.form"))?,
            ));
        } else if k == "read" {
            read = true;
        }
    }
    let result = if read {
        dissemination::acknowledge(
            &st.db,
            &user.actor(),
            person,
            id,
            &seen,
            &answers,
            crate::view::today(),
        )
        .await
        .map_err(AppError::from)
    } else {
        Err(AppError::Invalid("err.cmt_read"))
    };
    match result {
        Ok(_) => Ok(html(&build(&st, &user, id, None, true).await?)?.into_response()),
        Err(AppError::Invalid(k)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            html(&build(&st, &user, id, Some(k), false).await?)?,
        )
            .into_response()),
        Err(e) => Err(e),
    }
}
