//! Forms with files (directive attachments, minutes, scans): read a chunk at a time with the
//! server's limit, the CSRF token checked like [`crate::auth::csrf::CsrfForm`] does for plain
//! forms. Text fields are small; only file fields may be large.

use crate::auth::User;
use crate::auth::csrf::same;
use crate::error::{AppError, AppResult};
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::http::StatusCode;
use std::collections::HashMap;
use store::attachments::NewFile;

/// A form read from `multipart/form-data`.
#[derive(Debug, Default)]
pub struct Upload {
    pub fields: HashMap<String, Vec<String>>,
    pub files: Vec<(String, NewFile)>,
}

impl Upload {
    /// The first value of a text field, trimmed ("" when absent).
    pub fn text(&self, name: &str) -> String {
        self.fields
            .get(name)
            .and_then(|v| v.first())
            .map(|s| s.trim().to_owned())
            .unwrap_or_default()
    }

    /// Every value of a repeated field.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.fields.get(name).cloned().unwrap_or_default()
    }

    /// The files sent in a field (empty file inputs are skipped).
    pub fn files(&self, name: &str) -> Vec<NewFile> {
        self.files
            .iter()
            .filter(|(n, f)| n == name && !(f.bytes.is_empty() && f.name.is_empty()))
            .map(|(_, f)| f.clone())
            .collect()
    }
}

const TEXT_LIMIT: usize = 64 * 1024;

/// Reads the whole form and checks its CSRF token against the session.
pub async fn read(
    user: &User,
    mp: Result<Multipart, MultipartRejection>,
    max_bytes: usize,
) -> AppResult<Upload> {
    let mut mp = mp.map_err(|_| AppError::Invalid("err.form"))?;
    let mut out = Upload::default();
    loop {
        let mut field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(AppError::Invalid("err.file_too_large"));
            }
            Err(_) => return Err(AppError::Invalid("err.form")),
        };
        let name = field.name().unwrap_or("").to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let content_type = field.content_type().unwrap_or("").to_owned();
        let limit = if file_name.is_some() {
            max_bytes
        } else {
            TEXT_LIMIT
        };
        let mut buf = Vec::new();
        loop {
            match field.chunk().await {
                Ok(Some(c)) => {
                    if buf.len() + c.len() > limit {
                        return Err(AppError::Invalid(if file_name.is_some() {
                            "err.file_too_large"
                        } else {
                            "err.form"
                        }));
                    }
                    buf.extend_from_slice(&c);
                }
                Ok(None) => break,
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    return Err(AppError::Invalid("err.file_too_large"));
                }
                Err(_) => return Err(AppError::Invalid("err.form")),
            }
        }
        match file_name {
            Some(f) => out.files.push((
                name,
                NewFile {
                    name: f,
                    content_type,
                    bytes: buf,
                },
            )),
            None => out
                .fields
                .entry(name)
                .or_default()
                .push(String::from_utf8_lossy(&buf).into_owned()),
        }
    }
    let token = out.text("csrf");
    let expected = user.id.csrf();
    if expected.is_empty() || !same(&token, expected) {
        return Err(AppError::Csrf);
    }
    Ok(out)
}

/// What an officer records from paper (a signed commitment, a briefing): the people, the day,
/// and the one file that proves it (the scan, the minutes).
pub(crate) struct Proof {
    pub people: Vec<i64>,
    pub day: chrono::NaiveDate,
    pub file: NewFile,
}

/// Field names and the messages of a [`Proof`] form.
pub(crate) struct ProofForm {
    pub people_field: &'static str,
    pub file_field: &'static str,
    pub err_people: &'static str,
    pub err_date: &'static str,
}

impl Upload {
    /// Reads a [`Proof`]: at least one person id, a `date` in dd/mm/yyyy, one file.
    pub(crate) fn proof(&self, f: &ProofForm) -> AppResult<Proof> {
        let people = self
            .all(f.people_field)
            .iter()
            .map(|p| p.trim().parse::<i64>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| AppError::Invalid(f.err_people))?;
        if people.is_empty() {
            return Err(AppError::Invalid(f.err_people));
        }
        let day = domain::values::parse_date(&self.text("date"))
            .map_err(|_| AppError::Invalid(f.err_date))?;
        let file = self
            .files(f.file_field)
            .into_iter()
            .next()
            .ok_or(AppError::Invalid("err.file_empty"))?;
        Ok(Proof { people, day, file })
    }
}

/// The answer to a form that records something: to `ok` when it was recorded; the form again
/// with the reason and 422 when the input was refused (nothing was saved); any other error as is.
pub(crate) async fn answer<T, Fut>(
    result: AppResult<()>,
    ok: String,
    form_again: impl FnOnce(&'static str) -> Fut,
) -> AppResult<axum::response::Response>
where
    T: askama::Template,
    Fut: std::future::Future<Output = AppResult<T>>,
{
    use axum::response::{IntoResponse, Redirect};
    match result {
        Ok(()) => Ok(Redirect::to(&ok).into_response()),
        Err(AppError::Invalid(k)) | Err(AppError::Conflict(k)) => {
            let page = form_again(k).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, crate::view::html(&page)?).into_response())
        }
        Err(e) => Err(e),
    }
}
