//! News and propaganda: the list of articles the reader may see, an article (each reader
//! counted once) and its printable view, the editor (a textarea of simple text or HTML that
//! works without JavaScript; the toolbar in app.js only inserts markup), and article images.
//!
//! Reading needs `NewsView`; writing `NewsManage` over the audience unit. Managers also see
//! their audiences' scheduled articles, marked as such.

mod forms;
mod images;

use crate::AppState;
use crate::auth::Authz;
use crate::error::AppResult;
use crate::view::{Page, datetime_ms, html};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use store::news::{self, Article, Headline};
use store::scope::{NewsManage, NewsView};
use store::{Scope, now_ms};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/news", get(list).post(forms::create))
        .route("/news/new", get(forms::new))
        .route("/news/images", get(images::page).post(images::upload))
        .route("/news/images/{id}", get(images::serve))
        .route("/news/{id}", get(show))
        .route("/news/{id}/print", get(print))
        .route("/news/{id}/edit", get(forms::edit).post(forms::update))
}

pub(crate) fn manage_of(a: &Authz<NewsView>) -> Option<Scope<NewsManage>> {
    a.user.id.grants.scope::<NewsManage>()
}

#[derive(Deserialize, Default)]
struct ListParams {
    cursor: Option<String>,
}

#[derive(Template)]
#[template(path = "news/list.html")]
struct ListPage {
    page: Page,
    items: Vec<Headline>,
    next: Option<String>,
    can_write: bool,
    now: i64,
}

impl ListPage {
    fn when(&self, h: &Headline) -> String {
        datetime_ms(h.publish_at)
    }
}

/// `GET /news`.
async fn list(
    State(st): State<AppState>,
    a: Authz<NewsView>,
    Query(p): Query<ListParams>,
) -> AppResult<Response> {
    let manage = manage_of(&a);
    let (items, next) =
        news::list(&st.db, &a.scope, manage.as_ref(), p.cursor.as_deref(), 30).await?;
    let page = ListPage {
        page: Page::new(&a.user, a.t().s("news.title"), "news"),
        items,
        next,
        can_write: manage.is_some(),
        now: now_ms(),
    };
    Ok(html(&page)?.into_response())
}

#[derive(Deserialize, Default)]
struct ShowParams {
    notice: Option<String>,
}

#[derive(Template)]
#[template(path = "news/article.html")]
struct ArticlePage {
    page: Page,
    a: Article,
    can_edit: bool,
    scheduled: bool,
    notice: Option<&'static str>,
}

impl ArticlePage {
    fn when(&self) -> String {
        datetime_ms(self.a.publish_at)
    }
}

#[derive(Template)]
#[template(path = "news/print.html")]
struct PrintPage {
    page: Page,
    a: Article,
}

impl PrintPage {
    fn when(&self) -> String {
        datetime_ms(self.a.publish_at)
    }
}

/// The article if the reader may see it; counts the reading once.
async fn read(st: &AppState, a: &Authz<NewsView>, id: i64) -> AppResult<(Article, bool)> {
    let manage = manage_of(a);
    let mut art = news::get(&st.db, &a.scope, manage.as_ref(), id).await?;
    if news::mark_read(&st.db, &a.actor(), &art).await? {
        art.read_count += 1;
    }
    let can_edit = manage
        .as_ref()
        .is_some_and(|m| m.contains_path(&art.audience_path));
    Ok((art, can_edit))
}

/// `GET /news/{id}`.
async fn show(
    State(st): State<AppState>,
    a: Authz<NewsView>,
    Path(id): Path<i64>,
    Query(p): Query<ShowParams>,
) -> AppResult<Response> {
    let (art, can_edit) = read(&st, &a, id).await?;
    let page = ArticlePage {
        page: Page::new(&a.user, art.title.clone(), "news"),
        scheduled: art.scheduled(now_ms()),
        a: art,
        can_edit,
        notice: p
            .notice
            .as_deref()
            .and_then(|n| ["news.saved"].into_iter().find(|k| *k == n)),
    };
    Ok(html(&page)?.into_response())
}

/// `GET /news/{id}/print`: the article alone, laid out for paper.
async fn print(
    State(st): State<AppState>,
    a: Authz<NewsView>,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let (art, _) = read(&st, &a, id).await?;
    let page = PrintPage {
        page: Page::new(&a.user, art.title.clone(), "news"),
        a: art,
    };
    Ok(html(&page)?.into_response())
}
