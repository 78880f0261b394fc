//! Storage errors. Callers match on the variants that mean something to a user (not found,
//! conflict, invalid value); the rest are internal and logged with their cause.

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was broken; the key names the message to show.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// A value failed validation; the key names the message to show.
    #[error("invalid: {0}")]
    Invalid(&'static str),
    #[error("configuration: {0}")]
    Config(String),
    #[error("cannot connect to {0}")]
    Connect(String, #[source] sqlx::Error),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl From<domain::values::Invalid> for Error {
    fn from(e: domain::values::Invalid) -> Self {
        Error::Invalid(e.key)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Maps a unique-constraint failure to a conflict with a message key; anything else stays an
/// internal error.
pub(crate) fn conflict_on_unique(e: sqlx::Error, key: &'static str) -> Error {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => Error::Conflict(key),
        _ => Error::Db(e),
    }
}
