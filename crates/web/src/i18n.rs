//! The message catalog. Every string a person reads comes from here, in Vietnamese (default)
//! and English. The catalog is a set of TOML files, one per capability, embedded at build time;
//! a test checks that every key used in templates and code exists in both languages.

use std::collections::HashMap;
use std::sync::LazyLock;

/// The interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim() {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
    /// The language asked for by an `Accept-Language` header; Vietnamese unless English comes
    /// first.
    pub fn from_accept(header: Option<&str>) -> Lang {
        match header.and_then(|h| h.split(',').next()) {
            Some(first) if first.trim().to_lowercase().starts_with("en") => Lang::En,
            _ => Lang::Vi,
        }
    }
    pub fn other(self) -> Lang {
        match self {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        }
    }
}

/// The catalog files, one per capability.
pub const FILES: &[(&str, &str)] = &[
    ("common", include_str!("../i18n/common.toml")),
    ("auth", include_str!("../i18n/auth.toml")),
    ("units", include_str!("../i18n/units.toml")),
    ("people", include_str!("../i18n/people.toml")),
    ("accounts", include_str!("../i18n/accounts.toml")),
    ("audit", include_str!("../i18n/audit.toml")),
    ("errors", include_str!("../i18n/errors.toml")),
    ("partners", include_str!("../i18n/partners.toml")),
    ("profile", include_str!("../i18n/profile.toml")),
    ("xlsx", include_str!("../i18n/xlsx.toml")),
    ("calendar", include_str!("../i18n/calendar.toml")),
    ("registers", include_str!("../i18n/registers.toml")),
    ("plans", include_str!("../i18n/plans.toml")),
    ("movement", include_str!("../i18n/movement.toml")),
    ("news", include_str!("../i18n/news.toml")),
    ("campaigns", include_str!("../i18n/campaigns.toml")),
    ("rosters", include_str!("../i18n/rosters.toml")),
];

#[derive(serde::Deserialize)]
struct Pair {
    vi: String,
    en: String,
}

static CATALOG: LazyLock<HashMap<String, (String, String)>> = LazyLock::new(|| {
    let mut map = HashMap::new();
    for (name, text) in FILES {
        let table: HashMap<String, Pair> = toml::from_str(text)
            .unwrap_or_else(|e| panic!("catalog file {name}.toml is not valid: {e}"));
        for (k, v) in table {
            map.insert(k, (v.vi, v.en));
        }
    }
    map
});

/// Looks up a key. A missing key shows as "?" and is logged; the catalog test keeps that from
/// reaching a release.
pub fn lookup(lang: Lang, key: &str) -> &'static str {
    let map: &'static HashMap<String, (String, String)> = &CATALOG;
    match map.get(key) {
        Some((vi, en)) => match lang {
            Lang::Vi => vi.as_str(),
            Lang::En => en.as_str(),
        },
        None => {
            tracing::warn!(key, "missing catalog key");
            "?"
        }
    }
}

/// Whether a key exists (used by tests and to choose fallbacks).
pub fn has(key: &str) -> bool {
    CATALOG.contains_key(key)
}

/// All keys, for the catalog completeness test.
pub fn keys() -> Vec<String> {
    CATALOG.keys().cloned().collect()
}

/// A translator bound to one language, handed to every template.
#[derive(Debug, Clone, Copy, Default)]
pub struct T {
    pub lang: Lang,
}

impl T {
    pub fn new(lang: Lang) -> T {
        T { lang }
    }
    /// The text of `key`.
    pub fn s(&self, key: &str) -> &'static str {
        lookup(self.lang, key)
    }
    /// The text of `key` with `{}` replaced by `arg`.
    pub fn f<D: std::fmt::Display>(&self, key: &str, arg: D) -> String {
        self.s(key).replacen("{}", &arg.to_string(), 1)
    }
    /// The text of `key` with two `{}` replaced in order.
    pub fn f2<A: std::fmt::Display, B: std::fmt::Display>(&self, key: &str, a: A, b: B) -> String {
        self.s(key)
            .replacen("{}", &a.to_string(), 1)
            .replacen("{}", &b.to_string(), 1)
    }
    /// The label of a coded value: `prefix.code`, or the code itself when the catalog has no
    /// label for it (codes are readable on their own).
    pub fn k(&self, prefix: &str, code: &str) -> String {
        let key = format!("{prefix}.{code}");
        if has(&key) {
            self.s(&key).to_owned()
        } else {
            code.to_owned()
        }
    }
    pub fn code(&self) -> &'static str {
        self.lang.code()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every literal key passed to `s(`, `f(`, `f2(` or named as an `err.`/`auth.` key in the
    /// templates and the code must be in the catalog, in both languages, with diacritics in NFC.
    #[test]
    fn every_used_key_exists_in_both_languages() {
        let mut missing = Vec::new();
        let mut scan = |text: &str, origin: &str| {
            for pat in [
                "s(\"",
                "f(\"",
                "f2(\"",
                "Invalid(\"",
                "Conflict(\"",
                "Some(\"",
            ] {
                let mut rest = text;
                while let Some(i) = rest.find(pat) {
                    rest = &rest[i + pat.len()..];
                    let end = rest.find('"').unwrap_or(0);
                    let key = &rest[..end];
                    let catalog_prefix = ["err.", "auth.", "home.", "nav.", "common."]
                        .iter()
                        .any(|p| key.starts_with(p));
                    let looks_like_key = (pat != "Some(\"" || catalog_prefix)
                        && key.contains('.')
                        && key.chars().all(|c| {
                            c.is_ascii_lowercase() || c == '.' || c == '_' || c.is_ascii_digit()
                        });
                    if looks_like_key && !has(key) {
                        missing.push(format!("{origin}: {key}"));
                    }
                }
            }
        };
        fn walk(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
            for e in std::fs::read_dir(dir).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|x| x == "html" || x == "rs") {
                    out.push((
                        p.display().to_string(),
                        std::fs::read_to_string(&p).unwrap(),
                    ));
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        walk(&root.join("templates"), &mut files);
        walk(&root.join("src"), &mut files);
        walk(&root.join("../store/src"), &mut files);
        for (name, text) in &files {
            scan(text, name);
        }
        missing.sort();
        missing.dedup();
        assert!(
            missing.is_empty(),
            "keys missing from the catalog:\n{}",
            missing.join("\n")
        );
        use unicode_normalization::UnicodeNormalization;
        for k in keys() {
            let vi = lookup(Lang::Vi, &k);
            let en = lookup(Lang::En, &k);
            assert!(
                !vi.is_empty() && !en.is_empty(),
                "{k} is empty in a language"
            );
            assert_eq!(vi.nfc().collect::<String>(), vi, "{k} is not NFC");
        }
    }

    #[test]
    fn accept_language_prefers_vietnamese() {
        assert_eq!(Lang::from_accept(Some("en-US,en;q=0.9")), Lang::En);
        assert_eq!(Lang::from_accept(Some("vi-VN,vi;q=0.9,en;q=0.5")), Lang::Vi);
        assert_eq!(Lang::from_accept(None), Lang::Vi);
        assert_eq!(T::new(Lang::En).s("nav.home"), "Home");
        assert_eq!(T::new(Lang::Vi).f("home.welcome", "An"), "Xin chào, An");
    }
}
