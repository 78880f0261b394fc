//! Incremental evaluation: a roster with cached cover counts and per-row
//! scores, so that changing a cell (or swapping two) costs one or two row
//! scans plus a few counter updates instead of a full evaluation.
//!
//! A row scan is O(horizon), a few hundred nanoseconds at product size
//! (21 days); cover updates are O(1) per cover record of the touched cell.
//! [`Checker`] is the public face for the product UI; the solver uses
//! [`State`] directly.

use std::sync::Arc;

use crate::evaluate::{Evaluation, evaluate_tables};
use crate::model::{Day, Model, ShiftId, StaffId};
use crate::roster::{OFF, Roster};
use crate::rules::{Succession, Tables};

/// Score of a roster: hard units (0 = feasible) and soft penalty.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Score {
    /// Total breach size over all hard rules; 0 means feasible.
    pub hard: u32,
    /// The penalty.
    pub soft: i64,
}

/// Solver-side state; `cells` mirrors a [`Roster`].
#[derive(Clone)]
pub(crate) struct State {
    pub t: Arc<Tables>,
    pub cells: Vec<u8>,
    pub cover_n: Vec<i32>,
    pub row_hard: Vec<u32>,
    pub row_soft: Vec<i64>,
    /// The cell-cost part of `row_soft`, kept so a move re-prices only the
    /// days it changes.
    pub row_cell: Vec<i64>,
    /// Per person and cell value, days worked on it (`e × v`).
    pub counts: Vec<u16>,
    /// Per person, minutes worked.
    pub minutes: Vec<u32>,
    /// Per person, weekends worked.
    pub weekends: Vec<u16>,
    pub hard: u32,
    pub soft: i64,
}

impl State {
    pub fn new(t: Arc<Tables>, cells: Vec<u8>) -> Self {
        let mut s = State {
            row_hard: vec![0; t.e],
            row_soft: vec![0; t.e],
            row_cell: vec![0; t.e],
            counts: vec![0; t.e * t.v],
            minutes: vec![0; t.e],
            weekends: vec![0; t.e],
            cover_n: vec![0; t.covers.len()],
            t,
            cells,
            hard: 0,
            soft: 0,
        };
        s.recompute();
        s
    }

    /// Rebuilds every cache from the cells.
    pub fn recompute(&mut self) {
        let t = Arc::clone(&self.t);
        self.cover_n.iter_mut().for_each(|n| *n = 0);
        self.hard = 0;
        self.soft = 0;
        for p in 0..t.e {
            let row = &self.cells[p * t.h..(p + 1) * t.h];
            for (d, &x) in row.iter().enumerate() {
                if x != OFF {
                    for &c in &t.covers_at[d * t.v + x as usize] {
                        if t.covers[c as usize].counts(t.skills[p]) {
                            self.cover_n[c as usize] += 1;
                        }
                    }
                }
            }
            let (hard, soft) = t.row_score(p, row);
            self.row_cell[p] = t.row_cell_cost(p, row);
            self.count_row(p);
            self.row_hard[p] = hard;
            self.row_soft[p] = soft;
            self.hard += hard;
            self.soft += soft;
        }
        for (c, rec) in t.covers.iter().enumerate() {
            self.soft += rec.cost(self.cover_n[c]);
        }
    }

    pub fn score(&self) -> Score {
        Score {
            hard: self.hard,
            soft: self.soft,
        }
    }

    #[inline]
    pub fn get(&self, p: usize, d: usize) -> u8 {
        self.cells[p * self.t.h + d]
    }

    pub fn row(&self, p: usize) -> &[u8] {
        &self.cells[p * self.t.h..(p + 1) * self.t.h]
    }

    /// Cover cost change if person `p` leaves value `from` and takes `to` on day `d`.
    #[inline]
    pub fn cover_delta(&self, p: usize, d: usize, from: u8, to: u8) -> i64 {
        if from == to {
            return 0;
        }
        let t = &*self.t;
        let mut delta = 0;
        if from != OFF {
            for &c in &t.covers_at[d * t.v + from as usize] {
                let rec = &t.covers[c as usize];
                if rec.counts(t.skills[p]) {
                    delta += rec.remove_delta(self.cover_n[c as usize]);
                }
            }
        }
        if to != OFF {
            for &c in &t.covers_at[d * t.v + to as usize] {
                let rec = &t.covers[c as usize];
                if rec.counts(t.skills[p]) {
                    delta += rec.add_delta(self.cover_n[c as usize]);
                }
            }
        }
        delta
    }

    fn move_cover(&mut self, p: usize, d: usize, from: u8, to: u8) {
        let t = Arc::clone(&self.t);
        let mut delta = 0;
        if from != OFF {
            for &c in &t.covers_at[d * t.v + from as usize] {
                let rec = &t.covers[c as usize];
                if rec.counts(t.skills[p]) {
                    delta += rec.remove_delta(self.cover_n[c as usize]);
                    self.cover_n[c as usize] -= 1;
                }
            }
        }
        if to != OFF {
            for &c in &t.covers_at[d * t.v + to as usize] {
                let rec = &t.covers[c as usize];
                if rec.counts(t.skills[p]) {
                    delta += rec.add_delta(self.cover_n[c as usize]);
                    self.cover_n[c as usize] += 1;
                }
            }
        }
        self.soft += delta;
    }

    /// Recounts person `p`'s totals from the cells.
    fn count_row(&mut self, p: usize) {
        let (h, v) = (self.t.h, self.t.v);
        let row = &self.cells[p * h..(p + 1) * h];
        let counts = &mut self.counts[p * v..(p + 1) * v];
        counts.fill(0);
        let mut minutes = 0;
        for &x in row {
            counts[x as usize] += 1;
            minutes += self.t.minutes[x as usize];
        }
        self.minutes[p] = minutes;
        self.weekends[p] = (0..h.div_ceil(7))
            .filter(|&k| weekend_worked(row, k))
            .count() as u16;
    }

    /// Scores row `p` as if its cells on days `days` (ascending, at most 64)
    /// held `vals`, without changing the state. Returns (hard, soft) of the
    /// row. Costs O(days changed + the runs around them), not O(horizon).
    pub fn row_score_with(&mut self, p: usize, days: &[usize], vals: &[u8]) -> (u32, i64) {
        let t = Arc::clone(&self.t);
        let (h, v) = (t.h, t.v);
        let base = p * h;
        let (lo, hi) = (days[0], days[days.len() - 1]);
        let old_local = t.local_units(p, &self.cells[base..base + h], lo, hi);
        let mut counts = [0u16; 256];
        counts[..v].copy_from_slice(&self.counts[p * v..(p + 1) * v]);
        let mut minutes = self.minutes[p];
        let mut weekends = u32::from(self.weekends[p]);
        let mut old = [0u8; 64];
        let mut cell = self.row_cell[p];
        let first_weekend = lo / 7;
        let last_weekend = hi / 7;
        for k in first_weekend..=last_weekend {
            weekends -= u32::from(weekend_worked(&self.cells[base..base + h], k));
        }
        for (i, &d) in days.iter().enumerate() {
            let (from, to) = (self.cells[base + d], vals[i]);
            old[i] = from;
            cell += t.cell(p, d, to) - t.cell(p, d, from);
            counts[from as usize] -= 1;
            counts[to as usize] += 1;
            minutes = minutes - t.minutes[from as usize] + t.minutes[to as usize];
            self.cells[base + d] = to;
        }
        let row = &self.cells[base..base + h];
        for k in first_weekend..=last_weekend {
            weekends += u32::from(weekend_worked(row, k));
        }
        let new_local = t.local_units(p, row, lo, hi);
        for (i, &d) in days.iter().enumerate() {
            self.cells[base + d] = old[i];
        }
        let old_global = t.global_units(
            p,
            &self.counts[p * v..(p + 1) * v],
            self.minutes[p],
            u32::from(self.weekends[p]),
        );
        let new_global = t.global_units(p, &counts[..v], minutes, weekends);
        let hard = self.row_hard[p] + new_local + new_global - old_local - old_global;
        let worked = (h - counts[OFF as usize] as usize) as u32;
        (hard, t.spread_cost(p, worked) + cell)
    }

    /// Applies new values on some days (ascending) of row `p`, given the
    /// row's new score.
    pub fn apply_row(&mut self, p: usize, days: &[usize], vals: &[u8], row: (u32, i64)) {
        let (h, v) = (self.t.h, self.t.v);
        let base = p * h;
        let (first_weekend, last_weekend) = (days[0] / 7, days[days.len() - 1] / 7);
        for k in first_weekend..=last_weekend {
            self.weekends[p] -= u16::from(weekend_worked(&self.cells[base..base + h], k));
        }
        for (i, &d) in days.iter().enumerate() {
            let from = self.cells[base + d];
            let to = vals[i];
            if from != to {
                self.row_cell[p] += self.t.cell(p, d, to) - self.t.cell(p, d, from);
                self.counts[p * v + from as usize] -= 1;
                self.counts[p * v + to as usize] += 1;
                self.minutes[p] =
                    self.minutes[p] - self.t.minutes[from as usize] + self.t.minutes[to as usize];
                self.move_cover(p, d, from, to);
                self.cells[base + d] = to;
            }
        }
        for k in first_weekend..=last_weekend {
            self.weekends[p] += u16::from(weekend_worked(&self.cells[base..base + h], k));
        }
        self.hard = self.hard - self.row_hard[p] + row.0;
        self.soft += row.1 - self.row_soft[p];
        self.row_hard[p] = row.0;
        self.row_soft[p] = row.1;
    }

    /// Replaces a whole row, rescoring it.
    pub fn set_row(&mut self, p: usize, new_row: &[u8]) {
        let h = self.t.h;
        let score = self.t.row_score(p, new_row);
        self.row_cell[p] = self.t.row_cell_cost(p, new_row);
        for (d, &x) in new_row.iter().enumerate() {
            let from = self.cells[p * h + d];
            if from != x {
                self.move_cover(p, d, from, x);
                self.cells[p * h + d] = x;
            }
        }
        self.count_row(p);
        self.hard = self.hard - self.row_hard[p] + score.0;
        self.soft += score.1 - self.row_soft[p];
        self.row_hard[p] = score.0;
        self.row_soft[p] = score.1;
    }
}

/// Whether weekend `k` (days 7k+5 and 7k+6 that exist) is worked.
#[inline]
fn weekend_worked(row: &[u8], k: usize) -> bool {
    let sat = 7 * k + 5;
    (sat < row.len() && row[sat] != OFF) || (sat + 1 < row.len() && row[sat + 1] != OFF)
}

/// Incremental checker for interactive editing: holds a roster, answers
/// "what if this cell changed" and applies changes, each in one row scan.
pub struct Checker {
    state: State,
}

impl Checker {
    /// Starts from a roster.
    pub fn new(model: &Model, roster: &Roster) -> Self {
        let t = Arc::new(Tables::new(model, Succession::AsWritten));
        Checker {
            state: State::new(t, roster.cells.clone()),
        }
    }

    /// Current score.
    pub fn score(&self) -> Score {
        self.state.score()
    }

    /// Score the roster would have with cell (p, d) set to `s`.
    pub fn score_if(&mut self, p: StaffId, d: Day, s: Option<ShiftId>) -> Score {
        let (pi, di) = (p.index(), d.index());
        let to = s.map_or(OFF, |s| s.index() as u8 + 1);
        let from = self.state.get(pi, di);
        let cover = self.state.cover_delta(pi, di, from, to);
        let (h, soft) = self.state.row_score_with(pi, &[di], &[to]);
        Score {
            hard: self.state.hard - self.state.row_hard[pi] + h,
            soft: self.state.soft + cover + soft - self.state.row_soft[pi],
        }
    }

    /// Sets cell (p, d) and returns the new score.
    pub fn set(&mut self, p: StaffId, d: Day, s: Option<ShiftId>) -> Score {
        let (pi, di) = (p.index(), d.index());
        let to = s.map_or(OFF, |s| s.index() as u8 + 1);
        let row = self.state.row_score_with(pi, &[di], &[to]);
        self.state.apply_row(pi, &[di], &[to], row);
        self.state.score()
    }

    /// The current roster.
    pub fn roster(&self) -> Roster {
        Roster {
            horizon: self.state.t.h,
            cells: self.state.cells.clone(),
        }
    }

    /// Full evaluation with reasons (for display after edits).
    pub fn evaluate(&self) -> Evaluation {
        evaluate_tables(&self.state.t, &self.roster())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solver::rng::Rng;

    /// The windowed row score must equal a full rescan after any block change.
    #[test]
    fn windowed_scores_match_full_rescans() {
        let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data");
        for name in ["Instance1.txt", "Instance3.txt", "Instance5.txt"] {
            let model = crate::parse::read_instance(&dir.join(name)).unwrap();
            let t = Arc::new(Tables::new(&model, Succession::AsWritten));
            let mut rng = Rng::new(9, 9);
            let cells = (0..t.e * t.h).map(|_| rng.below(t.v) as u8).collect();
            let mut st = State::new(Arc::clone(&t), cells);
            for _ in 0..3000 {
                let p = rng.below(t.e);
                let len = 1 + rng.below(8.min(t.h));
                let d0 = rng.below(t.h - len + 1);
                let days: Vec<usize> = (d0..d0 + len).collect();
                let vals: Vec<u8> = days.iter().map(|_| rng.below(t.v) as u8).collect();
                let predicted = st.row_score_with(p, &days, &vals);
                let mut row = st.row(p).to_vec();
                for (i, &d) in days.iter().enumerate() {
                    row[d] = vals[i];
                }
                assert_eq!(
                    predicted,
                    t.row_score(p, &row),
                    "{name}: person {p}, days {days:?}"
                );
                st.apply_row(p, &days, &vals, predicted);
            }
            let (hard, soft) = (st.hard, st.soft);
            let (counts, minutes, weekends) =
                (st.counts.clone(), st.minutes.clone(), st.weekends.clone());
            st.recompute();
            assert_eq!((hard, soft), (st.hard, st.soft), "{name}");
            assert_eq!(
                (counts, minutes, weekends),
                (st.counts, st.minutes, st.weekends),
                "{name}"
            );
        }
    }
}
