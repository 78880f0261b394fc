-- Protection plans (kế hoạch / phương án bảo vệ) for peak periods and organisation events,
-- their content in rows (forces, partner tasks, contacts, situation playbooks), the state
-- history, partner accounts, and each organisation's preparation lead times per peak.
-- Days are ISO text; instants are milliseconds; flags are 0/1.

CREATE TABLE plans (
    id                INTEGER PRIMARY KEY,
    org_id            INTEGER NOT NULL REFERENCES units(id),
    unit_path         TEXT NOT NULL,
    year              INTEGER NOT NULL,
    -- A lich peak id (tet, le_30_4_1_5 …) or NULL for a plan made for an organisation event.
    peak_id           TEXT,
    event_id          INTEGER REFERENCES org_events(id),
    -- The template kind the content came from: a peak id, or event.
    kind              TEXT NOT NULL,
    title             TEXT NOT NULL,
    doc_type          TEXT NOT NULL,
    starts_on         TEXT NOT NULL,
    ends_on           TEXT NOT NULL,
    objectives        TEXT NOT NULL,
    secrecy           TEXT NOT NULL,
    secrecy_rank      INTEGER NOT NULL,
    state             TEXT NOT NULL,
    copied_from       INTEGER REFERENCES plans(id),
    register_entry_id INTEGER REFERENCES register_entries(id),
    after_action      TEXT,
    approved_by       INTEGER REFERENCES accounts(id),
    approved_name     TEXT,
    approved_at       INTEGER,
    created_by        INTEGER,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);
CREATE INDEX plans_org_start ON plans(org_id, starts_on, id);
CREATE INDEX plans_path_start ON plans(unit_path, starts_on, id);
CREATE INDEX plans_peak ON plans(org_id, peak_id, year);
CREATE INDEX plans_event ON plans(event_id);

CREATE TABLE plan_forces (
    id         INTEGER PRIMARY KEY,
    plan_id    INTEGER NOT NULL REFERENCES plans(id),
    position   INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    person_id  INTEGER REFERENCES people(id),
    partner_id INTEGER REFERENCES partners(id),
    name       TEXT NOT NULL,
    duty       TEXT NOT NULL,
    phone      TEXT
);
CREATE INDEX plan_forces_plan ON plan_forces(plan_id, position);
CREATE INDEX plan_forces_partner ON plan_forces(partner_id, plan_id);

CREATE TABLE plan_tasks (
    id         INTEGER PRIMARY KEY,
    plan_id    INTEGER NOT NULL REFERENCES plans(id),
    position   INTEGER NOT NULL,
    partner_id INTEGER NOT NULL REFERENCES partners(id),
    task       TEXT NOT NULL
);
CREATE INDEX plan_tasks_plan ON plan_tasks(plan_id, position);
CREATE INDEX plan_tasks_partner ON plan_tasks(partner_id, plan_id);

CREATE TABLE plan_contacts (
    id         INTEGER PRIMARY KEY,
    plan_id    INTEGER NOT NULL REFERENCES plans(id),
    position   INTEGER NOT NULL,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL,
    phone      TEXT NOT NULL
);
CREATE INDEX plan_contacts_plan ON plan_contacts(plan_id, position);

CREATE TABLE plan_steps (
    id         INTEGER PRIMARY KEY,
    plan_id    INTEGER NOT NULL REFERENCES plans(id),
    situation  TEXT NOT NULL,
    position   INTEGER NOT NULL,
    action     TEXT NOT NULL,
    actor      TEXT NOT NULL,
    calls      TEXT NOT NULL
);
CREATE INDEX plan_steps_plan ON plan_steps(plan_id, situation, position);

CREATE TABLE plan_history (
    id         INTEGER PRIMARY KEY,
    plan_id    INTEGER NOT NULL REFERENCES plans(id),
    from_state TEXT,
    to_state   TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    note       TEXT,
    at         INTEGER NOT NULL
);
CREATE INDEX plan_history_plan ON plan_history(plan_id, id);

-- An account that acts for a partner body; it sees the plans and tasks naming that partner.
CREATE TABLE partner_accounts (
    account_id INTEGER PRIMARY KEY REFERENCES accounts(id),
    partner_id INTEGER NOT NULL REFERENCES partners(id),
    granted_by INTEGER,
    granted_at INTEGER NOT NULL
);
CREATE INDEX partner_accounts_partner ON partner_accounts(partner_id);

-- Preparation lead time of a peak for one organisation, with what it rests on; without a row
-- the calendar's default (lich data) applies.
CREATE TABLE peak_lead_times (
    org_id     INTEGER NOT NULL REFERENCES units(id),
    peak_id    TEXT NOT NULL,
    lead_days  INTEGER NOT NULL,
    basis      TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (org_id, peak_id)
);
