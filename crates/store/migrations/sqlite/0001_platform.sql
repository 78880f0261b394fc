-- Platform: units, partners, people and their history, accounts, roles, sessions, tokens,
-- login throttling and the audit chain. Instants are milliseconds since the Unix epoch;
-- calendar days are ISO text; flags are 0/1.

CREATE TABLE units (
    id            INTEGER PRIMARY KEY,
    parent_id     INTEGER REFERENCES units(id),
    path          TEXT NOT NULL,
    depth         INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    org_id        INTEGER REFERENCES units(id),
    name          TEXT NOT NULL,
    name_folded   TEXT NOT NULL,
    abbreviation  TEXT,
    org_kind      TEXT,
    has_party_org INTEGER NOT NULL DEFAULT 0,
    doc_format    TEXT,
    address       TEXT,
    sort_order    INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE UNIQUE INDEX units_path ON units(path);
CREATE INDEX units_parent ON units(parent_id, sort_order, name_folded);
CREATE INDEX units_kind ON units(kind, path);

CREATE TABLE partners (
    id             INTEGER PRIMARY KEY,
    owner_unit_id  INTEGER NOT NULL REFERENCES units(id),
    owner_path     TEXT NOT NULL,
    kind           TEXT NOT NULL,
    name           TEXT NOT NULL,
    contact_person TEXT,
    phone          TEXT,
    email          TEXT,
    address        TEXT,
    note           TEXT,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX partners_owner ON partners(owner_path, name);

CREATE TABLE people (
    id            INTEGER PRIMARY KEY,
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    unit_path     TEXT NOT NULL,
    org_id        INTEGER REFERENCES units(id),
    full_name     TEXT NOT NULL,
    sort_key      TEXT NOT NULL,
    search_folded TEXT NOT NULL,
    gender        TEXT NOT NULL,
    birth_date    TEXT,
    position      TEXT NOT NULL DEFAULT '',
    phone         TEXT,
    email         TEXT,
    party_member  INTEGER NOT NULL DEFAULT 0,
    self_defence  INTEGER NOT NULL DEFAULT 0,
    fire_force    INTEGER NOT NULL DEFAULT 0,
    status        TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX people_sort ON people(sort_key, id);
CREATE INDEX people_org_sort ON people(org_id, sort_key, id);
CREATE INDEX people_path ON people(unit_path);
CREATE INDEX people_unit ON people(unit_id);

CREATE VIRTUAL TABLE people_fts USING fts5(search, tokenize = 'unicode61');

CREATE TABLE person_history (
    id             INTEGER PRIMARY KEY,
    person_id      INTEGER NOT NULL REFERENCES people(id),
    effective_date TEXT NOT NULL,
    kind           TEXT NOT NULL,
    from_unit_id   INTEGER REFERENCES units(id),
    to_unit_id     INTEGER REFERENCES units(id),
    position       TEXT,
    status         TEXT,
    note           TEXT,
    recorded_by    INTEGER,
    created_at     INTEGER NOT NULL
);
CREATE INDEX person_history_person ON person_history(person_id, effective_date, id);

CREATE TABLE accounts (
    id                  INTEGER PRIMARY KEY,
    username            TEXT NOT NULL UNIQUE,
    person_id           INTEGER UNIQUE REFERENCES people(id),
    display_name        TEXT NOT NULL,
    password_hash       TEXT NOT NULL,
    totp_secret         TEXT,
    totp_enabled        INTEGER NOT NULL DEFAULT 0,
    totp_last_step      INTEGER NOT NULL DEFAULT 0,
    disabled            INTEGER NOT NULL DEFAULT 0,
    failed_count        INTEGER NOT NULL DEFAULT 0,
    locked_until        INTEGER NOT NULL DEFAULT 0,
    password_changed_at INTEGER NOT NULL,
    locale              TEXT NOT NULL DEFAULT 'vi',
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
);

CREATE TABLE role_grants (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id),
    role        TEXT NOT NULL,
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    granted_by  INTEGER,
    granted_at  INTEGER NOT NULL,
    UNIQUE (account_id, role, unit_id)
);
CREATE INDEX role_grants_unit ON role_grants(unit_id);

CREATE TABLE sessions (
    id_hash         TEXT PRIMARY KEY,
    account_id      INTEGER NOT NULL REFERENCES accounts(id),
    csrf_token      TEXT NOT NULL,
    second_factor   INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    last_seen_at    INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,
    user_agent      TEXT,
    ip              TEXT
);
CREATE INDEX sessions_account ON sessions(account_id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts(id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    prefix       TEXT NOT NULL,
    access       TEXT NOT NULL,
    kind         TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    expires_at   INTEGER,
    revoked_at   INTEGER
);
CREATE INDEX api_tokens_account ON api_tokens(account_id);

CREATE TABLE login_throttle (
    key          TEXT PRIMARY KEY,
    window_start INTEGER NOT NULL,
    failures     INTEGER NOT NULL
);

CREATE TABLE audit_log (
    seq          INTEGER PRIMARY KEY,
    at           INTEGER NOT NULL,
    actor_id     INTEGER,
    actor_name   TEXT NOT NULL,
    action       TEXT NOT NULL,
    object_kind  TEXT NOT NULL,
    object_id    TEXT NOT NULL,
    unit_path    TEXT,
    ip           TEXT,
    details      TEXT NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
);
CREATE INDEX audit_at ON audit_log(at);
CREATE INDEX audit_path ON audit_log(unit_path, seq);
CREATE INDEX audit_action ON audit_log(action, seq);

CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY,
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
