//! Vietnamese text as data: folding for search and the collation key for name order.
//!
//! Search must find "Nguyễn Văn Đức" from "nguyen van duc" and "Đặng" from "dang" on both
//! databases. Database-side folding differs (SQLite's FTS5 does not fold đ, PostgreSQL needs the
//! `unaccent` extension), so the folded text is computed here once and stored beside the
//! original; the user's query goes through the same function.
//!
//! Name order follows the Vietnamese convention: given name, then middle, then family name,
//! each compared in the Vietnamese alphabet (a ă â b c d đ e ê …) with tones as a second level
//! (none, huyền, hỏi, ngã, sắc, nặng). The key is plain ASCII so that byte order on SQLite and
//! `COLLATE "C"` on PostgreSQL give the same result without a collation in either database.

use unicode_normalization::UnicodeNormalization;

/// Lower-case, diacritics removed, đ → d, whitespace collapsed.
pub fn fold_vi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.nfd() {
        if is_combining(c) {
            continue;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        match c {
            'đ' | 'Đ' => out.push('d'),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Folded words of a text: anything but letters and digits separates words.
fn folded_words(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// The words of a folded query, reduced to letters and digits, for prefix matching.
pub fn search_terms(query: &str) -> Vec<String> {
    folded_words(&fold_vi(query))
        .take(8)
        .map(str::to_owned)
        .collect()
}

/// The stored search text of a record: the folded words of its parts, one space between
/// words. Punctuation (of e-mail addresses, of "(phụ trách)") becomes a word boundary, so the
/// full-text index and a plain `LIKE '% word%'` test see exactly the same words.
pub fn search_text<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for part in parts {
        for w in folded_words(&fold_vi(part)) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(w);
        }
    }
    out
}

fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}')
}

/// A full name split the Vietnamese way: the first word is the family name, the last the given
/// name, everything between the middle name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameParts {
    pub family: String,
    pub middle: String,
    pub given: String,
}

impl NameParts {
    pub fn split(full: &str) -> NameParts {
        let words: Vec<&str> = full.split_whitespace().collect();
        match words.as_slice() {
            [] => NameParts {
                family: String::new(),
                middle: String::new(),
                given: String::new(),
            },
            [given] => NameParts {
                family: String::new(),
                middle: String::new(),
                given: (*given).into(),
            },
            [family, rest @ .., given] => NameParts {
                family: (*family).into(),
                middle: rest.join(" "),
                given: (*given).into(),
            },
        }
    }

    /// The collation key: given, middle, family on the primary level, then the tones.
    pub fn sort_key(&self) -> String {
        let mut primary = String::new();
        let mut tones = String::new();
        for (i, part) in [&self.given, &self.middle, &self.family]
            .into_iter()
            .enumerate()
        {
            if i > 0 {
                primary.push(WORD_SEP);
            }
            for (j, word) in part.split_whitespace().enumerate() {
                if j > 0 {
                    primary.push(WORD_SEP);
                }
                for c in word.nfc() {
                    if let Some((code, tone)) = letter_code(c) {
                        primary.push(code);
                        tones.push(tone);
                    }
                }
            }
        }
        primary.push(TONE_SEP);
        primary.push_str(&tones);
        primary
    }
}

/// Sorts below every letter code and above the tone separator.
const WORD_SEP: char = '#';
/// Sorts below the word separator: a name that is a prefix of another sorts first.
const TONE_SEP: char = '!';

/// The Vietnamese alphabet in dictionary order, with the four letters used only in loan words
/// placed where Vietnamese dictionaries put them.
const ALPHABET: [&str; 33] = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o",
    "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
];

/// Primary code (ASCII, monotonic in the alphabet) and tone digit of one character.
fn letter_code(c: char) -> Option<(char, char)> {
    if c.is_ascii_digit() {
        return Some((c, '0'));
    }
    let lower: String = c.to_lowercase().collect();
    let mut base = String::new();
    let mut tone = '0';
    for d in lower.nfd() {
        match d {
            '\u{0300}' => tone = '1', // huyền
            '\u{0309}' => tone = '2', // hỏi
            '\u{0303}' => tone = '3', // ngã
            '\u{0301}' => tone = '4', // sắc
            '\u{0323}' => tone = '5', // nặng
            other => base.push(other),
        }
    }
    let base: String = base.nfc().collect();
    match ALPHABET.iter().position(|l| *l == base) {
        Some(i) => Some((char::from(b'A' + i as u8), tone)),
        None if c.is_alphabetic() => Some(('~', '0')),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_text_splits_punctuation_into_words() {
        assert_eq!(
            search_text([
                "Nguyễn Văn Đức",
                "Phó Chánh Văn phòng (phụ trách)",
                "duc.nv@sonha.gov.vn"
            ]),
            "nguyen van duc pho chanh van phong phu trach duc nv sonha gov vn"
        );
        assert_eq!(search_text(["", "  "]), "");
    }

    #[test]
    fn folds_diacritics_and_d_stroke() {
        assert_eq!(fold_vi("Nguyễn Văn Đức"), "nguyen van duc");
        assert_eq!(fold_vi("  Đặng   Thùy Dương "), "dang thuy duong");
        assert_eq!(fold_vi("ƯNG HOÀNG PHÚC"), "ung hoang phuc");
        assert_eq!(
            search_terms("Nguyễn-văn, ĐỨC!"),
            vec!["nguyen", "van", "duc"]
        );
    }

    #[test]
    fn splits_names_vietnamese_way() {
        let n = NameParts::split("Nguyễn Thị Thu Hà");
        assert_eq!(n.family, "Nguyễn");
        assert_eq!(n.middle, "Thị Thu");
        assert_eq!(n.given, "Hà");
        assert_eq!(NameParts::split("Lan").given, "Lan");
    }

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut v: Vec<(String, String)> = names
            .iter()
            .map(|n| (NameParts::split(n).sort_key(), n.to_string()))
            .collect();
        v.sort();
        v.into_iter().map(|(_, n)| n).collect()
    }

    #[test]
    fn sorts_by_given_name_in_vietnamese_alphabet() {
        let out = sorted(&[
            "Trần Văn Đức",
            "Lê Thị Dung",
            "Nguyễn An",
            "Phạm Văn Ân",
            "Hoàng Văn Ăn",
            "Vũ Thị Em",
            "Bùi Văn Êm",
            "Đỗ Zô",
        ]);
        assert_eq!(
            out,
            vec![
                "Nguyễn An",
                "Hoàng Văn Ăn",
                "Phạm Văn Ân",
                "Lê Thị Dung",
                "Trần Văn Đức",
                "Vũ Thị Em",
                "Bùi Văn Êm",
                "Đỗ Zô"
            ]
        );
    }

    #[test]
    fn ties_on_given_name_fall_to_middle_then_family() {
        let out = sorted(&["Trần Văn Hùng", "Lê Văn Hùng", "Nguyễn Anh Hùng", "Hùng"]);
        assert_eq!(
            out,
            vec!["Hùng", "Nguyễn Anh Hùng", "Lê Văn Hùng", "Trần Văn Hùng"]
        );
    }

    #[test]
    fn tones_are_second_level_and_prefix_sorts_first() {
        let out = sorted(&["Lê Anh", "Lê Ánh", "Lê Ảnh", "Lê An", "Lê Àn"]);
        assert_eq!(out, vec!["Lê An", "Lê Àn", "Lê Anh", "Lê Ảnh", "Lê Ánh"]);
    }
}
