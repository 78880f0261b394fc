//! One search thread: simulated annealing over the weighted objective
//! `soft + W × hard` with these neighbourhoods: change a cell (a tenth of the
//! time aimed at a shift short of people), swap two people on a day, swap a
//! block of 2–7 days between two people, re-optimise a whole row by dynamic
//! programming, a two-row ejection chain built on that DP, and re-optimise
//! one day across all people (a chain of moves found as a shortest path).
//!
//! Hard rules are penalised rather than forbidden: on this benchmark the
//! rules that matter most (minimum runs, minimum minutes, weekends) are
//! "global" to a row, and insisting on feasibility after every single-cell
//! move would freeze the search. The weight `W` is a few times the largest
//! cover weight, so that breaking a rule never pays for covering one slot,
//! and the best roster kept is always the best *feasible* one once any exists.

use std::sync::Arc;

use crate::incremental::State;
use crate::roster::OFF;
use crate::solver::day::DayFlow;
use crate::solver::rng::Rng;
use crate::solver::rowdp::RowDp;

/// Temperature under which the day re-optimisation runs: about the last
/// third of a cooling cycle. It only descends, and run from the hot start
/// (measured at fixed rounds on Instance15) it settled the threads early and
/// left them worse at the end.
const DAY_BELOW: f64 = 1.0;

/// Ordering key of a roster: feasible first, then by penalty.
pub(crate) fn key(hard: u32, soft: i64) -> (u32, i64) {
    (hard, soft)
}

pub(crate) struct Worker {
    pub state: State,
    pub best: Vec<u8>,
    pub best_key: (u32, i64),
    pub rng: Rng,
    pub weight: i64,
    pub moves: u64,
    pub first_feasible_seen: bool,
    /// Plain moves per row-DP move, per unit of relative DP cost.
    pub dp_weight: u64,
    /// Plain moves since the last row-DP move.
    since_dp: u64,
    /// Plain moves between day re-optimisations (0: never), and since the last.
    day_every: u64,
    since_day: u64,
    day: DayFlow,
    cover_share: usize,
    dp: RowDp,
    /// For each person, whether they may take each cell value at all.
    elig: Vec<bool>,
    changes: Vec<(usize, usize, u8, u8)>,
}

impl Worker {
    pub fn new(state: State, rng: Rng) -> Self {
        let t = &state.t;
        let max_under = t
            .covers
            .iter()
            .map(|c| c.under.max(c.over))
            .max()
            .unwrap_or(1)
            .max(1);
        let mut elig = vec![false; t.e * t.v];
        for p in 0..t.e {
            for &x in &t.allowed[p] {
                elig[p * t.v + x as usize] = true;
            }
        }
        let dp = RowDp::new(t);
        // A day re-optimisation prices every person's allowed values on
        // the day (a few thousand windowed scores on the largest
        // instances). It runs only in the cold part of a cycle (see
        // `DAY_BELOW`), there once per 30 plain moves a person: a few per
        // cent of the time. With skill covers it does not apply (see
        // [`DayFlow::improve`]) and is never scheduled.
        let day_every = if t.skill_covers { 0 } else { 30 * t.e as u64 };
        let day = DayFlow::new(t.e, t.v);
        let best = state.cells.clone();
        let best_key = key(state.hard, state.soft);
        Worker {
            state,
            best,
            best_key,
            rng,
            weight: 4 * i64::from(max_under) + 100,
            moves: 0,
            first_feasible_seen: false,
            // Row DP takes about a quarter of the time: measured on
            // instances 9, 12 and 16, less left rows unrepaired and more
            // starved the plain moves.
            dp_weight: 3,
            since_dp: 0,
            day_every,
            since_day: 0,
            day,
            // One move in ten aims at a short shift (measured on 12 and 15:
            // better than none, no clear gain from more).
            cover_share: 10,
            dp,
            elig,
            changes: Vec::with_capacity(32),
        }
    }

    fn objective(&self) -> i64 {
        self.state.soft + self.weight * i64::from(self.state.hard)
    }

    /// Whether person `p` may hold value `x` on day `d` (eligible, and not
    /// working on a required day off).
    #[inline]
    fn can(&self, p: usize, d: usize, x: u8) -> bool {
        let t = &self.state.t;
        self.elig[p * t.v + x as usize] && (x == OFF || !t.model.staff()[p].days_off[d])
    }

    fn note_best(&mut self) {
        let k = key(self.state.hard, self.state.soft);
        if k < self.best_key {
            self.best_key = k;
            self.best.copy_from_slice(&self.state.cells);
        }
        if self.state.hard == 0 {
            self.first_feasible_seen = true;
        }
    }

    /// Restarts from a given roster.
    pub fn reset_to(&mut self, cells: &[u8]) {
        self.state.cells.copy_from_slice(cells);
        self.state.recompute();
        self.note_best();
    }

    /// Runs `iters` annealing steps at temperatures sliding from `t_from` to `t_to`.
    pub fn anneal(&mut self, iters: u64, t_from: f64, t_to: f64) {
        let ratio = (t_to / t_from).powf(1.0 / iters.max(1) as f64);
        let mut temp = t_from;
        let dp_every = self.dp_period();
        for _ in 0..iters {
            temp *= ratio;
            let r = self.rng.below(100);
            self.since_dp += 1;
            self.since_day += 1;
            let day_due = self.day_every > 0 && self.since_day >= self.day_every;
            let accepted = if day_due && temp < DAY_BELOW {
                self.since_day = 0;
                self.day_move()
            } else if dp_every > 0 && self.since_dp >= dp_every {
                self.since_dp = 0;
                if self.rng.below(2) == 0 {
                    self.row_dp_move(temp)
                } else {
                    self.chain_move(temp)
                }
            } else if r < self.cover_share {
                self.cover_move(temp)
            } else if r < 45 {
                self.change_move(temp)
            } else if r < 80 {
                self.swap_move(temp, 1)
            } else {
                let len = 2 + self.rng.below(6);
                self.swap_move(temp, len)
            };
            if accepted {
                self.note_best();
            }
        }
        self.moves += iters;
    }

    fn dp_period(&self) -> u64 {
        let t = &self.state.t;
        // A relaxed DP (long horizons) mostly returns rows that break the
        // minutes or weekends it only prices: measured on a 364-day
        // instance, plain moves alone reached far fewer broken rules.
        if !self.dp.usable() || !self.dp.is_exact() {
            return 0;
        }
        // Keep the row DP near a fixed share of the time: one call costs
        // about `ops`, a plain move (windowed evaluation) a few hundred.
        let move_ops = 200 + t.h as u64 / 4;
        (self.dp.ops * self.dp_weight / move_ops).max(20)
    }

    #[inline]
    fn accept(&mut self, delta: i64, temp: f64) -> bool {
        delta <= 0 || self.rng.unit() < (-(delta as f64) / temp).exp()
    }

    fn change_move(&mut self, temp: f64) -> bool {
        let t = &self.state.t;
        let p = self.rng.below(t.e);
        let d = self.rng.below(t.h);
        let allowed = &t.allowed[p];
        let to = allowed[self.rng.below(allowed.len())];
        self.try_change(p, d, to, temp)
    }

    /// Puts someone on a shift that is short of people: on large instances
    /// few random cells matter, so aim at the ones that do.
    fn cover_move(&mut self, temp: f64) -> bool {
        let Some(c) = self.short_cover() else {
            return false;
        };
        let t = &self.state.t;
        let rec = t.covers[c];
        let p = self.rng.below(t.e);
        if !rec.counts(t.skills[p]) {
            return false;
        }
        self.try_change(p, rec.day as usize, rec.x, temp)
    }

    fn try_change(&mut self, p: usize, d: usize, to: u8, temp: f64) -> bool {
        let from = self.state.get(p, d);
        if to == from || !self.can(p, d, to) {
            return false;
        }
        let cover = self.state.cover_delta(p, d, from, to);
        let row = self.state.row_score_with(p, &[d], &[to]);
        let delta = cover
            + (row.1 - self.state.row_soft[p])
            + self.weight * (i64::from(row.0) - i64::from(self.state.row_hard[p]));
        if self.accept(delta, temp) {
            self.state.apply_row(p, &[d], &[to], row);
            true
        } else {
            false
        }
    }

    /// Swaps days `d .. d + len` between two people.
    fn swap_move(&mut self, temp: f64, len: usize) -> bool {
        let t = &self.state.t;
        if t.e < 2 || len > t.h {
            return false;
        }
        let p1 = self.rng.below(t.e);
        let mut p2 = self.rng.below(t.e - 1);
        if p2 >= p1 {
            p2 += 1;
        }
        let d0 = self.rng.below(t.h - len + 1);
        let mut days = [0usize; 8];
        let mut v1 = [0u8; 8];
        let mut v2 = [0u8; 8];
        let mut any = false;
        for i in 0..len {
            let d = d0 + i;
            days[i] = d;
            let (a, b) = (self.state.get(p1, d), self.state.get(p2, d));
            if !self.can(p1, d, b) || !self.can(p2, d, a) {
                return false;
            }
            v1[i] = b;
            v2[i] = a;
            any |= a != b;
        }
        if !any {
            return false;
        }
        self.changes.clear();
        for i in 0..len {
            if v1[i] != v2[i] {
                self.changes.push((p1, days[i], v2[i], v1[i]));
                self.changes.push((p2, days[i], v1[i], v2[i]));
            }
        }
        let cover = self.cover_delta_multi();
        let r1 = self.state.row_score_with(p1, &days[..len], &v1[..len]);
        let r2 = self.state.row_score_with(p2, &days[..len], &v2[..len]);
        let s = &self.state;
        let dsoft = cover + r1.1 + r2.1 - s.row_soft[p1] - s.row_soft[p2];
        let dhard = i64::from(r1.0 + r2.0) - i64::from(s.row_hard[p1] + s.row_hard[p2]);
        if self.accept(dsoft + self.weight * dhard, temp) {
            self.state.apply_row(p1, &days[..len], &v1[..len], r1);
            self.state.apply_row(p2, &days[..len], &v2[..len], r2);
            true
        } else {
            false
        }
    }

    /// Cover delta of the changes in `self.changes`, applied in order; the
    /// counters are restored afterwards. Needed because two people swapping a
    /// day can still change a skill count.
    fn cover_delta_multi(&mut self) -> i64 {
        let t = Arc::clone(&self.state.t);
        if !t.skill_covers {
            // Every record counts everyone: a swap leaves every count unchanged.
            return 0;
        }
        let mut delta = 0;
        for &(p, d, from, to) in &self.changes {
            delta += self.state.cover_delta(p, d, from, to);
            bump(&mut self.state, &t, p, d, from, to, 1);
        }
        for &(p, d, from, to) in self.changes.iter().rev() {
            bump(&mut self.state, &t, p, d, from, to, -1);
        }
        delta
    }

    /// Re-optimises one person's row against the others by dynamic programming.
    fn row_dp_move(&mut self, temp: f64) -> bool {
        let p = self.rng.below(self.state.t.e);
        let noise = temp.min(50.0);
        let Some(row) = self.dp.solve(&self.state, p, &mut self.rng, noise, None) else {
            return false;
        };
        let h = self.state.t.h;
        if row[..] == self.state.cells[p * h..(p + 1) * h] {
            return false;
        }
        let before = self.objective();
        let old: Vec<u8> = self.state.row(p).to_vec();
        self.state.set_row(p, &row);
        let delta = self.objective() - before;
        if self.accept(delta, temp) {
            true
        } else {
            self.state.set_row(p, &old);
            false
        }
    }

    /// An ejection chain of two rows: person `a` must change one day (half
    /// the time: must take a shift that is short of people), the rest of
    /// the row re-optimised around it; then a person `b` who can take what
    /// `a` gave up on a changed day re-optimises their row. The pair is
    /// accepted or undone as one move.
    fn chain_move(&mut self, temp: f64) -> bool {
        let t = Arc::clone(&self.state.t);
        let (e, h) = (t.e, t.h);
        if e < 2 {
            return false;
        }
        let a = self.rng.below(e);
        let force = match self.short_cover() {
            Some(c) if self.rng.below(2) == 0 => {
                let rec = t.covers[c];
                let d = rec.day as usize;
                if !rec.counts(t.skills[a])
                    || self.state.get(a, d) == rec.x
                    || !self.can(a, d, rec.x)
                {
                    return false;
                }
                (d, Some(rec.x))
            }
            _ => (self.rng.below(h), None),
        };
        let old_a = self.state.row(a).to_vec();
        let Some(row_a) = self
            .dp
            .solve(&self.state, a, &mut self.rng, 0.0, Some(force))
        else {
            return false;
        };
        if row_a == old_a {
            return false;
        }
        let before = self.objective();
        self.state.set_row(a, &row_a);
        // A day where `a` gave up a shift, searched from a random start.
        let start = self.rng.below(h);
        let dropped_day = (0..h)
            .map(|i| (start + i) % h)
            .find(|&d| old_a[d] != OFF && row_a[d] != old_a[d])
            .unwrap_or(force.0);
        let dropped = old_a[dropped_day];
        let mut b = usize::MAX;
        for _ in 0..8 {
            let c = self.rng.below(e);
            if c != a
                && self.state.get(c, dropped_day) != dropped
                && self.can(c, dropped_day, dropped)
            {
                b = c;
                break;
            }
        }
        let mut old_b = Vec::new();
        if b != usize::MAX
            && let Some(row_b) = self.dp.solve(&self.state, b, &mut self.rng, 0.0, None)
        {
            old_b = self.state.row(b).to_vec();
            self.state.set_row(b, &row_b);
        }
        let delta = self.objective() - before;
        if self.accept(delta, temp) {
            return true;
        }
        if !old_b.is_empty() {
            self.state.set_row(b, &old_b);
        }
        self.state.set_row(a, &old_a);
        false
    }

    /// Re-optimises a random day across all people.
    fn day_move(&mut self) -> bool {
        let d = self.rng.below(self.state.t.h);
        self.improve_day(d)
    }

    /// Chains of moves on day `d` (see [`DayFlow`]), each kept only if it helps.
    fn improve_day(&mut self, d: usize) -> bool {
        let t = Arc::clone(&self.state.t);
        let elig = &self.elig;
        let can = |p: usize, x: u8| {
            elig[p * t.v + x as usize] && (x == OFF || !t.model.staff()[p].days_off[d])
        };
        self.day.improve(&mut self.state, d, self.weight, 8, can)
    }

    /// A cover record short of people, by a few random probes.
    fn short_cover(&mut self) -> Option<usize> {
        let t = &self.state.t;
        if t.covers.is_empty() {
            return None;
        }
        for _ in 0..8 {
            let c = self.rng.below(t.covers.len());
            if self.state.cover_n[c] < t.covers[c].target {
                return Some(c);
            }
        }
        None
    }

    /// Best response for every row in turn, kept only where it helps.
    pub fn polish(&mut self) {
        if !self.dp.usable() {
            return;
        }
        for p in 0..self.state.t.e {
            let Some(row) = self.dp.solve(&self.state, p, &mut self.rng, 0.0, None) else {
                continue;
            };
            let before = self.objective();
            let old = self.state.row(p).to_vec();
            self.state.set_row(p, &row);
            if self.objective() > before {
                self.state.set_row(p, &old);
            }
        }
        self.note_best();
    }
}

fn bump(
    state: &mut State,
    t: &crate::rules::Tables,
    p: usize,
    d: usize,
    from: u8,
    to: u8,
    sign: i32,
) {
    if from != OFF {
        for &c in &t.covers_at[d * t.v + from as usize] {
            if t.covers[c as usize].counts(t.skills[p]) {
                state.cover_n[c as usize] -= sign;
            }
        }
    }
    if to != OFF {
        for &c in &t.covers_at[d * t.v + to as usize] {
            if t.covers[c as usize].counts(t.skills[p]) {
                state.cover_n[c as usize] += sign;
            }
        }
    }
}
