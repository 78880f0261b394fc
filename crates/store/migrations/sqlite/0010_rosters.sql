-- Duty rosters (lịch trực): a roster of an organisation over a period, optionally the annex of
-- a protection plan (plan_id; the link to the plans table is added once both exist), with its
-- shift types, cover, eligible people, leave, requests, rules, the assigned cells, swap
-- requests, and the secret calendar-feed tokens of people.
-- Days are ISO text; instants are milliseconds; flags are 0/1; minutes are integers.

CREATE TABLE rosters (
    id              INTEGER PRIMARY KEY,
    org_id          INTEGER NOT NULL REFERENCES units(id),
    unit_path       TEXT NOT NULL,
    plan_id         INTEGER,
    title           TEXT NOT NULL,
    start_day       TEXT NOT NULL,
    end_day         TEXT NOT NULL,
    state           TEXT NOT NULL,
    rest_minutes    INTEGER NOT NULL,
    max_per_type    INTEGER,
    max_minutes     INTEGER,
    max_consecutive INTEGER,
    min_days_off    INTEGER NOT NULL,
    max_weekends    INTEGER,
    spread_weight   INTEGER NOT NULL,
    holiday_weight  INTEGER NOT NULL,
    solved_at       INTEGER,
    published_at    INTEGER,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX rosters_org ON rosters(org_id, start_day, id);
CREATE INDEX rosters_path ON rosters(unit_path);
CREATE INDEX rosters_plan ON rosters(plan_id);

CREATE TABLE roster_shifts (
    id           INTEGER PRIMARY KEY,
    roster_id    INTEGER NOT NULL REFERENCES rosters(id),
    code         TEXT NOT NULL,
    name         TEXT NOT NULL,
    start_minute INTEGER NOT NULL,
    minutes      INTEGER NOT NULL,
    skill        TEXT,
    burden       INTEGER NOT NULL DEFAULT 0,
    UNIQUE (roster_id, code)
);

CREATE TABLE roster_covers (
    id        INTEGER PRIMARY KEY,
    roster_id INTEGER NOT NULL REFERENCES rosters(id),
    shift_id  INTEGER NOT NULL REFERENCES roster_shifts(id),
    skill     TEXT NOT NULL,
    day       TEXT,
    headcount INTEGER NOT NULL
);
CREATE INDEX roster_covers_roster ON roster_covers(roster_id, shift_id);

CREATE TABLE roster_members (
    roster_id INTEGER NOT NULL REFERENCES rosters(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    skills    TEXT NOT NULL,
    PRIMARY KEY (roster_id, person_id)
);
CREATE INDEX roster_members_person ON roster_members(person_id);

CREATE TABLE roster_absences (
    id        INTEGER PRIMARY KEY,
    roster_id INTEGER NOT NULL REFERENCES rosters(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    start_day TEXT NOT NULL,
    end_day   TEXT NOT NULL,
    reason    TEXT NOT NULL
);
CREATE INDEX roster_absences_roster ON roster_absences(roster_id, person_id);

CREATE TABLE roster_requests (
    id        INTEGER PRIMARY KEY,
    roster_id INTEGER NOT NULL REFERENCES rosters(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    day       TEXT NOT NULL,
    shift_id  INTEGER NOT NULL REFERENCES roster_shifts(id),
    wants     INTEGER NOT NULL,
    weight    INTEGER NOT NULL
);
CREATE INDEX roster_requests_roster ON roster_requests(roster_id, person_id);

-- One row per person and day worked. holiday_night marks a burden shift on a public holiday,
-- summed per person over earlier rosters to spread holiday nights across years.
CREATE TABLE roster_cells (
    roster_id     INTEGER NOT NULL REFERENCES rosters(id),
    person_id     INTEGER NOT NULL REFERENCES people(id),
    day           TEXT NOT NULL,
    shift_id      INTEGER NOT NULL REFERENCES roster_shifts(id),
    holiday_night INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (roster_id, person_id, day)
);
CREATE INDEX roster_cells_person ON roster_cells(person_id, day);

CREATE TABLE roster_swaps (
    id          INTEGER PRIMARY KEY,
    roster_id   INTEGER NOT NULL REFERENCES rosters(id),
    person_id   INTEGER NOT NULL REFERENCES people(id),
    day         TEXT NOT NULL,
    other_id    INTEGER NOT NULL REFERENCES people(id),
    other_day   TEXT,
    note        TEXT NOT NULL,
    state       TEXT NOT NULL,
    refusal     TEXT,
    requested_by INTEGER,
    decided_by  INTEGER,
    created_at  INTEGER NOT NULL,
    decided_at  INTEGER
);
CREATE INDEX roster_swaps_roster ON roster_swaps(roster_id, state, id);
CREATE INDEX roster_swaps_person ON roster_swaps(person_id, id);

-- A person's calendar feed: the SHA-256 of the secret in the feed's address. Calendar apps
-- send no cookies, so the secret is the credential; deleting the row revokes it.
CREATE TABLE roster_feeds (
    person_id  INTEGER PRIMARY KEY REFERENCES people(id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);
