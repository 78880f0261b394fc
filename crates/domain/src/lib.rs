//! The rules of An Toàn that do not depend on storage or transport: typed ids, the values
//! people type in (names, phones, dates) parsed into types that cannot hold invalid states,
//! Vietnamese folding and name order, and the role × action permission matrix.

pub mod ids;
pub mod permissions;
pub mod plans;
pub mod text;
pub mod values;

pub use ids::{AccountId, PartnerId, PersonId, UnitId};
pub use permissions::{Action, Role};
