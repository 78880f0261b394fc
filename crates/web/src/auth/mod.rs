//! Who is asking, and what they may do: sessions and API tokens, the second factor, CSRF, and
//! the extractors that turn an identity into a scope.

pub mod cookies;
pub mod csrf;
pub mod identity;
pub mod pages;
pub mod totp;

pub use identity::{Authz, Ctx, Identity, User};
