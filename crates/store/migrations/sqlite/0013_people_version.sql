-- The people version: bumped in the same transaction as every change that can move a person
-- in a search (insert, delete, name and search text, unit, status). A server keeps a copy of
-- the people word index in memory and trusts it only while this number is unchanged.
CREATE TABLE search_versions (
    name TEXT PRIMARY KEY,
    version INTEGER NOT NULL
);
INSERT INTO search_versions (name, version) VALUES ('people', 1);

CREATE TRIGGER people_version_insert AFTER INSERT ON people
BEGIN
    UPDATE search_versions SET version = version + 1 WHERE name = 'people';
END;

CREATE TRIGGER people_version_update
AFTER UPDATE OF sort_key, search_folded, unit_path, status ON people
BEGIN
    UPDATE search_versions SET version = version + 1 WHERE name = 'people';
END;

CREATE TRIGGER people_version_delete AFTER DELETE ON people
BEGIN
    UPDATE search_versions SET version = version + 1 WHERE name = 'people';
END;
