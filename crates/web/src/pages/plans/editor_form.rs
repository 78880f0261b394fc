//! The editor's form as typed (strings, so refused input is shown back exactly): built from a
//! stored plan, read from the posted pairs (rows removed by their ticked box), and turned into
//! the header and content the store checks and saves.

use domain::plans::{ForceKind, Situation};
use std::collections::HashMap;
use store::plans::{Contact, Content, Force, PlanHeader, Step, Task};
use store::registers::Level;

#[derive(Debug, Clone, Default)]
pub(crate) struct ForceRow {
    pub(super) kind: String,
    pub(super) person: String,
    pub(super) partner: String,
    pub(super) name: String,
    pub(super) duty: String,
    pub(super) phone: String,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct TaskRow {
    pub(super) partner: String,
    pub(super) task: String,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct ContactRow {
    pub(super) name: String,
    pub(super) role: String,
    pub(super) phone: String,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct StepRow {
    pub(super) situation: String,
    pub(super) order: String,
    pub(super) action: String,
    pub(super) actor: String,
    pub(super) calls: String,
}

/// The form as typed: strings, so that refused input is shown back exactly.
#[derive(Debug, Clone, Default)]
pub(crate) struct EditForm {
    pub(super) title: String,
    pub(super) doc_type: String,
    pub(super) starts_on: String,
    pub(super) ends_on: String,
    pub(super) secrecy: String,
    pub(super) objectives: String,
    pub(super) forces: Vec<ForceRow>,
    pub(super) tasks: Vec<TaskRow>,
    pub(super) contacts: Vec<ContactRow>,
    pub(super) steps: Vec<StepRow>,
}

fn id_text(v: Option<i64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

impl EditForm {
    pub(super) fn of(plan: &store::plans::Plan, c: &Content) -> EditForm {
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
    pub(super) fn parse(raw: &[(String, String)]) -> (EditForm, String) {
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
    pub(super) fn to_input(&self) -> Result<(PlanHeader, Content), &'static str> {
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
