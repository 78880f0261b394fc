//! Parser of the Curtois–Qu benchmark text format (`FORMAT.md` §2–3).
//!
//! Sections are found by keyword, not position; every error carries the
//! 1-based line number it was found on (a missing section points one line past
//! the end of the file). The parser never panics on bad input.

use crate::error::Error;
use crate::model::{Cover, Day, Model, ModelBuilder, Request, RequestKind, ShiftId, StaffId};

const SECTIONS: [&str; 7] = [
    "SECTION_HORIZON",
    "SECTION_SHIFTS",
    "SECTION_STAFF",
    "SECTION_DAYS_OFF",
    "SECTION_SHIFT_ON_REQUESTS",
    "SECTION_SHIFT_OFF_REQUESTS",
    "SECTION_COVER",
];

type Records<'a> = Vec<(usize, &'a str)>;

/// Reads and parses an instance file.
pub fn read_instance(path: &std::path::Path) -> Result<Model, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    parse_instance(&text)
}

/// Parses the benchmark text format into a validated [`Model`].
pub fn parse_instance(text: &str) -> Result<Model, Error> {
    let mut sections: [Option<Records<'_>>; 7] = Default::default();
    let mut current: Option<usize> = None;
    let mut last_line = 0;
    for (i, raw) in text.split('\n').enumerate() {
        let line_no = i + 1;
        last_line = line_no;
        let line = raw.strip_suffix('\r').unwrap_or(raw).trim_end();
        if line.starts_with('#') {
            continue;
        }
        if line.is_empty() {
            current = None;
            continue;
        }
        if line.starts_with("SECTION_") {
            let Some(k) = SECTIONS.iter().position(|s| *s == line) else {
                return Err(Error::parse(line_no, format!("unknown section {line}")));
            };
            if sections[k].is_some() {
                return Err(Error::parse(
                    line_no,
                    format!("section {line} appears twice"),
                ));
            }
            sections[k] = Some(Vec::new());
            current = Some(k);
            continue;
        }
        match current {
            Some(k) => sections[k]
                .get_or_insert_with(Vec::new)
                .push((line_no, line)),
            None => {
                return Err(Error::parse(
                    line_no,
                    format!("record outside any section: {line}"),
                ));
            }
        }
    }
    let end = last_line + 1;
    let mut take = |k: usize| {
        sections[k]
            .take()
            .ok_or_else(|| Error::parse(end, format!("missing section {}", SECTIONS[k])))
    };
    let horizon_recs = take(0)?;
    let shift_recs = take(1)?;
    let staff_recs = take(2)?;
    let off_recs = take(3)?;
    let on_req = take(4)?;
    let off_req = take(5)?;
    let cover_recs = take(6)?;

    let horizon = match horizon_recs.as_slice() {
        [(line, text)] => number(*line, text, "horizon")? as usize,
        [] => return Err(Error::parse(end, "SECTION_HORIZON has no record")),
        [_, (line, _), ..] => {
            return Err(Error::parse(
                *line,
                "SECTION_HORIZON has more than one record",
            ));
        }
    };
    if horizon == 0 || horizon > u16::MAX as usize {
        return Err(Error::parse(
            horizon_recs[0].0,
            format!("horizon of {horizon} days"),
        ));
    }
    let mut b = ModelBuilder::new(horizon);
    parse_shifts(&mut b, &shift_recs)?;
    parse_staff(&mut b, &staff_recs, horizon)?;
    for (line, text) in &off_recs {
        let fields: Vec<&str> = text.split(',').collect();
        let who = staff(&b, *line, fields[0])?;
        for f in &fields[1..] {
            if f.is_empty() {
                continue;
            }
            let d = day(*line, f, horizon)?;
            b.staff_mut(who).days_off[d.index()] = true;
        }
    }
    parse_requests(&mut b, &on_req, RequestKind::On, horizon)?;
    parse_requests(&mut b, &off_req, RequestKind::Off, horizon)?;
    for (line, text) in &cover_recs {
        let f = fields::<5>(
            *line,
            text,
            "Day,ShiftID,Requirement,WeightUnder,WeightOver",
        )?;
        b.cover(Cover {
            day: day(*line, f[0], horizon)?,
            shift: shift(&b, *line, f[1])?,
            skill: None,
            target: number(*line, f[2], "requirement")?,
            under: number(*line, f[3], "under weight")?,
            over: number(*line, f[4], "over weight")?,
        });
    }
    b.build()
}

fn parse_shifts(b: &mut ModelBuilder, recs: &Records<'_>) -> Result<(), Error> {
    for (line, text) in recs {
        let f: Vec<&str> = text.split(',').collect();
        if f.len() < 2 || f.len() > 3 {
            return Err(Error::parse(
                *line,
                "expected ShiftID,LengthMinutes,Forbidden|...",
            ));
        }
        let name = ident(*line, f[0])?;
        let minutes = number(*line, f[1], "shift length")?;
        b.shift(name, None, minutes)
            .map_err(|e| Error::parse(*line, e.to_string()))?;
    }
    for (line, text) in recs {
        let f: Vec<&str> = text.split(',').collect();
        let from = shift(b, *line, f[0])?;
        if let Some(list) = f.get(2) {
            for name in list.split('|').filter(|s| !s.is_empty()) {
                let to = shift(b, *line, name)?;
                b.forbid(from, to);
            }
        }
    }
    Ok(())
}

fn parse_staff(b: &mut ModelBuilder, recs: &Records<'_>, horizon: usize) -> Result<(), Error> {
    for (line, text) in recs {
        let f = fields::<8>(
            *line,
            text,
            "ID,MaxShifts,MaxTotalMinutes,MinTotalMinutes,MaxConsecutiveShifts,MinConsecutiveShifts,MinConsecutiveDaysOff,MaxWeekends",
        )?;
        let mut p = b.new_staff(ident(*line, f[0])?);
        for pair in f[1].split('|').filter(|s| !s.is_empty()) {
            let Some((name, limit)) = pair.split_once('=') else {
                return Err(Error::parse(
                    *line,
                    format!("expected ShiftID=limit, found {pair}"),
                ));
            };
            let s = shift(b, *line, name)?;
            p.max_per_shift[s.index()] = Some(number(*line, limit, "shift limit")?);
        }
        p.max_minutes = number(*line, f[2], "MaxTotalMinutes")?;
        p.min_minutes = number(*line, f[3], "MinTotalMinutes")?;
        p.max_consecutive = number(*line, f[4], "MaxConsecutiveShifts")?;
        p.min_consecutive = number(*line, f[5], "MinConsecutiveShifts")?;
        p.min_days_off = number(*line, f[6], "MinConsecutiveDaysOff")?;
        p.max_weekends = number(*line, f[7], "MaxWeekends")?;
        debug_assert_eq!(p.days_off.len(), horizon);
        b.staff(p).map_err(|e| Error::parse(*line, e.to_string()))?;
    }
    Ok(())
}

fn parse_requests(
    b: &mut ModelBuilder,
    recs: &Records<'_>,
    kind: RequestKind,
    horizon: usize,
) -> Result<(), Error> {
    for (line, text) in recs {
        let f = fields::<4>(*line, text, "EmployeeID,Day,ShiftID,Weight")?;
        let request = Request {
            staff: staff(b, *line, f[0])?,
            day: day(*line, f[1], horizon)?,
            shift: shift(b, *line, f[2])?,
            weight: number(*line, f[3], "weight")?,
            kind,
        };
        b.request(request);
    }
    Ok(())
}

fn fields<'a, const N: usize>(
    line: usize,
    text: &'a str,
    layout: &str,
) -> Result<[&'a str; N], Error> {
    let f: Vec<&str> = text.split(',').collect();
    f.try_into().map_err(|f: Vec<&str>| {
        Error::parse(
            line,
            format!("expected {N} fields ({layout}), found {}", f.len()),
        )
    })
}

/// A non-negative integer. `-0` is accepted as 0: Instance15 of the
/// published set has two cover records written that way.
fn number(line: usize, text: &str, what: &str) -> Result<u32, Error> {
    let t = text.trim();
    let digits = t
        .strip_prefix('-')
        .filter(|d| d.bytes().all(|b| b == b'0') && !d.is_empty());
    let t = if digits.is_some() { "0" } else { t };
    t.parse::<u32>().map_err(|_| {
        Error::parse(
            line,
            format!("{what}: expected a non-negative integer, found {text:?}"),
        )
    })
}

fn ident(line: usize, text: &str) -> Result<&str, Error> {
    if text.is_empty() || text.contains(['|', '=', ' ']) {
        return Err(Error::parse(line, format!("invalid identifier {text:?}")));
    }
    Ok(text)
}

fn day(line: usize, text: &str, horizon: usize) -> Result<Day, Error> {
    let d = number(line, text, "day")? as usize;
    if d >= horizon {
        return Err(Error::parse(
            line,
            format!("day {d} outside the horizon of {horizon} days"),
        ));
    }
    Ok(Day(d as u16))
}

fn shift(b: &ModelBuilder, line: usize, name: &str) -> Result<ShiftId, Error> {
    b.shift_by_name(name)
        .ok_or_else(|| Error::parse(line, format!("unknown shift id {name:?}")))
}

fn staff(b: &ModelBuilder, line: usize, name: &str) -> Result<StaffId, Error> {
    b.staff_by_name(name)
        .ok_or_else(|| Error::parse(line, format!("unknown employee id {name:?}")))
}
