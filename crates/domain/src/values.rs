//! Values people type in, parsed once at the edge. Each enum has a stable code (stored in the
//! database and used in the API) and a catalog key for its label in the UI.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Why a typed value was rejected; the web layer turns the key into a localized message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{key}")]
pub struct Invalid {
    /// Catalog key of the message, e.g. `err.phone`.
    pub key: &'static str,
}

fn invalid(key: &'static str) -> Invalid {
    Invalid { key }
}

macro_rules! coded_enum {
    ($(#[$doc:meta])* $name:ident, $err:literal, $label:literal { $($variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn parse(s: &str) -> Result<Self, Invalid> {
                match s.trim() {
                    $($code => Ok($name::$variant),)+
                    _ => Err(invalid($err)),
                }
            }

            /// Catalog key of the label shown to people.
            pub fn label_key(self) -> String {
                format!(concat!($label, ".{}"), self.code())
            }
        }
    };
}

coded_enum!(
    /// Gender as recorded on staff lists.
    Gender, "err.gender", "gender" { Male = "male", Female = "female" }
);
coded_enum!(
    /// Employment status; moves between them are kept in the person's history.
    PersonStatus, "err.status", "status" { Working = "working", Transferred = "transferred", Retired = "retired" }
);
coded_enum!(
    /// Level of a unit in the tree.
    UnitKind, "err.unit_kind", "unit_kind" { Province = "province", Organisation = "organisation", Department = "department", Team = "team" }
);
coded_enum!(
    /// Kind of organisation, which decides its document format and the criteria that apply.
    OrgKind, "err.org_kind", "org_kind" { PartyBody = "party_body", StateAgency = "state_agency", Enterprise = "enterprise", Education = "education" }
);
coded_enum!(
    /// Document format an organisation issues in: Nghị định 30/2020 (state) or the Party's own.
    DocFormat, "err.doc_format", "doc_format" { Nd30 = "nd30", Hd36 = "hd36" }
);
coded_enum!(
    /// Partner bodies that plans name.
    PartnerKind, "err.partner_kind", "partner_kind" { Police = "police", Military = "military", GuardSquad = "guard_squad", FireService = "fire_service", Other = "other" }
);

impl OrgKind {
    /// The format an organisation of this kind uses unless configured otherwise.
    pub fn default_format(self) -> DocFormat {
        match self {
            OrgKind::PartyBody => DocFormat::Hd36,
            _ => DocFormat::Nd30,
        }
    }
}

/// A Vietnamese phone number, normalised to its national form (0xxxxxxxxx).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Phone(String);

impl Phone {
    pub fn parse(s: &str) -> Result<Phone, Invalid> {
        let digits: String = s
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')'))
            .collect();
        let national = if let Some(rest) = digits.strip_prefix("+84") {
            format!("0{rest}")
        } else if digits.starts_with("84") && digits.len() == 11 {
            format!("0{}", &digits[2..])
        } else {
            digits
        };
        let ok = national.starts_with('0')
            && (10..=11).contains(&national.len())
            && national.chars().all(|c| c.is_ascii_digit());
        if ok {
            Ok(Phone(national))
        } else {
            Err(invalid("err.phone"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An e-mail address, checked for shape only; delivery is the mail server's business.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub fn parse(s: &str) -> Result<Email, Invalid> {
        let s = s.trim();
        let ok = match s.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !s.chars().any(char::is_whitespace)
                    && !domain.contains('@')
                    && s.len() <= 254
            }
            None => false,
        };
        if ok {
            Ok(Email(s.to_lowercase()))
        } else {
            Err(invalid("err.email"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Parses a date as people write it (dd/mm/yyyy, also d/m/yyyy) or as ISO (yyyy-mm-dd).
pub fn parse_date(s: &str) -> Result<NaiveDate, Invalid> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%d/%m/%Y")
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y-%m-%d"))
        .or_else(|_| NaiveDate::parse_from_str(s, "%d-%m-%Y"))
        .map_err(|_| invalid("err.date"))
}

/// Formats a date the Vietnamese way: dd/mm/yyyy.
pub fn format_date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// A date of birth: a real date, in the past, and a plausible working age.
pub fn parse_birth_date(s: &str, today: NaiveDate) -> Result<NaiveDate, Invalid> {
    let d = parse_date(s)?;
    let age = today
        .years_since(d)
        .ok_or_else(|| invalid("err.birth_date"))?;
    if (15..=100).contains(&age) {
        Ok(d)
    } else {
        Err(invalid("err.birth_date"))
    }
}

/// A person's full name: two to seven words of letters, at most 100 characters.
pub fn parse_full_name(s: &str) -> Result<String, Invalid> {
    use unicode_normalization::UnicodeNormalization;
    let name: String = s
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .nfc()
        .collect();
    let words = name.split(' ').count();
    let letters_only = name
        .chars()
        .all(|c| c.is_alphabetic() || c == ' ' || c == '-' || c == '\'');
    if name.is_empty() || name.chars().count() > 100 || !letters_only || words > 7 {
        Err(invalid("err.full_name"))
    } else {
        Ok(name)
    }
}

/// The rules a new password must meet: at least 10 characters, at least two kinds of
/// character (letters, digits, other signs), not containing the username, and not one of the
/// passwords that lists of leaked passwords start with.
pub fn check_password(password: &str, username: &str) -> Result<(), Invalid> {
    let n = password.chars().count();
    if n < 10 {
        return Err(invalid("err.password_short"));
    }
    if n > 200 {
        return Err(invalid("err.password_long"));
    }
    let kinds = [
        password.chars().any(char::is_alphabetic),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_alphanumeric()),
    ];
    if kinds.iter().filter(|k| **k).count() < 2 {
        return Err(invalid("err.password_mix"));
    }
    if !username.is_empty() && password.to_lowercase().contains(&username.to_lowercase()) {
        return Err(invalid("err.password_username"));
    }
    const COMMON: [&str; 6] = [
        "1234567890",
        "123456789a",
        "password123",
        "matkhau123",
        "qwerty1234",
        "abc1234567",
    ];
    if COMMON.contains(&password.to_lowercase().as_str()) {
        return Err(invalid("err.password_common"));
    }
    Ok(())
}

/// A username: 3–40 lower-case letters, digits, dots, dashes or underscores.
pub fn parse_username(s: &str) -> Result<String, Invalid> {
    let s = s.trim().to_lowercase();
    let ok = (3..=40).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'));
    if ok {
        Ok(s)
    } else {
        Err(invalid("err.username"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_normalise_or_fail() {
        assert_eq!(
            Phone::parse("+84 912 345 678").unwrap().as_str(),
            "0912345678"
        );
        assert_eq!(
            Phone::parse("0236.3822.111").unwrap().as_str(),
            "02363822111"
        );
        assert_eq!(Phone::parse("12345").unwrap_err().key, "err.phone");
        assert!(Phone::parse("09123abc78").is_err());
    }

    #[test]
    fn emails_and_usernames() {
        assert_eq!(
            Email::parse(" An@Tinhuy.Vn ").unwrap().as_str(),
            "an@tinhuy.vn"
        );
        assert!(Email::parse("an@vn").is_err());
        assert!(Email::parse("a n@x.vn").is_err());
        assert_eq!(parse_username("Canbo.ANTT").unwrap(), "canbo.antt");
        assert!(parse_username("ab").is_err());
        assert!(parse_username("có dấu").is_err());
    }

    #[test]
    fn dates_parse_both_ways_and_format_ddmmyyyy() {
        let d = parse_date("03/02/2026").unwrap();
        assert_eq!(d, NaiveDate::from_ymd_opt(2026, 2, 3).unwrap());
        assert_eq!(parse_date("2026-02-03").unwrap(), d);
        assert_eq!(format_date(d), "03/02/2026");
        assert!(parse_date("31/02/2026").is_err());
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        assert!(parse_birth_date("01/01/2020", today).is_err());
        assert!(parse_birth_date("01/01/1980", today).is_ok());
    }

    #[test]
    fn names_and_passwords() {
        assert_eq!(
            parse_full_name("  Nguyễn   Văn Đức ").unwrap(),
            "Nguyễn Văn Đức"
        );
        assert!(parse_full_name("Nguyễn V4n").is_err());
        assert!(parse_full_name("").is_err());
        assert_eq!(
            check_password("short1", "an").unwrap_err().key,
            "err.password_short"
        );
        assert_eq!(
            check_password("onlyletters", "an").unwrap_err().key,
            "err.password_mix"
        );
        assert_eq!(
            check_password("canbo.antt2026", "canbo.antt")
                .unwrap_err()
                .key,
            "err.password_username"
        );
        assert!(check_password("bao-ve-2026-an", "nhanvien").is_ok());
        assert!(check_password("antoan-demo", "quantri").is_ok());
        assert_eq!(
            check_password("Password123", "an").unwrap_err().key,
            "err.password_common"
        );
    }

    #[test]
    fn enums_round_trip_codes() {
        for k in OrgKind::ALL {
            assert_eq!(OrgKind::parse(k.code()).unwrap(), *k);
        }
        assert_eq!(OrgKind::PartyBody.default_format(), DocFormat::Hd36);
        assert_eq!(Gender::parse("x").unwrap_err().key, "err.gender");
        assert_eq!(PersonStatus::Retired.label_key(), "status.retired");
    }
}
