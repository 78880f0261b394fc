-- Head counts per unit and per organisation for the dashboards, kept by the database itself
-- so that every write path (forms, imports, the generator) updates them in the same
-- transaction as the person. A scope's figures are then a sum over its units, or over the
-- 2,000 organisations for the whole province, instead of a count over 200,000 people.

CREATE TABLE unit_people_stats (
    unit_id BIGINT PRIMARY KEY REFERENCES units(id),
    total        BIGINT NOT NULL DEFAULT 0,
    working      BIGINT NOT NULL DEFAULT 0,
    party        BIGINT NOT NULL DEFAULT 0,
    self_defence BIGINT NOT NULL DEFAULT 0,
    fire_force   BIGINT NOT NULL DEFAULT 0,
    -- working people without a date of birth or a phone: the "needs attention" figure
    incomplete   BIGINT NOT NULL DEFAULT 0
);

-- The same per organisation, so a whole province sums 2,000 rows.
CREATE TABLE org_people_stats (
    org_id BIGINT PRIMARY KEY REFERENCES units(id),
    total        BIGINT NOT NULL DEFAULT 0,
    working      BIGINT NOT NULL DEFAULT 0,
    party        BIGINT NOT NULL DEFAULT 0,
    self_defence BIGINT NOT NULL DEFAULT 0,
    fire_force   BIGINT NOT NULL DEFAULT 0,
    -- working people without a date of birth or a phone: the "needs attention" figure
    incomplete   BIGINT NOT NULL DEFAULT 0
);

CREATE FUNCTION people_stats_unit(p people, sign BIGINT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO unit_people_stats AS s (unit_id, total, working, party, self_defence, fire_force, incomplete)
    SELECT p.unit_id, sign,
           sign * (CASE WHEN p.status = 'working' THEN 1 ELSE 0 END),
           sign * p.party_member, sign * p.self_defence, sign * p.fire_force,
           sign * (CASE WHEN p.status = 'working' AND (p.birth_date IS NULL OR p.phone IS NULL) THEN 1 ELSE 0 END)
    WHERE p.unit_id IS NOT NULL
    ON CONFLICT (unit_id) DO UPDATE SET
        total = s.total + excluded.total, working = s.working + excluded.working,
        party = s.party + excluded.party, self_defence = s.self_defence + excluded.self_defence,
        fire_force = s.fire_force + excluded.fire_force, incomplete = s.incomplete + excluded.incomplete;
$$;

CREATE FUNCTION people_stats_org(p people, sign BIGINT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO org_people_stats AS s (org_id, total, working, party, self_defence, fire_force, incomplete)
    SELECT p.org_id, sign,
           sign * (CASE WHEN p.status = 'working' THEN 1 ELSE 0 END),
           sign * p.party_member, sign * p.self_defence, sign * p.fire_force,
           sign * (CASE WHEN p.status = 'working' AND (p.birth_date IS NULL OR p.phone IS NULL) THEN 1 ELSE 0 END)
    WHERE p.org_id IS NOT NULL
    ON CONFLICT (org_id) DO UPDATE SET
        total = s.total + excluded.total, working = s.working + excluded.working,
        party = s.party + excluded.party, self_defence = s.self_defence + excluded.self_defence,
        fire_force = s.fire_force + excluded.fire_force, incomplete = s.incomplete + excluded.incomplete;
$$;

CREATE FUNCTION people_stats_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM people_stats_unit(OLD, -1);
        PERFORM people_stats_org(OLD, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM people_stats_unit(NEW, 1);
        PERFORM people_stats_org(NEW, 1);
    END IF;
    RETURN NULL;
END;
$$;

INSERT INTO unit_people_stats (unit_id, total, working, party, self_defence, fire_force, incomplete)
SELECT unit_id, COUNT(*),
       SUM(CASE WHEN status = 'working' THEN 1 ELSE 0 END), SUM(party_member), SUM(self_defence), SUM(fire_force),
       SUM(CASE WHEN status = 'working' AND (birth_date IS NULL OR phone IS NULL) THEN 1 ELSE 0 END)
FROM people WHERE unit_id IS NOT NULL GROUP BY unit_id;
INSERT INTO org_people_stats (org_id, total, working, party, self_defence, fire_force, incomplete)
SELECT org_id, COUNT(*),
       SUM(CASE WHEN status = 'working' THEN 1 ELSE 0 END), SUM(party_member), SUM(self_defence), SUM(fire_force),
       SUM(CASE WHEN status = 'working' AND (birth_date IS NULL OR phone IS NULL) THEN 1 ELSE 0 END)
FROM people WHERE org_id IS NOT NULL GROUP BY org_id;

CREATE TRIGGER people_stats_insert_delete AFTER INSERT OR DELETE ON people
    FOR EACH ROW EXECUTE FUNCTION people_stats_trigger();
CREATE TRIGGER people_stats_update
    AFTER UPDATE OF unit_id, org_id, status, party_member, self_defence, fire_force, birth_date, phone ON people
    FOR EACH ROW EXECUTE FUNCTION people_stats_trigger();

-- Name-ordered indexes that carry what a search or a scoped list tests (path, organisation,
-- status, search text), so walking a page or a search window is an index-only scan; the
-- full rows are read only for the page shown.
CREATE INDEX people_sort_cover ON people(sort_key, id) INCLUDE (unit_path, org_id, status, search_folded);
CREATE INDEX people_org_sort_cover ON people(org_id, sort_key, id) INCLUDE (unit_path, status, search_folded);
DROP INDEX people_sort;
DROP INDEX people_org_sort;

-- Locked accounts are few; the dashboard finds them without reading every account.
CREATE INDEX accounts_locked ON accounts(locked_until);
CREATE INDEX role_grants_role ON role_grants(role);

-- Search text: punctuation (of e-mail addresses, of positions) becomes spaces, so that both the full-text
-- index and the name-ordered scan (see store/src/search.rs) see the same words.
UPDATE people SET search_folded = regexp_replace(search_folded, '[^[:alnum:] ]', ' ', 'g')
WHERE search_folded ~ '[^[:alnum:] ]';

-- Word index by prefixes: every word is stored with each of its beginnings (up to 12
-- letters) as a lexeme of its own, so that a query word is an exact lexeme. A prefix query
-- (`word:*`) makes GIN merge the entries of every word it begins ("so", "le", "nguyen" begin
-- tens of thousands); exact lexemes let it skip through the frequent ones on the rare one.
CREATE FUNCTION word_prefixes(t text) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT COALESCE(to_tsvector('simple', string_agg(left(w, n), ' ')), ''::tsvector)
    FROM regexp_split_to_table(t, ' ') AS w, generate_series(1, least(length(w), 12)) AS n
    WHERE w <> ''
$$;
ALTER TABLE people ADD COLUMN search_prefixes tsvector
    GENERATED ALWAYS AS (word_prefixes(search_folded)) STORED;
CREATE INDEX people_search_prefixes ON people USING GIN (search_prefixes);
DROP INDEX people_search;
ALTER TABLE people DROP COLUMN search_tsv;

-- Register search: the trích yếu as words, carried by the list index for common words and
-- indexed by word for the rare ones (see
-- store/src/registers/read.rs).
UPDATE register_entries SET title_folded = regexp_replace(title_folded, '[^[:alnum:] ]', ' ', 'g')
WHERE title_folded ~ '[^[:alnum:] ]';
ALTER TABLE register_entries ADD COLUMN title_prefixes tsvector
    GENERATED ALWAYS AS (word_prefixes(title_folded)) STORED;
CREATE INDEX register_entries_search ON register_entries USING GIN (title_prefixes);
CREATE INDEX register_entries_list_cover
    ON register_entries(org_id, direction, doc_date, id) INCLUDE (secrecy_rank, title_folded);
DROP INDEX register_entries_list;
