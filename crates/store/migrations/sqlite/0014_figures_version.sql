-- The figures version: bumped in the same transaction as every change that can alter a
-- dashboard figure (head counts from the people counters, unit counts by kind). A server keeps
-- the figures it has computed for a scope and serves them again only while this number is
-- unchanged.
INSERT INTO search_versions (name, version) VALUES ('figures', 1);

CREATE TRIGGER figures_people_insert AFTER INSERT ON people
BEGIN
    UPDATE search_versions SET version = version + 1 WHERE name = 'figures';
END;

CREATE TRIGGER figures_people_delete AFTER DELETE ON people
BEGIN
    UPDATE search_versions SET version = version + 1 WHERE name = 'figures';
END;

CREATE TRIGGER figures_people_update
AFTER UPDATE OF unit_id, org_id, status, party_member, self_defence, fire_force, birth_date, phone
ON people
BEGIN
    UPDATE search_versions SET version = version + 1 WHERE name = 'figures';
END;

CREATE TRIGGER figures_units_insert AFTER INSERT ON units
BEGIN
    UPDATE search_versions SET version = version + 1 WHERE name = 'figures';
END;

CREATE TRIGGER figures_units_delete AFTER DELETE ON units
BEGIN
    UPDATE search_versions SET version = version + 1 WHERE name = 'figures';
END;

CREATE TRIGGER figures_units_update AFTER UPDATE OF kind, path, parent_id ON units
BEGIN
    UPDATE search_versions SET version = version + 1 WHERE name = 'figures';
END;
