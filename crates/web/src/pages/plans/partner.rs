//! What a partner account sees: the issued plans naming its partner body and, in each, its
//! own tasks and force rows. Any other plan, or any account not linked to a partner, is "not
//! found".

use super::viewer;
use crate::AppState;
use crate::auth::User;
use crate::error::{AppError, AppResult};
use crate::view::{Page, html};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use domain::plans::ForceKind;
use store::plans::partner::{self, PartnerOf};
use store::plans::{Content, Plan};

async fn me(st: &AppState, user: &User) -> AppResult<PartnerOf> {
    partner::partner_of(&st.db, user.id.account.id)
        .await?
        .ok_or(AppError::NotFound)
}

#[derive(Template)]
#[template(path = "plans/partner_list.html")]
struct ListPage {
    page: Page,
    partner: PartnerOf,
    items: Vec<Plan>,
}

impl ListPage {
    fn period(&self, p: &Plan) -> String {
        format!(
            "{} – {}",
            crate::view::date(&p.starts_on),
            crate::view::date(&p.ends_on)
        )
    }
}

/// `GET /partner/plans`.
pub(super) async fn list(State(st): State<AppState>, user: User) -> AppResult<Response> {
    let p = me(&st, &user).await?;
    let v = viewer(&st, &user).await?;
    let items = partner::plans(&st.db, p.partner_id, &v).await?;
    let page = ListPage {
        page: Page::new(&user, user.t().s("plan.partner_title"), "plans"),
        partner: p,
        items,
    };
    Ok(html(&page)?.into_response())
}

#[derive(Template)]
#[template(path = "plans/partner_show.html")]
struct ShowPage {
    page: Page,
    partner: PartnerOf,
    plan: Plan,
    content: Content,
}

impl ShowPage {
    fn date(&self, d: &chrono::NaiveDate) -> String {
        crate::view::date(d)
    }
    fn force_label(&self, k: &ForceKind) -> String {
        self.page.t.k("plan.force", k.code())
    }
}

/// `GET /partner/plans/{id}`.
pub(super) async fn show(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let p = me(&st, &user).await?;
    let v = viewer(&st, &user).await?;
    let (plan, content) = partner::plan(&st.db, p.partner_id, &v, id).await?;
    let page = ShowPage {
        page: Page::new(&user, plan.title_text().to_owned(), "plans"),
        partner: p,
        plan,
        content,
    };
    Ok(html(&page)?.into_response())
}
