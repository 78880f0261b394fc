//! Errors of the calendar engine.
//!
//! `Display` speaks Vietnamese, because these messages reach users of a
//! Vietnamese administration; [`LichError::english`] gives the same message in
//! English for logs and foreign readers.

use std::fmt;

/// Everything that can go wrong when building or converting calendar values.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LichError {
    /// A year outside the range this crate computes.
    YearOutOfRange {
        /// The year asked for.
        year: i32,
        /// First supported year.
        min: i32,
        /// Last supported year.
        max: i32,
    },
    /// A month number outside 1..=12.
    InvalidMonth {
        /// The month asked for.
        month: u32,
    },
    /// A day that the lunar month does not have, e.g. 30/12 in a 29-day month.
    InvalidDay {
        /// The day asked for.
        day: u32,
        /// The lunar month.
        month: u32,
        /// The lunar year.
        year: i32,
        /// Whether the month is the leap one.
        leap: bool,
        /// How many days the month has.
        days_in_month: u8,
    },
    /// A leap flag on a month that is not the leap month of its year.
    NotLeapMonth {
        /// The month asked for.
        month: u32,
        /// The lunar year.
        year: i32,
        /// The year's real leap month, if it has one.
        leap_month: Option<u8>,
    },
    /// A time-zone offset that is not a finite number of hours in −12..=14.
    InvalidTimeZone {
        /// The offset, as text (it may be NaN).
        hours: String,
    },
    /// Text that is not a lunar date in the `d/m/yyyy` or `d/m nhuận/yyyy` form.
    Parse {
        /// The rejected text.
        input: String,
    },
    /// An unknown name of a switchable calendar entry.
    UnknownSwitch {
        /// The rejected name.
        name: String,
    },
    /// The embedded calendar data failed to load or to validate.
    Data {
        /// Which file, and what is wrong with it.
        detail: String,
    },
}

impl LichError {
    /// The message in English.
    #[must_use]
    pub fn english(&self) -> String {
        match self {
            Self::YearOutOfRange { year, min, max } => {
                format!("year {year} is outside the supported range {min}–{max}")
            }
            Self::InvalidMonth { month } => {
                format!("lunar month {month} does not exist: months run from 1 to 12")
            }
            Self::InvalidDay {
                day,
                month,
                year,
                leap,
                days_in_month,
            } => {
                let leap = if *leap { " (leap)" } else { "" };
                format!(
                    "lunar date {day}/{month}{leap}/{year} does not exist: that month has only \
                     {days_in_month} days"
                )
            }
            Self::NotLeapMonth {
                month,
                year,
                leap_month,
            } => match leap_month {
                Some(l) => format!(
                    "lunar month {month} of {year} is not a leap month: the leap month of that \
                     year is {l}"
                ),
                None => format!(
                    "lunar month {month} of {year} is not a leap month: that year has no leap month"
                ),
            },
            Self::InvalidTimeZone { hours } => {
                format!(
                    "time-zone offset {hours} h is invalid: it must be between −12 and +14 hours"
                )
            }
            Self::Parse { input } => format!(
                "\"{input}\" is not a lunar date: expected day/month/year, e.g. 26/6/2025 or 26/6 \
                 nhuận/2025"
            ),
            Self::UnknownSwitch { name } => format!("unknown switchable calendar entry \"{name}\""),
            Self::Data { detail } => format!("embedded calendar data is invalid: {detail}"),
        }
    }
}

impl fmt::Display for LichError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::YearOutOfRange { year, min, max } => {
                write!(f, "năm {year} nằm ngoài phạm vi hỗ trợ ({min}–{max})")
            }
            Self::InvalidMonth { month } => {
                write!(
                    f,
                    "tháng âm lịch {month} không tồn tại: tháng chỉ từ 1 đến 12"
                )
            }
            Self::InvalidDay {
                day,
                month,
                year,
                leap,
                days_in_month,
            } => {
                let leap = if *leap { " nhuận" } else { "" };
                write!(
                    f,
                    "ngày âm lịch {day}/{month}{leap}/{year} không tồn tại: tháng này chỉ có \
                     {days_in_month} ngày"
                )
            }
            Self::NotLeapMonth {
                month,
                year,
                leap_month,
            } => match leap_month {
                Some(l) => write!(
                    f,
                    "tháng {month} năm {year} âm lịch không phải tháng nhuận: năm này nhuận tháng {l}"
                ),
                None => write!(
                    f,
                    "tháng {month} năm {year} âm lịch không phải tháng nhuận: năm này không có tháng \
                     nhuận"
                ),
            },
            Self::InvalidTimeZone { hours } => {
                write!(
                    f,
                    "múi giờ {hours} giờ không hợp lệ: phải nằm trong khoảng −12 đến +14 giờ"
                )
            }
            Self::Parse { input } => write!(
                f,
                "\"{input}\" không phải ngày âm lịch: cần dạng ngày/tháng/năm, ví dụ 26/6/2025 hoặc \
                 26/6 nhuận/2025"
            ),
            Self::UnknownSwitch { name } => write!(f, "không có mục lịch tùy chọn \"{name}\""),
            Self::Data { detail } => write!(f, "dữ liệu lịch nhúng sẵn không hợp lệ: {detail}"),
        }
    }
}

impl std::error::Error for LichError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_exist_in_both_languages() {
        let e = LichError::InvalidDay {
            day: 30,
            month: 12,
            year: 2025,
            leap: false,
            days_in_month: 29,
        };
        assert_eq!(
            e.to_string(),
            "ngày âm lịch 30/12/2025 không tồn tại: tháng này chỉ có 29 ngày"
        );
        assert_eq!(
            e.english(),
            "lunar date 30/12/2025 does not exist: that month has only 29 days"
        );
        let e = LichError::NotLeapMonth {
            month: 5,
            year: 2025,
            leap_month: Some(6),
        };
        assert!(e.to_string().contains("nhuận tháng 6"));
        assert!(e.english().contains("leap month of that year is 6"));
    }
}
