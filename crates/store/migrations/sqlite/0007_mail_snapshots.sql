-- E-mail reminders and frozen figures of closed campaigns.
-- Instants are milliseconds; flags are 0/1.

-- Outgoing e-mail, written in the same transaction as the reminder that asks for it, so a
-- rolled-back change sends nothing and a restart loses nothing. The server's mail worker
-- claims due rows (a short lease in locked_until), sends them and records the outcome:
-- 'queued' (waiting, or retrying after next_at), 'sent', or 'failed' (gave up; last_error says
-- why). Subject and body are rendered in the recipient's language when queued.
CREATE TABLE mail_outbox (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER REFERENCES accounts(id),
    recipient    TEXT NOT NULL,
    subject      TEXT NOT NULL,
    body         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    link         TEXT NOT NULL,
    status       TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_at      INTEGER NOT NULL,
    locked_until INTEGER,
    last_error   TEXT,
    created_at   INTEGER NOT NULL,
    sent_at      INTEGER
);
CREATE INDEX mail_outbox_due ON mail_outbox(status, next_at, id);

-- Coverage of a campaign per unit at the moment it closed (kind 'commitment' or
-- 'dissemination'). A closed campaign's figures are read from here, so people who move,
-- leave or join afterwards do not change what was achieved. org_id lets the province view
-- group by organisation without touching the unit tree's 20,000 rows.
CREATE TABLE campaign_snapshots (
    campaign_kind TEXT NOT NULL,
    campaign_id   INTEGER NOT NULL,
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    org_id        INTEGER REFERENCES units(id),
    required      INTEGER NOT NULL,
    done          INTEGER NOT NULL,
    PRIMARY KEY (campaign_kind, campaign_id, unit_id)
);
CREATE INDEX campaign_snapshots_org ON campaign_snapshots(campaign_kind, campaign_id, org_id);

-- Rollup per organisation. campaign_org_done sums campaign_unit_done over each organisation's
-- units, kept by triggers on campaign_unit_done itself (so every path that moves a unit's count
-- moves its organisation's in the same transaction). With org_people_stats (0004) the province
-- coverage reads one row per organisation instead of summing every unit.
CREATE TABLE campaign_org_done (
    campaign_id INTEGER NOT NULL REFERENCES commitment_campaigns(id),
    org_id      INTEGER NOT NULL REFERENCES units(id),
    done        INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, org_id)
);

INSERT INTO campaign_org_done (campaign_id, org_id, done)
SELECT d.campaign_id, u.org_id, SUM(d.done) FROM campaign_unit_done d JOIN units u ON u.id = d.unit_id
WHERE u.org_id IS NOT NULL GROUP BY d.campaign_id, u.org_id;

CREATE TRIGGER unit_done_org_insert AFTER INSERT ON campaign_unit_done
BEGIN
    INSERT INTO campaign_org_done (campaign_id, org_id, done)
        SELECT NEW.campaign_id, u.org_id, NEW.done FROM units u WHERE u.id = NEW.unit_id AND u.org_id IS NOT NULL
        ON CONFLICT (campaign_id, org_id) DO UPDATE SET done = done + excluded.done;
END;

CREATE TRIGGER unit_done_org_update AFTER UPDATE OF done ON campaign_unit_done
WHEN NEW.done <> OLD.done
BEGIN
    UPDATE campaign_org_done SET done = done + (NEW.done - OLD.done)
        WHERE campaign_id = NEW.campaign_id AND org_id = (SELECT org_id FROM units WHERE id = NEW.unit_id);
END;

CREATE TRIGGER unit_done_org_delete AFTER DELETE ON campaign_unit_done
BEGIN
    UPDATE campaign_org_done SET done = done - OLD.done
        WHERE campaign_id = OLD.campaign_id AND org_id = (SELECT org_id FROM units WHERE id = OLD.unit_id);
END;
