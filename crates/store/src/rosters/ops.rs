//! Working on a roster's cells: solving, checking and making a hand edit, publishing and
//! closing. The checks are the engine's: a full evaluation for the page, the incremental
//! checker for one edit.

use super::build::{self, Built, Problem, Reason};
use super::setup::{finish, locate};
use super::{Cell, Detail, RosterState, read};
use crate::audit::Actor;
use crate::scope::RosterManage;
use crate::{Db, Error, Result, Scope, WriteTx, now_ms};
use chrono::NaiveDate;
use roster::{Checker, Evaluation, SolveOptions};
use serde::Serialize;
use serde_json::json;

/// Why solving did not happen.
#[derive(Debug)]
pub enum SolveError {
    Store(Error),
    /// The setup cannot be solved as it stands; nothing was changed.
    Setup(Vec<Problem>),
}

impl From<Error> for SolveError {
    fn from(e: Error) -> Self {
        SolveError::Store(e)
    }
}

impl From<sqlx::Error> for SolveError {
    fn from(e: sqlx::Error) -> Self {
        SolveError::Store(e.into())
    }
}

/// What a solve produced.
#[derive(Debug, Clone, Serialize)]
pub struct Solved {
    pub feasible: bool,
    pub penalty: u64,
    pub duties: usize,
    pub seconds: f64,
}

/// The model of a roster with its fairness history.
pub async fn model_of(db: &Db, d: &Detail) -> Result<std::result::Result<Built, Vec<Problem>>> {
    let history = read::history(db, d.roster.org_id, d.roster.start_day).await?;
    Ok(build::build(d, &history))
}

/// The verdict on a roster's current cells: the model (or what is wrong with the setup), the
/// evaluation and its reasons.
pub async fn evaluate(
    db: &Db,
    d: &Detail,
) -> Result<std::result::Result<(Built, Evaluation, Vec<Reason>), Vec<Problem>>> {
    Ok(match model_of(db, d).await? {
        Err(p) => Err(p),
        Ok(built) => {
            let ev = roster::evaluate(&built.model, &built.roster_of(&d.cells));
            let reasons = build::reasons(&built, d, &ev);
            Ok((built, ev, reasons))
        }
    })
}

/// Replaces all cells of a roster (inside a write transaction).
async fn store_cells(tx: &mut WriteTx, id: i64, cells: &[(Cell, bool)]) -> Result<()> {
    sqlx::query("DELETE FROM roster_cells WHERE roster_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    // Several rows per statement: a roster of 80 people over three weeks is about a thousand.
    for chunk in cells.chunks(100) {
        let mut sql = crate::sql::SqlBuf::new(
            "INSERT INTO roster_cells (roster_id, person_id, day, shift_id, holiday_night) VALUES ",
        );
        for (i, (c, h)) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.push("(")
                .arg_i64(id)
                .push(", ")
                .arg_i64(c.person_id)
                .push(", ")
                .arg_text(&c.day.to_string())
                .push(", ")
                .arg_i64(c.shift_id)
                .push(", ")
                .arg_i64(i64::from(*h))
                .push(")");
        }
        sql.query().execute(&mut **tx).await?;
    }
    Ok(())
}

/// Solves a draft roster within `seconds` and stores the proposal (the cells) in place of the
/// current ones. Leave is never assigned: the engine treats it as a hard rule, and any cell it
/// still left on a leave day is dropped before storing.
pub async fn solve(
    db: &Db,
    scope: &Scope<RosterManage>,
    actor: &Actor,
    id: i64,
    seconds: f64,
) -> std::result::Result<Solved, SolveError> {
    let d = read::get(db, scope, id).await?;
    if d.roster.state != RosterState::Draft {
        return Err(Error::Invalid("err.ro_not_draft").into());
    }
    let built = model_of(db, &d).await?.map_err(SolveError::Setup)?;
    let opts = SolveOptions {
        seconds: seconds.clamp(0.1, 30.0),
        threads: std::thread::available_parallelism().map_or(1, |n| n.get().min(2)),
        seed: id as u64,
        max_rounds: None,
    };
    let (built, solution) = tokio::task::spawn_blocking(move || {
        let s = roster::solve(&built.model, &opts);
        (built, s)
    })
    .await
    .map_err(|e| Error::Config(format!("solver task: {e}")))?;
    let burden: Vec<bool> = d.shifts.iter().map(|s| s.burden).collect();
    let cells: Vec<(Cell, bool)> = built
        .cells_of(&solution.roster, &burden)
        .into_iter()
        .filter(|(c, _)| !d.absent(c.person_id, c.day))
        .collect();
    let mut tx = db.begin_write().await?;
    let (path, _, _) = locate(&mut tx, scope, id, &[RosterState::Draft]).await?;
    store_cells(&mut tx, id, &cells).await?;
    sqlx::query("UPDATE rosters SET solved_at = $1 WHERE id = $2")
        .bind(now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let ev = &solution.evaluation;
    let out = Solved {
        feasible: ev.feasible(),
        penalty: ev.penalty,
        duties: cells.len(),
        seconds: solution.seconds,
    };
    let details = json!({ "penalty": ev.penalty, "hard": ev.violations.len(),
        "duties": cells.len(), "seconds": (solution.seconds * 100.0).round() / 100.0 });
    finish(tx, actor, id, path, "roster.solve", details).await?;
    Ok(out)
}

/// What one hand edit does: the score before and after, and the broken rules and penalties
/// that concern the edited person or day after it.
#[derive(Debug, Clone, Serialize)]
pub struct CellCheck {
    pub hard_before: u32,
    pub hard_after: u32,
    pub penalty_before: i64,
    pub penalty_after: i64,
    pub reasons: Vec<Reason>,
}

/// Checks setting (person, day) to `shift` (None = off) on the roster as it stands, without
/// saving: the incremental checker prices the edit, and a full evaluation of the edited roster
/// gives the reasons that touch the person or the day.
pub fn check_cell(
    built: &Built,
    d: &Detail,
    person_id: i64,
    day: NaiveDate,
    shift: Option<i64>,
) -> Result<CellCheck> {
    let p = built
        .staff_of(person_id)
        .ok_or(Error::Invalid("err.ro_person"))?;
    let md = built
        .day_of(day)
        .ok_or(Error::Invalid("err.ro_day_outside"))?;
    let s = match shift {
        None => None,
        Some(id) => Some(built.shift_of(id).ok_or(Error::Invalid("err.ro_shift"))?),
    };
    let mut checker = Checker::new(&built.model, &built.roster_of(&d.cells));
    let before = checker.score();
    let after = checker.set(p, md, s);
    let ev = checker.evaluate();
    let reasons = build::reasons(built, d, &ev)
        .into_iter()
        .filter(|r| {
            r.person_id == Some(person_id)
                || (r.person_id.is_none()
                    && r.first_day.is_some_and(|f| f <= day)
                    && r.last_day.is_some_and(|l| l >= day))
        })
        .collect();
    Ok(CellCheck {
        hard_before: before.hard,
        hard_after: after.hard,
        penalty_before: before.soft,
        penalty_after: after.soft,
        reasons,
    })
}

/// Sets one cell of a draft roster by hand and returns its check. The edit is saved even when
/// it breaks a rule (the officer decides, and the page shows what broke), except a duty on
/// leave, which is refused.
pub async fn set_cell(
    db: &Db,
    scope: &Scope<RosterManage>,
    actor: &Actor,
    id: i64,
    person_id: i64,
    day: NaiveDate,
    shift: Option<i64>,
) -> Result<CellCheck> {
    let d = read::get(db, scope, id).await?;
    if d.roster.state != RosterState::Draft {
        return Err(Error::Invalid("err.ro_not_draft"));
    }
    if shift.is_some() && d.absent(person_id, day) {
        return Err(Error::Invalid("err.ro_on_leave"));
    }
    let built = model_of(db, &d)
        .await?
        .map_err(|_| Error::Invalid("err.ro_setup_broken"))?;
    let check = check_cell(&built, &d, person_id, day, shift)?;
    let holiday = shift.is_some_and(|s| {
        let i = built.days.iter().position(|x| *x == day);
        i.is_some_and(|i| built.holidays[i]) && d.shift(s).is_some_and(|s| s.burden)
    });
    let mut tx = db.begin_write().await?;
    let (path, _, _) = locate(&mut tx, scope, id, &[RosterState::Draft]).await?;
    write_cell(&mut tx, id, person_id, day, shift, holiday).await?;
    let details = json!({ "person": person_id, "day": day.to_string(), "shift": shift,
        "hard": check.hard_after, "penalty": check.penalty_after });
    finish(tx, actor, id, path, "roster.cell", details).await?;
    Ok(check)
}

pub(crate) async fn write_cell(
    tx: &mut WriteTx,
    id: i64,
    person_id: i64,
    day: NaiveDate,
    shift: Option<i64>,
    holiday: bool,
) -> Result<()> {
    sqlx::query("DELETE FROM roster_cells WHERE roster_id = $1 AND person_id = $2 AND day = $3")
        .bind(id)
        .bind(person_id)
        .bind(day.to_string())
        .execute(&mut **tx)
        .await?;
    if let Some(s) = shift {
        sqlx::query(
            "INSERT INTO roster_cells (roster_id, person_id, day, shift_id, holiday_night) \
             VALUES ($1,$2,$3,$4,$5)",
        )
        .bind(id)
        .bind(person_id)
        .bind(day.to_string())
        .bind(s)
        .bind(i64::from(holiday))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Publishes a draft roster: people then see their duties. Refused while a hard rule is
/// broken or no duty is assigned.
pub async fn publish(db: &Db, scope: &Scope<RosterManage>, actor: &Actor, id: i64) -> Result<()> {
    let d = read::get(db, scope, id).await?;
    if d.roster.state != RosterState::Draft {
        return Err(Error::Invalid("err.ro_not_draft"));
    }
    if d.cells.is_empty() {
        return Err(Error::Invalid("err.ro_publish_empty"));
    }
    let (_, ev, _) = evaluate(db, &d)
        .await?
        .map_err(|_| Error::Invalid("err.ro_setup_broken"))?;
    if !ev.feasible() {
        return Err(Error::Invalid("err.ro_publish_broken"));
    }
    let mut tx = db.begin_write().await?;
    let (path, _, _) = locate(&mut tx, scope, id, &[RosterState::Draft]).await?;
    sqlx::query("UPDATE rosters SET state = 'published', published_at = $1 WHERE id = $2")
        .bind(now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let details = json!({ "duties": d.cells.len(), "penalty": ev.penalty });
    finish(tx, actor, id, path, "roster.publish", details).await
}

/// Closes a published roster once its period is over; its holiday nights then count in the
/// fairness of later rosters (they already do once published and past).
pub async fn close(db: &Db, scope: &Scope<RosterManage>, actor: &Actor, id: i64) -> Result<()> {
    let mut tx = db.begin_write().await?;
    let (path, _, _) = locate(&mut tx, scope, id, &[RosterState::Published]).await?;
    sqlx::query("UPDATE rosters SET state = 'closed' WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    finish(tx, actor, id, path, "roster.close", json!({})).await
}
