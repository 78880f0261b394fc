//! Settings the web layer needs, passed in by the binary after layering defaults, the config
//! file, the environment and flags.

use store::sessions::Timeouts;

#[derive(Debug, Clone)]
pub struct WebConfig {
    pub timeouts: Timeouts,
    /// Mark cookies `Secure`: on when the server is reached over TLS (directly or through a
    /// proxy that sets `X-Forwarded-Proto: https`).
    pub secure_cookies: bool,
    /// Largest request body accepted (imports are the largest).
    pub max_upload_bytes: usize,
    /// How long an API sign-in token lives.
    pub api_session_ms: i64,
    /// Believe `X-Forwarded-For` (only behind a reverse proxy that sets it).
    pub trust_forwarded: bool,
    /// SMTP server for e-mail reminders; `None` turns e-mail off (nothing is queued).
    pub smtp: Option<crate::mail::SmtpConfig>,
    /// The address people open the application at, for links in e-mails (no trailing `/`).
    pub public_url: String,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            timeouts: Timeouts::default(),
            secure_cookies: false,
            max_upload_bytes: 10 * 1024 * 1024,
            api_session_ms: 12 * 60 * 60 * 1000,
            trust_forwarded: false,
            smtp: None,
            public_url: "http://127.0.0.1:8080".into(),
        }
    }
}
