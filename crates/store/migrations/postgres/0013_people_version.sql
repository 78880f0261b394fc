-- The people version: bumped in the same transaction as every change that can move a person
-- in a search (insert, delete, name and search text, unit, status). A server keeps a copy of
-- the people word index in memory and trusts it only while this number is unchanged. Once per
-- statement: a bulk load bumps it once, not once per row.
CREATE TABLE search_versions (
    name TEXT PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO search_versions (name, version) VALUES ('people', 1);

CREATE FUNCTION people_version_bump() RETURNS trigger AS $$
BEGIN
    UPDATE search_versions SET version = version + 1 WHERE name = 'people';
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER people_version_insert AFTER INSERT OR DELETE ON people
FOR EACH STATEMENT EXECUTE FUNCTION people_version_bump();

CREATE TRIGGER people_version_update
AFTER UPDATE OF sort_key, search_folded, unit_path, status ON people
FOR EACH STATEMENT EXECUTE FUNCTION people_version_bump();
