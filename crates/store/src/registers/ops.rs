//! The register operations on entries: issue, register, recall, and the processing trail.

use super::write::{
    allocate, audit_title, check_time_order, check_title, checks, clean, cycle, format_of, ky_hieu,
    organisation, raise_counter, repeats, series_code, year_key,
};
use super::{Direction, Level, Saved, Status, Urgency, Viewer, parse_type};
use super::{IncomingInput, OutgoingInput};
use crate::audit::{self, Actor, Event};
use crate::scope::PartnerManage;
use crate::units::Unit;
use crate::{Db, Error, Result, Scope, WriteTx, now_ms};
use chrono::NaiveDate;
use domain::text::search_text;
use serde_json::json;
use sqlx::Row;
use vanban::{CounterKey, DocumentType};

/// Everything stored for a new entry.
struct NewRow<'a> {
    org: &'a Unit,
    direction: Direction,
    doc_type: DocumentType,
    number: i64,
    ky_hieu: &'a str,
    key: Option<&'a CounterKey>,
    manual: bool,
    doc_date: NaiveDate,
    title: &'a str,
    content: Option<String>,
    signer: Option<String>,
    signer_position: Option<String>,
    recipients: Option<String>,
    drafting_unit: Option<String>,
    keeper: Option<String>,
    secrecy: Level,
    urgency: Urgency,
    copies: i64,
    status: Status,
    note: Option<String>,
    sender: Option<String>,
    sender_date: Option<NaiveDate>,
    due_on: Option<NaiveDate>,
}

async fn insert(tx: &mut WriteTx, actor: &Actor, r: &NewRow<'_>) -> Result<i64> {
    let now = now_ms();
    let row = sqlx::query(
        "INSERT INTO register_entries (org_id, unit_path, direction, doc_type, number, ky_hieu, \
         period_start, series, manual, doc_date, title, title_folded, content, signer, signer_position, \
         recipients, drafting_unit, keeper, secrecy, secrecy_rank, urgency, copies, status, note, sender, \
         sender_number, sender_date, received_on, due_on, created_by, created_at, updated_at) VALUES \
         ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25,\
         $26,$27,$28,$29,$30,$31,$31) RETURNING id",
    )
    .bind(r.org.id)
    .bind(&r.org.path)
    .bind(r.direction.code())
    .bind(r.doc_type.code())
    .bind(r.number)
    .bind(r.ky_hieu)
    .bind(r.key.map(|k| k.period_start.to_string()).unwrap_or_default())
    .bind(r.key.map(|k| series_code(k.series)).unwrap_or_default())
    .bind(i64::from(r.manual))
    .bind(r.doc_date.to_string())
    .bind(r.title.trim())
    .bind(search_text([r.title]))
    .bind(&r.content)
    .bind(&r.signer)
    .bind(&r.signer_position)
    .bind(&r.recipients)
    .bind(&r.drafting_unit)
    .bind(&r.keeper)
    .bind(r.secrecy.code())
    .bind(r.secrecy.rank())
    .bind(r.urgency.code())
    .bind(r.copies)
    .bind(r.status.code())
    .bind(&r.note)
    .bind(&r.sender)
    .bind((r.direction == Direction::Incoming).then(|| r.ky_hieu.to_owned()))
    .bind(r.sender_date.map(|d| d.to_string()))
    .bind((r.direction == Direction::Incoming).then(|| r.doc_date.to_string()))
    .bind(r.due_on.map(|d| d.to_string()))
    .bind(actor.account_id)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    let id: i64 = row.try_get("id")?;
    let ev = Event {
        action: if r.direction == Direction::Outgoing {
            "register.issue"
        } else {
            "register.receive"
        },
        object_kind: "register_entry",
        object_id: id.to_string(),
        unit_path: Some(r.org.path.clone()),
        details: json!({
            "direction": r.direction.code(), "type": r.doc_type.code(), "number": r.number,
            "ky_hieu": r.ky_hieu, "date": r.doc_date.to_string(), "manual": r.manual,
            "secrecy": r.secrecy.code(), "status": r.status.code(), "title": audit_title(r.secrecy, r.title),
        }),
    };
    audit::append(tx, actor, ev).await?;
    Ok(id)
}

fn copies(n: i64) -> Result<i64> {
    if (1..=999).contains(&n) {
        Ok(n)
    } else {
        Err(Error::Invalid("err.reg_copies"))
    }
}

fn lines(items: &[String]) -> Option<String> {
    let v: Vec<&str> = items
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    (!v.is_empty()).then(|| v.join("\n"))
}

/// Issues (or keeps as a draft) an outgoing document; the number is drawn on save.
pub async fn create_outgoing(
    db: &Db,
    scope: &Scope<PartnerManage>,
    actor: &Actor,
    input: &OutgoingInput,
) -> Result<Saved> {
    let mut tx = db.begin_write().await?;
    let org = organisation(&mut tx, scope, input.org_id).await?;
    let saved = issue_in_tx(&mut tx, &org, actor, input).await?;
    tx.commit().await?;
    Ok(saved)
}

/// Issues (or keeps as a draft) an outgoing document of `org` inside the caller's write
/// transaction: for records that become official documents as part of another change (a
/// protection plan approved by a leader takes its number here, in the same transaction). The
/// caller has already checked that `org` is within its reach; the input is checked here.
pub(crate) async fn issue_in_tx(
    tx: &mut WriteTx,
    org: &Unit,
    actor: &Actor,
    input: &OutgoingInput,
) -> Result<Saved> {
    let doc_type = parse_type(&input.doc_type)?;
    let date = input.doc_date.ok_or(Error::Invalid("err.reg_date"))?;
    check_title(&input.title)?;
    checks(&input.content)?;
    let copies = copies(input.copies)?;
    if input.signer.trim().is_empty() {
        return Err(Error::Invalid("err.reg_signer"));
    }
    if input
        .recipients
        .iter()
        .map(|r| r.chars().count())
        .sum::<usize>()
        > 1000
    {
        return Err(Error::Invalid("err.reg_too_large"));
    }
    let abbr = org
        .abbreviation
        .clone()
        .ok_or(Error::Invalid("err.reg_abbreviation"))?;
    let format = format_of(org);
    let key = cycle(tx, org, format)
        .await?
        .counter_for(date, doc_type)
        .map_err(|_| Error::Invalid("err.reg_outside_term"))?;
    let unit = clean(&input.drafting_unit);
    // Fails early for a type the format lacks or a công văn without its drafting unit.
    ky_hieu(format, 1, doc_type, &abbr, unit.as_deref(), date)?;
    let mut warnings = Vec::new();
    let (number, manual) = if input.draft {
        (0, false)
    } else if let Some(n) = input.manual_number {
        if !(1..=99_999).contains(&n) {
            return Err(Error::Invalid("err.reg_number"));
        }
        let (any, same) = repeats(tx, org.id, &key, n, doc_type).await?;
        if same && !input.confirm_duplicate {
            return Err(Error::Invalid("err.reg_number_used"));
        }
        if any {
            warnings.push("warn.reg_number_repeated");
        }
        raise_counter(tx, org.id, Direction::Outgoing, &key, n).await?;
        (n, true)
    } else {
        check_time_order(tx, org.id, Direction::Outgoing, &key, date).await?;
        (
            allocate(tx, org.id, Direction::Outgoing, &key).await?,
            false,
        )
    };
    let kh = if number > 0 {
        ky_hieu(format, number, doc_type, &abbr, unit.as_deref(), date)?
    } else {
        String::new()
    };
    let row = NewRow {
        org,
        direction: Direction::Outgoing,
        doc_type,
        number,
        ky_hieu: &kh,
        key: Some(&key),
        manual,
        doc_date: date,
        title: &input.title,
        content: clean(&input.content),
        signer: Some(input.signer.trim().to_owned()),
        signer_position: clean(&input.signer_position),
        recipients: lines(&input.recipients),
        drafting_unit: unit,
        keeper: clean(&input.keeper),
        secrecy: input.secrecy.unwrap_or(Level::None),
        urgency: input.urgency.unwrap_or(Urgency::None),
        copies,
        status: if input.draft {
            Status::Draft
        } else {
            Status::Issued
        },
        note: clean(&input.note),
        sender: None,
        sender_date: None,
        due_on: None,
    };
    let id = insert(tx, actor, &row).await?;
    Ok(Saved {
        id,
        number,
        ky_hieu: kh,
        warnings,
    })
}

/// Registers an incoming document; its arrival number (số đến) is drawn per calendar year.
pub async fn register_incoming(
    db: &Db,
    scope: &Scope<PartnerManage>,
    actor: &Actor,
    input: &IncomingInput,
) -> Result<Saved> {
    let doc_type = parse_type(&input.doc_type)?;
    let received = input.received_on.ok_or(Error::Invalid("err.reg_date"))?;
    check_title(&input.title)?;
    let copies = copies(input.copies)?;
    let sender = input.sender.trim();
    let number_text = input.sender_number.trim();
    if sender.is_empty()
        || number_text.is_empty()
        || sender.chars().count() > 200
        || number_text.chars().count() > 30
    {
        return Err(Error::Invalid("err.reg_sender"));
    }
    if input.due_on.is_some_and(|d| d < received) {
        return Err(Error::Invalid("err.reg_due"));
    }
    let mut tx = db.begin_write().await?;
    let org = organisation(&mut tx, scope, input.org_id).await?;
    let dup = sqlx::query(
        "SELECT id FROM register_entries WHERE org_id = $1 AND direction = 'incoming' AND ky_hieu = $2 AND sender = $3",
    )
    .bind(org.id)
    .bind(number_text)
    .bind(sender)
    .fetch_optional(&mut *tx)
    .await?;
    if dup.is_some() && !input.confirm_duplicate {
        return Err(Error::Invalid("err.reg_incoming_duplicate"));
    }
    let key = year_key(received);
    check_time_order(&mut tx, org.id, Direction::Incoming, &key, received).await?;
    let number = allocate(&mut tx, org.id, Direction::Incoming, &key).await?;
    let row = NewRow {
        org: &org,
        direction: Direction::Incoming,
        doc_type,
        number,
        ky_hieu: number_text,
        key: Some(&key),
        manual: false,
        doc_date: received,
        title: &input.title,
        content: None,
        signer: clean(&input.signer),
        signer_position: None,
        recipients: None,
        drafting_unit: None,
        keeper: None,
        secrecy: input.secrecy.unwrap_or(Level::None),
        urgency: input.urgency.unwrap_or(Urgency::None),
        copies,
        status: Status::Received,
        note: clean(&input.note),
        sender: Some(sender.to_owned()),
        sender_date: input.sender_date,
        due_on: input.due_on,
    };
    let id = insert(&mut tx, actor, &row).await?;
    step(&mut tx, actor, id, received, "receive", None).await?;
    tx.commit().await?;
    let warnings = if dup.is_some() {
        vec!["warn.reg_incoming_repeated"]
    } else {
        Vec::new()
    };
    Ok(Saved {
        id,
        number,
        ky_hieu: number_text.to_owned(),
        warnings,
    })
}

/// An existing entry that the caller may change: in the scope, readable at the caller's
/// clearance, and not frozen by a recall.
pub(super) struct Managed {
    pub(super) path: String,
    pub(super) direction: Direction,
    pub(super) status: Status,
    pub(super) secrecy: Level,
}

pub(super) async fn managed(
    tx: &mut WriteTx,
    scope: &Scope<PartnerManage>,
    viewer: &Viewer,
    id: i64,
) -> Result<Managed> {
    let r = sqlx::query(
        "SELECT unit_path, direction, status, secrecy FROM register_entries WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(Error::NotFound)?;
    let m = Managed {
        path: r.try_get("unit_path")?,
        direction: Direction::parse(&r.try_get::<String, _>("direction")?)?,
        status: Status::parse(&r.try_get::<String, _>("status")?)?,
        secrecy: Level::parse(&r.try_get::<String, _>("secrecy")?)?,
    };
    if !scope.contains_path(&m.path) || !viewer.may_read(m.secrecy) {
        return Err(Error::NotFound);
    }
    if m.status == Status::Recalled {
        return Err(Error::Invalid("err.reg_frozen"));
    }
    Ok(m)
}

pub(super) async fn step(
    tx: &mut WriteTx,
    actor: &Actor,
    id: i64,
    day: NaiveDate,
    kind: &str,
    note: Option<String>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO register_steps (entry_id, on_day, kind, actor_id, actor_name, note, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(day.to_string())
    .bind(kind)
    .bind(actor.account_id)
    .bind(&actor.name)
    .bind(note)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub(super) async fn audit_change(
    tx: &mut WriteTx,
    actor: &Actor,
    m: &Managed,
    id: i64,
    action: &str,
    details: serde_json::Value,
) -> Result<()> {
    let ev = Event {
        action,
        object_kind: "register_entry",
        object_id: id.to_string(),
        unit_path: Some(m.path.clone()),
        details,
    };
    audit::append(tx, actor, ev).await?;
    Ok(())
}

/// Changes the text of an outgoing document that is not recalled.
#[expect(clippy::too_many_arguments, reason = "the editable fields of an entry")]
pub async fn update_outgoing(
    db: &Db,
    scope: &Scope<PartnerManage>,
    viewer: &Viewer,
    actor: &Actor,
    id: i64,
    title: &str,
    content: Option<String>,
    recipients: &[String],
) -> Result<()> {
    check_title(title)?;
    checks(&content)?;
    let mut tx = db.begin_write().await?;
    let m = managed(&mut tx, scope, viewer, id).await?;
    if m.direction != Direction::Outgoing {
        return Err(Error::Invalid("err.reg_direction"));
    }
    sqlx::query("UPDATE register_entries SET title = $1, title_folded = $2, content = $3, recipients = $4, updated_at = $5 WHERE id = $6")
        .bind(title.trim())
        .bind(search_text([title]))
        .bind(clean(&content))
        .bind(lines(recipients))
        .bind(now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit_change(
        &mut tx,
        actor,
        &m,
        id,
        "register.update",
        json!({ "title": audit_title(m.secrecy, title) }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Gives a draft its number; the draft's date must follow the last numbered document.
pub async fn issue_draft(
    db: &Db,
    scope: &Scope<PartnerManage>,
    viewer: &Viewer,
    actor: &Actor,
    id: i64,
) -> Result<Saved> {
    let mut tx = db.begin_write().await?;
    let m = managed(&mut tx, scope, viewer, id).await?;
    if m.status != Status::Draft {
        return Err(Error::Invalid("err.reg_status"));
    }
    let r = sqlx::query(
        "SELECT org_id, doc_type, doc_date, drafting_unit FROM register_entries WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    let org = organisation(&mut tx, scope, r.try_get("org_id")?).await?;
    let doc_type = parse_type(&r.try_get::<String, _>("doc_type")?)?;
    let date: NaiveDate = r
        .try_get::<String, _>("doc_date")?
        .parse()
        .map_err(|_| Error::Invalid("err.reg_date"))?;
    let unit: Option<String> = r.try_get("drafting_unit")?;
    let abbr = org
        .abbreviation
        .clone()
        .ok_or(Error::Invalid("err.reg_abbreviation"))?;
    let format = format_of(&org);
    let key = cycle(&mut tx, &org, format)
        .await?
        .counter_for(date, doc_type)
        .map_err(|_| Error::Invalid("err.reg_outside_term"))?;
    check_time_order(&mut tx, org.id, Direction::Outgoing, &key, date).await?;
    let number = allocate(&mut tx, org.id, Direction::Outgoing, &key).await?;
    let kh = ky_hieu(format, number, doc_type, &abbr, unit.as_deref(), date)?;
    sqlx::query("UPDATE register_entries SET number = $1, ky_hieu = $2, status = 'issued', updated_at = $3 WHERE id = $4")
        .bind(number)
        .bind(&kh)
        .bind(now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit_change(
        &mut tx,
        actor,
        &m,
        id,
        "register.issue_draft",
        json!({ "number": number, "ky_hieu": kh }),
    )
    .await?;
    tx.commit().await?;
    Ok(Saved {
        id,
        number,
        ky_hieu: kh,
        warnings: Vec::new(),
    })
}

/// Recalls an issued outgoing document; it is frozen from then on.
pub async fn recall(
    db: &Db,
    scope: &Scope<PartnerManage>,
    viewer: &Viewer,
    actor: &Actor,
    id: i64,
    on: NaiveDate,
    reason: &str,
) -> Result<()> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(Error::Invalid("err.reg_recall_reason"));
    }
    let mut tx = db.begin_write().await?;
    let m = managed(&mut tx, scope, viewer, id).await?;
    if m.direction != Direction::Outgoing || m.status != Status::Issued {
        return Err(Error::Invalid("err.reg_status"));
    }
    sqlx::query("UPDATE register_entries SET status = 'recalled', recalled_on = $1, recall_reason = $2, updated_at = $3 WHERE id = $4")
        .bind(on.to_string())
        .bind(reason)
        .bind(now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    step(&mut tx, actor, id, on, "recall", Some(reason.to_owned())).await?;
    audit_change(
        &mut tx,
        actor,
        &m,
        id,
        "register.recall",
        json!({ "on": on.to_string(), "reason": reason }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
