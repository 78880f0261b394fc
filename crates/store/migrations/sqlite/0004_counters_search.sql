-- Head counts per unit and per organisation for the dashboards, kept by the database itself
-- so that every write path (forms, imports, the generator) updates them in the same
-- transaction as the person. A scope's figures are then a sum over its units, or over the
-- 2,000 organisations for the whole province, instead of a count over 200,000 people.

CREATE TABLE unit_people_stats (
    unit_id INTEGER PRIMARY KEY REFERENCES units(id),
    total        INTEGER NOT NULL DEFAULT 0,
    working      INTEGER NOT NULL DEFAULT 0,
    party        INTEGER NOT NULL DEFAULT 0,
    self_defence INTEGER NOT NULL DEFAULT 0,
    fire_force   INTEGER NOT NULL DEFAULT 0,
    -- working people without a date of birth or a phone: the "needs attention" figure
    incomplete   INTEGER NOT NULL DEFAULT 0
);

-- The same per organisation, so a whole province sums 2,000 rows.
CREATE TABLE org_people_stats (
    org_id INTEGER PRIMARY KEY REFERENCES units(id),
    total        INTEGER NOT NULL DEFAULT 0,
    working      INTEGER NOT NULL DEFAULT 0,
    party        INTEGER NOT NULL DEFAULT 0,
    self_defence INTEGER NOT NULL DEFAULT 0,
    fire_force   INTEGER NOT NULL DEFAULT 0,
    -- working people without a date of birth or a phone: the "needs attention" figure
    incomplete   INTEGER NOT NULL DEFAULT 0
);

INSERT INTO unit_people_stats (unit_id, total, working, party, self_defence, fire_force, incomplete)
SELECT unit_id, COUNT(*),
       SUM(status = 'working'), SUM(party_member), SUM(self_defence), SUM(fire_force),
       SUM(status = 'working' AND (birth_date IS NULL OR phone IS NULL))
FROM people WHERE unit_id IS NOT NULL GROUP BY unit_id;
INSERT INTO org_people_stats (org_id, total, working, party, self_defence, fire_force, incomplete)
SELECT org_id, COUNT(*),
       SUM(status = 'working'), SUM(party_member), SUM(self_defence), SUM(fire_force),
       SUM(status = 'working' AND (birth_date IS NULL OR phone IS NULL))
FROM people WHERE org_id IS NOT NULL GROUP BY org_id;

CREATE TRIGGER people_stats_insert AFTER INSERT ON people BEGIN
    INSERT INTO unit_people_stats (unit_id, total, working, party, self_defence, fire_force, incomplete)
    VALUES (NEW.unit_id, 1, NEW.status = 'working', NEW.party_member, NEW.self_defence, NEW.fire_force,
            NEW.status = 'working' AND (NEW.birth_date IS NULL OR NEW.phone IS NULL))
    ON CONFLICT (unit_id) DO UPDATE SET
        total = total + excluded.total, working = working + excluded.working,
        party = party + excluded.party, self_defence = self_defence + excluded.self_defence,
        fire_force = fire_force + excluded.fire_force, incomplete = incomplete + excluded.incomplete;
    INSERT INTO org_people_stats (org_id, total, working, party, self_defence, fire_force, incomplete)
    SELECT NEW.org_id, 1, NEW.status = 'working', NEW.party_member, NEW.self_defence, NEW.fire_force,
            NEW.status = 'working' AND (NEW.birth_date IS NULL OR NEW.phone IS NULL)
    WHERE NEW.org_id IS NOT NULL
    ON CONFLICT (org_id) DO UPDATE SET
        total = total + excluded.total, working = working + excluded.working,
        party = party + excluded.party, self_defence = self_defence + excluded.self_defence,
        fire_force = fire_force + excluded.fire_force, incomplete = incomplete + excluded.incomplete;
END;

CREATE TRIGGER people_stats_delete AFTER DELETE ON people BEGIN
    INSERT INTO unit_people_stats (unit_id, total, working, party, self_defence, fire_force, incomplete)
    VALUES (OLD.unit_id, -1, -(OLD.status = 'working'), -OLD.party_member, -OLD.self_defence, -OLD.fire_force,
            -(OLD.status = 'working' AND (OLD.birth_date IS NULL OR OLD.phone IS NULL)))
    ON CONFLICT (unit_id) DO UPDATE SET
        total = total + excluded.total, working = working + excluded.working,
        party = party + excluded.party, self_defence = self_defence + excluded.self_defence,
        fire_force = fire_force + excluded.fire_force, incomplete = incomplete + excluded.incomplete;
    INSERT INTO org_people_stats (org_id, total, working, party, self_defence, fire_force, incomplete)
    SELECT OLD.org_id, -1, -(OLD.status = 'working'), -OLD.party_member, -OLD.self_defence, -OLD.fire_force,
            -(OLD.status = 'working' AND (OLD.birth_date IS NULL OR OLD.phone IS NULL))
    WHERE OLD.org_id IS NOT NULL
    ON CONFLICT (org_id) DO UPDATE SET
        total = total + excluded.total, working = working + excluded.working,
        party = party + excluded.party, self_defence = self_defence + excluded.self_defence,
        fire_force = fire_force + excluded.fire_force, incomplete = incomplete + excluded.incomplete;
END;

CREATE TRIGGER people_stats_update
AFTER UPDATE OF unit_id, org_id, status, party_member, self_defence, fire_force, birth_date, phone ON people BEGIN
    INSERT INTO unit_people_stats (unit_id, total, working, party, self_defence, fire_force, incomplete)
    VALUES (OLD.unit_id, -1, -(OLD.status = 'working'), -OLD.party_member, -OLD.self_defence, -OLD.fire_force,
            -(OLD.status = 'working' AND (OLD.birth_date IS NULL OR OLD.phone IS NULL)))
    ON CONFLICT (unit_id) DO UPDATE SET
        total = total + excluded.total, working = working + excluded.working,
        party = party + excluded.party, self_defence = self_defence + excluded.self_defence,
        fire_force = fire_force + excluded.fire_force, incomplete = incomplete + excluded.incomplete;
    INSERT INTO org_people_stats (org_id, total, working, party, self_defence, fire_force, incomplete)
    SELECT OLD.org_id, -1, -(OLD.status = 'working'), -OLD.party_member, -OLD.self_defence, -OLD.fire_force,
            -(OLD.status = 'working' AND (OLD.birth_date IS NULL OR OLD.phone IS NULL))
    WHERE OLD.org_id IS NOT NULL
    ON CONFLICT (org_id) DO UPDATE SET
        total = total + excluded.total, working = working + excluded.working,
        party = party + excluded.party, self_defence = self_defence + excluded.self_defence,
        fire_force = fire_force + excluded.fire_force, incomplete = incomplete + excluded.incomplete;
    INSERT INTO unit_people_stats (unit_id, total, working, party, self_defence, fire_force, incomplete)
    VALUES (NEW.unit_id, 1, NEW.status = 'working', NEW.party_member, NEW.self_defence, NEW.fire_force,
            NEW.status = 'working' AND (NEW.birth_date IS NULL OR NEW.phone IS NULL))
    ON CONFLICT (unit_id) DO UPDATE SET
        total = total + excluded.total, working = working + excluded.working,
        party = party + excluded.party, self_defence = self_defence + excluded.self_defence,
        fire_force = fire_force + excluded.fire_force, incomplete = incomplete + excluded.incomplete;
    INSERT INTO org_people_stats (org_id, total, working, party, self_defence, fire_force, incomplete)
    SELECT NEW.org_id, 1, NEW.status = 'working', NEW.party_member, NEW.self_defence, NEW.fire_force,
            NEW.status = 'working' AND (NEW.birth_date IS NULL OR NEW.phone IS NULL)
    WHERE NEW.org_id IS NOT NULL
    ON CONFLICT (org_id) DO UPDATE SET
        total = total + excluded.total, working = working + excluded.working,
        party = party + excluded.party, self_defence = self_defence + excluded.self_defence,
        fire_force = fire_force + excluded.fire_force, incomplete = incomplete + excluded.incomplete;
END;

-- Name-ordered indexes that carry what a search or a scoped list tests (path, organisation,
-- status, search text), so walking a page or a search window never visits the table; the
-- full rows are read only for the page shown.
CREATE INDEX people_sort_cover ON people(sort_key, id, unit_path, org_id, status, search_folded);
CREATE INDEX people_org_sort_cover ON people(org_id, sort_key, id, unit_path, status, search_folded);
DROP INDEX people_sort;
DROP INDEX people_org_sort;
-- The keys a rare word's matches are sorted and filtered by, read by id without the rows.
CREATE INDEX people_id_cover ON people(id, sort_key, unit_path, org_id, status);

-- Locked accounts are few; the dashboard finds them without reading every account.
CREATE INDEX accounts_locked ON accounts(locked_until);
CREATE INDEX role_grants_role ON role_grants(role);

-- Search text: punctuation (of e-mail addresses, of positions) becomes spaces, so that both the full-text
-- index and the name-ordered scan (see store/src/search.rs) see the same words.
UPDATE people SET search_folded =
    replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(search_folded, '.', ' '), '@', ' '), '-', ' '), '_', ' '), '+', ' '), '(', ' '), ')', ' '), ',', ' '), '/', ' '), ';', ' '), ':', ' '), '''', ' '), '"', ' '), '&', ' ')
WHERE search_folded GLOB '*[^a-z0-9 ]*';
-- Rebuilt with prefix indexes: a short query word ("vu", "le") is one lookup instead of a
-- merge of every word it begins.
DROP TABLE people_fts;
CREATE VIRTUAL TABLE people_fts USING fts5(search, tokenize = 'unicode61', prefix = '1 2 3 4');
INSERT INTO people_fts (rowid, search) SELECT id, search_folded FROM people;

-- Register search: the trích yếu as words, carried by the list index for common words and
-- indexed by word for the rare ones (see
-- store/src/registers/read.rs). The triggers keep the index in step on every write path.
UPDATE register_entries SET title_folded =
    replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(title_folded, '.', ' '), '@', ' '), '-', ' '), '_', ' '), '+', ' '), '(', ' '), ')', ' '), ',', ' '), '/', ' '), ';', ' '), ':', ' '), '''', ' '), '"', ' '), '&', ' ')
WHERE title_folded GLOB '*[^a-z0-9 ]*';
CREATE VIRTUAL TABLE register_fts USING fts5(title, tokenize = 'unicode61', prefix = '1 2 3 4');
INSERT INTO register_fts (rowid, title) SELECT id, title_folded FROM register_entries;
CREATE TRIGGER register_fts_insert AFTER INSERT ON register_entries BEGIN
    INSERT INTO register_fts (rowid, title) VALUES (NEW.id, NEW.title_folded);
END;
CREATE TRIGGER register_fts_update AFTER UPDATE OF title_folded ON register_entries BEGIN
    DELETE FROM register_fts WHERE rowid = OLD.id;
    INSERT INTO register_fts (rowid, title) VALUES (NEW.id, NEW.title_folded);
END;
CREATE TRIGGER register_fts_delete AFTER DELETE ON register_entries BEGIN
    DELETE FROM register_fts WHERE rowid = OLD.id;
END;
CREATE INDEX register_entries_list_cover
    ON register_entries(org_id, direction, doc_date, id, secrecy_rank, title_folded);
DROP INDEX register_entries_list;
CREATE INDEX register_entries_id_cover
    ON register_entries(id, org_id, direction, doc_date, doc_type, status, secrecy_rank);
