//! The binary from the outside: migrate, demo, audit verify (intact and tampered), backup,
//! admin commands and configuration precedence.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn antoan(data_dir: &std::path::Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_antoan"));
    cmd.arg("--data-dir").arg(data_dir).args(args);
    cmd.env_remove("ANTOAN_DATABASE_URL")
        .env_remove("ANTOAN_CONFIG")
        .env_remove("ANTOAN_BIND");
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("binary runs");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn tempdir(tag: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("antoan-cli-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn demo_then_audit_verify_detects_tampering() {
    let d = tempdir("audit");
    let o = antoan(&d, &["demo"], None);
    assert!(o.status.success(), "{}", text(&o));
    let o = antoan(&d, &["audit", "verify"], None);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("intact"));
    // A second demo load into the same database is refused.
    let o = antoan(&d, &["demo"], None);
    assert!(!o.status.success());
    // Tamper with one entry behind the program's back.
    let db = d.join("antoan.db");
    let status = Command::new("sqlite3")
        .arg(&db)
        .arg("UPDATE audit_log SET actor_name = 'ke-gian' WHERE seq = 3")
        .status();
    if status.map(|s| s.success()).unwrap_or(false) {
        let o = antoan(&d, &["audit", "verify"], None);
        assert_eq!(o.status.code(), Some(2), "{}", text(&o));
        assert!(text(&o).contains("entry 3 was changed"), "{}", text(&o));
    } else {
        // Without the sqlite3 shell, tamper through a second copy made by the backup command.
        eprintln!("sqlite3 shell not available; tampering checked in the storage tests");
    }
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn admin_creates_user_with_password_from_stdin_and_rejects_weak_ones() {
    let d = tempdir("admin");
    assert!(antoan(&d, &["demo"], None).status.success());
    let o = antoan(
        &d,
        &[
            "admin",
            "create-user",
            "--username",
            "quantri2",
            "--name",
            "Quản trị 2",
            "--role",
            "admin",
            "--unit",
            "1",
        ],
        Some("mat-khau-rat-manh-2026\n"),
    );
    assert!(o.status.success(), "{}", text(&o));
    let o = antoan(
        &d,
        &["admin", "create-user", "--username", "yeu", "--name", "Yếu"],
        Some("123\n"),
    );
    assert!(!o.status.success());
    assert!(text(&o).contains("ít nhất 10 ký tự"), "{}", text(&o));
    let o = antoan(
        &d,
        &["admin", "reset-password", "--username", "khongco"],
        Some("mat-khau-moi-2026\n"),
    );
    assert!(!o.status.success());
    let o = antoan(
        &d,
        &["admin", "disable-second-factor", "--username", "quantri"],
        None,
    );
    assert!(o.status.success(), "{}", text(&o));
    let o = antoan(&d, &["audit", "verify"], None);
    assert!(o.status.success(), "{}", text(&o));
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn backup_makes_a_verified_copy() {
    let d = tempdir("backup");
    assert!(antoan(&d, &["demo"], None).status.success());
    let out = d.join("copy.db");
    let o = antoan(&d, &["backup", "--out", out.to_str().unwrap()], None);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("intact"));
    assert!(std::fs::metadata(&out).unwrap().len() > 10_000);
    let o = antoan(&d, &["backup", "--out", out.to_str().unwrap()], None);
    assert!(!o.status.success(), "refuses to overwrite");
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn config_file_in_data_dir_is_read_and_bad_one_is_refused() {
    let d = tempdir("config");
    std::fs::write(d.join("antoan.toml"), "bind = \"not-an-address\"\n").unwrap();
    let o = antoan(&d, &["migrate"], None);
    assert!(!o.status.success());
    assert!(text(&o).contains("bind address"), "{}", text(&o));
    std::fs::write(d.join("antoan.toml"), "session_idle_minutes = 20\n").unwrap();
    let o = antoan(&d, &["migrate"], None);
    assert!(o.status.success(), "{}", text(&o));
    let o = antoan(&d, &["--config", "/nonexistent.toml", "migrate"], None);
    assert!(!o.status.success());
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn document_render_writes_pdf_and_docx_and_rejects_bad_input() {
    let d = tempdir("document");
    let examples =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/documents");
    let input = examples.join("cong-van-19-8.json");
    for ext in ["pdf", "docx"] {
        let out = d.join(format!("out.{ext}"));
        let o = antoan(
            &d,
            &[
                "document",
                "render",
                input.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ],
            None,
        );
        assert!(o.status.success(), "{}", text(&o));
        let bytes = std::fs::read(&out).unwrap();
        let magic: &[u8] = if ext == "pdf" { b"%PDF" } else { b"PK" };
        assert!(
            bytes.starts_with(magic),
            "{ext} output has the wrong signature"
        );
    }
    let bad = d.join("bad.json");
    std::fs::write(&bad, "{\"format\": \"state\", \"doc_type\": \"XYZ\"").unwrap();
    let o = antoan(
        &d,
        &[
            "document",
            "render",
            bad.to_str().unwrap(),
            "--out",
            d.join("x.pdf").to_str().unwrap(),
        ],
        None,
    );
    assert!(!o.status.success());
    assert!(!d.join("x.pdf").exists(), "nothing written on bad input");
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn roster_score_reproduces_a_check_roster_and_solve_writes_a_feasible_one() {
    let d = tempdir("roster");
    let bench = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/roster/data");
    let shared =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/bench/roster");
    let base = if bench.exists() { bench } else { shared };
    let instance = base.join("instances/Instance1.txt");
    if !instance.exists() {
        eprintln!(
            "benchmark instances not found next to the repository; covered by the roster crate's tests"
        );
        return;
    }
    let check = base.join("solutions/Instance1.607.roster");
    let o = antoan(
        &d,
        &[
            "roster",
            "score",
            instance.to_str().unwrap(),
            check.to_str().unwrap(),
        ],
        None,
    );
    assert!(o.status.success(), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        out.trim_end().lines().last().unwrap().contains("607"),
        "{out}"
    );
    let roster = d.join("r.roster");
    let o = antoan(
        &d,
        &[
            "roster",
            "solve",
            instance.to_str().unwrap(),
            "--seconds",
            "2",
            "--threads",
            "1",
            "--seed",
            "7",
            "--out",
            roster.to_str().unwrap(),
        ],
        None,
    );
    assert!(o.status.success(), "{}", text(&o));
    let o = antoan(
        &d,
        &[
            "roster",
            "score",
            instance.to_str().unwrap(),
            roster.to_str().unwrap(),
        ],
        None,
    );
    assert!(o.status.success(), "{}", text(&o));
    let bad = d.join("bad.txt");
    std::fs::write(&bad, "SECTION_HORIZON\n# nothing else\n7\n").unwrap();
    let o = antoan(
        &d,
        &[
            "roster",
            "solve",
            bad.to_str().unwrap(),
            "--seconds",
            "1",
            "--out",
            d.join("x").to_str().unwrap(),
        ],
        None,
    );
    assert!(!o.status.success());
    assert!(!text(&o).contains("panicked"), "{}", text(&o));
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn commitment_receipts_verify_and_tampered_ones_are_refused() {
    let d = tempdir("receipt");
    let o = antoan(&d, &["demo"], None);
    assert!(o.status.success(), "{}", text(&o));
    let db = d.join("antoan.db");
    let sql = |q: &str| {
        let o = Command::new("sqlite3").arg(&db).arg(q).output().unwrap();
        assert!(o.status.success(), "{}", text(&o));
        String::from_utf8_lossy(&o.stdout).trim().to_owned()
    };
    let pair = sql(
        "SELECT campaign_id || ' ' || person_id FROM commitment_signatures ORDER BY id DESC LIMIT 1",
    );
    let (campaign, person) = pair.split_once(' ').unwrap();
    let o = antoan(
        &d,
        &[
            "commitments",
            "receipt",
            "--campaign",
            campaign,
            "--person",
            person,
        ],
        None,
    );
    assert!(o.status.success(), "{}", text(&o));
    let receipt = String::from_utf8_lossy(&o.stdout).trim().to_owned();
    assert!(receipt.starts_with("ANTOAN-CK1."));

    // Valid as text and as a file.
    let o = antoan(&d, &["commitments", "verify", &receipt], None);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("receipt valid"));
    let file = d.join("receipt.txt");
    std::fs::write(&file, format!("{receipt}\n")).unwrap();
    let o = antoan(&d, &["commitments", "verify", file.to_str().unwrap()], None);
    assert!(o.status.success(), "{}", text(&o));

    // A receipt edited by its holder: the signing time moved.
    let decoded = store::commitments::Receipt::decode(&receipt).unwrap();
    let mut forged = decoded.clone();
    forged.signed_at -= 86_400_000;
    let json_file = d.join("forged.json");
    std::fs::write(&json_file, serde_json::to_string_pretty(&forged).unwrap()).unwrap();
    let o = antoan(
        &d,
        &["commitments", "verify", json_file.to_str().unwrap()],
        None,
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("INVALID"));
    // Garbage and an unknown entry.
    let o = antoan(&d, &["commitments", "verify", "ANTOAN-CK1.@@@"], None);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let mut unknown = decoded.clone();
    unknown.audit_seq = 987_654;
    let o = antoan(&d, &["commitments", "verify", &unknown.encode()], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("unknown receipt"), "{}", text(&o));

    // The database edited behind the program's back: the signature's audit entry changed.
    sql(&format!(
        "UPDATE audit_log SET details = REPLACE(details, '\"method\":\"online\"', '\"method\":\"paper\"') WHERE seq = {}",
        decoded.audit_seq
    ));
    let o = antoan(&d, &["commitments", "verify", &receipt], None);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("was changed"), "{}", text(&o));
}
