-- Document registers (sổ đăng ký văn bản đi / đến) per organisation, NĐ 30/2020 Phụ lục VI
-- and HD 36-HD/VPTW. Numbers come from register_counters, one row per (organisation,
-- direction, numbering period, series), incremented inside the write transaction.
-- Days are ISO text; instants are milliseconds; flags are 0/1.

CREATE TABLE register_settings (
    org_id       INTEGER PRIMARY KEY REFERENCES units(id),
    place        TEXT NOT NULL,
    parent_name  TEXT,
    issuer_name  TEXT NOT NULL,
    updated_at   INTEGER NOT NULL
);

-- Party committee terms (nhiệm kỳ) of an organisation numbering in the Party format.
CREATE TABLE register_terms (
    id         INTEGER PRIMARY KEY,
    org_id     INTEGER NOT NULL REFERENCES units(id),
    starts_on  TEXT NOT NULL,
    ends_on    TEXT,
    source     TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX register_terms_org ON register_terms(org_id, starts_on);

CREATE TABLE register_counters (
    org_id       INTEGER NOT NULL REFERENCES units(id),
    direction    TEXT NOT NULL,
    period_start TEXT NOT NULL,
    series       TEXT NOT NULL,
    last_number  INTEGER NOT NULL,
    PRIMARY KEY (org_id, direction, period_start, series)
);

CREATE TABLE register_entries (
    id              INTEGER PRIMARY KEY,
    org_id          INTEGER NOT NULL REFERENCES units(id),
    unit_path       TEXT NOT NULL,
    direction       TEXT NOT NULL,
    doc_type        TEXT NOT NULL,
    number          INTEGER NOT NULL,
    ky_hieu         TEXT NOT NULL,
    period_start    TEXT NOT NULL,
    series          TEXT NOT NULL,
    manual          INTEGER NOT NULL DEFAULT 0,
    doc_date        TEXT NOT NULL,
    title           TEXT NOT NULL,
    title_folded    TEXT NOT NULL,
    content         TEXT,
    signer          TEXT,
    signer_position TEXT,
    recipients      TEXT,
    drafting_unit   TEXT,
    keeper          TEXT,
    secrecy         TEXT NOT NULL,
    secrecy_rank    INTEGER NOT NULL,
    urgency         TEXT NOT NULL,
    copies          INTEGER NOT NULL,
    status          TEXT NOT NULL,
    note            TEXT,
    sender          TEXT,
    sender_number   TEXT,
    sender_date     TEXT,
    received_on     TEXT,
    assignee_id     INTEGER REFERENCES accounts(id),
    due_on          TEXT,
    recalled_on     TEXT,
    recall_reason   TEXT,
    created_by      INTEGER,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX register_entries_list ON register_entries(org_id, direction, doc_date, id);
CREATE INDEX register_entries_type ON register_entries(org_id, direction, doc_type, doc_date, id);
CREATE INDEX register_entries_status ON register_entries(org_id, direction, status, doc_date, id);
CREATE INDEX register_entries_series ON register_entries(org_id, direction, period_start, series, number);

CREATE TABLE register_steps (
    id         INTEGER PRIMARY KEY,
    entry_id   INTEGER NOT NULL REFERENCES register_entries(id),
    on_day     TEXT NOT NULL,
    kind       TEXT NOT NULL,
    actor_id   INTEGER,
    actor_name TEXT NOT NULL,
    note       TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX register_steps_entry ON register_steps(entry_id, id);

CREATE TABLE secrecy_clearances (
    account_id INTEGER PRIMARY KEY REFERENCES accounts(id),
    level      TEXT NOT NULL,
    granted_by INTEGER,
    granted_at INTEGER NOT NULL
);
