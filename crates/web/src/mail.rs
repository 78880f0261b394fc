//! E-mail: the SMTP settings, the reminder texts in the recipient's language, and the worker
//! that delivers the outbox ([`store::outbox`]).
//!
//! Reminders queue their e-mails in the database in the same transaction as the in-app notice;
//! this module only turns queued rows into SMTP sessions. A failure the server calls temporary
//! (4xx, a refused or dropped connection) is retried with backoff; a permanent one (5xx, such
//! as an unknown mailbox) is recorded at once. When no SMTP host is configured nothing is
//! queued at all, and the pages say that e-mail is off.

use crate::i18n::{Lang, T};
use chrono::NaiveDate;
use lettre::message::{Mailbox, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;
use store::notices::Recipient;
use store::outbox::{self, Letter, Outcome};
use store::{Db, now_ms};

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    /// Plain text (a relay on the same machine or a trusted network only).
    None,
    /// Plain connection upgraded with STARTTLS, required (usually port 587).
    StartTls,
    /// TLS from the first byte (usually port 465).
    Tls,
}

impl TlsMode {
    pub fn parse(s: &str) -> Option<TlsMode> {
        match s.trim().to_ascii_lowercase().as_str() {
            "none" => Some(TlsMode::None),
            "starttls" => Some(TlsMode::StartTls),
            "tls" => Some(TlsMode::Tls),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            TlsMode::None => "none",
            TlsMode::StartTls => "starttls",
            TlsMode::Tls => "tls",
        }
    }

    pub fn default_port(self) -> u16 {
        match self {
            TlsMode::None => 25,
            TlsMode::StartTls => 587,
            TlsMode::Tls => 465,
        }
    }
}

/// SMTP settings. `Debug` never shows the password.
#[derive(Clone, PartialEq)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub tls: TlsMode,
    pub user: Option<String>,
    pub password: Option<String>,
    /// The sender, `address` or `Name <address>`.
    pub from: String,
}

impl std::fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("from", &self.from)
            .finish()
    }
}

impl SmtpConfig {
    /// Checks what can be checked before the first message: the sender parses as a mailbox,
    /// user and password come together.
    pub fn validate(&self) -> Result<(), String> {
        if self.host.trim().is_empty() {
            return Err("smtp_host is empty".into());
        }
        self.from
            .parse::<Mailbox>()
            .map_err(|e| format!("smtp_from is not an e-mail address: {e}"))?;
        if self.user.is_some() != self.password.is_some() {
            return Err("smtp_user and smtp_password must be given together".into());
        }
        Ok(())
    }
}

/// Why a send failed.
#[derive(Debug)]
pub struct SendError {
    pub message: String,
    /// The server refused for good (5xx): retrying cannot help.
    pub permanent: bool,
}

/// A connection pool to the SMTP server and the sender address.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    pub fn new(cfg: &SmtpConfig) -> Result<Mailer, String> {
        cfg.validate()?;
        let builder = match cfg.tls {
            TlsMode::None => {
                AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(cfg.host.trim())
            }
            TlsMode::StartTls => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(cfg.host.trim())
                    .map_err(|e| format!("smtp: {e}"))?
            }
            TlsMode::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(cfg.host.trim())
                .map_err(|e| format!("smtp: {e}"))?,
        };
        let mut builder = builder
            .port(cfg.port)
            .timeout(Some(Duration::from_secs(30)));
        if let (Some(u), Some(p)) = (&cfg.user, &cfg.password) {
            builder = builder.credentials(Credentials::new(u.clone(), p.clone()));
        }
        Ok(Mailer {
            transport: builder.build(),
            from: cfg.from.parse().map_err(|e| format!("smtp_from: {e}"))?,
        })
    }

    /// Sends one plain-text message.
    pub async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), SendError> {
        let to: Mailbox = to.parse().map_err(|e| SendError {
            message: format!("address: {e}"),
            permanent: true,
        })?;
        let msg = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_owned())
            .map_err(|e| SendError {
                message: format!("message: {e}"),
                permanent: true,
            })?;
        self.transport.send(msg).await.map(|_| ()).map_err(|e| {
            // The error text is the server's answer or the connection failure; it holds no
            // credential.
            SendError {
                permanent: e.is_permanent(),
                message: e.to_string(),
            }
        })
    }
}

/// What one pass of the worker did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Delivery {
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
}

/// Delivers every message due at `now`, a batch at a time. Messages put back for a retry fall
/// due later than `now`, so the pass ends.
pub async fn deliver_due(db: &Db, mailer: &Mailer, now: i64) -> store::Result<Delivery> {
    let mut d = Delivery::default();
    loop {
        let batch = outbox::claim(db, now, 20).await?;
        if batch.is_empty() {
            return Ok(d);
        }
        for m in batch {
            match mailer.send(&m.recipient, &m.subject, &m.body).await {
                Ok(()) => {
                    outbox::sent(db, m.id, now_ms().max(now)).await?;
                    d.sent += 1;
                }
                Err(e) => {
                    match outbox::failed(db, &m, &e.message, e.permanent, now).await? {
                        Outcome::Retry { .. } => d.retried += 1,
                        Outcome::Failed => d.failed += 1,
                    }
                    tracing::warn!(id = m.id, attempt = m.attempts, permanent = e.permanent,
                        error = %e.message, "e-mail not delivered");
                }
            }
        }
    }
}

/// The background worker of `antoan serve`: delivers due messages every `every`. Several
/// servers may run it against one database; claims keep them from sending a message twice.
pub async fn worker(db: Db, cfg: SmtpConfig, every: Duration) {
    let mailer = match Mailer::new(&cfg) {
        Ok(m) => m,
        Err(e) => {
            tracing::error!(error = %e, "e-mail is configured but cannot start");
            return;
        }
    };
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match deliver_due(&db, &mailer, now_ms()).await {
            Ok(d) if d != Delivery::default() => {
                tracing::info!(
                    sent = d.sent,
                    retried = d.retried,
                    failed = d.failed,
                    "e-mail delivered"
                );
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "e-mail outbox not readable"),
        }
    }
}

/// What a reminder e-mail is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum About {
    Commitment,
    Dissemination,
}

/// The reminder e-mail for one recipient, in their account's language: the campaign, its
/// deadline and the address where they act.
pub fn reminder(
    about: About,
    r: &Recipient,
    title: &str,
    deadline: NaiveDate,
    url: &str,
) -> Letter {
    let t = T::new(Lang::parse(&r.locale).unwrap_or_default());
    let (subject, body) = match about {
        About::Commitment => ("mail.cmt_subject", "mail.cmt_body"),
        About::Dissemination => ("mail.dis_subject", "mail.dis_body"),
    };
    let fill = |s: &str| {
        s.replace("{name}", &r.name)
            .replace("{title}", title)
            .replace("{deadline}", &crate::view::date(&deadline))
            .replace("{link}", url)
    };
    Letter {
        subject: fill(t.s(subject)),
        body: fill(t.s(body)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_never_shows_in_debug() {
        let c = SmtpConfig {
            host: "mail.example.vn".into(),
            port: 587,
            tls: TlsMode::StartTls,
            user: Some("antoan".into()),
            password: Some("bí-mật-123".into()),
            from: "An Toàn <antoan@example.vn>".into(),
        };
        let shown = format!("{c:?}");
        assert!(!shown.contains("bí-mật-123"), "{shown}");
        assert!(shown.contains("***"));
        assert!(c.validate().is_ok());
        let no_pass = SmtpConfig {
            password: None,
            ..c.clone()
        };
        assert!(no_pass.validate().is_err());
        let bad_from = SmtpConfig {
            from: "not an address".into(),
            ..c
        };
        assert!(bad_from.validate().is_err());
    }

    #[test]
    fn reminder_is_in_the_account_language_with_deadline_and_link() {
        let r = Recipient {
            account_id: 1,
            name: "Nguyễn Văn An".into(),
            email: Some("an@example.vn".into()),
            locale: "vi".into(),
        };
        let day = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        let l = reminder(
            About::Commitment,
            &r,
            "Cam kết 2026",
            day,
            "https://antoan.example.vn/commitments/3/sign",
        );
        assert!(l.subject.contains("Cam kết 2026"), "{}", l.subject);
        assert!(l.body.contains("Nguyễn Văn An"));
        assert!(l.body.contains("31/12/2026"));
        assert!(
            l.body
                .contains("https://antoan.example.vn/commitments/3/sign")
        );
        let en = Recipient {
            locale: "en".into(),
            ..r
        };
        let l2 = reminder(
            About::Dissemination,
            &en,
            "Thông tư 124",
            day,
            "https://x/dissemination/1/read",
        );
        assert!(l2.body.contains("Deadline"), "{}", l2.body);
        assert!(
            !l2.body.contains('{'),
            "every placeholder filled: {}",
            l2.body
        );
    }
}
