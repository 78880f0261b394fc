//! Time-based one-time codes (RFC 6238: SHA-1, 6 digits, 30 s), one step of clock skew each
//! way, each step usable once.

use totp_rs::{Algorithm, Secret, TOTP};

const ISSUER: &str = "An Toàn";

fn build(secret_b32: &str, account: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret_b32.to_owned()).to_bytes().ok()?;
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        30,
        bytes,
        Some(ISSUER.to_owned()),
        account.to_owned(),
    )
    .ok()
}

/// A new random secret, base32.
pub fn new_secret() -> String {
    Secret::generate_secret().to_encoded().to_string()
}

/// The time step a code matches (within one step of now), if any.
pub fn matching_step(secret_b32: &str, account: &str, code: &str, now_secs: u64) -> Option<i64> {
    let code = code.trim().replace(' ', "");
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let totp = build(secret_b32, account)?;
    let step = now_secs / 30;
    for s in [step.saturating_sub(1), step, step + 1] {
        if totp.generate(s * 30) == code {
            return Some(s as i64);
        }
    }
    None
}

/// The current code (for tests and the command line).
pub fn current_code(secret_b32: &str, now_secs: u64) -> Option<String> {
    Some(build(secret_b32, "x")?.generate(now_secs))
}

/// The `otpauth://` address an authenticator app reads from the QR code.
pub fn url(secret_b32: &str, account: &str) -> Option<String> {
    build(secret_b32, account).map(|t| t.get_url())
}

/// The QR code of the address as inline SVG.
pub fn qr_svg(url: &str) -> Option<String> {
    let code = qrcode::QrCode::new(url.as_bytes()).ok()?;
    Some(
        code.render::<qrcode::render::svg::Color>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build(),
    )
}

pub fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_within_one_step_only() {
        let s = store::demo::DEMO_TOTP_SECRET;
        let now = 1_780_000_000;
        let code = current_code(s, now).unwrap();
        assert_eq!(matching_step(s, "a", &code, now), Some((now / 30) as i64));
        assert!(matching_step(s, "a", &code, now + 30).is_some());
        assert!(matching_step(s, "a", &code, now + 120).is_none());
        assert!(matching_step(s, "a", "12345", now).is_none());
        assert!(url(s, "quantri").unwrap().starts_with("otpauth://totp/"));
        assert!(qr_svg("otpauth://totp/x").unwrap().contains("<svg"));
    }
}
