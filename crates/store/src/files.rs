//! Uploaded files kept in the database (evidence of movement activities, news images): the
//! type is decided from the bytes, never from the name or the browser's claim, so a file
//! served back is always what its content type says.

use crate::{Error, Result};
use sha2::{Digest, Sha256};

/// Largest image accepted for an article.
pub const MAX_IMAGE_BYTES: usize = 2 * 1024 * 1024;
/// Largest evidence file accepted for an activity.
pub const MAX_EVIDENCE_BYTES: usize = 5 * 1024 * 1024;

/// The content type of an image the browser can show, from its first bytes.
pub fn image_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a]) {
        Some("image/png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// The content type of an evidence file: an image or a PDF.
pub fn evidence_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else {
        image_type(bytes)
    }
}

/// Checks an upload against a limit and a sniffer; returns its type and SHA-256.
pub(crate) fn check(
    bytes: &[u8],
    max: usize,
    sniff: fn(&[u8]) -> Option<&'static str>,
    wrong_type: &'static str,
) -> Result<(&'static str, String)> {
    if bytes.is_empty() {
        return Err(Error::Invalid("err.file_empty"));
    }
    if bytes.len() > max {
        return Err(Error::Invalid("err.file_too_large"));
    }
    let kind = sniff(bytes).ok_or(Error::Invalid(wrong_type))?;
    Ok((kind, hex::encode(Sha256::digest(bytes))))
}

/// A stored file as served back.
#[derive(Debug, Clone)]
pub struct StoredFile {
    pub file_name: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_bytes() {
        assert_eq!(image_type(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(image_type(b"\xff\xd8\xff\xe0"), Some("image/jpeg"));
        assert_eq!(image_type(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(image_type(b"<svg onload=alert(1)>"), None);
        assert_eq!(evidence_type(b"%PDF-1.7\n"), Some("application/pdf"));
        assert_eq!(image_type(b"%PDF-1.7\n"), None);
    }

    #[test]
    fn limits_and_emptiness_are_refused() {
        let png = b"\x89PNG\r\n\x1a\nxxxx";
        assert!(check(png, 100, image_type, "err.news_image_type").is_ok());
        assert!(matches!(
            check(png, 4, image_type, "err.news_image_type"),
            Err(Error::Invalid("err.file_too_large"))
        ));
        assert!(matches!(
            check(b"", 4, image_type, "err.news_image_type"),
            Err(Error::Invalid("err.file_empty"))
        ));
        assert!(matches!(
            check(b"GIF", 100, image_type, "err.news_image_type"),
            Err(Error::Invalid("err.news_image_type"))
        ));
    }
}
