//! Attachments kept in the database: directive attachments, minutes of briefing meetings, scans of
//! signed paper commitments. Every file is checked before it is written: a size limit, a
//! content type from a short list, and the first bytes of the file agreeing with that type
//! (a renamed executable is not a PDF). The SHA-256 is kept so a printed reference can be
//! matched to the stored copy.

use crate::audit::Actor;
use crate::{Db, Error, Result, WriteTx, now_ms};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

/// Largest file kept, in bytes, unless the caller passes a smaller limit from configuration.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

/// Content types accepted, each with the bytes its files begin with.
const TYPES: &[(&str, &[u8], &str)] = &[
    ("application/pdf", b"%PDF-", "pdf"),
    ("image/jpeg", &[0xFF, 0xD8, 0xFF], "jpg"),
    ("image/png", &[0x89, b'P', b'N', b'G'], "png"),
    (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        b"PK\x03\x04",
        "docx",
    ),
];

/// A file as uploaded.
#[derive(Debug, Clone)]
pub struct NewFile {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// A stored file's description (without its bytes).
#[derive(Debug, Clone, Serialize)]
pub struct FileInfo {
    pub id: i64,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub created_at: i64,
}

/// The content type of the bytes, when it is one we accept; the declared type is only a hint
/// (browsers send `application/octet-stream` for many files).
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    TYPES
        .iter()
        .find(|(_, magic, _)| bytes.starts_with(magic))
        .map(|(t, _, _)| *t)
}

/// Checks a file against the size limit and the accepted types; returns its real type.
pub fn check(f: &NewFile, max_bytes: usize) -> Result<&'static str> {
    if f.bytes.is_empty() {
        return Err(Error::Invalid("err.file_empty"));
    }
    if f.bytes.len() > max_bytes.min(MAX_FILE_BYTES) {
        return Err(Error::Invalid("err.file_too_large"));
    }
    let real = sniff(&f.bytes).ok_or(Error::Invalid("err.file_type"))?;
    let declared = f.content_type.trim();
    if !declared.is_empty() && declared != "application/octet-stream" && declared != real {
        return Err(Error::Invalid("err.file_type"));
    }
    Ok(real)
}

fn clean_name(name: &str, ctype: &str) -> String {
    let base: String = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(150)
        .collect();
    if base.trim().is_empty() {
        let ext = TYPES
            .iter()
            .find(|(t, _, _)| *t == ctype)
            .map(|(_, _, e)| *e)
            .unwrap_or("bin");
        format!("tep.{ext}")
    } else {
        base.trim().to_owned()
    }
}

/// Writes a checked file inside the caller's transaction; returns its id.
pub async fn insert(
    tx: &mut WriteTx,
    actor: &Actor,
    owner_path: &str,
    f: &NewFile,
    max_bytes: usize,
) -> Result<i64> {
    let ctype = check(f, max_bytes)?;
    let sha = hex::encode(Sha256::digest(&f.bytes));
    let row = sqlx::query(
        "INSERT INTO stored_files (owner_path, name, content_type, size, sha256, data, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(owner_path)
    .bind(clean_name(&f.name, ctype))
    .bind(ctype)
    .bind(f.bytes.len() as i64)
    .bind(&sha)
    .bind(f.bytes.clone())
    .bind(actor.account_id)
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.try_get("id")?)
}

/// A stored file's description and bytes. The caller has already decided, through the record
/// the file belongs to, that the reader may see it.
pub async fn read(db: &Db, id: i64) -> Result<(FileInfo, Vec<u8>)> {
    let row = sqlx::query(
        "SELECT id, name, content_type, size, sha256, created_at, data FROM stored_files WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?
    .ok_or(Error::NotFound)?;
    Ok((info(&row)?, row.try_get("data")?))
}

pub(crate) fn info(r: &sqlx::any::AnyRow) -> Result<FileInfo> {
    Ok(FileInfo {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        content_type: r.try_get("content_type")?,
        size: r.try_get("size")?,
        sha256: r.try_get("sha256")?,
        created_at: r.try_get("created_at")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(bytes: &[u8], ctype: &str) -> NewFile {
        NewFile {
            name: "x".into(),
            content_type: ctype.into(),
            bytes: bytes.to_vec(),
        }
    }

    #[test]
    fn types_are_read_from_the_bytes() {
        assert_eq!(
            check(&file(b"%PDF-1.7 ...", "application/pdf"), 100).unwrap(),
            "application/pdf"
        );
        assert_eq!(
            check(&file(b"%PDF-1.7", "application/octet-stream"), 100).unwrap(),
            "application/pdf"
        );
        assert!(matches!(
            check(&file(b"MZ\x90\x00", "application/pdf"), 100),
            Err(Error::Invalid("err.file_type"))
        ));
        assert!(matches!(
            check(&file(b"%PDF-1.7", "image/png"), 100),
            Err(Error::Invalid("err.file_type"))
        ));
        assert!(matches!(
            check(&file(b"%PDF-1.7 and more", "application/pdf"), 10),
            Err(Error::Invalid("err.file_too_large"))
        ));
        assert!(matches!(
            check(&file(b"", "application/pdf"), 10),
            Err(Error::Invalid("err.file_empty"))
        ));
    }

    #[test]
    fn names_lose_their_folders() {
        assert_eq!(
            clean_name("C:\\scan\\bien-ban.pdf", "application/pdf"),
            "bien-ban.pdf"
        );
        assert_eq!(clean_name("", "image/png"), "tep.png");
    }
}
