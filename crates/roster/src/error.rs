//! The one error type of the crate: I/O, benchmark-format parse errors with a
//! line number, roster-file errors with a line number, and model validation.

use std::fmt;
use std::path::PathBuf;

/// Everything that can go wrong when reading, validating or writing rosters.
#[derive(Debug)]
pub enum Error {
    /// A file could not be read or written.
    Io {
        /// The file concerned.
        path: PathBuf,
        /// The operating-system error.
        source: std::io::Error,
    },
    /// The instance text is malformed; `line` is 1-based.
    Parse {
        /// 1-based line number (the last line + 1 for "missing" errors).
        line: usize,
        /// What is wrong, in terms of the format.
        message: String,
    },
    /// A roster (solution) file is malformed or does not fit its instance.
    Roster {
        /// 1-based line number, 0 when the problem is not tied to a line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The model is inconsistent (built through the API or parsed).
    Model(String),
}

impl Error {
    pub(crate) fn parse(line: usize, message: impl Into<String>) -> Self {
        Error::Parse {
            line,
            message: message.into(),
        }
    }

    pub(crate) fn roster(line: usize, message: impl Into<String>) -> Self {
        Error::Roster {
            line,
            message: message.into(),
        }
    }

    pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Parse { line, message } => write!(f, "line {line}: {message}"),
            Error::Roster { line: 0, message } => write!(f, "roster: {message}"),
            Error::Roster { line, message } => write!(f, "roster line {line}: {message}"),
            Error::Model(message) => write!(f, "invalid model: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
