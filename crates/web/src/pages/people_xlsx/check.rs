//! Checking the rows of a staff list: each cell parsed the way people type it, units found by
//! name in the importer's scope, every problem of a row reported at once.

use super::sheet::{Col, Problem, RawRow, Value, header_key};
use crate::i18n::{Lang, lookup};
use chrono::NaiveDate;
use domain::text::fold_vi;
use domain::values::{self, Email, Gender, PersonStatus, Phone};
use std::collections::HashMap;

/// Units the importer may put people in, by folded name.
pub(crate) struct UnitIndex {
    by_name: HashMap<String, Vec<(i64, Option<i64>)>>,
}

impl UnitIndex {
    pub fn new(units: &[store::units::Unit]) -> UnitIndex {
        let mut by_name: HashMap<String, Vec<(i64, Option<i64>)>> = HashMap::new();
        for u in units {
            by_name
                .entry(header_key(&u.name))
                .or_default()
                .push((u.id, u.org_id));
            if let Some(a) = &u.abbreviation {
                let k = header_key(a);
                if !k.is_empty() && k != header_key(&u.name) {
                    by_name.entry(k).or_default().push((u.id, u.org_id));
                }
            }
        }
        UnitIndex { by_name }
    }

    /// The unit (and its organisation) a name means, or the key of why it means none.
    fn find(&self, name: &str) -> Result<(i64, i64), &'static str> {
        match self.by_name.get(&header_key(name)).map(Vec::as_slice) {
            None | Some([]) => Err("xlsx.err.unit_unknown"),
            Some([(id, Some(org))]) => Ok((*id, *org)),
            Some([(_, None)]) => Err("err.person_unit_province"),
            Some(_) => Err("xlsx.err.unit_ambiguous"),
        }
    }
}

/// A row that passed every check.
#[derive(Debug, Clone)]
pub(crate) struct GoodRow {
    pub row: u32,
    /// The name column as the report shows it ("B (Họ và tên)").
    pub name_column: String,
    pub org_id: i64,
    pub name_key: String,
    pub input: store::people::PersonInput,
}

fn text(v: &Value) -> String {
    match v {
        Value::Text(s) => s.clone(),
        Value::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
        Value::Number(n) => n.to_string(),
        Value::Date(d) => values::format_date(*d),
        Value::Bool(b) => if *b { "1" } else { "0" }.to_owned(),
        Value::Error => String::new(),
    }
}

fn yes_no(v: &Value) -> Result<bool, &'static str> {
    if let Value::Bool(b) = v {
        return Ok(*b);
    }
    match header_key(&text(v)).as_str() {
        "x" | "co" | "1" | "yes" | "y" | "true" | "v" => Ok(true),
        "" | "0" | "khong" | "k" | "no" | "n" | "false" => Ok(false),
        _ => Err("xlsx.err.yes_no"),
    }
}

fn gender(v: &Value) -> Result<Gender, &'static str> {
    match header_key(&text(v)).as_str() {
        "nam" | "male" | "m" => Ok(Gender::Male),
        "nu" | "female" | "f" => Ok(Gender::Female),
        _ => Err("err.gender"),
    }
}

fn status(v: &Value) -> Result<PersonStatus, &'static str> {
    let k = header_key(&text(v));
    PersonStatus::ALL
        .iter()
        .copied()
        .find(|s| {
            let label = s.label_key();
            k == s.code()
                || k == header_key(lookup(Lang::Vi, &label))
                || k == header_key(lookup(Lang::En, &label))
        })
        .ok_or("err.status")
}

fn birth(v: &Value, today: NaiveDate) -> Result<NaiveDate, &'static str> {
    let s = match v {
        Value::Date(d) => values::format_date(*d),
        Value::Text(s) => {
            // ISO text from some exporters carries a time; dotted dates are common in offices.
            let s = s.trim();
            if s.len() > 10 && s.as_bytes().get(4) == Some(&b'-') {
                s[..10].to_owned()
            } else {
                s.replace('.', "/")
            }
        }
        _ => return Err("err.date"),
    };
    values::parse_birth_date(&s, today).map_err(|e| e.key)
}

/// A phone typed into a number cell loses its leading zero; put it back.
fn phone(v: &Value) -> Result<Phone, &'static str> {
    let mut s = text(v);
    if let Value::Number(_) = v
        && (9..=10).contains(&s.len())
        && !s.starts_with('0')
        && !s.starts_with("84")
    {
        s.insert(0, '0');
    }
    Phone::parse(&s).map_err(|e| e.key)
}

/// Checks one row; every problem of the row is reported.
pub(crate) fn check(
    r: &RawRow,
    units: &UnitIndex,
    today: NaiveDate,
) -> Result<GoodRow, Vec<Problem>> {
    let mut problems = Vec::new();
    // Parses a column's cell: `Ok(None)` when empty and optional.
    let mut take = |col: Col, f: &dyn Fn(&Value) -> Result<(), &'static str>| -> bool {
        let cell = r.cells.get(&col);
        let key = match cell.map(|c| &c.value) {
            None if col.required() => Some("xlsx.err.required"),
            None => None,
            Some(Value::Error) => Some("xlsx.err.cell_error"),
            Some(v) => f(v).err(),
        };
        if let Some(key) = key {
            let column = cell.map(|c| c.column.clone()).unwrap_or_default();
            problems.push(Problem {
                row: r.row,
                column,
                key,
                arg: String::new(),
            });
        }
        key.is_none()
    };
    let mut all_ok = true;
    all_ok &= take(Col::Name, &|v| {
        values::parse_full_name(&text(v))
            .map(|_| ())
            .map_err(|e| e.key)
    });
    all_ok &= take(Col::Gender, &|v| gender(v).map(|_| ()));
    all_ok &= take(Col::Birth, &|v| birth(v, today).map(|_| ()));
    all_ok &= take(Col::Position, &|v| {
        if text(v).chars().count() > 200 {
            Err("people.err.position")
        } else {
            Ok(())
        }
    });
    all_ok &= take(Col::Unit, &|v| units.find(&text(v)).map(|_| ()));
    all_ok &= take(Col::Phone, &|v| phone(v).map(|_| ()));
    all_ok &= take(Col::Email, &|v| {
        Email::parse(&text(v)).map(|_| ()).map_err(|e| e.key)
    });
    all_ok &= take(Col::Party, &|v| yes_no(v).map(|_| ()));
    all_ok &= take(Col::SelfDefence, &|v| yes_no(v).map(|_| ()));
    all_ok &= take(Col::Fire, &|v| yes_no(v).map(|_| ()));
    all_ok &= take(Col::Status, &|v| status(v).map(|_| ()));
    if !all_ok {
        return Err(problems);
    }
    // Every present cell parsed above; read the values again, now known to be good.
    let get = |col: Col| r.cells.get(&col).map(|c| &c.value);
    let (Some(Ok(full_name)), Some(Ok((unit_id, org_id)))) = (
        get(Col::Name).map(|v| values::parse_full_name(&text(v))),
        get(Col::Unit).map(|v| units.find(&text(v))),
    ) else {
        return Err(problems);
    };
    let flag = |col: Col| get(col).is_some_and(|v| yes_no(v).unwrap_or(false));
    let input = store::people::PersonInput {
        gender: get(Col::Gender)
            .and_then(|v| gender(v).ok())
            .unwrap_or(Gender::Male),
        birth_date: get(Col::Birth).and_then(|v| birth(v, today).ok()),
        position: get(Col::Position)
            .map(|v| text(v).split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_default(),
        unit_id,
        phone: get(Col::Phone).and_then(|v| phone(v).ok()),
        email: get(Col::Email).and_then(|v| Email::parse(&text(v)).ok()),
        party_member: flag(Col::Party),
        self_defence: flag(Col::SelfDefence),
        fire_force: flag(Col::Fire),
        status: get(Col::Status)
            .and_then(|v| status(v).ok())
            .unwrap_or(PersonStatus::Working),
        full_name: full_name.clone(),
    };
    let name_column = r
        .cells
        .get(&Col::Name)
        .map(|c| c.column.clone())
        .unwrap_or_default();
    Ok(GoodRow {
        row: r.row,
        name_column,
        org_id,
        name_key: fold_vi(&full_name),
        input,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yes_no_and_phone_cells() {
        assert_eq!(yes_no(&Value::Text("x".into())), Ok(true));
        assert_eq!(yes_no(&Value::Text("Có".into())), Ok(true));
        assert_eq!(yes_no(&Value::Number(1.0)), Ok(true));
        assert_eq!(yes_no(&Value::Text("không".into())), Ok(false));
        assert!(yes_no(&Value::Text("có lẽ".into())).is_err());
        assert_eq!(
            phone(&Value::Number(912_345_678.0)).unwrap().as_str(),
            "0912345678"
        );
        assert_eq!(
            status(&Value::Text("Đã nghỉ hưu".into())),
            Ok(PersonStatus::Retired)
        );
    }
}
