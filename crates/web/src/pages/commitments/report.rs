//! Who has signed and who has not: the per-person list of an area (a page at a time), the
//! XLSX of the missing as proof for a meeting or a report, and the officer's form recording a
//! signed paper copy with its scan.

use super::{AreaQuery, can_manage};
use crate::AppState;
use crate::auth::Authz;
use crate::error::{AppError, AppResult};
use crate::pages::upload;
use crate::view::{Page, html};
use askama::Template;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use rust_xlsxwriter::{Format as XFormat, Workbook};
use serde::Deserialize;
use store::commitments::{self, Campaign, PersonFilter, PersonLine};
use store::scope::{CampaignManage, CampaignView};
use store::units::Unit;

/// Most rows one export holds (an organisation is far smaller; a province is exported per
/// organisation).
const EXPORT_LIMIT: i64 = 50_000;

#[derive(Deserialize, Default)]
pub(super) struct PeopleQuery {
    unit: Option<i64>,
    filter: Option<String>,
    after: Option<String>,
}

fn parse_filter(s: Option<&str>) -> PersonFilter {
    match s {
        Some("done") => PersonFilter::Done,
        Some("all") => PersonFilter::All,
        _ => PersonFilter::Missing,
    }
}

fn filter_code(f: PersonFilter) -> &'static str {
    match f {
        PersonFilter::All => "all",
        PersonFilter::Missing => "missing",
        PersonFilter::Done => "done",
    }
}

fn decode_after(s: &str) -> Option<(String, i64)> {
    let (id, key) = s.split_once('_')?;
    Some((key.to_owned(), id.parse().ok()?))
}

#[derive(Template)]
#[template(path = "commitments/people.html")]
struct PeoplePage {
    page: Page,
    c: Campaign,
    area: Unit,
    filter: &'static str,
    people: Vec<PersonLine>,
    next: Option<String>,
    can_manage: bool,
}

impl PeoplePage {
    fn when(&self, ms: &i64) -> String {
        crate::view::datetime_ms(*ms)
    }
    fn link(&self, filter: &str) -> String {
        format!(
            "/commitments/{}/people?unit={}&filter={filter}",
            self.c.id, self.area.id
        )
    }
}

/// `GET /commitments/{id}/people?unit=&filter=missing|done|all`.
pub(super) async fn people(
    State(st): State<AppState>,
    a: Authz<CampaignView>,
    Path(id): Path<i64>,
    Query(q): Query<PeopleQuery>,
) -> AppResult<Response> {
    let c = commitments::get(&st.db, &a.scope, id).await?;
    let filter = parse_filter(q.filter.as_deref());
    let after = q.after.as_deref().and_then(decode_after);
    let cov = commitments::coverage(&st.db, &a.scope, &c, q.unit).await?;
    let (people, next) =
        commitments::people(&st.db, &a.scope, &c, Some(cov.area.id), filter, after, 200).await?;
    let page = PeoplePage {
        page: Page::new(
            &a.user,
            format!("{} — {}", c.title, cov.area.name),
            "movement",
        ),
        can_manage: can_manage(&a.user, &c.owner_path),
        c,
        area: cov.area,
        filter: filter_code(filter),
        people,
        next: next.map(|(k, id)| format!("{id}_{k}")),
    };
    Ok(html(&page)?.into_response())
}

/// `GET /commitments/{id}/missing.xlsx?unit=`: who has not signed, with unit and position.
pub(super) async fn missing_xlsx(
    State(st): State<AppState>,
    a: Authz<CampaignView>,
    Path(id): Path<i64>,
    Query(q): Query<AreaQuery>,
) -> AppResult<Response> {
    let c = commitments::get(&st.db, &a.scope, id).await?;
    let cov = commitments::coverage(&st.db, &a.scope, &c, q.unit).await?;
    let (people, _) = commitments::people(
        &st.db,
        &a.scope,
        &c,
        Some(cov.area.id),
        PersonFilter::Missing,
        None,
        EXPORT_LIMIT,
    )
    .await?;
    let t = a.t();
    let rows: Vec<[String; 4]> = people
        .iter()
        .enumerate()
        .map(|(i, p)| {
            [
                (i + 1).to_string(),
                p.full_name.clone(),
                p.position.clone(),
                p.unit_name.clone(),
            ]
        })
        .collect();
    let heading = format!(
        "{} — {}: {} {}/{} ({}%)",
        c.title,
        cov.area.name,
        t.s("cmt.signed"),
        cov.figures.done,
        cov.figures.required,
        cov.figures.percent()
    );
    let bytes = missing_workbook(
        &heading,
        [
            t.s("cmt.col.no"),
            t.s("cmt.col.name"),
            t.s("cmt.col.position"),
            t.s("cmt.col.unit"),
        ],
        &rows,
    )?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"chua-ky-{}-{}.xlsx\"",
                    c.id, cov.area.id
                ),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// A one-sheet workbook: a heading line, column titles, rows.
pub(crate) fn missing_workbook(
    heading: &str,
    columns: [&str; 4],
    rows: &[[String; 4]],
) -> AppResult<Vec<u8>> {
    let xe = |e: rust_xlsxwriter::XlsxError| AppError::Internal(format!("xlsx: {e}"));
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let bold = XFormat::new().set_bold();
    ws.write_string_with_format(0, 0, heading, &bold)
        .map_err(xe)?;
    for (i, h) in columns.iter().enumerate() {
        ws.write_string_with_format(2, i as u16, *h, &bold)
            .map_err(xe)?;
        ws.set_column_width(i as u16, [6, 32, 32, 40][i])
            .map_err(xe)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (i, v) in row.iter().enumerate() {
            ws.write_string(3 + r as u32, i as u16, v).map_err(xe)?;
        }
    }
    wb.save_to_buffer().map_err(xe)
}

#[derive(Template)]
#[template(path = "commitments/paper.html")]
struct PaperPage {
    page: Page,
    c: Campaign,
    missing: Vec<PersonLine>,
    error: Option<&'static str>,
    today: String,
}

async fn paper_page(
    st: &AppState,
    a: &Authz<CampaignManage>,
    id: i64,
    error: Option<&'static str>,
) -> AppResult<PaperPage> {
    let c = commitments::get(&st.db, &a.scope, id).await?;
    let view = a
        .scope
        .narrow::<CampaignView>(&a.user.id.grants)
        .ok_or(AppError::NotFound)?;
    let (missing, _) =
        commitments::people(&st.db, &view, &c, None, PersonFilter::Missing, None, 2000).await?;
    Ok(PaperPage {
        page: Page::new(&a.user, a.t().s("cmt.paper"), "movement"),
        c,
        missing,
        error,
        today: crate::view::date(&crate::view::today()),
    })
}

/// `GET /commitments/{id}/paper`.
pub(super) async fn paper_form(
    State(st): State<AppState>,
    a: Authz<CampaignManage>,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    Ok(html(&paper_page(&st, &a, id, None).await?)?.into_response())
}

/// `POST /commitments/{id}/paper` (multipart: person, date, scan).
pub(super) async fn paper_submit(
    State(st): State<AppState>,
    a: Authz<CampaignManage>,
    Path(id): Path<i64>,
    mp: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let max = st.cfg.max_upload_bytes;
    let result = async {
        let proof = upload::read(&a.user, mp, max)
            .await?
            .proof(&upload::ProofForm {
                people_field: "person",
                file_field: "scan",
                err_people: "err.cmt_person",
                err_date: "err.cmt_paper_date",
            })?;
        let [person] = proof.people[..] else {
            return Err(AppError::Invalid("err.cmt_person"));
        };
        commitments::record_paper(
            &st.db,
            &a.scope,
            &a.actor(),
            id,
            person,
            proof.day,
            &proof.file,
            max,
            crate::view::today(),
        )
        .await?;
        Ok(())
    }
    .await;
    upload::answer(
        result,
        format!("/commitments/{id}?notice=cmt.paper_ok"),
        |k| paper_page(&st, &a, id, Some(k)),
    )
    .await
}
