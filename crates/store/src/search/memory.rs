//! A word index of people held in memory, in name order, for searches over wide scopes.
//!
//! A province search for a common word must find the first fifty people in Vietnamese name
//! order among 200,000; the database can either walk the name order testing each row or sort
//! every match, and both cost milliseconds of CPU per request. This index answers the same
//! question with a few bitset operations: each word of the vocabulary lists the ranks (places
//! in name order) of the people whose folded text holds it, a query word's matches are the
//! union over the vocabulary words it begins, and the page is the first set bits from the
//! cursor's rank that lie in the scope.
//!
//! The index is a copy: it is trusted only while the database's people version (bumped by
//! triggers on every insert, delete and change of name, text, unit or status; migration 0013)
//! equals the version it was built at, and the page's rows are read back from the database
//! with the scope, the filters and the words checked again. A stale index is rebuilt in the
//! background while searches use the SQL plans.

use std::collections::HashMap;

/// Where the scope and filters of one request allow a person, decided per unit path.
pub(crate) trait Accept {
    fn unit(&self, path: &str) -> bool;
    fn status(&self, status: &str) -> bool;
}

/// The index, immutable once built.
#[derive(Debug, Default)]
pub(crate) struct PeopleIndex {
    /// The people version it was built at.
    pub(crate) version: i64,
    /// Person id by rank.
    ids: Vec<i64>,
    /// (id, rank) sorted by id: the cursor names a person, the page starts after their rank.
    by_id: Vec<(i64, u32)>,
    /// Interned unit path and status of each rank.
    unit: Vec<u32>,
    unit_paths: Vec<Box<str>>,
    status: Vec<u8>,
    statuses: Vec<Box<str>>,
    /// Sorted vocabulary; word `i` owns `postings[starts[i]..starts[i + 1]]`, ranks ascending.
    words: Vec<Box<str>>,
    starts: Vec<u32>,
    postings: Vec<u32>,
}

/// Builds an index from people given in name order.
#[derive(Default)]
pub(crate) struct Builder {
    index: PeopleIndex,
    unit_ids: HashMap<String, u32>,
    word_ids: HashMap<Box<str>, u32>,
    /// (word id, rank) for every distinct word of every person, in rank order.
    pairs: Vec<(u32, u32)>,
    seen: Vec<u32>,
}

impl Builder {
    pub(crate) fn new(version: i64) -> Builder {
        let mut b = Builder::default();
        b.index.version = version;
        b
    }

    /// Adds the next person in name order; `words` is the folded text (single spaces).
    pub(crate) fn push(&mut self, id: i64, unit_path: &str, status: &str, words: &str) {
        let ix = &mut self.index;
        let rank = ix.ids.len() as u32;
        ix.ids.push(id);
        let next_unit = self.unit_ids.len() as u32;
        let unit = *self
            .unit_ids
            .entry(unit_path.to_owned())
            .or_insert_with(|| {
                ix.unit_paths.push(unit_path.into());
                next_unit
            });
        ix.unit.push(unit);
        let status_ix = match ix.statuses.iter().position(|s| &**s == status) {
            Some(i) => i,
            None => {
                ix.statuses.push(status.into());
                ix.statuses.len() - 1
            }
        };
        ix.status.push(status_ix as u8);
        // A word said twice (a name repeated in the e-mail address) is one posting.
        self.seen.clear();
        for w in words.split(' ').filter(|w| !w.is_empty()) {
            let next = self.word_ids.len() as u32;
            let wid = match self.word_ids.get(w) {
                Some(&i) => i,
                None => {
                    self.word_ids.insert(w.into(), next);
                    next
                }
            };
            if !self.seen.contains(&wid) {
                self.seen.push(wid);
                self.pairs.push((wid, rank));
            }
        }
    }

    pub(crate) fn finish(self) -> PeopleIndex {
        let Builder {
            mut index,
            word_ids,
            pairs,
            ..
        } = self;
        let mut vocab: Vec<(Box<str>, u32)> = word_ids.into_iter().collect();
        vocab.sort_unstable();
        // Place of each word id in the sorted vocabulary, then a counting sort of the pairs
        // by that place; the pairs come in rank order, so each word's ranks stay ascending.
        let mut place = vec![0u32; vocab.len()];
        for (i, (_, wid)) in vocab.iter().enumerate() {
            place[*wid as usize] = i as u32;
        }
        let mut starts = vec![0u32; vocab.len() + 1];
        for (wid, _) in &pairs {
            starts[place[*wid as usize] as usize + 1] += 1;
        }
        for i in 0..vocab.len() {
            starts[i + 1] += starts[i];
        }
        let mut fill = starts.clone();
        let mut postings = vec![0u32; pairs.len()];
        for (wid, rank) in pairs {
            let p = place[wid as usize] as usize;
            postings[fill[p] as usize] = rank;
            fill[p] += 1;
        }
        index.by_id = index
            .ids
            .iter()
            .enumerate()
            .map(|(r, &id)| (id, r as u32))
            .collect();
        index.by_id.sort_unstable();
        index.words = vocab.into_iter().map(|(w, _)| w).collect();
        index.starts = starts;
        index.postings = postings;
        index
    }
}

impl PeopleIndex {
    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }

    /// The range of vocabulary words that `term` begins.
    fn word_range(&self, term: &str) -> (usize, usize) {
        let lo = self.words.partition_point(|w| &**w < term);
        let hi = self
            .words
            .partition_point(|w| &**w < term || w.starts_with(term));
        (lo, hi)
    }

    /// The people matching every term, as a bitset over ranks.
    fn matches(&self, terms: &[String]) -> Vec<u64> {
        let blocks = self.ids.len().div_ceil(64);
        let mut all: Option<Vec<u64>> = None;
        // Rarest word first: once the running set is empty, the rest need not be read.
        let mut ranges: Vec<(usize, usize)> = terms.iter().map(|t| self.word_range(t)).collect();
        ranges.sort_by_key(|&(lo, hi)| self.starts[hi] - self.starts[lo]);
        for (lo, hi) in ranges {
            let mut bits = vec![0u64; blocks];
            for &r in &self.postings[self.starts[lo] as usize..self.starts[hi] as usize] {
                bits[r as usize / 64] |= 1 << (r % 64);
            }
            all = Some(match all {
                None => bits,
                Some(mut acc) => {
                    for (a, b) in acc.iter_mut().zip(&bits) {
                        *a &= b;
                    }
                    acc
                }
            });
            if all.as_ref().is_some_and(|a| a.iter().all(|&b| b == 0)) {
                break;
            }
        }
        all.unwrap_or_else(|| vec![u64::MAX; blocks])
    }

    /// Ids of the first `limit` people after the person `after` (in name order) who match
    /// every term and whom `accept` allows, or `None` when `after` is not in the index (the
    /// caller then asks the database).
    pub(crate) fn page(
        &self,
        terms: &[String],
        accept: &impl Accept,
        after: Option<i64>,
        limit: usize,
    ) -> Option<Vec<i64>> {
        let start = match after {
            Some(id) => {
                let at = self.by_id.binary_search_by_key(&id, |&(i, _)| i).ok()?;
                self.by_id[at].1 as usize + 1
            }
            None => 0,
        };
        let bits = self.matches(terms);
        // Each unit is tested once, when a match in it is first met: a page of a common word
        // meets a few dozen of the province's 12,000 units, and testing them all up front
        // cost more than the search itself.
        let mut units: Vec<Option<bool>> = vec![None; self.unit_paths.len()];
        let statuses: Vec<bool> = self.statuses.iter().map(|s| accept.status(s)).collect();
        let mut out = Vec::with_capacity(limit.min(1024));
        let mut block = start / 64;
        let mut word = bits.get(block).copied().unwrap_or(0) & (u64::MAX << (start % 64));
        loop {
            while word == 0 {
                block += 1;
                if block >= bits.len() {
                    return Some(out);
                }
                word = bits[block];
            }
            let rank = block * 64 + word.trailing_zeros() as usize;
            word &= word - 1;
            if rank >= self.ids.len() {
                return Some(out);
            }
            let u = self.unit[rank] as usize;
            let in_unit = *units[u].get_or_insert_with(|| accept.unit(&self.unit_paths[u]));
            if in_unit && statuses[self.status[rank] as usize] {
                out.push(self.ids[rank]);
                if out.len() >= limit {
                    return Some(out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Under(&'static str, Option<&'static str>);

    impl Accept for Under {
        fn unit(&self, path: &str) -> bool {
            path.starts_with(self.0)
        }
        fn status(&self, status: &str) -> bool {
            self.1.is_none_or(|s| s == status)
        }
    }

    fn sample() -> PeopleIndex {
        let mut b = Builder::new(7);
        // Name order: given name first.
        b.push(10, "/1/2/", "working", "nguyen thi an an nguyen");
        b.push(11, "/1/3/", "working", "tran van binh");
        b.push(12, "/1/2/", "retired", "nguyen van duc");
        b.push(13, "/1/2/5/", "working", "dang ngoc duc");
        b.push(14, "/1/3/", "working", "le ngo duc");
        b.finish()
    }

    #[test]
    fn words_are_prefixes_and_all_must_match() {
        let ix = sample();
        let all = Under("/1/", None);
        assert_eq!(
            ix.page(&["ng".into()], &all, None, 10),
            Some(vec![10, 12, 13, 14])
        );
        assert_eq!(
            ix.page(&["duc".into(), "ngo".into()], &all, None, 10),
            Some(vec![13, 14])
        );
        assert_eq!(
            ix.page(&["nguyen".into(), "van".into()], &all, None, 10),
            Some(vec![12])
        );
        assert_eq!(ix.page(&["zz".into()], &all, None, 10), Some(vec![]));
        assert_eq!(
            ix.page(&["duc".into(), "zz".into()], &all, None, 10),
            Some(vec![])
        );
        assert_eq!(ix.page(&[], &all, None, 2), Some(vec![10, 11]));
    }

    #[test]
    fn scope_status_cursor_and_limit() {
        let ix = sample();
        let two = Under("/1/2/", None);
        assert_eq!(ix.page(&["duc".into()], &two, None, 10), Some(vec![12, 13]));
        let working = Under("/1/2/", Some("working"));
        assert_eq!(ix.page(&["duc".into()], &working, None, 10), Some(vec![13]));
        let all = Under("/1/", None);
        assert_eq!(
            ix.page(&["duc".into()], &all, Some(12), 10),
            Some(vec![13, 14])
        );
        assert_eq!(ix.page(&["duc".into()], &all, None, 1), Some(vec![12]));
        assert_eq!(ix.page(&["duc".into()], &all, Some(99), 10), None);
        assert_eq!(ix.len(), 5);
        assert_eq!(ix.version, 7);
    }

    #[test]
    fn ranks_cross_block_boundaries() {
        let mut b = Builder::new(1);
        for i in 0..200 {
            let w = if i % 3 == 0 { "ba" } else { "bo" };
            b.push(i, "/1/", "working", w);
        }
        let ix = b.finish();
        let all = Under("/1/", None);
        let got = ix.page(&["ba".into()], &all, Some(60), 5).unwrap();
        assert_eq!(got, vec![63, 66, 69, 72, 75]);
        let got = ix.page(&["ba".into()], &all, Some(195), 5).unwrap();
        assert_eq!(got, vec![198]);
    }
}
