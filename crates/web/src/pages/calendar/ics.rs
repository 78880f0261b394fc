//! iCalendar text (RFC 5545) for the calendar feed.
//!
//! Only all-day events are written, so the format needed is small and is built here by hand:
//! that keeps the two rules calendar clients are strict about under our control: TEXT values
//! escaped (§3.3.11) and content lines folded at 75 octets without splitting a UTF-8
//! character (§3.1), every line ended by CRLF.

use chrono::{DateTime, Days, NaiveDate, Utc};

/// Most octets of one content line, CRLF excluded (RFC 5545 §3.1).
const LINE_OCTETS: usize = 75;

/// One all-day entry of the feed.
pub(crate) struct AllDay<'a> {
    /// Globally unique and stable across downloads, so clients update instead of duplicating.
    pub uid: String,
    /// When the information was last changed.
    pub stamp: DateTime<Utc>,
    pub first: NaiveDate,
    /// Last day, included; written as the exclusive `DTEND` the standard asks for.
    pub last: NaiveDate,
    pub summary: &'a str,
    pub description: Option<&'a str>,
    pub location: Option<&'a str>,
    pub categories: &'a [&'a str],
    /// Informational entries (holidays, peaks) do not make the person look busy.
    pub transparent: bool,
}

/// A calendar being written.
pub(crate) struct Ics {
    out: String,
}

impl Ics {
    pub fn new(name: &str) -> Ics {
        let mut ics = Ics { out: String::new() };
        ics.line("BEGIN:VCALENDAR");
        ics.line("VERSION:2.0");
        ics.line("PRODID:-//An Toan//Lich//VI");
        ics.line("CALSCALE:GREGORIAN");
        ics.line("METHOD:PUBLISH");
        ics.line(&format!("X-WR-CALNAME:{}", escape_text(name)));
        ics
    }

    pub fn event(&mut self, e: &AllDay<'_>) {
        self.line("BEGIN:VEVENT");
        self.line(&format!("UID:{}", e.uid));
        self.line(&format!("DTSTAMP:{}", e.stamp.format("%Y%m%dT%H%M%SZ")));
        self.line(&format!("DTSTART;VALUE=DATE:{}", e.first.format("%Y%m%d")));
        let end = e.last.checked_add_days(Days::new(1)).unwrap_or(e.last);
        self.line(&format!("DTEND;VALUE=DATE:{}", end.format("%Y%m%d")));
        self.line(&format!("SUMMARY:{}", escape_text(e.summary)));
        if let Some(d) = e.description.filter(|d| !d.is_empty()) {
            self.line(&format!("DESCRIPTION:{}", escape_text(d)));
        }
        if let Some(l) = e.location.filter(|l| !l.is_empty()) {
            self.line(&format!("LOCATION:{}", escape_text(l)));
        }
        if !e.categories.is_empty() {
            let cats: Vec<String> = e.categories.iter().map(|c| escape_text(c)).collect();
            self.line(&format!("CATEGORIES:{}", cats.join(",")));
        }
        if e.transparent {
            self.line("TRANSP:TRANSPARENT");
        }
        self.line("END:VEVENT");
    }

    pub fn finish(mut self) -> String {
        self.line("END:VCALENDAR");
        self.out
    }

    fn line(&mut self, content: &str) {
        self.out.push_str(&fold(content));
        self.out.push_str("\r\n");
    }
}

/// Escapes a TEXT value: backslash, semicolon, comma and line breaks (RFC 5545 §3.3.11).
pub(crate) fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '\n' => out.push_str("\\n"),
            // Other control characters are not allowed in TEXT.
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line so no physical line exceeds 75 octets; a continuation line starts
/// with one space, which counts towards its 75. Breaks fall between characters, never inside
/// a multi-byte one.
pub(crate) fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 60 * 3);
    let mut used = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > LINE_OCTETS {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += n;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_values() {
        assert_eq!(
            escape_text("Họp; bàn, \"kế hoạch\"\\A\r\nB\nC"),
            "Họp\\; bàn\\, \"kế hoạch\"\\\\A\\nB\\nC"
        );
        assert_eq!(escape_text("a\u{7}b"), "ab");
    }

    #[test]
    fn folds_at_75_octets_on_character_boundaries() {
        let line = format!(
            "SUMMARY:{}",
            "Đại hội Đảng bộ tỉnh lần thứ XX, nhiệm kỳ 2025–2030 ".repeat(4)
        );
        let folded = fold(&line);
        for (i, part) in folded.split("\r\n").enumerate() {
            assert!(part.len() <= 75, "line {i} has {} octets", part.len());
            if i > 0 {
                assert!(part.starts_with(' '));
            }
        }
        let unfolded = folded.replace("\r\n ", "");
        assert_eq!(unfolded, line);
        assert_eq!(fold("short"), "short");
        // Exactly 75 octets stay on one line.
        assert_eq!(fold(&"a".repeat(75)), "a".repeat(75));
        assert!(fold(&"ạ".repeat(40)).split("\r\n").all(|p| p.len() <= 75));
    }

    #[test]
    fn writes_an_all_day_event_with_exclusive_end() {
        let mut ics = Ics::new("Văn phòng");
        let day = NaiveDate::from_ymd_opt(2026, 2, 17).unwrap();
        ics.event(&AllDay {
            uid: "x@antoan".into(),
            stamp: DateTime::from_timestamp(0, 0).unwrap(),
            first: day,
            last: day,
            summary: "Tết",
            description: None,
            location: None,
            categories: &["Nghỉ lễ", "A,B"],
            transparent: true,
        });
        let text = ics.finish();
        assert!(text.contains("DTSTART;VALUE=DATE:20260217\r\nDTEND;VALUE=DATE:20260218\r\n"));
        assert!(text.contains("CATEGORIES:Nghỉ lễ,A\\,B\r\n"));
        assert!(text.contains("DTSTAMP:19700101T000000Z\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert!(!text.replace("\r\n", "").contains('\n'));
    }
}
