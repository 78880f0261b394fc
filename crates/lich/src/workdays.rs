//! Working-day arithmetic for legal deadlines.
//!
//! Two ways of counting appear in Vietnamese procedure law, and each
//! procedure must say which one it uses:
//! - *working days* (ngày làm việc), e.g. 7 working days to process a
//!   denunciation (Luật Tố cáo 2018, Điều 24): see
//!   [`Calendar::add_working_days`];
//! - *calendar days* (ngày), e.g. 30 days to resolve a complaint (Luật Khiếu
//!   nại 2011, Điều 28): see [`Calendar::deadline`].
//!
//! In both, counting starts on the day after the triggering event, and a
//! period whose last day is a day off ends on the next working day (Bộ luật
//! Dân sự 2015, Điều 147–148).

use chrono::{Days, NaiveDate};

use crate::calendar::Calendar;
use crate::error::LichError;

impl Calendar {
    /// The `n`-th working day after `start` (`start` itself is not counted;
    /// `n == 0` gives `start`).
    ///
    /// # Errors
    /// [`LichError::YearOutOfRange`] if the count leaves 1801–2198.
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> Result<NaiveDate, LichError> {
        let mut day = start;
        let mut left = n;
        while left > 0 {
            day = day + Days::new(1);
            if self.is_working_day(day)? {
                left -= 1;
            }
        }
        Ok(day)
    }

    /// The first working day on or after `date`.
    ///
    /// # Errors
    /// [`LichError::YearOutOfRange`] outside 1801–2198.
    pub fn next_working_day(&self, date: NaiveDate) -> Result<NaiveDate, LichError> {
        let mut day = date;
        while self.is_day_off(day)? {
            day = day + Days::new(1);
        }
        Ok(day)
    }

    /// The end of a period of `days` calendar days starting after `start`,
    /// moved forward to the next working day if it falls on a day off.
    ///
    /// # Errors
    /// [`LichError::YearOutOfRange`] outside 1801–2198.
    pub fn deadline(&self, start: NaiveDate, days: u32) -> Result<NaiveDate, LichError> {
        self.next_working_day(start + Days::new(u64::from(days)))
    }

    /// Number of working days in `(from, to]`: after `from`, up to and
    /// including `to`; zero when `to <= from`.
    ///
    /// # Errors
    /// [`LichError::YearOutOfRange`] outside 1801–2198.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> Result<u32, LichError> {
        let mut count = 0;
        let mut day = from;
        while day < to {
            day = day + Days::new(1);
            if self.is_working_day(day)? {
                count += 1;
            }
        }
        Ok(count)
    }
}
