//! Typed ids: a person id can never be passed where a unit id is expected.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }
    };
}

typed_id!(
    /// A unit of the tree: province, organisation, department or team.
    UnitId
);
typed_id!(
    /// A person on the staff of a unit.
    PersonId
);
typed_id!(
    /// A sign-in account, usually linked to a person.
    AccountId
);
typed_id!(
    /// A partner body (provincial police, military command, guard squad).
    PartnerId
);
