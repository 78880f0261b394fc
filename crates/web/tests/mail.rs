//! E-mail reminders through the router and a real SMTP session: a tiny SMTP sink written here
//! (a TCP listener that speaks enough of the protocol to take a message) receives the reminder
//! with the right recipient, subject, deadline and link; a server that keeps answering "try
//! later" leads to retries with backoff and a recorded failure; without SMTP nothing is queued
//! and the page says e-mail is off.

mod common;

use axum::http::StatusCode;
use base64::Engine;
use common::TestApp;
use sqlx::Row;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use web::mail::{Mailer, SmtpConfig, TlsMode};

/// A message as the sink received it.
#[derive(Debug, Clone)]
struct Received {
    rcpt: Vec<String>,
    data: String,
}

/// How the sink answers `RCPT TO`.
#[derive(Clone, Copy)]
enum Mode {
    Accept,
    /// 451: a temporary failure, the client should try again later.
    Busy,
}

/// Starts the sink on a free local port; returns the port and what it received.
async fn sink(mode: Mode) -> (u16, Arc<Mutex<Vec<Received>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let got: Arc<Mutex<Vec<Received>>> = Arc::default();
    let store = got.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let store = store.clone();
            tokio::spawn(async move {
                let (r, mut w) = stream.into_split();
                let mut lines = BufReader::new(r).lines();
                w.write_all(b"220 sink ESMTP\r\n").await.unwrap();
                let mut rcpt = Vec::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    let upper = line.to_ascii_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        b"250-sink\r\n250 8BITMIME\r\n"
                    } else if upper.starts_with("MAIL FROM") {
                        rcpt.clear();
                        b"250 2.1.0 OK\r\n"
                    } else if upper.starts_with("RCPT TO") {
                        match mode {
                            Mode::Accept => {
                                let addr = line
                                    [line.find('<').unwrap() + 1..line.find('>').unwrap()]
                                    .to_owned();
                                rcpt.push(addr);
                                b"250 2.1.5 OK\r\n"
                            }
                            Mode::Busy => b"451 4.3.0 mailbox busy, try later\r\n",
                        }
                    } else if upper == "DATA" {
                        w.write_all(b"354 go ahead\r\n").await.unwrap();
                        let mut data = String::new();
                        while let Ok(Some(l)) = lines.next_line().await {
                            if l == "." {
                                break;
                            }
                            data.push_str(&l);
                            data.push('\n');
                        }
                        store.lock().unwrap().push(Received {
                            rcpt: std::mem::take(&mut rcpt),
                            data,
                        });
                        b"250 2.0.0 queued\r\n"
                    } else if upper == "QUIT" {
                        let _ = w.write_all(b"221 bye\r\n").await;
                        return;
                    } else {
                        b"250 OK\r\n"
                    };
                    if w.write_all(reply).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (port, got)
}

fn smtp(port: u16) -> SmtpConfig {
    SmtpConfig {
        host: "127.0.0.1".into(),
        port,
        tls: TlsMode::None,
        user: None,
        password: None,
        from: "An Toàn <antoan@tinh.example.vn>".into(),
    }
}

async fn app_with(port: Option<u16>) -> TestApp {
    let cfg = web::WebConfig {
        smtp: port.map(smtp),
        public_url: "https://antoan.tinh.example.vn".into(),
        ..web::WebConfig::default()
    };
    let app = TestApp::with_config(cfg).await;
    store::commitments::load_demo(&app.t.db, web::view::today())
        .await
        .unwrap();
    // nhanvien has an address (and is asked in English); the officer who reminds has none.
    for (user, email, locale) in [
        ("nhanvien", Some("nhanvien@vptu.example.vn"), "en"),
        ("lanhdao", None, "vi"),
    ] {
        sqlx::query(
            "UPDATE people SET email = $1 WHERE id = (SELECT person_id FROM accounts WHERE username = $2)",
        )
        .bind(email)
        .bind(user)
        .execute(app.t.db.pool())
        .await
        .unwrap();
        sqlx::query("UPDATE accounts SET locale = $1 WHERE username = $2")
            .bind(locale)
            .bind(user)
            .execute(app.t.db.pool())
            .await
            .unwrap();
    }
    app
}

async fn office_campaign(app: &TestApp) -> (i64, String, chrono::NaiveDate) {
    let r = sqlx::query(
        "SELECT c.id, c.title, c.deadline FROM commitment_campaigns c JOIN units u ON u.id = c.owner_unit_id \
         WHERE u.abbreviation = 'VPTU' AND c.status = 'open' ORDER BY c.id LIMIT 1",
    )
    .fetch_one(app.t.db.pool())
    .await
    .unwrap();
    (
        r.try_get("id").unwrap(),
        r.try_get("title").unwrap(),
        r.try_get::<String, _>("deadline").unwrap().parse().unwrap(),
    )
}

/// Decodes RFC 2047 encoded words (`=?utf-8?b?…?=`, `=?utf-8?q?…?=`) of a header value: the
/// space between two encoded words is dropped, any other is kept.
fn decode_words(v: &str) -> String {
    let mut out = String::new();
    let mut prev_encoded = None;
    for part in v.split_whitespace() {
        let encoded = part.strip_prefix("=?").and_then(|x| x.strip_suffix("?="));
        if prev_encoded.is_some() && !(prev_encoded == Some(true) && encoded.is_some()) {
            out.push(' ');
        }
        match encoded {
            Some(inner) => {
                let mut it = inner.splitn(3, '?');
                let (_, enc, text) = (it.next(), it.next().unwrap(), it.next().unwrap());
                let bytes = if enc.eq_ignore_ascii_case("b") {
                    base64::engine::general_purpose::STANDARD
                        .decode(text)
                        .unwrap()
                } else {
                    qp(&text.replace('_', " "))
                };
                out.push_str(&String::from_utf8(bytes).unwrap());
            }
            None => out.push_str(part),
        }
        prev_encoded = Some(encoded.is_some());
    }
    out
}

fn qp(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'=' && i + 2 < b.len() + 1 {
            if b.get(i + 1) == Some(&b'\n') {
                i += 2;
                continue;
            }
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

/// Subject and decoded body of a received message.
fn parse(m: &Received) -> (String, String) {
    let (head, body) = m.data.split_once("\n\n").unwrap();
    // Unfold continued header lines.
    let head = head.replace("\n ", " ").replace("\n\t", " ");
    let header = |name: &str| {
        head.lines()
            .find_map(|l| {
                l.split_once(':')
                    .filter(|(k, _)| k.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v.trim().to_owned())
            })
            .unwrap_or_default()
    };
    let subject = decode_words(&header("Subject"));
    let body = match header("Content-Transfer-Encoding")
        .to_ascii_lowercase()
        .as_str()
    {
        "base64" => String::from_utf8(
            base64::engine::general_purpose::STANDARD
                .decode(body.replace('\n', ""))
                .unwrap(),
        )
        .unwrap(),
        "quoted-printable" => String::from_utf8(qp(body)).unwrap(),
        _ => body.to_owned(),
    };
    (subject, body.replace("\r\n", "\n"))
}

async fn outbox(app: &TestApp) -> Vec<store::outbox::Entry> {
    store::outbox::recent(&app.t.db, 1000).await.unwrap()
}

#[tokio::test]
async fn a_reminder_reaches_the_smtp_server_with_recipient_subject_and_link() {
    let (port, got) = sink(Mode::Accept).await;
    let app = app_with(Some(port)).await;
    let (id, title, deadline) = office_campaign(&app).await;
    // The leader (no address) has not signed either: reminded in the application only.
    sqlx::query(
        "DELETE FROM commitment_signatures WHERE campaign_id = $1 \
         AND person_id = (SELECT person_id FROM accounts WHERE username = 'lanhdao')",
    )
    .bind(id)
    .execute(app.t.db.pool())
    .await
    .unwrap();
    let mut officer = app.login("canbo.antt").await;
    let page = app.get(&mut officer, &format!("/commitments/{id}")).await;
    assert!(page.text().contains("id=\"mail-state\""), "{}", page.text());
    assert!(page.text().contains("qua thư điện tử"));

    let r = app
        .submit(
            &mut officer,
            &format!("/commitments/{id}"),
            &format!("/commitments/{id}/remind"),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let queued = outbox(&app).await;
    assert!(!queued.is_empty());
    assert!(queued.iter().all(|e| e.status == "queued"));
    assert!(
        got.lock().unwrap().is_empty(),
        "nothing is sent by the request itself"
    );
    let mailed = queued.len();
    assert!(
        r.location().contains(&format!("mailed={mailed}")),
        "{}",
        r.location()
    );
    let shown = app.get(&mut officer, &r.location()).await.text();
    assert!(
        shown.contains(&format!(
            "Đã xếp {mailed} thư điện tử để gửi; 1 người chưa có địa chỉ thư"
        )),
        "{shown}"
    );

    // The worker's pass delivers them.
    let mailer = Mailer::new(&smtp(port)).unwrap();
    let d = web::mail::deliver_due(&app.t.db, &mailer, store::now_ms())
        .await
        .unwrap();
    assert_eq!((d.sent, d.retried, d.failed), (mailed, 0, 0));
    assert!(outbox(&app).await.iter().all(|e| e.status == "sent"));
    let received = got.lock().unwrap().clone();
    assert_eq!(received.len(), mailed);
    let to_nhanvien = received
        .iter()
        .find(|m| m.rcpt == ["nhanvien@vptu.example.vn"])
        .expect("nhanvien's reminder reached the server");
    let (subject, body) = parse(to_nhanvien);
    assert_eq!(
        subject,
        format!("Reminder: sign the commitment «{title}»"),
        "{}",
        to_nhanvien.data
    );
    assert!(
        body.contains(&format!(
            "https://antoan.tinh.example.vn/commitments/{id}/sign"
        )),
        "{body}"
    );
    assert!(
        body.contains(&deadline.format("%d/%m/%Y").to_string()),
        "{body}"
    );
    assert!(
        to_nhanvien.data.contains("<antoan@tinh.example.vn>"),
        "{}",
        to_nhanvien.data
    );
    // Nobody without an address got one: the leader was counted as skipped.
    let nomail: usize = r
        .location()
        .split("nomail=")
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(nomail, 1);
    // A second pass has nothing left to send.
    let d = web::mail::deliver_due(&app.t.db, &mailer, store::now_ms())
        .await
        .unwrap();
    assert_eq!(d, web::mail::Delivery::default());
    assert_eq!(got.lock().unwrap().len(), mailed);
}

#[tokio::test]
async fn a_busy_server_leads_to_retries_then_a_recorded_failure() {
    let (port, got) = sink(Mode::Busy).await;
    let app = app_with(Some(port)).await;
    let (id, _, _) = office_campaign(&app).await;
    let mut officer = app.login("canbo.antt").await;
    let r = app
        .submit(
            &mut officer,
            &format!("/commitments/{id}"),
            &format!("/commitments/{id}/remind"),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let mailed = outbox(&app).await.len();
    let mailer = Mailer::new(&smtp(port)).unwrap();
    let mut now = store::now_ms();
    for attempt in 1..=store::outbox::MAX_ATTEMPTS {
        let d = web::mail::deliver_due(&app.t.db, &mailer, now)
            .await
            .unwrap();
        if attempt < store::outbox::MAX_ATTEMPTS {
            assert_eq!(
                (d.sent, d.retried, d.failed),
                (0, mailed, 0),
                "attempt {attempt}"
            );
            // Nothing is due again before the backoff has passed.
            let early = web::mail::deliver_due(&app.t.db, &mailer, now + 1)
                .await
                .unwrap();
            assert_eq!(early, web::mail::Delivery::default());
            now += store::outbox::backoff_ms(attempt);
        } else {
            assert_eq!((d.sent, d.retried, d.failed), (0, 0, mailed));
        }
    }
    let rows = outbox(&app).await;
    assert!(rows.iter().all(|e| e.status == "failed"
        && e.attempts == store::outbox::MAX_ATTEMPTS
        && e.last_error.as_deref().is_some_and(|x| x.contains("451"))));
    assert!(got.lock().unwrap().is_empty());
    // A server that is not there at all is a temporary failure too.
    let nowhere = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    sqlx::query("UPDATE mail_outbox SET status = 'queued', attempts = 0, next_at = 0")
        .execute(app.t.db.pool())
        .await
        .unwrap();
    let down = Mailer::new(&smtp(nowhere)).unwrap();
    let d = web::mail::deliver_due(&app.t.db, &down, now).await.unwrap();
    assert_eq!((d.sent, d.retried), (0, mailed));
}

#[tokio::test]
async fn without_smtp_nothing_is_queued_and_the_page_says_so() {
    let app = app_with(None).await;
    let (id, _, _) = office_campaign(&app).await;
    let mut officer = app.login("canbo.antt").await;
    let page = app.get(&mut officer, &format!("/commitments/{id}")).await;
    assert!(
        page.text().contains("Thư điện tử đang tắt"),
        "{}",
        page.text()
    );
    let r = app
        .submit(
            &mut officer,
            &format!("/commitments/{id}"),
            &format!("/commitments/{id}/remind"),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(!r.location().contains("mailed="), "{}", r.location());
    assert!(outbox(&app).await.is_empty());
    let shown = app.get(&mut officer, &r.location()).await.text();
    assert!(shown.contains("Đã nhắc"), "{shown}");
}

#[tokio::test]
async fn dissemination_reminders_are_mailed_too() {
    let (port, got) = sink(Mode::Accept).await;
    let app = app_with(Some(port)).await;
    let id: i64 = sqlx::query(
        "SELECT c.id FROM dissemination_campaigns c JOIN units u ON u.id = c.owner_unit_id \
         WHERE u.abbreviation = 'VPTU' AND c.status = 'open' ORDER BY c.id LIMIT 1",
    )
    .fetch_one(app.t.db.pool())
    .await
    .unwrap()
    .try_get("id")
    .unwrap();
    let mut officer = app.login("canbo.antt").await;
    let r = app
        .submit(
            &mut officer,
            &format!("/dissemination/{id}"),
            &format!("/dissemination/{id}/remind"),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let mailer = Mailer::new(&smtp(port)).unwrap();
    let d = web::mail::deliver_due(&app.t.db, &mailer, store::now_ms())
        .await
        .unwrap();
    assert!(d.sent >= 1);
    let received = got.lock().unwrap().clone();
    let m = received
        .iter()
        .find(|m| m.rcpt == ["nhanvien@vptu.example.vn"])
        .expect("nhanvien is asked to read");
    let (subject, body) = parse(m);
    assert!(
        subject.starts_with("Reminder: read and confirm"),
        "{subject}"
    );
    assert!(body.contains(&format!(
        "https://antoan.tinh.example.vn/dissemination/{id}/read"
    )));
}
