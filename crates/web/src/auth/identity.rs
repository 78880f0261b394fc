//! The identity layer and the extractors built on it.
//!
//! The layer reads the session cookie or the `Authorization: Bearer` token once per request
//! and leaves an [`Identity`] and the request's [`Lang`] in the extensions. Handlers then ask
//! for what they need: [`Ctx`] (anyone), [`User`] (signed in, second factor done) or
//! [`Authz<C>`] (signed in and holding capability `C` somewhere, with the scope where it holds).

use crate::AppState;
use crate::auth::cookies;
use crate::error::AppError;
use crate::i18n::{Lang, T};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use std::sync::Arc;
use store::accounts::Account;
use store::identity;
use store::scope::Grants;
use store::sessions::Session;
use store::tokens::Access;
use store::{Cap, Scope};

/// The signed-in account of this request.
#[derive(Debug, Clone)]
pub struct Identity {
    pub account: Account,
    pub grants: Grants,
    /// Present for browser sessions.
    pub session: Option<Session>,
    /// Present for API tokens.
    pub token_access: Option<Access>,
}

impl Identity {
    /// Whether the second factor still has to be given before anything else is allowed.
    pub fn second_factor_pending(&self) -> bool {
        self.session.as_ref().is_some_and(|s| !s.second_factor)
    }

    /// The audit actor for changes made by this identity.
    pub fn actor(&self, ip: &str) -> store::audit::Actor {
        store::audit::Actor {
            account_id: Some(self.account.id),
            name: self.account.username.clone(),
            ip: Some(ip.to_owned()),
        }
    }

    pub fn csrf(&self) -> &str {
        self.session
            .as_ref()
            .map(|s| s.csrf_token.as_str())
            .unwrap_or("")
    }
}

/// The client's address as seen by the server (or the proxy's header when present).
#[derive(Debug, Clone)]
pub struct ClientIp(pub String);

/// The client's address. `X-Forwarded-For` is believed only when the server is configured to
/// sit behind a proxy: otherwise anyone could pick an address and slip past the per-address
/// sign-in throttle.
fn client_ip(req: &Request, trust_forwarded: bool) -> String {
    if trust_forwarded
        && let Some(v) = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
        && let Some(first) = v.split(',').next()
    {
        return first.trim().chars().take(45).collect();
    }
    req.extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "127.0.0.1".into())
}

async fn load(
    st: &AppState,
    headers: &axum::http::HeaderMap,
) -> Result<Option<Identity>, AppError> {
    if let Some(token) = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    {
        let Some((caller, access)) = identity::by_token(&st.db, token.trim()).await? else {
            return Err(AppError::Unauthorized);
        };
        if caller.account.disabled {
            return Err(AppError::Unauthorized);
        }
        return Ok(Some(Identity {
            account: caller.account,
            grants: caller.grants,
            session: None,
            token_access: Some(access),
        }));
    }
    let Some(sid) = cookies::get(headers, cookies::SESSION) else {
        return Ok(None);
    };
    let Some((caller, session)) = identity::by_session(&st.db, &sid, st.cfg.timeouts).await? else {
        return Ok(None);
    };
    if caller.account.disabled {
        return Ok(None);
    }
    let (account, grants) = (caller.account, caller.grants);
    Ok(Some(Identity {
        account,
        grants,
        session: Some(session),
        token_access: None,
    }))
}

/// Loads the identity and language for every request.
pub async fn layer(State(st): State<AppState>, mut req: Request, next: Next) -> Response {
    let ip = client_ip(&req, st.cfg.trust_forwarded);
    req.extensions_mut().insert(ClientIp(ip));
    let headers = req.headers().clone();
    let ident = match load(&st, &headers).await {
        Ok(i) => i,
        Err(e) => return e.into_response(),
    };
    if let Some(i) = &ident
        && i.token_access == Some(Access::Read)
        && !matches!(*req.method(), Method::GET | Method::HEAD)
    {
        return AppError::Forbidden.into_response();
    }
    let lang = cookies::get(req.headers(), cookies::LANG)
        .and_then(|c| Lang::parse(&c))
        .or_else(|| ident.as_ref().and_then(|i| Lang::parse(&i.account.locale)))
        .unwrap_or_else(|| {
            // Pages are Vietnamese unless the person switches: office browsers are often set
            // to English. API clients may ask for English with Accept-Language.
            if req.uri().path().starts_with("/api/") {
                Lang::from_accept(
                    req.headers()
                        .get("accept-language")
                        .and_then(|v| v.to_str().ok()),
                )
            } else {
                Lang::Vi
            }
        });
    req.extensions_mut().insert(lang);
    if let Some(i) = ident {
        req.extensions_mut().insert(Arc::new(i));
    }
    next.run(req).await
}

/// Anyone: the language, the identity if signed in, and the address.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub t: T,
    pub identity: Option<Arc<Identity>>,
    pub ip: String,
    pub path: String,
    pub tls: bool,
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let lang = parts.extensions.get::<Lang>().copied().unwrap_or_default();
        let path = parts
            .extensions
            .get::<axum::extract::OriginalUri>()
            .map(|u| &u.0)
            .unwrap_or(&parts.uri)
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| "/".into());
        Ok(Ctx {
            t: T::new(lang),
            identity: parts.extensions.get::<Arc<Identity>>().cloned(),
            ip: parts
                .extensions
                .get::<ClientIp>()
                .map(|c| c.0.clone())
                .unwrap_or_default(),
            path,
            tls: cookies::is_tls(&parts.headers, false),
        })
    }
}

/// The path as the client sent it (nested routers see it without their prefix).
fn original_path(parts: &Parts) -> String {
    parts
        .extensions
        .get::<axum::extract::OriginalUri>()
        .map(|u| u.0.path().to_owned())
        .unwrap_or_else(|| parts.uri.path().to_owned())
}

/// A signed-in person who has passed the second factor.
#[derive(Debug, Clone)]
pub struct User {
    pub ctx: Ctx,
    pub id: Arc<Identity>,
}

impl User {
    pub fn actor(&self) -> store::audit::Actor {
        self.id.actor(&self.ctx.ip)
    }
    pub fn t(&self) -> T {
        self.ctx.t
    }
}

/// Why a [`User`] could not be had: pages send people to the sign-in page, the API answers 401.
pub enum NotSignedIn {
    Redirect(String),
    Api,
}

impl IntoResponse for NotSignedIn {
    fn into_response(self) -> Response {
        match self {
            NotSignedIn::Redirect(to) => Redirect::to(&to).into_response(),
            NotSignedIn::Api => AppError::Unauthorized.into_response(),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for User {
    type Rejection = NotSignedIn;

    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, s)
            .await
            .unwrap_or_else(|e| match e {});
        let api = original_path(parts).starts_with("/api/");
        match ctx.identity.clone() {
            Some(id) if !id.second_factor_pending() => Ok(User { ctx, id }),
            Some(_) if !api => Err(NotSignedIn::Redirect("/login/totp".into())),
            _ if api => Err(NotSignedIn::Api),
            _ => Err(NotSignedIn::Redirect(format!(
                "/login?next={}",
                crate::view::url_encode(&ctx.path)
            ))),
        }
    }
}

/// A signed-in person holding capability `C` somewhere, and the scope where it holds.
pub struct Authz<C: Cap> {
    pub user: User,
    pub scope: Scope<C>,
}

impl<C: Cap> Authz<C> {
    pub fn actor(&self) -> store::audit::Actor {
        self.user.actor()
    }
    pub fn t(&self) -> T {
        self.user.ctx.t
    }
}

impl<S: Send + Sync, C: Cap> FromRequestParts<S> for Authz<C> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<Self, Self::Rejection> {
        let user = User::from_request_parts(parts, s)
            .await
            .map_err(IntoResponse::into_response)?;
        match user.id.grants.scope::<C>() {
            Some(scope) => Ok(Authz { user, scope }),
            None => Err(AppError::Forbidden.into_response()),
        }
    }
}

/// For handlers that want a plain status on rejection.
pub fn status_only(s: StatusCode) -> Response {
    s.into_response()
}
