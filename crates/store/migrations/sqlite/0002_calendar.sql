-- Calendar: organisation events (congresses, visits, elections, large meetings) that
-- protection plans and the calendar pages show next to holidays and peak periods.
-- Days are ISO text; an event spans starts_on..=ends_on, at most 366 days, which lets a
-- date-range query bound starts_on from below and use the index.

CREATE TABLE org_events (
    id          INTEGER PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    unit_path   TEXT NOT NULL,
    title       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    starts_on   TEXT NOT NULL,
    ends_on     TEXT NOT NULL,
    location    TEXT,
    note        TEXT,
    created_by  INTEGER,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX org_events_path_start ON org_events(unit_path, starts_on);
CREATE INDEX org_events_start ON org_events(starts_on, ends_on);
CREATE INDEX org_events_unit ON org_events(unit_id);
