//! Peak periods and events as protection work sees them: the calendar's peak windows of each
//! year (from `lich`), the events an organisation adds, the preparation lead time of each (the
//! calendar's default, or the organisation's own with what it rests on), and whether a plan
//! exists yet. Also the date move of a plan copied from an earlier year.

use super::Plan;
use crate::audit::{self, Actor, Event};
use crate::registers::Viewer;
use crate::scope::PlanManage;
use crate::units::Unit;
use crate::{Cap, Db, Error, Result, Scope, now_ms, units};
use chrono::{Datelike, Days, NaiveDate};
use domain::plans::PlanState;
use lich::{Calendar, PeakPeriod};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;
use std::collections::HashMap;

/// Preparation lead time of an organisation event when the organisation has not set one
/// (`peak_id = 'event'` in `peak_lead_times`): two weeks, as for the Tết peak in the
/// calendar's data.
pub const EVENT_LEAD_DAYS: u32 = 14;
/// How far ahead the overview looks.
pub const HORIZON_DAYS: u64 = 400;

pub(super) fn calendar() -> Result<&'static Calendar> {
    Calendar::standard().map_err(|_| Error::Invalid("err.plan_peak"))
}

/// The calendar's peak `peak_id` of solar year `year`.
pub fn window(peak_id: &str, year: i32) -> Result<PeakPeriod> {
    calendar()?
        .peak_periods(year)
        .map_err(|_| Error::Invalid("err.plan_peak"))?
        .into_iter()
        .find(|p| p.id == peak_id)
        .ok_or(Error::Invalid("err.plan_peak"))
}

/// The ids and names of the calendar's peaks (same every year).
pub fn peak_kinds() -> Result<Vec<(String, String, String)>> {
    Ok(calendar()?
        .peak_periods(2026)
        .map_err(|_| Error::Invalid("err.plan_peak"))?
        .into_iter()
        .map(|p| (p.id, p.name_vi, p.name_en))
        .collect())
}

/// An organisation event a plan may be made for.
#[derive(Debug, Clone, Serialize)]
pub struct EventRef {
    pub id: i64,
    pub title: String,
    pub kind: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

/// An event held by the organisation (or a unit in it) or by the province.
pub(crate) async fn event_of(db: &Db, org: &Unit, id: i64) -> Result<EventRef> {
    let r = sqlx::query(
        "SELECT e.id, e.title, e.kind, e.starts_on, e.ends_on FROM org_events e JOIN units u ON u.id = e.unit_id \
         WHERE e.id = $1 AND (u.parent_id IS NULL OR (e.unit_path >= $2 AND e.unit_path < $3))",
    )
    .bind(id)
    .bind(&org.path)
    .bind(crate::scope::path_end(&org.path))
    .fetch_optional(db.pool())
    .await?
    .ok_or(Error::Invalid("err.plan_event"))?;
    event_row(&r)
}

fn event_row(r: &sqlx::any::AnyRow) -> Result<EventRef> {
    Ok(EventRef {
        id: r.try_get("id")?,
        title: r.try_get("title")?,
        kind: r.try_get("kind")?,
        starts_on: super::day(&r.try_get::<String, _>("starts_on")?)?,
        ends_on: super::day(&r.try_get::<String, _>("ends_on")?)?,
    })
}

/// The dates of a copy of `src` for a new window: each end keeps its distance from the
/// matching end of the peak window, so a plan that began two days before last year's Tết
/// window begins two days before this year's, wherever the lunar calendar put it.
pub fn move_dates(src: &Plan, new: (NaiveDate, NaiveDate)) -> Result<(NaiveDate, NaiveDate)> {
    let Some(peak) = &src.peak_id else {
        return Ok(new);
    };
    let old = window(peak, src.year)?;
    let s = new.0 + (src.starts_on - old.start);
    let e = new.1 + (src.ends_on - old.end);
    Ok((s, e.max(s)))
}

/// An organisation's own lead time for a peak.
#[derive(Debug, Clone, Serialize)]
pub struct LeadTime {
    pub peak_id: String,
    pub lead_days: u32,
    pub basis: String,
}

/// The lead times an organisation has set, by peak id.
pub async fn lead_times(db: &Db, org_id: i64) -> Result<HashMap<String, LeadTime>> {
    let rows =
        sqlx::query("SELECT peak_id, lead_days, basis FROM peak_lead_times WHERE org_id = $1")
            .bind(org_id)
            .fetch_all(db.pool())
            .await?;
    rows.iter()
        .map(|r| {
            let l = LeadTime {
                peak_id: r.try_get("peak_id")?,
                lead_days: u32::try_from(r.try_get::<i64, _>("lead_days")?).unwrap_or(0),
                basis: r.try_get("basis")?,
            };
            Ok((l.peak_id.clone(), l))
        })
        .collect()
}

/// Sets an organisation's lead time for a peak (or `event`), with what it rests on.
pub async fn set_lead_time(
    db: &Db,
    scope: &Scope<PlanManage>,
    actor: &Actor,
    org_id: i64,
    lt: &LeadTime,
) -> Result<()> {
    if lt.peak_id != "event" {
        window(&lt.peak_id, 2026)?;
    }
    if lt.lead_days > 120 {
        return Err(Error::Invalid("err.plan_lead_days"));
    }
    let n = lt.basis.trim().chars().count();
    if n == 0 || n > 500 {
        return Err(Error::Invalid("err.plan_lead_basis"));
    }
    let org = units::get(db, scope, org_id).await?;
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM peak_lead_times WHERE org_id = $1 AND peak_id = $2")
        .bind(org.id)
        .bind(&lt.peak_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO peak_lead_times (org_id, peak_id, lead_days, basis, updated_at) VALUES ($1,$2,$3,$4,$5)",
    )
    .bind(org.id)
    .bind(&lt.peak_id)
    .bind(i64::from(lt.lead_days))
    .bind(lt.basis.trim())
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    audit::append(
        &mut tx,
        actor,
        Event {
            action: "plan.lead_time",
            object_kind: "unit",
            object_id: org.id.to_string(),
            unit_path: Some(org.path.clone()),
            details: json!({ "peak": lt.peak_id, "lead_days": lt.lead_days, "basis": lt.basis.trim() }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A coming peak or event of one organisation and where its plan stands.
#[derive(Debug, Clone, Serialize)]
pub struct Upcoming {
    pub peak_id: Option<String>,
    pub event: Option<EventRef>,
    pub year: i32,
    pub name_vi: String,
    pub name_en: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub lead_days: u32,
    /// The organisation's basis for its own lead time; `None` when the default applies.
    pub lead_basis: Option<String>,
    pub prepare_from: NaiveDate,
    /// The window rests on the lunar calendar (Tết).
    pub lunar: bool,
    pub plan: Option<(i64, PlanState)>,
    /// Last year's plan for the same peak, to copy from.
    pub last_year: Option<i64>,
}

impl Upcoming {
    /// Days until the window opens (0 once it has).
    pub fn days_left(&self, today: NaiveDate) -> i64 {
        (self.start - today).num_days().max(0)
    }

    /// No plan yet and preparation should have begun.
    pub fn needs_plan(&self, today: NaiveDate) -> bool {
        self.plan.is_none() && today >= self.prepare_from && today <= self.end
    }
}

/// The coming peaks and events of an organisation of the scope, in date order, with their plans.
pub async fn upcoming<C: Cap>(
    db: &Db,
    scope: &Scope<C>,
    viewer: &Viewer,
    org_id: i64,
    today: NaiveDate,
) -> Result<Vec<Upcoming>> {
    let org = units::get(db, scope, org_id).await?;
    let horizon = today + Days::new(HORIZON_DAYS);
    let leads = lead_times(db, org.id).await?;
    let y = today.year();
    let plans = plans_of(db, &org, viewer, y - 2..=y + 1).await?;
    let mut out = Vec::new();
    for year in [y, y + 1] {
        for p in calendar()?
            .peak_periods(year)
            .map_err(|_| Error::Invalid("err.plan_peak"))?
        {
            if p.end < today || p.start > horizon {
                continue;
            }
            let (lead_days, lead_basis) = match leads.get(&p.id) {
                Some(l) => (l.lead_days, Some(l.basis.clone())),
                None => (p.lead_days, None),
            };
            let plan = plans
                .iter()
                .find(|x| x.peak_id.as_deref() == Some(&p.id) && x.year == year)
                .map(|x| (x.id, x.state));
            let last_year = plans
                .iter()
                .filter(|x| x.peak_id.as_deref() == Some(&p.id) && x.year < year)
                .max_by_key(|x| (x.year, x.id))
                .map(|x| x.id);
            out.push(Upcoming {
                lunar: p.tags.contains(&lich::Tag::Tet),
                peak_id: Some(p.id.clone()),
                event: None,
                year,
                name_vi: p.name_vi.clone(),
                name_en: p.name_en.clone(),
                start: p.start,
                end: p.end,
                lead_days,
                lead_basis,
                prepare_from: p.start - Days::new(u64::from(lead_days)),
                plan,
                last_year,
            });
        }
    }
    let (ev_lead, ev_basis) = match leads.get("event") {
        Some(l) => (l.lead_days, Some(l.basis.clone())),
        None => (EVENT_LEAD_DAYS, None),
    };
    let events = sqlx::query(
        "SELECT e.id, e.title, e.kind, e.starts_on, e.ends_on FROM org_events e JOIN units u ON u.id = e.unit_id \
         WHERE e.ends_on >= $1 AND e.starts_on <= $2 AND (u.parent_id IS NULL OR (e.unit_path >= $3 AND e.unit_path < $4)) \
         ORDER BY e.starts_on, e.id LIMIT 200",
    )
    .bind(today.to_string())
    .bind(horizon.to_string())
    .bind(&org.path)
    .bind(crate::scope::path_end(&org.path))
    .fetch_all(db.pool())
    .await?;
    for r in &events {
        let ev = event_row(r)?;
        let plan = plans
            .iter()
            .find(|x| x.event_id == Some(ev.id))
            .map(|x| (x.id, x.state));
        out.push(Upcoming {
            peak_id: None,
            year: ev.starts_on.year(),
            name_vi: ev.title.clone(),
            name_en: ev.title.clone(),
            start: ev.starts_on,
            end: ev.ends_on,
            lead_days: ev_lead,
            lead_basis: ev_basis.clone(),
            prepare_from: ev.starts_on - Days::new(u64::from(ev_lead)),
            lunar: false,
            plan,
            last_year: None,
            event: Some(ev),
        });
    }
    out.sort_by_key(|u| (u.start, u.end));
    Ok(out)
}

/// The plans of an organisation over some years (all states), for matching with peaks.
async fn plans_of(
    db: &Db,
    org: &Unit,
    viewer: &Viewer,
    years: std::ops::RangeInclusive<i32>,
) -> Result<Vec<Plan>> {
    let sql = format!(
        "SELECT {} {} WHERE p.org_id = $1 AND p.year >= $2 AND p.year <= $3 ORDER BY p.starts_on, p.id LIMIT 500",
        super::COLS,
        super::FROM
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(org.id)
        .bind(i64::from(*years.start()))
        .bind(i64::from(*years.end()))
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(|r| super::from_row(r, viewer))
        .collect()
}
