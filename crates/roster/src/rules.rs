//! The rules themselves: dense lookup tables compiled from a [`Model`], and
//! the one scan of a person's row that finds every hard-rule breach and the
//! row-level soft terms.
//!
//! The scan reports through a [`RowSink`], so the same code serves the exact
//! evaluator (which wants a named violation and a human reason for each
//! breach) and the solver (which wants two numbers, fast). Keeping a single
//! copy of the rules is what makes the solver's score agree with the
//! evaluator's by construction.

use crate::model::{Model, RequestKind};
use crate::roster::OFF;

/// A hard rule, reported by name.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum HardRule {
    /// A shift followed next day by a shift it forbids (or too little rest).
    ForbiddenSuccession,
    /// More shifts of one type than the person's limit (0 = not qualified).
    MaxShiftsOfType,
    /// More minutes than the person's maximum.
    MaxTotalMinutes,
    /// Fewer minutes than the person's minimum.
    MinTotalMinutes,
    /// A run of working days longer than allowed.
    MaxConsecutiveShifts,
    /// An inner run of working days shorter than required.
    MinConsecutiveShifts,
    /// An inner run of days off shorter than required.
    MinConsecutiveDaysOff,
    /// More working weekends than allowed.
    MaxWeekends,
    /// Work on a required day off or leave.
    RequiredDayOff,
}

impl HardRule {
    /// Stable name for reports and the UI.
    pub fn name(self) -> &'static str {
        match self {
            HardRule::ForbiddenSuccession => "forbidden succession",
            HardRule::MaxShiftsOfType => "max shifts of a type",
            HardRule::MaxTotalMinutes => "max total minutes",
            HardRule::MinTotalMinutes => "min total minutes",
            HardRule::MaxConsecutiveShifts => "max consecutive shifts",
            HardRule::MinConsecutiveShifts => "min consecutive shifts",
            HardRule::MinConsecutiveDaysOff => "min consecutive days off",
            HardRule::MaxWeekends => "max weekends",
            HardRule::RequiredDayOff => "required day off",
        }
    }
}

/// Receives what a row scan finds. `detail` closures are only called by
/// sinks that want text, so the numeric path never formats.
pub(crate) trait RowSink {
    fn hard<F: FnOnce() -> Detail>(&mut self, rule: HardRule, units: u32, detail: F);
    fn spread<F: FnOnce() -> Detail>(&mut self, cost: u64, detail: F);
}

/// What a sink that explains breaches gets: the English sentence, and the same facts as data
/// so that a caller can say it in its own words (the product speaks Vietnamese first).
pub(crate) struct Detail {
    pub text: String,
    /// First and last day concerned.
    pub days: Option<(usize, usize)>,
    /// The shift type concerned (0-based).
    pub shift: Option<usize>,
    /// The measured amount (days, shifts, minutes, weekends).
    pub value: u64,
    /// The limit or target it is measured against.
    pub limit: u64,
}

fn det(
    text: String,
    days: Option<(usize, usize)>,
    shift: Option<usize>,
    value: u64,
    limit: u64,
) -> Detail {
    Detail {
        text,
        days,
        shift,
        value,
        limit,
    }
}

/// How to read a forbidden-succession list. Only [`Succession::AsWritten`]
/// is correct; the reversed reading exists so tests can show it is rejected.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Succession {
    /// `A,len,B` forbids B on the day after A (`FORMAT.md` §3.2).
    AsWritten,
    /// The wrong reading: A on the day after B.
    Reversed,
}

/// Dense tables compiled from a model; values are cells (0 = off, s+1 = shift).
#[derive(Debug)]
pub(crate) struct Tables {
    pub h: usize,
    pub e: usize,
    /// Number of cell values, shift types + 1.
    pub v: usize,
    pub minutes: Vec<u32>,
    /// `forbidden[a * v + b]` on cell values; off is never forbidden.
    pub forbidden: Vec<bool>,
    /// `cell_cost[(p * h + d) * v + x]`: requests and burdens of that cell.
    pub cell_cost: Vec<i32>,
    /// Per person, the cell values they may ever take (off first).
    pub allowed: Vec<Vec<u8>>,
    pub skills: Vec<u64>,
    /// Cover records, each with a skill mask (0 = counts everyone).
    pub covers: Vec<CoverRec>,
    /// `covers_at[d * v + x]` lists the cover indices for day d, value x.
    pub covers_at: Vec<Vec<u32>>,
    /// Smallest shift length: the unit in which minute breaches are counted.
    pub minute_unit: u32,
    /// Whether any cover record counts one skill only (else a same-day swap
    /// between two people never changes a count).
    pub skill_covers: bool,
    pub model: Model,
}

#[derive(Copy, Clone, Debug)]
pub(crate) struct CoverRec {
    pub day: u16,
    /// The cell value (shift + 1) counted.
    pub x: u8,
    pub target: i32,
    pub under: i32,
    pub over: i32,
    pub mask: u64,
}

impl CoverRec {
    pub fn counts(&self, skills: u64) -> bool {
        self.mask == 0 || skills & self.mask != 0
    }
    pub fn cost(&self, n: i32) -> i64 {
        if n < self.target {
            i64::from(self.under) * i64::from(self.target - n)
        } else {
            i64::from(self.over) * i64::from(n - self.target)
        }
    }
    /// Cost change when one more person is counted, at current count `n`.
    pub fn add_delta(&self, n: i32) -> i64 {
        if n < self.target {
            -i64::from(self.under)
        } else {
            i64::from(self.over)
        }
    }
    /// Cost change when one person less is counted, at current count `n`.
    pub fn remove_delta(&self, n: i32) -> i64 {
        if n > self.target {
            -i64::from(self.over)
        } else {
            i64::from(self.under)
        }
    }
}

impl Tables {
    pub fn new(model: &Model, succession: Succession) -> Self {
        let h = model.horizon();
        let e = model.staff().len();
        let ns = model.shifts().len();
        let v = ns + 1;
        let mut minutes = vec![0u32; v];
        for (s, st) in model.shifts().iter().enumerate() {
            minutes[s + 1] = st.minutes;
        }
        let mut forbidden = vec![false; v * v];
        for a in 0..ns {
            for b in 0..ns {
                let f = match succession {
                    Succession::AsWritten => model.forbidden[a * ns + b],
                    Succession::Reversed => model.forbidden[b * ns + a],
                };
                forbidden[(a + 1) * v + b + 1] = f;
            }
        }
        let mut cell_cost = vec![0i32; e * h * v];
        for r in model.requests() {
            let base = (r.staff.index() * h + r.day.index()) * v;
            let x = r.shift.index() + 1;
            let w = r.weight as i32;
            match r.kind {
                RequestKind::On => {
                    for y in 0..v {
                        if y != x {
                            cell_cost[base + y] += w;
                        }
                    }
                }
                RequestKind::Off => cell_cost[base + x] += w,
            }
        }
        for b in model.burdens() {
            for (p, person) in model.staff().iter().enumerate() {
                let w = burden_cost(b.weight, person.burden_history);
                cell_cost[(p * h + b.day.index()) * v + b.shift.index() + 1] += w as i32;
            }
        }
        let allowed = model
            .staff()
            .iter()
            .map(|p| {
                let mut a = vec![OFF];
                a.extend(
                    (0..ns)
                        .filter(|&s| p.max_per_shift[s] != Some(0))
                        .map(|s| s as u8 + 1),
                );
                a
            })
            .collect();
        let mut covers = Vec::new();
        let mut covers_at = vec![Vec::new(); h * v];
        for c in model.covers() {
            covers_at[c.day.index() * v + c.shift.index() + 1].push(covers.len() as u32);
            covers.push(CoverRec {
                day: c.day.0,
                x: c.shift.index() as u8 + 1,
                target: c.target as i32,
                under: c.under as i32,
                over: c.over as i32,
                mask: c.skill.map_or(0, |k| 1u64 << k.index()),
            });
        }
        let minute_unit = model
            .shifts()
            .iter()
            .map(|s| s.minutes)
            .min()
            .unwrap_or(1)
            .max(1);
        Tables {
            h,
            e,
            v,
            minutes,
            forbidden,
            cell_cost,
            allowed,
            skills: model.staff().iter().map(|p| p.skills).collect(),
            covers_at,
            minute_unit,
            model: model.clone(),
            skill_covers: covers.iter().any(|c| c.mask != 0),
            covers,
        }
    }

    /// Sum of the cell costs of one row.
    pub fn row_cell_cost(&self, p: usize, row: &[u8]) -> i64 {
        let base = p * self.h * self.v;
        row.iter()
            .enumerate()
            .map(|(d, &x)| i64::from(self.cell_cost[base + d * self.v + x as usize]))
            .sum()
    }

    /// Hard units and row soft cost (cells + spread) of one row.
    pub fn row_score(&self, p: usize, row: &[u8]) -> (u32, i64) {
        let (hard, spread) = self.row_rules(p, row);
        (hard, spread + self.row_cell_cost(p, row))
    }

    /// Hard units and the spread term of one row (no cell costs).
    pub fn row_rules(&self, p: usize, row: &[u8]) -> (u32, i64) {
        let mut sink = Count::default();
        scan_row(self, p, row, &mut sink);
        (sink.hard, sink.soft)
    }

    #[inline]
    pub fn cell(&self, p: usize, d: usize, x: u8) -> i64 {
        i64::from(self.cell_cost[(p * self.h + d) * self.v + x as usize])
    }
}

pub(crate) fn burden_cost(weight: u32, history: u32) -> u64 {
    u64::from(weight) * (1 + u64::from(history))
}

/// Numeric sink: totals only.
#[derive(Default)]
pub(crate) struct Count {
    pub hard: u32,
    pub soft: i64,
}

impl RowSink for Count {
    fn hard<F: FnOnce() -> Detail>(&mut self, _: HardRule, units: u32, _: F) {
        self.hard += units;
    }
    fn spread<F: FnOnce() -> Detail>(&mut self, cost: u64, _: F) {
        self.soft += cost as i64;
    }
}

/// Scans person `p`'s row against every per-person rule.
pub(crate) fn scan_row<S: RowSink>(t: &Tables, p: usize, row: &[u8], sink: &mut S) {
    let person = &t.model.staff()[p];
    let name = &person.name;
    let shifts = t.model.shifts();
    let h = t.h;
    let mut counts = [0u32; 256];
    let mut total_minutes = 0u64;
    for (d, &x) in row.iter().enumerate() {
        counts[x as usize] += 1;
        total_minutes += u64::from(t.minutes[x as usize]);
        if x != OFF && person.days_off[d] {
            sink.hard(HardRule::RequiredDayOff, 1, || {
                det(
                    format!(
                        "{name}: works {} on day {d}, a required day off",
                        shifts[x as usize - 1].name
                    ),
                    Some((d, d)),
                    Some(x as usize - 1),
                    1,
                    0,
                )
            });
        }
        if d + 1 < h {
            let y = row[d + 1];
            if t.forbidden[x as usize * t.v + y as usize] {
                sink.hard(HardRule::ForbiddenSuccession, 1, || {
                    det(
                        format!(
                            "{name}: {} on day {d} followed by {} on day {}",
                            shifts[x as usize - 1].name,
                            shifts[y as usize - 1].name,
                            d + 1
                        ),
                        Some((d, d + 1)),
                        Some(y as usize - 1),
                        1,
                        0,
                    )
                });
            }
        }
    }
    for (s, limit) in person.max_per_shift.iter().enumerate() {
        let n = counts[s + 1];
        if let Some(max) = *limit
            && n > max
        {
            sink.hard(HardRule::MaxShiftsOfType, n - max, || {
                det(
                    format!("{name}: {n} shifts of type {}, max {max}", shifts[s].name),
                    None,
                    Some(s),
                    u64::from(n),
                    u64::from(max),
                )
            });
        }
    }
    let unit = u64::from(t.minute_unit);
    if total_minutes > u64::from(person.max_minutes) {
        let over = total_minutes - u64::from(person.max_minutes);
        sink.hard(
            HardRule::MaxTotalMinutes,
            over.div_ceil(unit) as u32,
            || {
                det(
                    format!(
                        "{name}: {total_minutes} minutes, max {}",
                        person.max_minutes
                    ),
                    None,
                    None,
                    total_minutes,
                    u64::from(person.max_minutes),
                )
            },
        );
    }
    if total_minutes < u64::from(person.min_minutes) {
        let under = u64::from(person.min_minutes) - total_minutes;
        sink.hard(
            HardRule::MinTotalMinutes,
            under.div_ceil(unit) as u32,
            || {
                det(
                    format!(
                        "{name}: {total_minutes} minutes, min {}",
                        person.min_minutes
                    ),
                    None,
                    None,
                    total_minutes,
                    u64::from(person.min_minutes),
                )
            },
        );
    }
    let mut start = 0;
    while start < h {
        let working = row[start] != OFF;
        let mut end = start;
        while end + 1 < h && (row[end + 1] != OFF) == working {
            end += 1;
        }
        let len = (end - start + 1) as u32;
        let inner = start > 0 && end + 1 < h;
        if working {
            if len > person.max_consecutive {
                sink.hard(
                    HardRule::MaxConsecutiveShifts,
                    len - person.max_consecutive,
                    || {
                        det(
                            format!(
                                "{name}: {len} consecutive shifts, max {}, days {start}–{end}",
                                person.max_consecutive
                            ),
                            Some((start, end)),
                            None,
                            u64::from(len),
                            u64::from(person.max_consecutive),
                        )
                    },
                );
            }
            if inner && len < person.min_consecutive {
                sink.hard(
                    HardRule::MinConsecutiveShifts,
                    person.min_consecutive - len,
                    || {
                        det(
                            format!(
                                "{name}: {len} consecutive shifts, min {}, days {start}–{end}",
                                person.min_consecutive
                            ),
                            Some((start, end)),
                            None,
                            u64::from(len),
                            u64::from(person.min_consecutive),
                        )
                    },
                );
            }
        } else if inner && len < person.min_days_off {
            sink.hard(
                HardRule::MinConsecutiveDaysOff,
                person.min_days_off - len,
                || {
                    det(
                        format!(
                            "{name}: {len} days off in a row, min {}, days {start}–{end}",
                            person.min_days_off
                        ),
                        Some((start, end)),
                        None,
                        u64::from(len),
                        u64::from(person.min_days_off),
                    )
                },
            );
        }
        start = end + 1;
    }
    let mut weekends = 0u32;
    let mut k = 5;
    while k < h {
        if row[k] != OFF || (k + 1 < h && row[k + 1] != OFF) {
            weekends += 1;
        }
        k += 7;
    }
    if weekends > person.max_weekends {
        sink.hard(
            HardRule::MaxWeekends,
            weekends - person.max_weekends,
            || {
                det(
                    format!(
                        "{name}: {weekends} weekends worked, max {}",
                        person.max_weekends
                    ),
                    None,
                    None,
                    u64::from(weekends),
                    u64::from(person.max_weekends),
                )
            },
        );
    }
    if let Some(target) = person.target_shifts
        && t.model.spread_weight() > 0
    {
        let worked = h as u32 - counts[OFF as usize];
        let dev = worked.abs_diff(target);
        if dev > 0 {
            let cost = u64::from(dev) * u64::from(t.model.spread_weight());
            sink.spread(cost, || {
                det(
                    format!("{name}: {worked} shifts, fair share {target}"),
                    None,
                    None,
                    u64::from(worked),
                    u64::from(target),
                )
            });
        }
    }
}

impl Tables {
    /// Hard units of the rules that depend on a person's totals only:
    /// per-type maxima, total minutes and weekends (the rest are local).
    #[inline]
    pub fn global_units(&self, p: usize, counts: &[u16], minutes: u32, weekends: u32) -> u32 {
        let person = &self.model.staff()[p];
        let mut units = 0;
        for (s, limit) in person.max_per_shift.iter().enumerate() {
            if let Some(max) = *limit {
                units += u32::from(counts[s + 1]).saturating_sub(max);
            }
        }
        let unit = self.minute_unit;
        if minutes > person.max_minutes {
            units += (minutes - person.max_minutes).div_ceil(unit);
        }
        if minutes < person.min_minutes {
            units += (person.min_minutes - minutes).div_ceil(unit);
        }
        units + weekends.saturating_sub(person.max_weekends)
    }

    /// The spread term for a person working `worked` days.
    #[inline]
    pub fn spread_cost(&self, p: usize, worked: u32) -> i64 {
        match self.model.staff()[p].target_shifts {
            Some(target) if self.model.spread_weight() > 0 => {
                i64::from(worked.abs_diff(target)) * i64::from(self.model.spread_weight())
            }
            _ => 0,
        }
    }

    /// Hard units of the local rules (required days off, successions, run
    /// lengths) that a change of days `lo..=hi` can affect: days off in the
    /// range, successions touching it, and every run between the run holding
    /// day `lo - 1` and the run holding day `hi + 1`. Those two runs lie
    /// outside the change, so they bound the same region before and after
    /// it, and the difference of two calls is the exact change.
    pub fn local_units(&self, p: usize, row: &[u8], lo: usize, hi: usize) -> u32 {
        let person = &self.model.staff()[p];
        let h = self.h;
        let mut units = 0;
        for (x, off) in row[lo..=hi].iter().zip(&person.days_off[lo..=hi]) {
            if *x != OFF && *off {
                units += 1;
            }
        }
        // Successions (d, d + 1) that touch a changed day.
        if h >= 2 {
            for d in lo.saturating_sub(1)..=hi.min(h - 2) {
                if self.forbidden[row[d] as usize * self.v + row[d + 1] as usize] {
                    units += 1;
                }
            }
        }
        let works = |d: usize| row[d] != OFF;
        let mut a = lo.saturating_sub(1);
        while a > 0 && works(a - 1) == works(a) {
            a -= 1;
        }
        let mut b = (hi + 1).min(h - 1);
        while b + 1 < h && works(b + 1) == works(b) {
            b += 1;
        }
        let mut start = a;
        while start <= b {
            let working = works(start);
            let mut end = start;
            while end < b && works(end + 1) == working {
                end += 1;
            }
            let len = (end - start + 1) as u32;
            let inner = start > 0 && end + 1 < h;
            if working {
                units += len.saturating_sub(person.max_consecutive);
                if inner {
                    units += person.min_consecutive.saturating_sub(len);
                }
            } else if inner {
                units += person.min_days_off.saturating_sub(len);
            }
            start = end + 1;
        }
        units
    }
}
