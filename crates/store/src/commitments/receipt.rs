//! Receipts of signatures and their verification.
//!
//! A receipt names what was signed (the text's SHA-256), by whom, when, and the audit entry
//! that recorded it (number and entry hash). It travels as JSON or as one line of text
//! (`ANTOAN-CK1.` followed by the JSON in URL-safe base64) that fits in a QR code or an e-mail.
//! [`verify`] checks it against the database: the entry exists, is intact (its content hashes
//! to the stored hash), is the one the receipt names, is still linked into the chain (the next
//! entry points at it, or the head does), records this very signature, and the signature and
//! the campaign's text still carry the same hash.

use crate::audit;
use crate::{Db, Result};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use sqlx::Row;

const PREFIX: &str = "ANTOAN-CK1.";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// Format version.
    pub v: u32,
    pub campaign_id: i64,
    pub campaign_title: String,
    pub person_id: i64,
    pub person_name: String,
    /// online or paper.
    pub method: String,
    /// Milliseconds since the Unix epoch.
    pub signed_at: i64,
    /// SHA-256 (hex) of the commitment text signed.
    pub text_hash: String,
    /// Number of the audit entry that recorded the signature.
    pub audit_seq: i64,
    /// Hash of that audit entry.
    pub audit_hash: String,
}

impl Receipt {
    /// The one-line form.
    pub fn encode(&self) -> String {
        let json = serde_json::to_vec(self).expect("a receipt serialises");
        format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(json))
    }

    /// Reads either form (the one-line text or the JSON), ignoring surrounding blanks.
    pub fn decode(s: &str) -> std::result::Result<Receipt, String> {
        let s = s.trim();
        let json = if let Some(rest) = s.strip_prefix(PREFIX) {
            URL_SAFE_NO_PAD
                .decode(rest.trim())
                .map_err(|_| "the receipt text is damaged (not valid base64)".to_owned())?
        } else if s.starts_with('{') {
            s.as_bytes().to_vec()
        } else {
            return Err(format!(
                "not a receipt (expected JSON or text starting with {PREFIX})"
            ));
        };
        let r: Receipt = serde_json::from_slice(&json)
            .map_err(|e| format!("the receipt is damaged or incomplete: {e}"))?;
        if r.v != 1 {
            return Err(format!("unknown receipt format version {}", r.v));
        }
        Ok(r)
    }
}

/// What a valid receipt proves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub audit_seq: i64,
    pub campaign_title: String,
    pub person_name: String,
}

/// Checks a receipt against the database. `Ok(Err(reason))` when it does not hold.
pub async fn verify(db: &Db, r: &Receipt) -> Result<std::result::Result<Verified, String>> {
    let Some(entry) = audit::entry(db, r.audit_seq).await? else {
        return Ok(Err(format!(
            "unknown receipt: there is no audit entry {}",
            r.audit_seq
        )));
    };
    if entry.compute_hash() != entry.hash {
        return Ok(Err(format!(
            "audit entry {} was changed after it was written",
            entry.seq
        )));
    }
    if entry.hash != r.audit_hash {
        return Ok(Err(format!(
            "the receipt's entry hash does not match audit entry {}",
            entry.seq
        )));
    }
    // Still part of the chain: the next entry (or the head) links to this one.
    let next = audit::entry(db, entry.seq + 1).await?;
    let linked = match next {
        Some(n) => n.prev_hash == entry.hash,
        None => audit::head(db).await?.1 == entry.hash,
    };
    if !linked {
        return Ok(Err(format!(
            "audit entry {} is no longer linked into the chain",
            entry.seq
        )));
    }
    let details: serde_json::Value = serde_json::from_str(&entry.details).unwrap_or_default();
    let same = entry.action == "commitment.sign"
        && details["campaign"].as_i64() == Some(r.campaign_id)
        && details["person"].as_i64() == Some(r.person_id)
        && details["text_hash"].as_str() == Some(r.text_hash.as_str())
        && details["signed_at"].as_i64() == Some(r.signed_at)
        && details["method"].as_str() == Some(r.method.as_str());
    if !same {
        return Ok(Err(format!(
            "the receipt does not describe the signature recorded in audit entry {}",
            entry.seq
        )));
    }
    let row = sqlx::query(
        "SELECT s.text_hash, s.audit_seq, c.body_hash, c.title, p.full_name FROM commitment_signatures s \
         JOIN commitment_campaigns c ON c.id = s.campaign_id JOIN people p ON p.id = s.person_id \
         WHERE s.campaign_id = $1 AND s.person_id = $2",
    )
    .bind(r.campaign_id)
    .bind(r.person_id)
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else {
        return Ok(Err("the signature is no longer stored".to_owned()));
    };
    let stored_hash: String = row.try_get("text_hash")?;
    let body_hash: String = row.try_get("body_hash")?;
    let seq: i64 = row.try_get("audit_seq")?;
    if seq != r.audit_seq || stored_hash != r.text_hash || body_hash != r.text_hash {
        return Ok(Err(
            "the stored signature or commitment text differs from the receipt".to_owned(),
        ));
    }
    Ok(Ok(Verified {
        audit_seq: entry.seq,
        campaign_title: row.try_get("title")?,
        person_name: row.try_get("full_name")?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Receipt {
        Receipt {
            v: 1,
            campaign_id: 3,
            campaign_title: "Ký cam kết 2026".into(),
            person_id: 42,
            person_name: "Nguyễn Văn An".into(),
            method: "online".into(),
            signed_at: 1_780_000_000_000,
            text_hash: "ab".repeat(32),
            audit_seq: 77,
            audit_hash: "cd".repeat(32),
        }
    }

    #[test]
    fn both_forms_round_trip() {
        let r = sample();
        assert_eq!(Receipt::decode(&r.encode()).unwrap(), r);
        let json = serde_json::to_string_pretty(&r).unwrap();
        assert_eq!(Receipt::decode(&format!("\n{json}\n")).unwrap(), r);
    }

    #[test]
    fn damaged_text_is_refused_with_a_reason() {
        let mut s = sample().encode();
        s.truncate(s.len() - 5);
        assert!(Receipt::decode(&s).is_err());
        assert!(
            Receipt::decode("hello")
                .unwrap_err()
                .contains("not a receipt")
        );
    }
}
