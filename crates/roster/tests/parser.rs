//! Parser errors: clear messages with line numbers, never a panic.

use std::path::PathBuf;

use roster::Error;
use roster::parse::parse_instance;

fn instance2() -> String {
    std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/Instance2.txt"),
    )
    .unwrap()
}

fn parse_err(text: &str) -> Error {
    parse_instance(text).expect_err("the text is invalid")
}

#[test]
fn all_shipped_instances_parse() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    for i in 1..=5 {
        let m = roster::parse::read_instance(&dir.join(format!("Instance{i}.txt"))).unwrap();
        assert!(m.horizon().is_multiple_of(7) && !m.staff().is_empty());
    }
}

#[test]
fn crlf_is_accepted() {
    let text = instance2().replace('\n', "\r\n");
    assert_eq!(parse_instance(&text).unwrap().staff().len(), 14);
}

#[test]
fn missing_section_is_reported() {
    let text = instance2();
    let cut = text.find("SECTION_COVER").unwrap();
    let err = parse_err(&text[..cut]);
    let msg = err.to_string();
    assert!(msg.contains("missing section SECTION_COVER"), "{msg}");
    assert!(matches!(err, Error::Parse { line, .. } if line > 100));
}

#[test]
fn unknown_shift_id_has_line_number() {
    let text = instance2().replace("A,5,L,1", "A,5,Q,1");
    let err = parse_err(&text);
    let line = text.lines().position(|l| l == "A,5,Q,1").unwrap() + 1;
    assert_eq!(
        err.to_string(),
        format!("line {line}: unknown shift id \"Q\"")
    );
}

#[test]
fn malformed_line_has_line_number() {
    let text = instance2().replace("0,E,4,100,1", "0,E,four,100,1");
    let line = text.lines().position(|l| l == "0,E,four,100,1").unwrap() + 1;
    let msg = parse_err(&text).to_string();
    assert!(
        msg.starts_with(&format!("line {line}: requirement")),
        "{msg}"
    );
    let msg = parse_err(&instance2().replace("B,1\n", "B,1,99\n")).to_string();
    assert!(msg.contains("day 99 outside the horizon"), "{msg}");
    let msg = parse_err(&instance2().replace("0,E,4,100,1", "0,E,4,100")).to_string();
    assert!(msg.contains("expected 5 fields"), "{msg}");
}

#[test]
fn shift_nobody_may_work_is_rejected() {
    // Nobody may work E: every E limit becomes 0.
    let text = instance2().replace("E=14|", "E=0|");
    let msg = parse_err(&text).to_string();
    assert!(
        msg.contains("shift type E cannot be worked by anybody"),
        "{msg}"
    );
}

#[test]
fn cover_nobody_can_meet_is_rejected() {
    // Day 1, shift E: make everyone who may work E take day 1 off.
    let mut text = instance2();
    for who in ["A", "C", "D", "F", "G", "H", "I", "J", "M", "N"] {
        let from = text
            .lines()
            .find(|l| l.starts_with(&format!("{who},")) && l.split(',').count() == 2)
            .unwrap()
            .to_string();
        text = text.replacen(&format!("\n{from}\n"), &format!("\n{from},1\n"), 1);
    }
    let msg = parse_err(&text).to_string();
    assert!(
        msg.contains("cover of 4 on day 1 for shift E cannot be met"),
        "{msg}"
    );
}

#[test]
fn garbage_never_panics() {
    let base = instance2();
    for cut in (0..base.len()).step_by(97) {
        let _ = parse_instance(&base[..cut]);
        let _ = parse_instance(&base[cut..]);
    }
    for junk in [
        "",
        "\n\n",
        "SECTION_HORIZON\n",
        "SECTION_HORIZON\n-3\n",
        "SECTION_NOPE\n",
        "x,y,z",
    ] {
        assert!(parse_instance(junk).is_err());
    }
}
