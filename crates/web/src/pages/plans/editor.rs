//! The plan editor. One form holds the header and every repeated row (forces, partner tasks,
//! contacts, playbook steps). Without JavaScript it works by submit buttons: "add a row"
//! re-renders the form with the values typed so far and one blank row, ticking "remove" drops
//! a row at the next submit, and "save" checks everything and stores it in one transaction.
//! Refused input comes back with the message and every value kept (422), nothing saved.

use super::viewer;
use crate::AppState;
use crate::auth::Authz;
use crate::auth::csrf::CsrfForm;
use crate::error::{AppError, AppResult};
use crate::view::{Page, html};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::plans::{ForceKind, Situation};
use std::collections::HashMap;
use store::plans::{self, Contact, Content, Force, PlanHeader, Step, Task};
use store::registers::Level;
use store::scope::{PlanManage, PlanView};

#[derive(Debug, Clone, Default)]
pub(super) struct ForceRow {
    kind: String,
    person: String,
    partner: String,
    name: String,
    duty: String,
    phone: String,
}

#[derive(Debug, Clone, Default)]
pub(super) struct TaskRow {
    partner: String,
    task: String,
}

#[derive(Debug, Clone, Default)]
pub(super) struct ContactRow {
    name: String,
    role: String,
    phone: String,
}

#[derive(Debug, Clone, Default)]
pub(super) struct StepRow {
    situation: String,
    order: String,
    action: String,
    actor: String,
    calls: String,
}

/// The form as typed: strings, so that refused input is shown back exactly.
#[derive(Debug, Clone, Default)]
pub(super) struct EditForm {
    title: String,
    doc_type: String,
    starts_on: String,
    ends_on: String,
    secrecy: String,
    objectives: String,
    forces: Vec<ForceRow>,
    tasks: Vec<TaskRow>,
    contacts: Vec<ContactRow>,
    steps: Vec<StepRow>,
}

fn id_text(v: Option<i64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

impl EditForm {
    fn of(plan: &store::plans::Plan, c: &Content) -> EditForm {
        let mut order: HashMap<Situation, usize> = HashMap::new();
        EditForm {
            title: plan.title_text().to_owned(),
            doc_type: plan.doc_type.code().to_owned(),
            starts_on: plan.starts_on.to_string(),
            ends_on: plan.ends_on.to_string(),
            secrecy: plan.secrecy.code().to_owned(),
            objectives: c.objectives.clone(),
            forces: c
                .forces
                .iter()
                .map(|f| ForceRow {
                    kind: f.kind.code().to_owned(),
                    person: id_text(f.person_id),
                    partner: id_text(f.partner_id),
                    name: if f.person_id.is_some() || f.partner_id.is_some() {
                        String::new()
                    } else {
                        f.name.clone()
                    },
                    duty: f.duty.clone(),
                    phone: f.phone.clone().unwrap_or_default(),
                })
                .collect(),
            tasks: c
                .tasks
                .iter()
                .map(|t| TaskRow {
                    partner: t.partner_id.to_string(),
                    task: t.task.clone(),
                })
                .collect(),
            contacts: c
                .contacts
                .iter()
                .map(|k| ContactRow {
                    name: k.name.clone(),
                    role: k.role.clone(),
                    phone: k.phone.clone(),
                })
                .collect(),
            steps: c
                .steps
                .iter()
                .map(|s| {
                    let n = order.entry(s.situation).or_insert(0);
                    *n += 1;
                    StepRow {
                        situation: s.situation.code().to_owned(),
                        order: n.to_string(),
                        action: s.action.clone(),
                        actor: s.actor.clone(),
                        calls: s.calls.clone(),
                    }
                })
                .collect(),
        }
    }

    /// Reads the posted pairs; returns the form, the button pressed, with removed rows dropped.
    fn parse(raw: &[(String, String)]) -> (EditForm, String) {
        let mut one: HashMap<&str, &str> = HashMap::new();
        let mut many: HashMap<&str, Vec<&str>> = HashMap::new();
        for (k, v) in raw {
            one.entry(k.as_str()).or_insert(v.as_str());
            many.entry(k.as_str()).or_default().push(v.as_str());
        }
        let get = |k: &str| one.get(k).map(|v| v.to_string()).unwrap_or_default();
        let col = |k: &str, i: usize| {
            many.get(k)
                .and_then(|v| v.get(i))
                .map(|v| v.to_string())
                .unwrap_or_default()
        };
        let rows = |k: &str| many.get(k).map_or(0, Vec::len);
        let removed = |k: &str| -> Vec<usize> {
            many.get(k)
                .map(|v| v.iter().filter_map(|x| x.parse().ok()).collect())
                .unwrap_or_default()
        };
        let keep = |k: &str, i: usize| !removed(k).contains(&i);
        let f = EditForm {
            title: get("title"),
            doc_type: get("doc_type"),
            starts_on: get("starts_on"),
            ends_on: get("ends_on"),
            secrecy: get("secrecy"),
            objectives: get("objectives"),
            forces: (0..rows("f_kind"))
                .filter(|i| keep("f_del", *i))
                .map(|i| ForceRow {
                    kind: col("f_kind", i),
                    person: col("f_person", i),
                    partner: col("f_partner", i),
                    name: col("f_name", i),
                    duty: col("f_duty", i),
                    phone: col("f_phone", i),
                })
                .collect(),
            tasks: (0..rows("t_partner"))
                .filter(|i| keep("t_del", *i))
                .map(|i| TaskRow {
                    partner: col("t_partner", i),
                    task: col("t_task", i),
                })
                .collect(),
            contacts: (0..rows("c_name"))
                .filter(|i| keep("c_del", *i))
                .map(|i| ContactRow {
                    name: col("c_name", i),
                    role: col("c_role", i),
                    phone: col("c_phone", i),
                })
                .collect(),
            steps: (0..rows("s_situation"))
                .filter(|i| keep("s_del", *i))
                .map(|i| StepRow {
                    situation: col("s_situation", i),
                    order: col("s_order", i),
                    action: col("s_action", i),
                    actor: col("s_actor", i),
                    calls: col("s_calls", i),
                })
                .collect(),
        };
        (f, get("op"))
    }

    /// The header and content to store, or the key of the first refusal. Rows left entirely
    /// blank (added but never filled) are dropped rather than refused.
    fn to_input(&self) -> Result<(PlanHeader, Content), &'static str> {
        let date = |s: &str| -> Result<Option<chrono::NaiveDate>, &'static str> {
            if s.trim().is_empty() {
                Ok(None)
            } else {
                domain::values::parse_date(s)
                    .map(Some)
                    .map_err(|_| "err.plan_date")
            }
        };
        let id = |s: &str, key: &'static str| -> Result<Option<i64>, &'static str> {
            if s.trim().is_empty() {
                Ok(None)
            } else {
                s.trim().parse().map(Some).map_err(|_| key)
            }
        };
        let header = PlanHeader {
            title: self.title.clone(),
            doc_type: self.doc_type.clone(),
            starts_on: date(&self.starts_on)?,
            ends_on: date(&self.ends_on)?,
            secrecy: Level::parse(&self.secrecy).map_err(|_| "err.reg_secrecy")?,
        };
        let mut c = Content {
            objectives: self.objectives.clone(),
            ..Content::default()
        };
        for r in &self.forces {
            let person = id(&r.person, "err.plan_person")?;
            let partner = id(&r.partner, "err.plan_partner")?;
            if person.is_none()
                && partner.is_none()
                && [&r.name, &r.duty, &r.phone]
                    .iter()
                    .all(|s| s.trim().is_empty())
            {
                continue;
            }
            c.forces.push(Force {
                kind: ForceKind::parse(&r.kind).ok_or("err.plan_force_kind")?,
                person_id: person,
                partner_id: partner,
                name: r.name.clone(),
                duty: r.duty.clone(),
                phone: Some(r.phone.trim().to_owned()).filter(|p| !p.is_empty()),
            });
        }
        for r in &self.tasks {
            if r.partner.trim().is_empty() && r.task.trim().is_empty() {
                continue;
            }
            c.tasks.push(Task {
                partner_id: id(&r.partner, "err.plan_partner")?.ok_or("err.plan_partner")?,
                partner_name: String::new(),
                task: r.task.clone(),
            });
        }
        for r in &self.contacts {
            if [&r.name, &r.role, &r.phone]
                .iter()
                .all(|s| s.trim().is_empty())
            {
                continue;
            }
            c.contacts.push(Contact {
                name: r.name.clone(),
                role: r.role.clone(),
                phone: r.phone.clone(),
            });
        }
        let mut steps = Vec::new();
        for (i, r) in self.steps.iter().enumerate() {
            if [&r.action, &r.actor, &r.calls]
                .iter()
                .all(|s| s.trim().is_empty())
            {
                continue;
            }
            let situation = Situation::parse(&r.situation).ok_or("err.plan_situation")?;
            let order: usize = if r.order.trim().is_empty() {
                usize::MAX
            } else {
                r.order.trim().parse().map_err(|_| "err.plan_step_order")?
            };
            steps.push((
                situation,
                order,
                i,
                Step {
                    situation,
                    action: r.action.clone(),
                    actor: r.actor.clone(),
                    calls: r.calls.clone(),
                },
            ));
        }
        // Steps run in the order given within their situation; ties keep the list order.
        steps.sort_by_key(|(s, o, i, _)| (*s, *o, *i));
        c.steps = steps.into_iter().map(|x| x.3).collect();
        Ok((header, c))
    }
}

#[derive(Template)]
#[template(path = "plans/edit.html")]
struct EditPage {
    page: Page,
    plan: store::plans::Plan,
    form: EditForm,
    people: Vec<(i64, String, String)>,
    partners: Vec<(i64, String)>,
    error: Option<&'static str>,
    notice: Option<&'static str>,
}

impl EditPage {
    fn kinds(&self) -> [ForceKind; 5] {
        ForceKind::ALL
    }
    fn situations(&self) -> [Situation; 4] {
        Situation::ALL
    }
    fn levels(&self) -> &'static [Level] {
        Level::ALL
    }
    fn sel(&self, a: &str, b: &str) -> bool {
        a == b
    }
    fn id_is(&self, a: &str, b: &i64) -> bool {
        a.trim() == b.to_string()
    }
}

async fn render(
    st: &AppState,
    a: &Authz<PlanManage>,
    plan: store::plans::Plan,
    form: EditForm,
    error: Option<&'static str>,
    notice: Option<&'static str>,
    status: StatusCode,
) -> AppResult<Response> {
    let org = store::units::by_id(&st.db, plan.org_id).await?;
    let people = plans::templates::people_of(&st.db, &org).await?;
    let partners = plans::templates::partners_of(&st.db, &org)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let title = format!("{} — {}", a.t().s("plan.edit"), plan.title_text());
    let page = EditPage {
        page: Page::new(&a.user, title, "plans"),
        plan,
        form,
        people,
        partners,
        error,
        notice,
    };
    Ok((status, html(&page)?).into_response())
}

/// The plan, if the person may edit it now.
async fn editable(st: &AppState, a: &Authz<PlanManage>, id: i64) -> AppResult<store::plans::Plan> {
    let view = a
        .scope
        .narrow::<PlanView>(&a.user.id.grants)
        .ok_or(AppError::NotFound)?;
    let v = viewer(st, &a.user).await?;
    let plan = plans::get(&st.db, &view, &v, id).await?;
    if plan.redacted || !a.scope.contains_path(&plan.unit_path) {
        return Err(AppError::NotFound);
    }
    if !plan.state.editable() {
        return Err(AppError::Invalid("err.plan_not_draft"));
    }
    Ok(plan)
}

#[derive(serde::Deserialize, Default)]
pub(super) struct EditQuery {
    notice: Option<String>,
}

/// `GET /plans/{id}/edit`.
pub(super) async fn edit(
    State(st): State<AppState>,
    a: Authz<PlanManage>,
    Path(id): Path<i64>,
    Query(q): Query<EditQuery>,
) -> AppResult<Response> {
    let plan = editable(&st, &a, id).await?;
    let content = plans::load_content(&st.db, &plan).await?;
    let form = EditForm::of(&plan, &content);
    let notice = (q.notice.as_deref() == Some("plan.created")).then_some("plan.created");
    render(&st, &a, plan, form, None, notice, StatusCode::OK).await
}

/// `POST /plans/{id}/edit`: add a row, or save.
pub(super) async fn save(
    State(st): State<AppState>,
    a: Authz<PlanManage>,
    Path(id): Path<i64>,
    CsrfForm(raw): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let plan = editable(&st, &a, id).await?;
    let (mut form, op) = EditForm::parse(&raw);
    match op.as_str() {
        "add_force" => form.forces.push(ForceRow {
            kind: ForceKind::SelfDefence.code().into(),
            ..ForceRow::default()
        }),
        "add_task" => form.tasks.push(TaskRow::default()),
        "add_contact" => form.contacts.push(ContactRow::default()),
        "add_step" => {
            let last = form
                .steps
                .last()
                .map(|s| s.situation.clone())
                .unwrap_or_else(|| Situation::Crowd.code().into());
            form.steps.push(StepRow {
                situation: last,
                ..StepRow::default()
            });
        }
        _ => {
            let v = viewer(&st, &a.user).await?;
            let saved = match form.to_input() {
                Ok((h, c)) => plans::update(&st.db, &a.scope, &v, &a.actor(), id, &h, &c)
                    .await
                    .map_err(AppError::from),
                Err(k) => Err(AppError::Invalid(k)),
            };
            return match saved {
                Ok(()) => {
                    Ok(Redirect::to(&format!("/plans/{id}?notice=plan.saved")).into_response())
                }
                Err(AppError::Invalid(k)) => {
                    render(
                        &st,
                        &a,
                        plan,
                        form,
                        Some(k),
                        None,
                        StatusCode::UNPROCESSABLE_ENTITY,
                    )
                    .await
                }
                Err(e) => Err(e),
            };
        }
    }
    render(&st, &a, plan, form, None, None, StatusCode::OK).await
}
