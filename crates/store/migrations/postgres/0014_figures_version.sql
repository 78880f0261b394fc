-- The figures version: bumped in the same transaction as every change that can alter a
-- dashboard figure (head counts from the people counters, unit counts by kind). A server keeps
-- the figures it has computed for a scope and serves them again only while this number is
-- unchanged. Once per statement: a bulk load bumps it once, not once per row.
INSERT INTO search_versions (name, version) VALUES ('figures', 1);

CREATE FUNCTION figures_version_bump() RETURNS trigger AS $$
BEGIN
    UPDATE search_versions SET version = version + 1 WHERE name = 'figures';
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER figures_people_insert_delete AFTER INSERT OR DELETE ON people
FOR EACH STATEMENT EXECUTE FUNCTION figures_version_bump();

CREATE TRIGGER figures_people_update
AFTER UPDATE OF unit_id, org_id, status, party_member, self_defence, fire_force, birth_date, phone
ON people
FOR EACH STATEMENT EXECUTE FUNCTION figures_version_bump();

CREATE TRIGGER figures_units_insert_delete AFTER INSERT OR DELETE ON units
FOR EACH STATEMENT EXECUTE FUNCTION figures_version_bump();

CREATE TRIGGER figures_units_update AFTER UPDATE OF kind, path, parent_id ON units
FOR EACH STATEMENT EXECUTE FUNCTION figures_version_bump();
