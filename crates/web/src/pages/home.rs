//! The home dashboard: people and units at a glance, recent activity, what needs attention.

use crate::AppState;
use crate::auth::User;
use crate::error::AppResult;
use crate::view::{Page, datetime_ms, html};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use domain::values::UnitKind;
use store::audit::Entry;
use store::news::Headline;
use store::people::Counts;
use store::scope::{AccountView, AuditView, NewsView, PersonView, UnitView};
use store::{audit, people, units};

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

#[derive(Template)]
#[template(path = "pages/home.html")]
struct HomePage {
    page: Page,
    counts: Option<Counts>,
    unit_counts: Vec<(UnitKind, i64)>,
    roots: Vec<units::Unit>,
    roles: Vec<String>,
    recent: Vec<Entry>,
    attention: Vec<String>,
    board: Vec<Headline>,
}

impl HomePage {
    fn when(&self, e: &Entry) -> String {
        datetime_ms(e.at)
    }
    fn published(&self, h: &Headline) -> String {
        datetime_ms(h.publish_at)
    }
    fn unit_count(&self, kind: &str) -> i64 {
        self.unit_counts
            .iter()
            .filter(|(k, _)| k.code() == kind)
            .map(|(_, n)| *n)
            .sum()
    }
}

async fn home(State(st): State<AppState>, user: User) -> AppResult<Html<String>> {
    let t = user.t();
    let g = &user.id.grants;
    let unit_scope = g.scope::<UnitView>();
    let person_scope = g.scope::<PersonView>();
    let audit_scope = g.scope::<AuditView>();
    let account_scope = g.scope::<AccountView>();
    let news_scope = g.scope::<NewsView>();
    let (counts, unit_counts, roots, recent, attn, board) = tokio::try_join!(
        async {
            match &person_scope {
                Some(s) => people::counts(&st.db, s).await.map(Some),
                None => Ok(None),
            }
        },
        async {
            match &unit_scope {
                Some(s) => units::counts(&st.db, s).await,
                None => Ok(Vec::new()),
            }
        },
        async {
            match &unit_scope {
                Some(s) => units::scope_roots(&st.db, s).await,
                None => Ok(Vec::new()),
            }
        },
        async {
            match &audit_scope {
                Some(s) => audit::recent(&st.db, s, 8).await,
                None => Ok(Vec::new()),
            }
        },
        // The head counts above already hold the incomplete records.
        store::dashboard::attention(&st.db, None, account_scope.as_ref()),
        async {
            match &news_scope {
                Some(s) => store::news::board(&st.db, s, 5).await,
                None => Ok(Vec::new()),
            }
        },
    )?;
    let mut attention = Vec::new();
    let incomplete = counts.as_ref().map_or(0, |c| c.incomplete);
    if incomplete > 0 {
        attention.push(t.f("home.attn.incomplete", incomplete));
    }
    if attn.locked_accounts > 0 {
        attention.push(t.f("home.attn.locked", attn.locked_accounts));
    }
    if attn.privileged_without_second_factor > 0 {
        attention.push(t.f(
            "home.attn.no_second_factor",
            attn.privileged_without_second_factor,
        ));
    }
    let (movement, plans) = tokio::try_join!(
        crate::pages::commitments::attention(&st, &user),
        crate::pages::plans::attention(&st, &user),
    )?;
    attention.extend(movement);
    attention.extend(plans);
    if !user.id.account.totp_enabled {
        attention.push(t.s("home.attn.own_second_factor").to_owned());
    }
    let mut roles: Vec<String> = g
        .list
        .iter()
        .map(|gr| format!("{} — {}", t.s(&gr.role.label_key()), gr.unit_name))
        .collect();
    roles.dedup();
    let page = HomePage {
        page: Page::new(&user, t.s("home.title"), "home"),
        counts,
        unit_counts,
        roots,
        roles,
        recent,
        attention,
        board,
    };
    html(&page)
}
