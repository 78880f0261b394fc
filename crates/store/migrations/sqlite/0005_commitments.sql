-- The yearly movement: the directive library, dissemination campaigns with per-person
-- acknowledgement, commitment campaigns with signatures and receipts, and the per-unit
-- rollups that keep coverage cheap at province scale.
-- Days are ISO text; instants are milliseconds; flags are 0/1.

-- Files kept in the database (directive attachments, meeting minutes, scans of paper
-- commitments). Size and content type are checked before a row is written.
CREATE TABLE stored_files (
    id           INTEGER PRIMARY KEY,
    owner_path   TEXT NOT NULL,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    data         BLOB NOT NULL,
    created_by   INTEGER,
    created_at   INTEGER NOT NULL
);
CREATE INDEX stored_files_owner ON stored_files(owner_path, id);

-- Legal bases and directives. owner_path is the issuing level: the province's path for a
-- document every organisation must follow, an organisation's path for its own rules.
CREATE TABLE directives (
    id           INTEGER PRIMARY KEY,
    owner_unit_id INTEGER NOT NULL REFERENCES units(id),
    owner_path   TEXT NOT NULL,
    kind         TEXT NOT NULL,
    code         TEXT NOT NULL,
    title        TEXT NOT NULL,
    issuer       TEXT NOT NULL,
    issued_on    TEXT NOT NULL,
    effective_on TEXT,
    secrecy      TEXT NOT NULL,
    secrecy_rank INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    created_by   INTEGER,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX directives_owner ON directives(owner_path, issued_on, id);

CREATE TABLE directive_versions (
    directive_id INTEGER NOT NULL REFERENCES directives(id),
    version      INTEGER NOT NULL,
    body         TEXT NOT NULL,
    body_hash    TEXT NOT NULL,
    note         TEXT,
    created_by   INTEGER,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (directive_id, version)
);

CREATE TABLE directive_files (
    directive_id INTEGER NOT NULL REFERENCES directives(id),
    version      INTEGER NOT NULL,
    file_id      INTEGER NOT NULL REFERENCES stored_files(id),
    PRIMARY KEY (directive_id, version, file_id)
);

-- Commitment campaigns (phát động ký cam kết). The audience is every working person in the
-- owner's subtree, read from the live people table.
CREATE TABLE commitment_campaigns (
    id            INTEGER PRIMARY KEY,
    owner_unit_id INTEGER NOT NULL REFERENCES units(id),
    owner_path    TEXT NOT NULL,
    year          INTEGER NOT NULL,
    title         TEXT NOT NULL,
    body          TEXT NOT NULL,
    body_hash     TEXT NOT NULL,
    heading       TEXT NOT NULL,
    opens_on      TEXT NOT NULL,
    deadline      TEXT NOT NULL,
    status        TEXT NOT NULL,
    created_by    INTEGER,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX commitment_campaigns_owner ON commitment_campaigns(owner_path, year, id);

CREATE TABLE commitment_signatures (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES commitment_campaigns(id),
    person_id   INTEGER NOT NULL REFERENCES people(id),
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    method      TEXT NOT NULL,
    text_hash   TEXT NOT NULL,
    signed_at   INTEGER NOT NULL,
    audit_seq   INTEGER NOT NULL,
    audit_hash  TEXT NOT NULL,
    recorded_by INTEGER,
    scan_file_id INTEGER REFERENCES stored_files(id),
    UNIQUE (campaign_id, person_id)
);
CREATE INDEX commitment_signatures_person ON commitment_signatures(person_id, campaign_id);

-- Rollup. campaign_unit_done counts, per campaign and unit, the working people now in that
-- unit who have signed; the working people of each unit are already counted in
-- unit_people_stats (0004). Triggers keep it in step in the same transaction as every move,
-- status change and signature, so coverage of any subtree is a sum over its units instead of
-- a scan of its people.
CREATE TABLE campaign_unit_done (
    campaign_id INTEGER NOT NULL REFERENCES commitment_campaigns(id),
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    done        INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, unit_id)
);

CREATE TRIGGER people_rollup_update AFTER UPDATE OF unit_id, status ON people
WHEN OLD.unit_id <> NEW.unit_id OR OLD.status <> NEW.status
BEGIN
    UPDATE campaign_unit_done SET done = done - 1
        WHERE OLD.status = 'working' AND unit_id = OLD.unit_id
          AND campaign_id IN (SELECT campaign_id FROM commitment_signatures WHERE person_id = OLD.id);
    INSERT INTO campaign_unit_done (campaign_id, unit_id, done)
        SELECT campaign_id, NEW.unit_id, 1 FROM commitment_signatures
        WHERE person_id = NEW.id AND NEW.status = 'working'
        ON CONFLICT (campaign_id, unit_id) DO UPDATE SET done = done + 1;
END;

CREATE TRIGGER people_rollup_delete AFTER DELETE ON people WHEN OLD.status = 'working'
BEGIN
    UPDATE campaign_unit_done SET done = done - 1
        WHERE unit_id = OLD.unit_id
          AND campaign_id IN (SELECT campaign_id FROM commitment_signatures WHERE person_id = OLD.id);
END;

CREATE TRIGGER signatures_rollup_insert AFTER INSERT ON commitment_signatures
BEGIN
    INSERT INTO campaign_unit_done (campaign_id, unit_id, done)
        SELECT NEW.campaign_id, p.unit_id, 1 FROM people p
        WHERE p.id = NEW.person_id AND p.status = 'working'
        ON CONFLICT (campaign_id, unit_id) DO UPDATE SET done = done + 1;
END;

CREATE TRIGGER signatures_rollup_delete AFTER DELETE ON commitment_signatures
BEGIN
    UPDATE campaign_unit_done SET done = done - 1
        WHERE campaign_id = OLD.campaign_id
          AND unit_id = (SELECT p.unit_id FROM people p WHERE p.id = OLD.person_id AND p.status = 'working');
END;

-- Dissemination campaigns (quán triệt, phổ biến): documents, an audience of unit subtrees and
-- an optional group, an optional quiz with a pass mark.
CREATE TABLE dissemination_campaigns (
    id             INTEGER PRIMARY KEY,
    owner_unit_id  INTEGER NOT NULL REFERENCES units(id),
    owner_path     TEXT NOT NULL,
    title          TEXT NOT NULL,
    audience_group TEXT NOT NULL,
    pass_mark      INTEGER NOT NULL,
    opens_on       TEXT NOT NULL,
    deadline       TEXT NOT NULL,
    status         TEXT NOT NULL,
    reminded_at    INTEGER,
    created_by     INTEGER,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX dissemination_campaigns_owner ON dissemination_campaigns(owner_path, opens_on, id);

CREATE TABLE dissemination_audience (
    campaign_id INTEGER NOT NULL REFERENCES dissemination_campaigns(id),
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    PRIMARY KEY (campaign_id, unit_id)
);

CREATE TABLE dissemination_documents (
    campaign_id  INTEGER NOT NULL REFERENCES dissemination_campaigns(id),
    directive_id INTEGER NOT NULL REFERENCES directives(id),
    PRIMARY KEY (campaign_id, directive_id)
);
CREATE INDEX dissemination_documents_directive ON dissemination_documents(directive_id);

CREATE TABLE dissemination_questions (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES dissemination_campaigns(id),
    position    INTEGER NOT NULL,
    question    TEXT NOT NULL,
    options     TEXT NOT NULL,
    correct     INTEGER NOT NULL
);
CREATE INDEX dissemination_questions_campaign ON dissemination_questions(campaign_id, position);

-- One row per person, document and version acknowledged: a new version needs a new row.
CREATE TABLE dissemination_acks (
    id              INTEGER PRIMARY KEY,
    campaign_id     INTEGER NOT NULL REFERENCES dissemination_campaigns(id),
    person_id       INTEGER NOT NULL REFERENCES people(id),
    directive_id    INTEGER NOT NULL REFERENCES directives(id),
    version         INTEGER NOT NULL,
    method          TEXT NOT NULL,
    score           INTEGER,
    acked_at        INTEGER NOT NULL,
    recorded_by     INTEGER,
    minutes_file_id INTEGER REFERENCES stored_files(id),
    UNIQUE (campaign_id, person_id, directive_id, version)
);
CREATE INDEX dissemination_acks_person ON dissemination_acks(person_id, campaign_id);

-- In-app notices (reminders) for an account.
CREATE TABLE notices (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id),
    kind        TEXT NOT NULL,
    text        TEXT NOT NULL,
    link        TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    read_at     INTEGER
);
CREATE INDEX notices_account ON notices(account_id, id);
