//! Reading a multipart form that carries files (evidence of activities, article images): the
//! small text fields, the files up to a limit each, and the CSRF token checked like any form's.

use crate::auth::User;
use crate::auth::csrf::same;
use crate::error::{AppError, AppResult};
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::http::StatusCode;
use std::collections::HashMap;

/// Longest text field accepted in a multipart form.
const MAX_FIELD_BYTES: usize = 16 * 1024;

/// What a multipart form sent.
#[derive(Debug, Default)]
pub struct Parts {
    pub fields: HashMap<String, String>,
    /// (field name, file name, bytes), empty file inputs left out.
    pub files: Vec<(String, String, Vec<u8>)>,
}

impl Parts {
    pub fn text(&self, name: &str) -> String {
        self.fields.get(name).cloned().unwrap_or_default()
    }
}

/// Reads the form, refusing a file over `max_file` with `err.file_too_large` (413) as soon as
/// it passes the limit, and a form without this session's token.
pub async fn read(
    user: &User,
    mp: Result<Multipart, MultipartRejection>,
    max_file: usize,
) -> AppResult<Parts> {
    let mut mp = mp.map_err(|_| AppError::Invalid("err.upload_form"))?;
    let mut parts = Parts::default();
    let mut too_large = false;
    'fields: loop {
        let mut field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                too_large = true;
                break;
            }
            Err(_) => return Err(AppError::Invalid("err.upload_form")),
        };
        let name = field.name().unwrap_or("").to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let limit = if file_name.is_some() {
            max_file
        } else {
            MAX_FIELD_BYTES
        };
        let mut buf = Vec::new();
        loop {
            match field.chunk().await {
                Ok(Some(c)) => {
                    if buf.len() + c.len() > limit {
                        too_large = true;
                        break 'fields;
                    }
                    buf.extend_from_slice(&c);
                }
                Ok(None) => break,
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    too_large = true;
                    break 'fields;
                }
                Err(_) => return Err(AppError::Invalid("err.upload_form")),
            }
        }
        match file_name {
            Some(f) if !buf.is_empty() || !f.is_empty() => {
                if !buf.is_empty() {
                    parts.files.push((name, f, buf));
                }
            }
            Some(_) => {}
            None => {
                parts
                    .fields
                    .insert(name, String::from_utf8_lossy(&buf).into_owned());
            }
        }
    }
    if too_large {
        // Drain what is left so the answer reaches the browser instead of a reset connection.
        while let Ok(Some(mut f)) = mp.next_field().await {
            while let Ok(Some(_)) = f.chunk().await {}
        }
        return Err(AppError::Invalid("err.file_too_large"));
    }
    let expected = user.id.csrf();
    if expected.is_empty() || !same(&parts.text("csrf"), expected) {
        return Err(AppError::Csrf);
    }
    Ok(parts)
}
