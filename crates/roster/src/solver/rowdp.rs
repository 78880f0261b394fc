//! Exact re-optimisation of one person's row, everyone else fixed: a
//! shortest path over the days whose states carry what the per-person rules
//! need to know.
//!
//! State after day `d`: the value worked (off or a shift, for forbidden
//! successions), the length of the current run of work or rest (for the
//! run limits; a run touching day 0 is recognised because its length equals
//! `d + 1`), the weekends worked so far, and the minutes worked so far in
//! units of the greatest common divisor of the shift lengths. Cell costs are
//! the person's requests and burdens plus the *marginal* cover cost of being
//! on that shift given the others. The per-type maxima are not in the state
//! (they would multiply it by the product of the limits); a path that breaks
//! one is discarded.
//!
//! The layer is dense. When the exact state space is too large (long
//! horizons: the minutes dimension grows with the horizon), minutes and
//! weekends leave the state and are priced instead, with a few re-solves
//! that move the prices (a Lagrangian repair); the least broken row is then
//! returned for the search to repair.

use crate::incremental::State;
use crate::roster::OFF;
use crate::rules::Tables;
use crate::solver::rng::Rng;

const INF: i64 = i64::MAX / 4;
/// Most (states × days) entries a worker may hold for back-pointers.
const MAX_TABLE: usize = 6_000_000;

pub(crate) struct RowDp {
    enabled: bool,
    unit: u32,
    cost: Vec<i64>,
    next: Vec<i64>,
    back: Vec<u32>,
    choice: Vec<u8>,
    unary: Vec<i64>,
    /// Class of each cell value by its forbidden-successor row (off = 0):
    /// the state only needs to know what the last shift forbids.
    class: Vec<usize>,
    classes: usize,
    /// A value of each class, to look its row up.
    class_rep: Vec<usize>,
    /// Values interchangeable for every rule in the state (same class, same
    /// forbidden-predecessor column, same length); per day only the cheapest
    /// of a group is tried.
    groups: Vec<Vec<u8>>,
    /// Per group, that day's cheapest allowed value and its cost.
    pick: Vec<(i64, u8)>,
    /// Operations of one call, for scheduling the move.
    pub ops: u64,
    /// Whether minutes and weekends are in the state (else priced).
    exact: bool,
    /// Extra cost of working on each day (weekend pricing when not exact).
    day_price: Vec<i64>,
}

struct Dims {
    exact: bool,
    c: usize,
    r: usize,
    w: usize,
    m: usize,
    work_cap: usize,
    work_hard_cap: bool,
    off_cap: usize,
}

impl Dims {
    fn states(&self) -> usize {
        self.c * self.r * self.w * self.m
    }
}

fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// State dimensions for person `p`; with `exact = false` the minutes and
/// weekends are left out of the state and priced instead (see [`RowDp::solve`]).
fn dims(t: &Tables, p: usize, unit: u32, classes: usize, exact: bool) -> Dims {
    let person = &t.model.staff()[p];
    let h = t.h;
    let max_len = t.minutes.iter().copied().max().unwrap_or(0);
    let max_minutes = u64::from(person.max_minutes).min(h as u64 * u64::from(max_len));
    let m = (max_minutes / u64::from(unit)) as usize + 1;
    let weekends = h.div_ceil(7);
    let w = (person.max_weekends as usize).min(weekends) + 1;
    let (work_cap, work_hard_cap) = if (person.max_consecutive as usize) < h {
        (person.max_consecutive.max(1) as usize, true)
    } else {
        ((person.min_consecutive as usize).clamp(1, h), false)
    };
    let off_cap = (person.min_days_off as usize).clamp(1, h);
    Dims {
        c: classes,
        r: work_cap.max(off_cap),
        w: if exact { w } else { 1 },
        m: if exact { m } else { 1 },
        exact,
        work_cap,
        work_hard_cap,
        off_cap,
    }
}

impl RowDp {
    pub fn new(t: &Tables) -> Self {
        Self::with_limit(t, MAX_TABLE)
    }

    /// As [`RowDp::new`] with another table limit (tests force the relaxed state).
    pub(crate) fn with_limit(t: &Tables, limit: usize) -> Self {
        let v = t.v;
        let unit = t.minutes[1..].iter().fold(0, |g, &m| gcd(g, m)).max(1);
        let mut class = vec![0usize];
        let mut class_rep = vec![0usize];
        for x in 1..v {
            let row = &t.forbidden[x * v..(x + 1) * v];
            let known = class_rep[1..]
                .iter()
                .position(|&r| &t.forbidden[r * v..(r + 1) * v] == row);
            class.push(match known {
                Some(k) => k + 1,
                None => {
                    class_rep.push(x);
                    class_rep.len() - 1
                }
            });
        }
        let classes = class_rep.len();
        let mut groups: Vec<Vec<u8>> = Vec::new();
        for x in 1..v {
            let column = |y: usize| (0..v).map(move |a| t.forbidden[a * v + y]);
            let same = groups.iter().position(|g| {
                let y = g[0] as usize;
                class[y] == class[x] && t.minutes[y] == t.minutes[x] && column(y).eq(column(x))
            });
            match same {
                Some(g) => groups[g].push(x as u8),
                None => groups.push(vec![x as u8]),
            }
        }
        groups.insert(0, vec![OFF]);
        let states = |exact| {
            (0..t.e)
                .map(|p| dims(t, p, unit, classes, exact).states())
                .max()
                .unwrap_or(0)
        };
        let mut exact = true;
        let mut max_states = states(true);
        if max_states * t.h > limit {
            exact = false;
            max_states = states(false);
        }
        let enabled = max_states * t.h <= limit;
        let (s, b) = if enabled {
            (max_states, max_states * t.h)
        } else {
            (0, 0)
        };
        RowDp {
            enabled,
            unit,
            cost: vec![INF; s],
            next: vec![INF; s],
            back: vec![0; b],
            choice: vec![0; b],
            unary: vec![0; t.h * v],
            class,
            classes,
            class_rep,
            pick: vec![(INF, 0); groups.len()],
            // A call usually needs a few priced attempts, more when relaxed.
            ops: (max_states * groups.len() * t.h * if exact { 2 } else { 6 }) as u64,
            groups,
            exact,
            day_price: vec![0; t.h],
        }
    }

    pub fn usable(&self) -> bool {
        self.enabled
    }

    /// Whether minutes and weekends are in the state (see the module docs).
    pub fn is_exact(&self) -> bool {
        self.exact
    }

    /// Best row for person `p` given everyone else, with cell costs perturbed
    /// by up to `noise`; `None` if no row meets every rule in the state.
    /// With `force = Some((d, None))` the row must change its value on day
    /// `d` where it can, with `Some((d, Some(x)))` it must hold `x` there
    /// (the other values are priced prohibitively).
    pub fn solve(
        &mut self,
        st: &State,
        p: usize,
        rng: &mut Rng,
        noise: f64,
        force: Option<(usize, Option<u8>)>,
    ) -> Option<Vec<u8>> {
        let t = &*st.t;
        let (h, v) = (t.h, t.v);
        let person = &t.model.staff()[p];
        let dm = dims(t, p, self.unit, self.classes, self.exact);
        let mut allowed = vec![false; v];
        for &x in &t.allowed[p] {
            allowed[x as usize] = true;
        }
        for d in 0..h {
            let cur = st.get(p, d);
            for (x, &ok) in allowed.iter().enumerate() {
                if !ok {
                    continue;
                }
                let mut c = i64::from(t.cell_cost[(p * h + d) * v + x]);
                if x != OFF as usize {
                    for &ci in &t.covers_at[d * v + x] {
                        let rec = &t.covers[ci as usize];
                        if rec.counts(t.skills[p]) {
                            let n = st.cover_n[ci as usize];
                            c += if cur as usize == x {
                                -rec.remove_delta(n)
                            } else {
                                rec.add_delta(n)
                            };
                        }
                    }
                }
                if noise > 0.0 {
                    c += (rng.unit() * noise) as i64;
                }
                match force {
                    Some((fd, None)) if fd == d && x == cur as usize => c += 1_000_000,
                    Some((fd, Some(want))) if fd == d && x != want as usize => c += 1_000_000,
                    _ => {}
                }
                self.unary[d * v + x] = c;
            }
        }
        // The per-type maxima (and, when the state is relaxed, the minutes
        // and weekends) are not in the state: price what a path overuses or
        // underuses and solve again, a few times (a Lagrangian repair).
        let mut price = vec![0i64; v];
        self.day_price.fill(0);
        let attempts = if self.exact { 6 } else { 8 };
        let min_step = t.minutes[1..]
            .iter()
            .copied()
            .filter(|&m| m > 0)
            .min()
            .unwrap_or(1);
        let mut minute_step = 8i64;
        let mut best: Option<(u32, Vec<u8>)> = None;
        let mut last_sign = 0;
        for attempt in 0..attempts {
            let row = self.shortest(t, p, &dm, &allowed, &price)?;
            let mut counts = vec![0u32; v];
            let mut minutes = 0u64;
            for &x in &row {
                counts[x as usize] += 1;
                minutes += u64::from(t.minutes[x as usize]);
            }
            let step = 30i64 << attempt.min(20);
            let mut ok = true;
            for (sidx, limit) in person.max_per_shift.iter().enumerate() {
                if let Some(l) = *limit
                    && counts[sidx + 1] > l
                {
                    ok = false;
                    price[sidx + 1] += step;
                }
            }
            if !self.exact {
                let sign = if minutes > u64::from(person.max_minutes) {
                    1
                } else if minutes < u64::from(person.min_minutes) {
                    -1
                } else {
                    0
                };
                if sign != 0 {
                    ok = false;
                    // One signed price per minute worked, searched like a
                    // bracket: the step doubles while the direction holds
                    // and halves when it flips.
                    if last_sign == sign {
                        minute_step *= 2;
                    } else if last_sign != 0 {
                        minute_step = (minute_step / 2).max(1);
                    }
                    last_sign = sign;
                    for (y, pr) in price.iter_mut().enumerate().skip(1) {
                        *pr += sign * minute_step * i64::from(t.minutes[y]) / i64::from(min_step);
                    }
                }
                let mut weekends = 0;
                let mut k = 5;
                while k < h {
                    if row[k] != OFF || (k + 1 < h && row[k + 1] != OFF) {
                        weekends += 1;
                    }
                    k += 7;
                }
                if weekends > person.max_weekends {
                    ok = false;
                    for d in (5..h).filter(|d| d % 7 >= 5) {
                        self.day_price[d] += step;
                    }
                }
            }
            if ok {
                return Some(row);
            }
            // Keep the least broken row: a start or a move the search can repair.
            let hard = t.row_rules(p, &row).0;
            if best.as_ref().is_none_or(|(h, _)| hard < *h) {
                best = Some((hard, row));
            }
        }
        best.map(|(_, row)| row)
    }

    /// The shortest path itself, with `price` added to every use of a value.
    fn shortest(
        &mut self,
        t: &Tables,
        p: usize,
        dm: &Dims,
        allowed: &[bool],
        price: &[i64],
    ) -> Option<Vec<u8>> {
        let (h, v) = (t.h, t.v);
        let person = &t.model.staff()[p];
        let ns = dm.states();
        let enc = |c: usize, r: usize, w: usize, m: usize| ((c * dm.r + r) * dm.w + w) * dm.m + m;
        let min_units = person.min_minutes.div_ceil(self.unit) as usize;
        let steps: Vec<usize> = t
            .minutes
            .iter()
            .map(|&m| (m / self.unit) as usize)
            .collect();
        let ng = self.groups.len();
        self.cost[..ns].fill(INF);
        for d in 0..h {
            // The cheapest allowed value of each group on day d.
            for g in 0..ng {
                let mut best = (INF, 0u8);
                for &y in &self.groups[g] {
                    let yi = y as usize;
                    let c = self.unary[d * v + yi]
                        + price[yi]
                        + if y == OFF { 0 } else { self.day_price[d] };
                    if allowed[yi] && (y == OFF || !person.days_off[d]) && c < best.0 {
                        best = (c, y);
                    }
                }
                self.pick[g] = best;
            }
            if d == 0 {
                for g in 0..ng {
                    let (c, y) = self.pick[g];
                    let m = steps[y as usize];
                    let m = if dm.exact { m } else { 0 };
                    if c < INF && m < dm.m {
                        // Day 0 is a Monday: no weekend yet.
                        let s = enc(self.class[y as usize], 0, 0, m);
                        self.cost[s] = c;
                        self.choice[s] = y;
                    }
                }
                continue;
            }
            self.next[..ns].fill(INF);
            let sat = d % 7 == 5;
            let sun = d % 7 == 6;
            // Minutes reachable after days 0..d and still able to reach the minimum.
            let max_step = steps.iter().copied().max().unwrap_or(0);
            let (m_lo, m_hi) = if dm.exact {
                (
                    min_units.saturating_sub((h - d) * max_step),
                    (d * max_step).min(dm.m - 1),
                )
            } else {
                (0, 0)
            };
            if m_lo > m_hi {
                return None;
            }
            for (cls, r, w) in (0..dm.c).flat_map(|c| {
                let runs = if c == 0 { dm.off_cap } else { dm.work_cap };
                (0..runs).flat_map(move |r| (0..dm.w).map(move |w| (c, r, w)))
            }) {
                for m in m_lo..=m_hi {
                    let s = enc(cls, r, w, m);
                    let c = self.cost[s];
                    if c >= INF {
                        continue;
                    }
                    let x = self.class_rep[cls];
                    let run = r + 1;
                    // A run that started on day 0 is exempt from the minimums.
                    let from_border = run == d;
                    for g in 0..ng {
                        let (uc, y) = self.pick[g];
                        if uc >= INF {
                            continue;
                        }
                        let y = y as usize;
                        let (nr, nw, nm);
                        if y == 0 {
                            if cls != 0 {
                                if !from_border && (run as u32) < person.min_consecutive {
                                    continue;
                                }
                                nr = 0;
                            } else {
                                nr = (run + 1).min(dm.off_cap) - 1;
                            }
                            nw = w;
                            nm = m;
                        } else {
                            if cls != 0 {
                                if t.forbidden[x * v + y] {
                                    continue;
                                }
                                if run + 1 > dm.work_cap {
                                    if dm.work_hard_cap {
                                        continue;
                                    }
                                    nr = dm.work_cap - 1;
                                } else {
                                    nr = run;
                                }
                            } else {
                                if !from_border && (run as u32) < person.min_days_off {
                                    continue;
                                }
                                nr = 0;
                            }
                            if dm.exact {
                                nw = if sat || (sun && cls == 0) { w + 1 } else { w };
                                if nw >= dm.w {
                                    continue;
                                }
                                nm = m + steps[y];
                                if nm >= dm.m {
                                    continue;
                                }
                            } else {
                                (nw, nm) = (0, 0);
                            }
                        }
                        let ni = enc(self.class[y], nr, nw, nm);
                        let nc = c + uc;
                        if nc < self.next[ni] {
                            self.next[ni] = nc;
                            self.back[d * ns + ni] = s as u32;
                            self.choice[d * ns + ni] = y as u8;
                        }
                    }
                }
            }
            std::mem::swap(&mut self.cost, &mut self.next);
        }
        let mut best = (INF, usize::MAX);
        for s in 0..ns {
            if self.cost[s] < best.0 && (!dm.exact || s % dm.m >= min_units) {
                best = (self.cost[s], s);
            }
        }
        if best.0 >= INF {
            return None;
        }
        let mut row = vec![0u8; h];
        let mut s = best.1;
        for d in (0..h).rev() {
            row[d] = self.choice[d * ns + s];
            if d > 0 {
                s = self.back[d * ns + s] as usize;
            }
        }
        Some(row)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Succession;
    use std::sync::Arc;

    /// Rows from the DP, exact or relaxed, never break a rule kept in the state.
    #[test]
    fn dp_rows_keep_local_rules() {
        let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data");
        for name in ["Instance3.txt", "Instance5.txt"] {
            let model = crate::parse::read_instance(&dir.join(name)).unwrap();
            let t = Arc::new(Tables::new(&model, Succession::AsWritten));
            for limit in [MAX_TABLE, 20_000] {
                let mut dp = RowDp::with_limit(&t, limit);
                assert!(dp.usable());
                let mut st = State::new(Arc::clone(&t), vec![OFF; t.e * t.h]);
                let mut rng = Rng::new(1, 1);
                for p in 0..t.e {
                    let row = dp.solve(&st, p, &mut rng, 3.0, None).unwrap();
                    assert_eq!(
                        t.local_units(p, &row, 0, t.h - 1),
                        0,
                        "{name} limit {limit} person {p}: {row:?}"
                    );
                    if limit == MAX_TABLE {
                        assert_eq!(t.row_rules(p, &row).0, 0, "{name} person {p}");
                    }
                    st.set_row(p, &row);
                }
            }
        }
    }
}
