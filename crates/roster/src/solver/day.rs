//! Re-optimisation of one day across all people: the column counterpart of
//! the row DP.
//!
//! With every other day fixed, a person's row cost depends only on their
//! own value that day, and the cover cost only on how many people hold each
//! value. Moving people between values is then a flow over the values:
//! an edge `a → b` moves the cheapest person now on `a` to `b`, and a path
//! pays the cover cost of the value it empties at its start and of the
//! value it fills at its end (values in between keep their head-count). A
//! shortest path by Bellman–Ford over the few values finds, in one step,
//! chains such as "a night nurse takes a late shift short of people, a day
//! nurse takes her night, someone off takes the day", which single changes
//! and pair swaps only reach through a costly intermediate roster.

use crate::incremental::State;
use crate::roster::OFF;

const INF: i64 = i64::MAX / 4;

pub(crate) struct DayFlow {
    /// Per person and value, the change of the weighted row cost if the
    /// person held that value on the day (`INF` where not allowed).
    cost: Vec<i64>,
    /// Per value pair, the cheapest person to move and the cost.
    edge: Vec<(i64, u32)>,
    dist: Vec<i64>,
    pred: Vec<usize>,
}

impl DayFlow {
    pub fn new(e: usize, v: usize) -> Self {
        DayFlow {
            cost: vec![INF; e * v],
            edge: vec![(INF, 0); v * v],
            dist: vec![INF; v],
            pred: vec![usize::MAX; v],
        }
    }

    /// Improves day `d` by up to `rounds` chains, each kept only if it
    /// lowers `soft + weight × hard`; `can(p, x)` says whether person `p`
    /// may hold `x` that day. Returns whether anything changed.
    pub fn improve(
        &mut self,
        st: &mut State,
        d: usize,
        weight: i64,
        rounds: usize,
        can: impl Fn(usize, u8) -> bool,
    ) -> bool {
        let t = std::sync::Arc::clone(&st.t);
        let e = t.e;
        // Skill covers would make the head-count of a value depend on who
        // holds it; the move is for plain head-count covers.
        if t.skill_covers {
            return false;
        }
        for p in 0..e {
            self.price_person(st, p, d, weight, &can);
        }
        let mut changed = false;
        for _ in 0..rounds {
            self.edges(st, d);
            let Some(path) = self.best_path(st, d) else {
                break;
            };
            // The path's cost is an estimate where it passes a value twice;
            // applying it and comparing is exact.
            let before = st.soft + weight * i64::from(st.hard);
            let mut undo = Vec::with_capacity(path.len());
            for &(p, to) in &path {
                let from = st.get(p, d);
                let row = st.row_score_with(p, &[d], &[to]);
                st.apply_row(p, &[d], &[to], row);
                undo.push((p, from));
            }
            if st.soft + weight * i64::from(st.hard) < before {
                changed = true;
                for &(p, _) in &path {
                    self.price_person(st, p, d, weight, &can);
                }
            } else {
                for &(p, from) in undo.iter().rev() {
                    let row = st.row_score_with(p, &[d], &[from]);
                    st.apply_row(p, &[d], &[from], row);
                }
                break;
            }
        }
        changed
    }

    fn price_person(
        &mut self,
        st: &mut State,
        p: usize,
        d: usize,
        weight: i64,
        can: &impl Fn(usize, u8) -> bool,
    ) {
        let t = std::sync::Arc::clone(&st.t);
        let v = t.v;
        let cur = st.get(p, d);
        let base = st.row_soft[p] + weight * i64::from(st.row_hard[p]);
        for x in 0..v {
            self.cost[p * v + x] = INF;
        }
        self.cost[p * v + cur as usize] = 0;
        for &x in &t.allowed[p] {
            if x != cur && can(p, x) {
                let (hard, soft) = st.row_score_with(p, &[d], &[x]);
                self.cost[p * v + x as usize] = soft + weight * i64::from(hard) - base;
            }
        }
    }

    fn edges(&mut self, st: &State, d: usize) {
        let (e, v, h) = (st.t.e, st.t.v, st.t.h);
        self.edge.fill((INF, 0));
        for p in 0..e {
            let a = st.cells[p * h + d] as usize;
            let costs = &self.cost[p * v..(p + 1) * v];
            for (b, &c) in costs.iter().enumerate() {
                if b != a && c < self.edge[a * v + b].0 {
                    self.edge[a * v + b] = (c, p as u32);
                }
            }
        }
    }

    /// Cover cost of one person leaving (`leave`) or joining value `x`.
    fn cover_step(st: &State, d: usize, x: usize, leave: bool) -> i64 {
        let t = &st.t;
        if x == OFF as usize {
            return 0;
        }
        t.covers_at[d * t.v + x]
            .iter()
            .map(|&c| {
                let rec = &t.covers[c as usize];
                let n = st.cover_n[c as usize];
                if leave {
                    rec.remove_delta(n)
                } else {
                    rec.add_delta(n)
                }
            })
            .sum()
    }

    /// The cheapest chain of moves (person, new value), if its estimated
    /// cost is negative.
    fn best_path(&mut self, st: &State, d: usize) -> Option<Vec<(usize, u8)>> {
        let v = st.t.v;
        let start: Vec<i64> = (0..v).map(|a| Self::cover_step(st, d, a, true)).collect();
        // dist[b]: cheapest path of at least one move ending at b (the
        // value b gains a person), its start's leaving cost included.
        for b in 0..v {
            self.dist[b] = INF;
            self.pred[b] = usize::MAX;
            for (a, &sa) in start.iter().enumerate() {
                let (c, _) = self.edge[a * v + b];
                if c < INF && sa + c < self.dist[b] {
                    self.dist[b] = sa + c;
                    self.pred[b] = v + a; // first move, from a
                }
            }
        }
        for _ in 1..v {
            let mut any = false;
            for a in 0..v {
                if self.dist[a] >= INF {
                    continue;
                }
                for b in 0..v {
                    let (c, _) = self.edge[a * v + b];
                    if c < INF && self.dist[a] + c < self.dist[b] {
                        self.dist[b] = self.dist[a] + c;
                        self.pred[b] = a;
                        any = true;
                    }
                }
            }
            if !any {
                break;
            }
        }
        let mut order: Vec<usize> = (0..v).filter(|&b| self.dist[b] < INF).collect();
        let total = |b: usize| self.dist[b] + Self::cover_step(st, d, b, false);
        order.sort_by_key(|&b| total(b));
        for b in order {
            if total(b) >= 0 {
                return None;
            }
            if let Some(path) = self.trace(b) {
                return Some(path);
            }
        }
        None
    }

    /// Follows the predecessors back from `end`. Where they loop (a
    /// negative cycle: people rotating through values, head-counts
    /// unchanged), the cycle itself is returned.
    fn trace(&self, end: usize) -> Option<Vec<(usize, u8)>> {
        let v = self.dist.len();
        let mut path = Vec::new();
        let mut entry = vec![usize::MAX; v];
        let mut b = end;
        loop {
            let a = self.pred[b];
            if a == usize::MAX {
                return None;
            }
            let from = if a >= v { a - v } else { a };
            entry[b] = path.len();
            path.push((self.edge[from * v + b].1 as usize, b as u8));
            if a >= v {
                break;
            }
            if entry[a] != usize::MAX {
                path.drain(..entry[a]);
                break;
            }
            b = a;
        }
        Some(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Succession, Tables};
    use crate::solver::rng::Rng;
    use std::sync::Arc;

    /// Every kept chain lowers the objective, and the cached counts and
    /// scores stay equal to a full recount.
    #[test]
    fn day_chains_only_improve_and_keep_caches_exact() {
        let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data");
        for name in ["Instance3.txt", "Instance5.txt"] {
            let model = crate::parse::read_instance(&dir.join(name)).unwrap();
            let t = Arc::new(Tables::new(&model, Succession::AsWritten));
            let mut rng = Rng::new(3, 3);
            let cells = (0..t.e * t.h)
                .map(|i| {
                    let p = i / t.h;
                    t.allowed[p][rng.below(t.allowed[p].len())]
                })
                .collect();
            let mut st = State::new(Arc::clone(&t), cells);
            let mut flow = DayFlow::new(t.e, t.v);
            let weight = 500;
            let mut improved = 0;
            for _ in 0..40 {
                let d = rng.below(t.h);
                let before = st.soft + weight * i64::from(st.hard);
                let days_off = |p: usize| t.model.staff()[p].days_off[d];
                if flow.improve(&mut st, d, weight, 8, |p, x| x == OFF || !days_off(p)) {
                    improved += 1;
                    assert!(st.soft + weight * i64::from(st.hard) < before, "{name}");
                } else {
                    assert_eq!(st.soft + weight * i64::from(st.hard), before, "{name}");
                }
                let (hard, soft) = (st.hard, st.soft);
                let cover = st.cover_n.clone();
                st.recompute();
                assert_eq!((hard, soft, cover), (st.hard, st.soft, st.cover_n.clone()));
            }
            assert!(improved > 0, "{name}: no day improved from a random roster");
        }
    }
}
