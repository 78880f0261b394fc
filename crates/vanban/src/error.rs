//! The crate's error type. Messages are Vietnamese because they reach users of the
//! command line and the web interface unchanged.

use std::path::PathBuf;

/// Everything that can go wrong while reading, validating or rendering a document.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input file could not be read.
    #[error("không đọc được tệp {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The output file could not be written.
    #[error("không ghi được tệp {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The input is not well-formed JSON or does not match the document model.
    #[error("dữ liệu văn bản không hợp lệ (dòng {line}, cột {column}): {message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    /// The input file is larger than the engine accepts.
    #[error("tệp đầu vào quá lớn: {bytes} byte, tối đa {limit} byte")]
    InputTooLarge { bytes: usize, limit: usize },
    /// The document type code is not one the engine knows.
    #[error("loại văn bản không xác định: \"{code}\" (mã hợp lệ: {known})")]
    UnknownDocumentType { code: String, known: String },
    /// The type exists but the chosen format has no abbreviation for it.
    #[error("loại văn bản \"{code}\" không có trong thể thức {format}")]
    TypeNotInFormat { code: String, format: String },
    /// The signing authority prefix is not defined for the chosen format.
    #[error("thể thức {format} không dùng quyền hạn ký \"{authority}\"")]
    AuthorityNotInFormat { authority: String, format: String },
    /// The body exceeds one of the size limits.
    #[error("nội dung văn bản quá lớn: {what} là {actual}, tối đa {limit}")]
    BodyTooLarge {
        what: &'static str,
        actual: usize,
        limit: usize,
    },
    /// A field has a value the format does not allow.
    #[error("trường \"{field}\" không hợp lệ: {reason}")]
    Invalid { field: &'static str, reason: String },
    /// No numbering period (committee term) contains the date.
    #[error("ngày {date} không thuộc nhiệm kỳ nào đã khai báo")]
    OutsideTerms { date: chrono::NaiveDate },
    /// The committee terms given for Party numbering overlap or are reversed.
    #[error("nhiệm kỳ không hợp lệ: {0}")]
    InvalidTerms(String),
    /// No layout profile covers the format at the document date.
    #[error("không có mẫu trình bày cho thể thức {format} vào ngày {date}")]
    NoProfile {
        format: String,
        date: chrono::NaiveDate,
    },
    /// An embedded layout profile failed to load; a build defect, reported rather than panicking.
    #[error("mẫu trình bày {id} bị lỗi: {message}")]
    Profile { id: &'static str, message: String },
    /// The output extension is neither `.pdf` nor `.docx`.
    #[error("không hỗ trợ định dạng đầu ra \"{0}\" (chỉ .pdf hoặc .docx)")]
    UnsupportedOutput(String),
    /// The PDF typesetter reported an error.
    #[error("lỗi dàn trang PDF: {0}")]
    Pdf(String),
    /// The DOCX writer reported an error.
    #[error("lỗi tạo tệp DOCX: {0}")]
    Docx(String),
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        // serde's message repeats the position; keep only the text before " at line".
        let full = e.to_string();
        let message = match full.rfind(" at line ") {
            Some(i) => full[..i].to_owned(),
            None => full,
        };
        Error::Json {
            line: e.line(),
            column: e.column(),
            message,
        }
    }
}

/// Result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
