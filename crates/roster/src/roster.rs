//! A roster (one cell per person and day) and its text file format
//! (`FORMAT.md` §6.2): `#` comment lines, then `ID: c0 c1 …` with one cell
//! per day, a shift id or `-` for a day off.

use std::fmt::Write as _;

use crate::error::Error;
use crate::model::{Day, Model, ShiftId, StaffId};

/// Cell value for a day off.
pub(crate) const OFF: u8 = 0;

/// An assignment of at most one shift per person and day.
///
/// Cells are stored as bytes (0 = off, `s + 1` = shift `s`) in person-major
/// order, so a person's row is contiguous: the evaluator and the solver work
/// row by row.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Roster {
    pub(crate) horizon: usize,
    pub(crate) cells: Vec<u8>,
}

impl Roster {
    /// Everyone off every day.
    pub fn empty(model: &Model) -> Self {
        Roster {
            horizon: model.horizon(),
            cells: vec![OFF; model.horizon() * model.staff().len()],
        }
    }

    /// The shift person `p` works on day `d`, or `None` for a day off.
    pub fn get(&self, p: StaffId, d: Day) -> Option<ShiftId> {
        match self.cells[p.index() * self.horizon + d.index()] {
            OFF => None,
            v => Some(crate::model::shift_id(v as usize - 1)),
        }
    }

    /// Sets one cell.
    pub fn set(&mut self, p: StaffId, d: Day, s: Option<ShiftId>) {
        self.cells[p.index() * self.horizon + d.index()] = s.map_or(OFF, |s| s.index() as u8 + 1);
    }

    /// Person `p`'s row of raw cells.
    pub(crate) fn row(&self, p: usize) -> &[u8] {
        &self.cells[p * self.horizon..(p + 1) * self.horizon]
    }

    /// Parses a roster file for `model`.
    pub fn parse(model: &Model, text: &str) -> Result<Self, Error> {
        let mut roster = Roster::empty(model);
        let mut seen = vec![false; model.staff().len()];
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let t = raw.trim();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            let Some((id, rest)) = t.split_once(':') else {
                return Err(Error::roster(line, "expected \"ID: cell cell …\""));
            };
            let Some(p) = model.staff_by_name(id.trim()) else {
                return Err(Error::roster(
                    line,
                    format!("unknown employee id {:?}", id.trim()),
                ));
            };
            if std::mem::replace(&mut seen[p.index()], true) {
                return Err(Error::roster(
                    line,
                    format!("employee {} listed twice", id.trim()),
                ));
            }
            let cells: Vec<&str> = rest.split_whitespace().collect();
            if cells.len() != model.horizon() {
                return Err(Error::roster(
                    line,
                    format!(
                        "{} cells, expected one per day ({})",
                        cells.len(),
                        model.horizon()
                    ),
                ));
            }
            for (d, c) in cells.iter().enumerate() {
                let s = if *c == "-" {
                    None
                } else {
                    Some(model.shift_by_name(c).ok_or_else(|| {
                        Error::roster(line, format!("unknown shift id {c:?} on day {d}"))
                    })?)
                };
                roster.set(p, Day(d as u16), s);
            }
        }
        if let Some(p) = seen.iter().position(|s| !s) {
            return Err(Error::roster(
                0,
                format!("employee {} missing", model.staff()[p].name),
            ));
        }
        Ok(roster)
    }

    /// Reads a roster file.
    pub fn read(model: &Model, path: &std::path::Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Roster::parse(model, &text)
    }

    /// Renders the roster in the text format, after the given comment lines.
    pub fn to_text(&self, model: &Model, comments: &[String]) -> String {
        let mut out = String::new();
        for c in comments {
            let _ = writeln!(out, "# {c}");
        }
        for (p, person) in model.staff().iter().enumerate() {
            out.push_str(&person.name);
            out.push(':');
            for &v in self.row(p) {
                out.push(' ');
                match v {
                    OFF => out.push('-'),
                    v => out.push_str(&model.shifts()[v as usize - 1].name),
                }
            }
            out.push('\n');
        }
        out
    }

    /// Writes the roster file.
    pub fn write(
        &self,
        model: &Model,
        path: &std::path::Path,
        comments: &[String],
    ) -> Result<(), Error> {
        std::fs::write(path, self.to_text(model, comments)).map_err(|e| Error::io(path, e))
    }
}
