//! Configuration, layered: built-in defaults, then the config file, then `ANTOAN_*`
//! environment variables, then command-line flags (clap already puts a flag before its
//! environment variable, so the two arrive here as one value that beats the file).
//!
//! The config file is TOML, named by `--config`/`ANTOAN_CONFIG`, or `antoan.toml` inside the
//! data directory when present. Secrets (the database password, the SMTP password) never reach
//! the logs: the URL is redacted wherever it is printed, and the SMTP settings' `Debug` hides
//! the password.
//!
//! E-mail has no command-line flags (a password on the command line shows in the process list):
//! the `smtp_*` keys of the file, each overridden by its `ANTOAN_SMTP_*` variable. E-mail is on
//! when a host is set by either.

use anyhow::{Context, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Keys accepted in the config file.
#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub bind: Option<String>,
    pub secure_cookies: Option<bool>,
    pub behind_proxy: Option<bool>,
    pub session_idle_minutes: Option<i64>,
    pub session_absolute_hours: Option<i64>,
    pub max_upload_mb: Option<usize>,
    pub log_format: Option<String>,
    pub db_max_connections: Option<u32>,
    pub public_url: Option<String>,
    pub smtp_host: Option<String>,
    pub smtp_port: Option<u16>,
    pub smtp_tls: Option<String>,
    pub smtp_user: Option<String>,
    pub smtp_password: Option<String>,
    pub smtp_from: Option<String>,
}

/// Values that came from flags or the environment.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub config: Option<PathBuf>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub bind: Option<String>,
    /// `ANTOAN_PUBLIC_URL` and `ANTOAN_SMTP_*`, read by [`Overrides::with_env`].
    pub env: EnvSettings,
}

/// Settings that only the environment overrides (no flags). `Debug` hides the password.
#[derive(Default, Clone)]
pub struct EnvSettings {
    pub public_url: Option<String>,
    pub smtp_host: Option<String>,
    pub smtp_port: Option<String>,
    pub smtp_tls: Option<String>,
    pub smtp_user: Option<String>,
    pub smtp_password: Option<String>,
    pub smtp_from: Option<String>,
}

impl std::fmt::Debug for EnvSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EnvSettings")
            .field("public_url", &self.public_url)
            .field("smtp_host", &self.smtp_host)
            .field("smtp_port", &self.smtp_port)
            .field("smtp_tls", &self.smtp_tls)
            .field("smtp_user", &self.smtp_user)
            .field("smtp_password", &self.smtp_password.as_ref().map(|_| "***"))
            .field("smtp_from", &self.smtp_from)
            .finish()
    }
}

impl EnvSettings {
    /// Reads the variables through `get` (the process environment in `main`, a map in tests).
    pub fn read(get: impl Fn(&str) -> Option<String>) -> EnvSettings {
        let v = |k: &str| get(k).filter(|s| !s.trim().is_empty());
        EnvSettings {
            public_url: v("ANTOAN_PUBLIC_URL"),
            smtp_host: v("ANTOAN_SMTP_HOST"),
            smtp_port: v("ANTOAN_SMTP_PORT"),
            smtp_tls: v("ANTOAN_SMTP_TLS"),
            smtp_user: v("ANTOAN_SMTP_USER"),
            smtp_password: v("ANTOAN_SMTP_PASSWORD"),
            smtp_from: v("ANTOAN_SMTP_FROM"),
        }
    }
}

/// The resolved settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub data_dir: PathBuf,
    pub database_url: String,
    pub bind: String,
    pub secure_cookies: bool,
    pub behind_proxy: bool,
    pub session_idle_minutes: i64,
    pub session_absolute_hours: i64,
    pub max_upload_mb: usize,
    pub log_format: String,
    pub db_max_connections: u32,
    /// Where people open the application, for links in e-mails.
    pub public_url: String,
    /// E-mail reminders; `None` when no SMTP host is configured.
    pub smtp: Option<web::mail::SmtpConfig>,
}

pub const DEFAULT_DATA_DIR: &str = "./antoan-data";
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";

/// Reads the config file, if any: the named one must exist; the one in the data directory is
/// optional.
pub fn read_file(o: &Overrides) -> Result<FileConfig> {
    let (path, required) = match &o.config {
        Some(p) => (p.clone(), true),
        None => (
            o.data_dir
                .clone()
                .unwrap_or_else(|| DEFAULT_DATA_DIR.into())
                .join("antoan.toml"),
            false,
        ),
    };
    if !path.exists() {
        if required {
            anyhow::bail!("config file {} does not exist", path.display());
        }
        return Ok(FileConfig::default());
    }
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("config file {} is not valid", path.display()))
}

/// Applies the layers in order and checks the result.
pub fn resolve(o: &Overrides, file: FileConfig) -> Result<Settings> {
    let smtp = smtp(&o.env, &file)?;
    let data_dir = o
        .data_dir
        .clone()
        .or(file.data_dir)
        .unwrap_or_else(|| DEFAULT_DATA_DIR.into());
    let database_url = o
        .database_url
        .clone()
        .or(file.database_url)
        .unwrap_or_else(|| sqlite_url(&data_dir));
    let bind = o
        .bind
        .clone()
        .or(file.bind)
        .unwrap_or_else(|| DEFAULT_BIND.into());
    bind.parse::<std::net::SocketAddr>()
        .with_context(|| format!("bind address {bind} is not host:port"))?;
    if !(database_url.starts_with("sqlite:")
        || database_url.starts_with("postgres://")
        || database_url.starts_with("postgresql://"))
    {
        anyhow::bail!(
            "database URL must start with sqlite: or postgres:// (got {})",
            store::redact_url(&database_url)
        );
    }
    let public_url = o
        .env
        .public_url
        .clone()
        .or(file.public_url)
        .unwrap_or_else(|| format!("http://{bind}"))
        .trim_end_matches('/')
        .to_owned();
    if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
        anyhow::bail!("public_url must start with http:// or https:// (got {public_url})");
    }
    let s = Settings {
        data_dir,
        database_url,
        bind,
        secure_cookies: file.secure_cookies.unwrap_or(false),
        behind_proxy: file.behind_proxy.unwrap_or(false),
        session_idle_minutes: file.session_idle_minutes.unwrap_or(30),
        session_absolute_hours: file.session_absolute_hours.unwrap_or(12),
        max_upload_mb: file.max_upload_mb.unwrap_or(10),
        log_format: file.log_format.unwrap_or_else(|| "text".into()),
        db_max_connections: file.db_max_connections.unwrap_or(0),
        public_url,
        smtp,
    };
    if !(1..=24 * 60).contains(&s.session_idle_minutes)
        || !(1..=7 * 24).contains(&s.session_absolute_hours)
    {
        anyhow::bail!("session timeouts out of range (idle 1–1440 minutes, absolute 1–168 hours)");
    }
    if !matches!(s.log_format.as_str(), "text" | "json") {
        anyhow::bail!("log_format must be text or json");
    }
    Ok(s)
}

/// The SMTP settings: each `ANTOAN_SMTP_*` variable beats its `smtp_*` file key; e-mail is on
/// when a host is set. The port defaults to the TLS mode's usual one (STARTTLS on 587 unless
/// told otherwise).
fn smtp(env: &EnvSettings, file: &FileConfig) -> Result<Option<web::mail::SmtpConfig>> {
    use web::mail::{SmtpConfig, TlsMode};
    let Some(host) = env.smtp_host.clone().or(file.smtp_host.clone()) else {
        let stray = [&file.smtp_from, &file.smtp_user, &file.smtp_password]
            .iter()
            .any(|v| v.is_some())
            || env.smtp_from.is_some()
            || env.smtp_user.is_some();
        if stray {
            anyhow::bail!("SMTP settings are given without smtp_host / ANTOAN_SMTP_HOST");
        }
        return Ok(None);
    };
    let tls_text = env
        .smtp_tls
        .clone()
        .or(file.smtp_tls.clone())
        .unwrap_or_else(|| "starttls".into());
    let tls = TlsMode::parse(&tls_text)
        .with_context(|| format!("smtp_tls must be none, starttls or tls (got {tls_text})"))?;
    let port = match &env.smtp_port {
        Some(p) => p
            .trim()
            .parse::<u16>()
            .with_context(|| format!("ANTOAN_SMTP_PORT is not a port number (got {p})"))?,
        None => file.smtp_port.unwrap_or(tls.default_port()),
    };
    if port == 0 {
        anyhow::bail!("smtp_port must not be 0");
    }
    let from = env.smtp_from.clone().or(file.smtp_from.clone()).context(
        "smtp_from (ANTOAN_SMTP_FROM), the sender address, is required with an SMTP host",
    )?;
    let cfg = SmtpConfig {
        host,
        port,
        tls,
        user: env.smtp_user.clone().or(file.smtp_user.clone()),
        password: env.smtp_password.clone().or(file.smtp_password.clone()),
        from,
    };
    cfg.validate().map_err(anyhow::Error::msg)?;
    Ok(Some(cfg))
}

/// The default database: a SQLite file inside the data directory, created when missing.
pub fn sqlite_url(data_dir: &Path) -> String {
    format!("sqlite://{}?mode=rwc", data_dir.join("antoan.db").display())
}

impl Settings {
    pub fn web(&self) -> web::WebConfig {
        web::WebConfig {
            timeouts: store::sessions::Timeouts {
                idle_ms: self.session_idle_minutes * 60_000,
                absolute_ms: self.session_absolute_hours * 3_600_000,
            },
            secure_cookies: self.secure_cookies,
            max_upload_bytes: self.max_upload_mb * 1024 * 1024,
            trust_forwarded: self.behind_proxy,
            smtp: self.smtp.clone(),
            public_url: self.public_url.clone(),
            ..web::WebConfig::default()
        }
    }

    /// Pool size: small for SQLite (one writer at a time anyway), larger for PostgreSQL.
    pub fn pool_size(&self) -> u32 {
        match self.db_max_connections {
            0 if self.database_url.starts_with("sqlite") => 8,
            0 => 16,
            n => n,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> FileConfig {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn defaults_apply_when_nothing_is_set() {
        let s = resolve(&Overrides::default(), FileConfig::default()).unwrap();
        assert_eq!(s.bind, "127.0.0.1:8080");
        assert_eq!(s.data_dir, PathBuf::from("./antoan-data"));
        assert_eq!(s.database_url, "sqlite://./antoan-data/antoan.db?mode=rwc");
        assert_eq!(s.pool_size(), 8);
    }

    #[test]
    fn file_beats_defaults_and_flags_or_environment_beat_file() {
        let f = "bind = \"0.0.0.0:9000\"\ndata_dir = \"/srv/antoan\"\nsession_idle_minutes = 15";
        let s = resolve(&Overrides::default(), file(f)).unwrap();
        assert_eq!(s.bind, "0.0.0.0:9000");
        assert_eq!(s.database_url, "sqlite:///srv/antoan/antoan.db?mode=rwc");
        assert_eq!(s.session_idle_minutes, 15);
        let o = Overrides {
            bind: Some("127.0.0.1:7000".into()),
            database_url: Some("postgres://u:p@h/db".into()),
            ..Default::default()
        };
        let s = resolve(&o, file(f)).unwrap();
        assert_eq!(s.bind, "127.0.0.1:7000");
        assert_eq!(s.database_url, "postgres://u:p@h/db");
        assert_eq!(s.pool_size(), 16);
    }

    #[test]
    fn bad_values_are_refused() {
        assert!(
            resolve(
                &Overrides {
                    bind: Some("nowhere".into()),
                    ..Default::default()
                },
                FileConfig::default()
            )
            .is_err()
        );
        assert!(
            resolve(
                &Overrides {
                    database_url: Some("mysql://x".into()),
                    ..Default::default()
                },
                FileConfig::default()
            )
            .is_err()
        );
        assert!(toml::from_str::<FileConfig>("unknown_key = 1").is_err());
        assert!(resolve(&Overrides::default(), file("session_idle_minutes = 0")).is_err());
    }

    #[test]
    fn smtp_is_off_without_a_host_and_the_environment_beats_the_file() {
        let s = resolve(&Overrides::default(), FileConfig::default()).unwrap();
        assert!(s.smtp.is_none());
        assert_eq!(s.public_url, "http://127.0.0.1:8080");
        let f = "smtp_host = \"mail.tinh.gov.vn\"\nsmtp_from = \"An Toàn <antoan@tinh.gov.vn>\"\n\
                 smtp_user = \"antoan\"\nsmtp_password = \"tu-tep\"\npublic_url = \"https://antoan.tinh.gov.vn/\"";
        let s = resolve(&Overrides::default(), file(f)).unwrap();
        let m = s.smtp.clone().unwrap();
        assert_eq!((m.port, m.tls.code()), (587, "starttls"));
        assert_eq!(m.password.as_deref(), Some("tu-tep"));
        assert_eq!(s.public_url, "https://antoan.tinh.gov.vn");
        let env = EnvSettings::read(|k| match k {
            "ANTOAN_SMTP_PASSWORD" => Some("tu-moi-truong".into()),
            "ANTOAN_SMTP_TLS" => Some("tls".into()),
            _ => None,
        });
        let o = Overrides {
            env,
            ..Default::default()
        };
        let s = resolve(&o, file(f)).unwrap();
        let m = s.smtp.clone().unwrap();
        assert_eq!((m.port, m.tls.code()), (465, "tls"));
        assert_eq!(m.password.as_deref(), Some("tu-moi-truong"));
        // The password shows nowhere in the settings' or the overrides' debug output.
        assert!(!format!("{s:?}{o:?}").contains("tu-moi-truong"));
    }

    #[test]
    fn bad_smtp_settings_are_refused() {
        assert!(
            resolve(&Overrides::default(), file("smtp_host = \"h\"")).is_err(),
            "no sender"
        );
        assert!(
            resolve(
                &Overrides::default(),
                file("smtp_host = \"h\"\nsmtp_from = \"a@b.vn\"\nsmtp_tls = \"ssl3\"")
            )
            .is_err()
        );
        assert!(
            resolve(
                &Overrides::default(),
                file("smtp_host = \"h\"\nsmtp_from = \"a@b.vn\"\nsmtp_user = \"u\"")
            )
            .is_err(),
            "user without password"
        );
        assert!(resolve(&Overrides::default(), file("smtp_from = \"a@b.vn\"")).is_err());
        let env = EnvSettings::read(|k| (k == "ANTOAN_SMTP_PORT").then(|| "x".into()));
        let o = Overrides {
            env,
            ..Default::default()
        };
        assert!(resolve(&o, file("smtp_host = \"h\"\nsmtp_from = \"a@b.vn\"")).is_err());
    }

    #[test]
    fn named_config_file_must_exist() {
        let o = Overrides {
            config: Some("/nonexistent/antoan.toml".into()),
            ..Default::default()
        };
        assert!(read_file(&o).is_err());
        let o = Overrides {
            data_dir: Some("/nonexistent-dir".into()),
            ..Default::default()
        };
        assert_eq!(read_file(&o).unwrap(), FileConfig::default());
    }
}
