//! Staff lists as Excel workbooks: the export of the people in the scope (or one unit), the
//! blank import template, and the import itself. An import is all or nothing: every row is
//! checked first, a file with any bad row imports nothing and shows a row-by-row report, and a
//! good file goes in with one transaction.

mod check;
mod sheet;
mod write;

use crate::AppState;
use crate::auth::Authz;
use crate::auth::csrf::same;
use crate::error::{AppError, AppResult};
use crate::i18n::T;
use crate::pages::people::ListParams;
use crate::view::{Page, date, html, today, url_encode};
use askama::Template;
use axum::Router;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use check::GoodRow;
use domain::text::fold_vi;
use sheet::{Col, FileError, Problem};
use std::collections::{HashMap, HashSet};
use store::audit::{self, Event};
use store::people;
use store::scope::{PersonExport, PersonImport};
use store::units;

/// Largest workbook accepted for import.
pub const MAX_IMPORT_BYTES: usize = 5 * 1024 * 1024;
/// People read per query while exporting.
const EXPORT_PAGE: i64 = 1000;
/// Problems listed on the report; the rest are counted.
const REPORT_MAX: usize = 300;
pub(crate) const XLSX_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/people/export.xlsx", get(export))
        .route("/people/import", get(import_page).post(import_submit))
        .route("/people/import/template.xlsx", get(template))
}

/// `attachment` with an ASCII name for old clients and the Vietnamese name per RFC 5987.
pub(crate) fn attachment(name: &str) -> String {
    let ascii: String = fold_vi(name)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let ascii = ascii
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        url_encode(name)
    )
}

fn workbook_response(bytes: Vec<u8>, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, XLSX_TYPE.to_owned()),
            (header::CONTENT_DISPOSITION, attachment(name)),
            // Personal data: not for shared caches or the browser's back-forward store.
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

async fn blocking<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> AppResult<R> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))
}

async fn export(
    State(st): State<AppState>,
    a: Authz<PersonExport>,
    Query(p): Query<ListParams>,
) -> AppResult<Response> {
    let t = a.t();
    let mut q = p.query(EXPORT_PAGE);
    q.cursor = None;
    let place = match q.unit_id {
        Some(id) => units::get(&st.db, &a.scope, id).await?.name,
        None => units::scope_roots(&st.db, &a.scope)
            .await?
            .iter()
            .map(|u| u.name.clone())
            .collect::<Vec<_>>()
            .join(", "),
    };
    let mut all = Vec::new();
    loop {
        let page = people::list(&st.db, &a.scope, &q).await?;
        all.extend(page.items);
        match page.next {
            Some(c) => q.cursor = Some(c),
            None => break,
        }
    }
    let day = today();
    let subtitle = t.f2("xlsx.export.subtitle", &place, date(&day));
    let count = all.len();
    let bytes = blocking(move || write::export(t, t.s("xlsx.export.title"), &subtitle, &all))
        .await?
        .map_err(|e| AppError::Internal(format!("export workbook: {e}")))?;
    let unit_path = match q.unit_id {
        Some(id) => Some(units::get(&st.db, &a.scope, id).await?.path),
        None => a.scope.roots().first().map(|r| r.path.clone()),
    };
    audit::record(
        &st.db,
        &a.actor(),
        Event {
            action: "person.export",
            object_kind: "person",
            object_id: q
                .unit_id
                .map(|u| format!("unit:{u}"))
                .unwrap_or_else(|| "scope".into()),
            unit_path,
            details: serde_json::json!({
                "rows": count,
                "unit": q.unit_id,
                "status": q.status.map(|s| s.code()),
                "q": q.q,
            }),
        },
    )
    .await?;
    let name = format!(
        "{} - {} - {}.xlsx",
        t.s("xlsx.export.file"),
        place,
        day.format("%d-%m-%Y")
    );
    Ok(workbook_response(bytes, &name))
}

/// Units of the importer's scope where a person can be placed, by name.
async fn import_units(st: &AppState, a: &Authz<PersonImport>) -> AppResult<Vec<units::Unit>> {
    Ok(units::options(&st.db, &a.scope, crate::pages::people::UNIT_OPTIONS_LIMIT).await?)
}

async fn template(State(st): State<AppState>, a: Authz<PersonImport>) -> AppResult<Response> {
    let t = a.t();
    let names: Vec<String> = import_units(&st, &a)
        .await?
        .into_iter()
        .filter(|u| u.org_id.is_some())
        .map(|u| u.name)
        .collect();
    let bytes = blocking(move || write::template(t, &names))
        .await?
        .map_err(|e| AppError::Internal(format!("template workbook: {e}")))?;
    Ok(workbook_response(
        bytes,
        &format!("{}.xlsx", t.s("xlsx.template.file")),
    ))
}

/// One line of the report.
struct ReportRow {
    row: u32,
    column: String,
    message: String,
}

#[derive(Template)]
#[template(path = "people/import.html")]
struct ImportPage {
    page: Page,
    /// Why the whole file was refused.
    error: Option<String>,
    file_name: String,
    report: Vec<ReportRow>,
    /// Problems beyond those listed.
    more: usize,
    /// Rows read from the file, when the report is about rows.
    rows: usize,
    /// (column name, required) for the instructions.
    columns: Vec<(&'static str, bool)>,
    max_mb: usize,
}

fn import_render(
    a: &Authz<PersonImport>,
    status: StatusCode,
    error: Option<String>,
    file_name: String,
    problems: Vec<Problem>,
    rows: usize,
) -> AppResult<Response> {
    let t = a.t();
    let more = problems.len().saturating_sub(REPORT_MAX);
    let report = problems
        .into_iter()
        .take(REPORT_MAX)
        .map(|p| ReportRow {
            row: p.row,
            column: p.column,
            // Two arguments travel in one string, split at the unit separator.
            message: match p.arg.split_once('\u{1f}') {
                Some((a1, a2)) => t.f2(p.key, a1, a2),
                None if p.arg.is_empty() => t.s(p.key).to_owned(),
                None => t.f(p.key, &p.arg),
            },
        })
        .collect();
    let page = ImportPage {
        page: Page::new(&a.user, t.s("xlsx.import.title"), "people"),
        error,
        file_name,
        report,
        more,
        rows,
        columns: Col::ALL
            .iter()
            .map(|c| (t.s(c.label_key()), c.required()))
            .collect(),
        max_mb: MAX_IMPORT_BYTES / (1024 * 1024),
    };
    Ok((status, html(&page)?).into_response())
}

async fn import_page(a: Authz<PersonImport>) -> AppResult<Response> {
    import_render(&a, StatusCode::OK, None, String::new(), Vec::new(), 0)
}

fn file_error(t: T, e: &FileError) -> String {
    match e {
        FileError::NotXlsx => t.s("xlsx.err.not_xlsx").to_owned(),
        FileError::OldXls => t.s("xlsx.err.old_xls").to_owned(),
        FileError::TooBig => t.s("xlsx.err.unpacked").to_owned(),
        FileError::NoSheet | FileError::Empty => t.s("xlsx.err.empty").to_owned(),
        FileError::MissingColumns(cols) => {
            let names: Vec<&str> = cols.iter().map(|c| t.s(c.label_key())).collect();
            t.f("xlsx.err.missing_columns", names.join(", "))
        }
        FileError::TooManyRows(n) => t.f("xlsx.err.too_many_rows", n),
    }
}

/// What the upload form sent.
enum Upload {
    File {
        csrf: String,
        name: String,
        bytes: Vec<u8>,
    },
    TooLarge,
    Unreadable,
}

/// Reads the form a chunk at a time, stopping as soon as the file passes the limit (or the
/// server's body limit cuts the request), so that an oversized upload is answered with a clear
/// message rather than a dropped connection.
async fn read_upload(mut mp: Multipart) -> Upload {
    let mut csrf = String::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut too_large = false;
    let mut broken = false;
    'fields: loop {
        let mut field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                too_large = e.status() == StatusCode::PAYLOAD_TOO_LARGE;
                broken = !too_large;
                break;
            }
        };
        let name = field.name().unwrap_or("").to_owned();
        let is_file = name == "file";
        let file_name = field.file_name().unwrap_or("").to_owned();
        let mut buf = Vec::new();
        // Only the file may be large; any other field is small text.
        let limit = if is_file { MAX_IMPORT_BYTES } else { 4096 };
        loop {
            match field.chunk().await {
                Ok(Some(c)) => {
                    if buf.len() + c.len() > limit {
                        too_large = is_file;
                        broken = !is_file;
                        break 'fields;
                    }
                    buf.extend_from_slice(&c);
                }
                Ok(None) => break,
                Err(e) => {
                    too_large = e.status() == StatusCode::PAYLOAD_TOO_LARGE;
                    broken = !too_large;
                    break 'fields;
                }
            }
        }
        match name.as_str() {
            "csrf" => csrf = String::from_utf8_lossy(&buf).into_owned(),
            "file" => file = Some((file_name, buf)),
            _ => {}
        }
    }
    if too_large {
        // Read what is left (the body limit bounds it) so the answer reaches the browser
        // instead of a reset connection.
        while let Ok(Some(mut f)) = mp.next_field().await {
            while let Ok(Some(_)) = f.chunk().await {}
        }
        return Upload::TooLarge;
    }
    if broken {
        return Upload::Unreadable;
    }
    let (name, bytes) = file.unwrap_or_default();
    Upload::File { csrf, name, bytes }
}

async fn import_submit(
    State(st): State<AppState>,
    a: Authz<PersonImport>,
    mp: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let t = a.t();
    let Ok(mp) = mp else {
        return import_render(
            &a,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(t.s("xlsx.err.no_file").to_owned()),
            String::new(),
            Vec::new(),
            0,
        );
    };
    let (csrf, name, bytes) = match read_upload(mp).await {
        Upload::File { csrf, name, bytes } => (csrf, name, bytes),
        Upload::TooLarge => {
            let msg = t.f("xlsx.err.too_large", MAX_IMPORT_BYTES / (1024 * 1024));
            return import_render(
                &a,
                StatusCode::PAYLOAD_TOO_LARGE,
                Some(msg),
                String::new(),
                Vec::new(),
                0,
            );
        }
        Upload::Unreadable => {
            return import_render(
                &a,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(t.s("xlsx.err.no_file").to_owned()),
                String::new(),
                Vec::new(),
                0,
            );
        }
    };
    let expected = a.user.id.csrf();
    if expected.is_empty() || !same(&csrf, expected) {
        return Err(AppError::Csrf);
    }
    let name: String = name.chars().filter(|c| !c.is_control()).take(200).collect();
    if bytes.is_empty() {
        return import_render(
            &a,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(t.s("xlsx.err.no_file").to_owned()),
            name,
            Vec::new(),
            0,
        );
    }
    let raw = match blocking(move || sheet::read(&bytes)).await? {
        Ok(r) => r,
        Err(e) => {
            return import_render(
                &a,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(file_error(t, &e)),
                name,
                Vec::new(),
                0,
            );
        }
    };
    let index = check::UnitIndex::new(&import_units(&st, &a).await?);
    let day = today();
    let mut problems = Vec::new();
    let mut good: Vec<GoodRow> = Vec::new();
    for r in &raw {
        match check::check(r, &index, day) {
            Ok(g) => good.push(g),
            Err(p) => problems.extend(p),
        }
    }
    problems.extend(duplicates(&st, &a, &good).await?);
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.row);
        return import_render(
            &a,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            name,
            problems,
            raw.len(),
        );
    }
    let inputs: Vec<people::PersonInput> = good.iter().map(|g| g.input.clone()).collect();
    match people::insert_all(&st.db, &a.scope, &a.actor(), &inputs, day, &name).await? {
        Ok(n) => Ok(Redirect::to(&format!("/people?done=imported&n={n}")).into_response()),
        Err((i, e)) => {
            let key = match e {
                store::Error::Invalid(k) | store::Error::Conflict(k) => k,
                other => return Err(other.into()),
            };
            let row = good.get(i).map(|g| g.row).unwrap_or(0);
            let p = Problem {
                row,
                column: String::new(),
                key,
                arg: String::new(),
            };
            import_render(
                &a,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                name,
                vec![p],
                raw.len(),
            )
        }
    }
}

/// Rows that repeat an earlier row of the file, or a person already in the organisation: the
/// same name (ignoring diacritics and case) and the same date of birth.
async fn duplicates(
    st: &AppState,
    a: &Authz<PersonImport>,
    good: &[GoodRow],
) -> AppResult<Vec<Problem>> {
    let mut existing: HashMap<i64, HashSet<(String, Option<chrono::NaiveDate>)>> = HashMap::new();
    for g in good {
        if let std::collections::hash_map::Entry::Vacant(slot) = existing.entry(g.org_id) {
            let keys = people::org_name_keys(&st.db, &a.scope, g.input.unit_id).await?;
            slot.insert(keys.into_iter().collect());
        }
    }
    let mut seen: HashMap<(i64, String, Option<chrono::NaiveDate>), u32> = HashMap::new();
    let mut out = Vec::new();
    for g in good {
        let key = (g.name_key.clone(), g.input.birth_date);
        if let Some(first) = seen.get(&(g.org_id, key.0.clone(), key.1)) {
            let arg = format!("{}\u{1f}{first}", g.input.full_name);
            out.push(Problem {
                row: g.row,
                column: g.name_column.clone(),
                key: "xlsx.err.duplicate_in_file",
                arg,
            });
        } else if existing.get(&g.org_id).is_some_and(|s| s.contains(&key)) {
            out.push(Problem {
                row: g.row,
                column: g.name_column.clone(),
                key: "xlsx.err.duplicate_db",
                arg: g.input.full_name.clone(),
            });
        }
        seen.entry((g.org_id, key.0, key.1)).or_insert(g.row);
    }
    Ok(out)
}
