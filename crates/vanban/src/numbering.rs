//! Numbering cycles: which register counter a new document draws its number from.
//! State bodies number per calendar year (NĐ 30/2020, Phụ lục I); Party committees
//! and the bodies they create number per document type within one committee term
//! (HD 36-HD/VPTW, mục II.1). The counters themselves live in the database layer.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::doctype::DocumentType;
use crate::error::{Error, Result};
use crate::model::Format;

/// One committee term (nhiệm kỳ), both ends inclusive. A term runs from the day after
/// one congress closes to the closing day of the next; `end` is `None` while the
/// next congress has not closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    pub start: NaiveDate,
    #[serde(default)]
    pub end: Option<NaiveDate>,
}

impl Term {
    /// The term between two congress closing days.
    pub fn between_congresses(previous_close: NaiveDate, next_close: Option<NaiveDate>) -> Term {
        Term {
            start: previous_close.succ_opt().unwrap_or(previous_close),
            end: next_close,
        }
    }

    fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && self.end.is_none_or(|end| date <= end)
    }
}

/// Which sequence inside a period a document belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Series {
    /// One sequence for every document type (state register).
    AllTypes,
    /// Copies (sao y, sao lục, trích sao) of a state body.
    Copies,
    /// One sequence per document type (Party register).
    Type(DocumentType),
}

/// The counter a document draws its number from: a period and a series in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CounterKey {
    pub period_start: NaiveDate,
    /// Last day of the period; `None` for a term whose end is not known yet.
    pub period_end: Option<NaiveDate>,
    pub series: Series,
}

/// A numbering cycle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NumberingCycle {
    /// From 01 on 1 January to 31 December, all types in one sequence.
    CalendarYear,
    /// From 01 for each document type within a committee term.
    CommitteeTerm { terms: Vec<Term> },
}

impl NumberingCycle {
    /// The usual cycle of a format; `terms` is used only by the Party format.
    pub fn for_format(format: Format, terms: Vec<Term>) -> Result<NumberingCycle> {
        match format {
            Format::State => Ok(NumberingCycle::CalendarYear),
            Format::Party => NumberingCycle::committee_terms(terms),
        }
    }

    /// A Party cycle over the given terms, which must not overlap.
    pub fn committee_terms(mut terms: Vec<Term>) -> Result<NumberingCycle> {
        terms.sort_by_key(|t| t.start);
        for t in &terms {
            if t.end.is_some_and(|end| end < t.start) {
                return Err(Error::InvalidTerms(format!(
                    "nhiệm kỳ bắt đầu {} kết thúc trước ngày bắt đầu",
                    t.start
                )));
            }
        }
        for pair in terms.windows(2) {
            let open_or_overlapping = pair[0].end.is_none_or(|end| end >= pair[1].start);
            if open_or_overlapping {
                return Err(Error::InvalidTerms(format!(
                    "nhiệm kỳ bắt đầu {} chồng lên nhiệm kỳ bắt đầu {}",
                    pair[0].start, pair[1].start
                )));
            }
        }
        Ok(NumberingCycle::CommitteeTerm { terms })
    }

    /// The counter a document of `doc_type` dated `date` belongs to.
    pub fn counter_for(&self, date: NaiveDate, doc_type: DocumentType) -> Result<CounterKey> {
        match self {
            NumberingCycle::CalendarYear => {
                let year = date.year();
                let first = NaiveDate::from_ymd_opt(year, 1, 1);
                let last = NaiveDate::from_ymd_opt(year, 12, 31);
                let (Some(first), Some(last)) = (first, last) else {
                    return Err(Error::Invalid {
                        field: "date",
                        reason: format!("năm {year} ngoài phạm vi"),
                    });
                };
                Ok(CounterKey {
                    period_start: first,
                    period_end: Some(last),
                    series: if doc_type.is_copy() {
                        Series::Copies
                    } else {
                        Series::AllTypes
                    },
                })
            }
            NumberingCycle::CommitteeTerm { terms } => {
                let term = terms
                    .iter()
                    .find(|t| t.contains(date))
                    .ok_or(Error::OutsideTerms { date })?;
                Ok(CounterKey {
                    period_start: term.start,
                    period_end: term.end,
                    series: Series::Type(doc_type),
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn state_resets_on_first_january() {
        let c = NumberingCycle::for_format(Format::State, vec![]).unwrap();
        let dec = c
            .counter_for(d(2025, 12, 31), DocumentType::KeHoach)
            .unwrap();
        let jan = c.counter_for(d(2026, 1, 1), DocumentType::KeHoach).unwrap();
        assert_ne!(dec, jan);
        assert_eq!(jan.period_start, d(2026, 1, 1));
        assert_eq!(jan.period_end, Some(d(2026, 12, 31)));
        // All types share one register within the year.
        let bc = c.counter_for(d(2026, 6, 1), DocumentType::BaoCao).unwrap();
        assert_eq!(bc, jan);
        // Copies keep their own sequence.
        let copy = c.counter_for(d(2026, 6, 1), DocumentType::BanSaoY).unwrap();
        assert_eq!(copy.series, Series::Copies);
    }

    #[test]
    fn party_numbers_per_type_within_the_term() {
        // Congresses closed on 2020-10-15 and 2025-10-20.
        let terms = vec![
            Term::between_congresses(d(2015, 10, 10), Some(d(2020, 10, 15))),
            Term::between_congresses(d(2020, 10, 15), Some(d(2025, 10, 20))),
            Term::between_congresses(d(2025, 10, 20), None),
        ];
        let c = NumberingCycle::for_format(Format::Party, terms).unwrap();
        // No reset on 1 January.
        let a = c
            .counter_for(d(2023, 12, 31), DocumentType::NghiQuyet)
            .unwrap();
        let b = c
            .counter_for(d(2024, 1, 1), DocumentType::NghiQuyet)
            .unwrap();
        assert_eq!(a, b);
        // The closing day belongs to the old term, the next day to the new one.
        let close = c
            .counter_for(d(2025, 10, 20), DocumentType::NghiQuyet)
            .unwrap();
        let after = c
            .counter_for(d(2025, 10, 21), DocumentType::NghiQuyet)
            .unwrap();
        assert_eq!(close.period_start, d(2020, 10, 16));
        assert_eq!(after.period_start, d(2025, 10, 21));
        assert_eq!(after.period_end, None);
        // Each type has its own sequence.
        let kh = c.counter_for(d(2024, 1, 1), DocumentType::KeHoach).unwrap();
        assert_ne!(kh, b);
        assert_eq!(kh.series, Series::Type(DocumentType::KeHoach));
    }

    #[test]
    fn party_date_outside_terms_is_an_error() {
        let c = NumberingCycle::committee_terms(vec![Term {
            start: d(2020, 10, 16),
            end: Some(d(2025, 10, 20)),
        }])
        .unwrap();
        let e = c
            .counter_for(d(2026, 1, 5), DocumentType::KeHoach)
            .unwrap_err();
        assert!(matches!(e, Error::OutsideTerms { .. }), "{e}");
    }

    #[test]
    fn overlapping_terms_are_rejected() {
        let r = NumberingCycle::committee_terms(vec![
            Term {
                start: d(2020, 1, 1),
                end: None,
            },
            Term {
                start: d(2025, 1, 1),
                end: None,
            },
        ]);
        assert!(matches!(r, Err(Error::InvalidTerms(_))));
    }
}
