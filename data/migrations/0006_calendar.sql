-- Team sync, part 2: planned visits, follow-ups, logged interactions and
-- concerns travel as calendar items (docs/sync.md, "Calendar"). Each gets a
-- UID for life, given by a trigger on insert so that every place that adds
-- one (the window, the command line, the sample, a sync) gets one without
-- knowing of sync; existing rows get theirs here.

ALTER TABLE planned_visits ADD COLUMN uid TEXT NOT NULL DEFAULT '';
ALTER TABLE planned_visits ADD COLUMN origin TEXT NOT NULL DEFAULT ''; -- the client that last changed it elsewhere ('' here)
ALTER TABLE followups ADD COLUMN uid TEXT NOT NULL DEFAULT '';
ALTER TABLE followups ADD COLUMN origin TEXT NOT NULL DEFAULT ''; -- the client that last changed it elsewhere ('' here)
ALTER TABLE interactions ADD COLUMN uid TEXT NOT NULL DEFAULT '';
ALTER TABLE interactions ADD COLUMN origin TEXT NOT NULL DEFAULT ''; -- the client that last changed it elsewhere ('' here)
ALTER TABLE concerns ADD COLUMN uid TEXT NOT NULL DEFAULT '';
ALTER TABLE concerns ADD COLUMN origin TEXT NOT NULL DEFAULT ''; -- the client that last changed it elsewhere ('' here)

-- A visit keeps the zone it was planned in (09:30 in Berlin stays 09:30 in
-- Berlin on a laptop in Lisbon), the reminder the user set, and a
-- recurrence another client gave it.
ALTER TABLE planned_visits ADD COLUMN tz TEXT NOT NULL DEFAULT '';     -- IANA zone; '' for the machine's own
ALTER TABLE planned_visits ADD COLUMN alarm_minutes INTEGER;           -- remind this long before; NULL for none
ALTER TABLE planned_visits ADD COLUMN rrule TEXT NOT NULL DEFAULT '';  -- RFC 5545 RRULE value, '' for one visit

UPDATE planned_visits SET uid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + abs(random() % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)));
CREATE UNIQUE INDEX planned_visits_uid ON planned_visits(uid) WHERE uid <> '';
CREATE TRIGGER planned_visits_uid AFTER INSERT ON planned_visits WHEN NEW.uid = '' BEGIN
    UPDATE planned_visits SET uid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + abs(random() % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))) WHERE id = NEW.id;
END;
UPDATE followups SET uid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + abs(random() % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)));
CREATE UNIQUE INDEX followups_uid ON followups(uid) WHERE uid <> '';
CREATE TRIGGER followups_uid AFTER INSERT ON followups WHEN NEW.uid = '' BEGIN
    UPDATE followups SET uid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + abs(random() % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))) WHERE id = NEW.id;
END;
UPDATE interactions SET uid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + abs(random() % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)));
CREATE UNIQUE INDEX interactions_uid ON interactions(uid) WHERE uid <> '';
CREATE TRIGGER interactions_uid AFTER INSERT ON interactions WHEN NEW.uid = '' BEGIN
    UPDATE interactions SET uid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + abs(random() % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))) WHERE id = NEW.id;
END;
UPDATE concerns SET uid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + abs(random() % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)));
CREATE UNIQUE INDEX concerns_uid ON concerns(uid) WHERE uid <> '';
CREATE TRIGGER concerns_uid AFTER INSERT ON concerns WHEN NEW.uid = '' BEGIN
    UPDATE concerns SET uid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + abs(random() % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))) WHERE id = NEW.id;
END;

-- What a calendar takes (e.g. 'VEVENT,VTODO,VJOURNAL'; '' for all): where
-- it takes no VJOURNAL, interactions travel as past events.
ALTER TABLE sync_collections ADD COLUMN components TEXT NOT NULL DEFAULT '';

-- Pending changes and conflicts say which collection kind they are of.
ALTER TABLE sync_pending ADD COLUMN kind TEXT NOT NULL DEFAULT 'contacts';
ALTER TABLE sync_conflicts ADD COLUMN kind TEXT NOT NULL DEFAULT 'contacts';
CREATE INDEX sync_pending_kind ON sync_pending(kind, seq);

-- Calendar items changed here, recorded in the same transaction as the
-- change once a calendar is synced. An insert without a UID is recorded by
-- the update its UID trigger makes.
CREATE TRIGGER sync_planned_visits_insert AFTER INSERT ON planned_visits
WHEN NEW.uid <> '' AND EXISTS (SELECT 1 FROM sync_collections WHERE kind = 'calendar') BEGIN
    UPDATE sync_clock SET n = n + 1;
    INSERT INTO sync_pending(uid, kind, deleted, seq) VALUES (NEW.uid, 'calendar', 0, (SELECT n FROM sync_clock))
    ON CONFLICT(uid) DO UPDATE SET deleted = 0, seq = excluded.seq;
END;
CREATE TRIGGER sync_planned_visits_update AFTER UPDATE ON planned_visits
WHEN NEW.uid <> '' AND EXISTS (SELECT 1 FROM sync_collections WHERE kind = 'calendar') BEGIN
    UPDATE sync_clock SET n = n + 1;
    INSERT INTO sync_pending(uid, kind, deleted, seq) VALUES (NEW.uid, 'calendar', 0, (SELECT n FROM sync_clock))
    ON CONFLICT(uid) DO UPDATE SET deleted = 0, seq = excluded.seq;
    INSERT INTO sync_pending(uid, kind, deleted, seq)
    SELECT OLD.uid, 'calendar', 1, (SELECT n FROM sync_clock) WHERE OLD.uid <> NEW.uid AND OLD.uid <> ''
    ON CONFLICT(uid) DO UPDATE SET deleted = 1, seq = excluded.seq;
END;
CREATE TRIGGER sync_planned_visits_delete AFTER DELETE ON planned_visits
WHEN OLD.uid <> '' AND EXISTS (SELECT 1 FROM sync_collections WHERE kind = 'calendar') BEGIN
    UPDATE sync_clock SET n = n + 1;
    INSERT INTO sync_pending(uid, kind, deleted, seq) VALUES (OLD.uid, 'calendar', 1, (SELECT n FROM sync_clock))
    ON CONFLICT(uid) DO UPDATE SET deleted = 1, seq = excluded.seq;
END;
CREATE TRIGGER sync_followups_insert AFTER INSERT ON followups
WHEN NEW.uid <> '' AND EXISTS (SELECT 1 FROM sync_collections WHERE kind = 'calendar') BEGIN
    UPDATE sync_clock SET n = n + 1;
    INSERT INTO sync_pending(uid, kind, deleted, seq) VALUES (NEW.uid, 'calendar', 0, (SELECT n FROM sync_clock))
    ON CONFLICT(uid) DO UPDATE SET deleted = 0, seq = excluded.seq;
END;
CREATE TRIGGER sync_followups_update AFTER UPDATE ON followups
WHEN NEW.uid <> '' AND EXISTS (SELECT 1 FROM sync_collections WHERE kind = 'calendar') BEGIN
    UPDATE sync_clock SET n = n + 1;
    INSERT INTO sync_pending(uid, kind, deleted, seq) VALUES (NEW.uid, 'calendar', 0, (SELECT n FROM sync_clock))
    ON CONFLICT(uid) DO UPDATE SET deleted = 0, seq = excluded.seq;
    INSERT INTO sync_pending(uid, kind, deleted, seq)
    SELECT OLD.uid, 'calendar', 1, (SELECT n FROM sync_clock) WHERE OLD.uid <> NEW.uid AND OLD.uid <> ''
    ON CONFLICT(uid) DO UPDATE SET deleted = 1, seq = excluded.seq;
END;
CREATE TRIGGER sync_followups_delete AFTER DELETE ON followups
WHEN OLD.uid <> '' AND EXISTS (SELECT 1 FROM sync_collections WHERE kind = 'calendar') BEGIN
    UPDATE sync_clock SET n = n + 1;
    INSERT INTO sync_pending(uid, kind, deleted, seq) VALUES (OLD.uid, 'calendar', 1, (SELECT n FROM sync_clock))
    ON CONFLICT(uid) DO UPDATE SET deleted = 1, seq = excluded.seq;
END;
CREATE TRIGGER sync_interactions_insert AFTER INSERT ON interactions
WHEN NEW.uid <> '' AND EXISTS (SELECT 1 FROM sync_collections WHERE kind = 'calendar') BEGIN
    UPDATE sync_clock SET n = n + 1;
    INSERT INTO sync_pending(uid, kind, deleted, seq) VALUES (NEW.uid, 'calendar', 0, (SELECT n FROM sync_clock))
    ON CONFLICT(uid) DO UPDATE SET deleted = 0, seq = excluded.seq;
END;
CREATE TRIGGER sync_interactions_update AFTER UPDATE ON interactions
WHEN NEW.uid <> '' AND EXISTS (SELECT 1 FROM sync_collections WHERE kind = 'calendar') BEGIN
    UPDATE sync_clock SET n = n + 1;
    INSERT INTO sync_pending(uid, kind, deleted, seq) VALUES (NEW.uid, 'calendar', 0, (SELECT n FROM sync_clock))
    ON CONFLICT(uid) DO UPDATE SET deleted = 0, seq = excluded.seq;
    INSERT INTO sync_pending(uid, kind, deleted, seq)
    SELECT OLD.uid, 'calendar', 1, (SELECT n FROM sync_clock) WHERE OLD.uid <> NEW.uid AND OLD.uid <> ''
    ON CONFLICT(uid) DO UPDATE SET deleted = 1, seq = excluded.seq;
END;
CREATE TRIGGER sync_interactions_delete AFTER DELETE ON interactions
WHEN OLD.uid <> '' AND EXISTS (SELECT 1 FROM sync_collections WHERE kind = 'calendar') BEGIN
    UPDATE sync_clock SET n = n + 1;
    INSERT INTO sync_pending(uid, kind, deleted, seq) VALUES (OLD.uid, 'calendar', 1, (SELECT n FROM sync_clock))
    ON CONFLICT(uid) DO UPDATE SET deleted = 1, seq = excluded.seq;
END;
CREATE TRIGGER sync_concerns_insert AFTER INSERT ON concerns
WHEN NEW.uid <> '' AND EXISTS (SELECT 1 FROM sync_collections WHERE kind = 'calendar') BEGIN
    UPDATE sync_clock SET n = n + 1;
    INSERT INTO sync_pending(uid, kind, deleted, seq) VALUES (NEW.uid, 'calendar', 0, (SELECT n FROM sync_clock))
    ON CONFLICT(uid) DO UPDATE SET deleted = 0, seq = excluded.seq;
END;
CREATE TRIGGER sync_concerns_update AFTER UPDATE ON concerns
WHEN NEW.uid <> '' AND EXISTS (SELECT 1 FROM sync_collections WHERE kind = 'calendar') BEGIN
    UPDATE sync_clock SET n = n + 1;
    INSERT INTO sync_pending(uid, kind, deleted, seq) VALUES (NEW.uid, 'calendar', 0, (SELECT n FROM sync_clock))
    ON CONFLICT(uid) DO UPDATE SET deleted = 0, seq = excluded.seq;
    INSERT INTO sync_pending(uid, kind, deleted, seq)
    SELECT OLD.uid, 'calendar', 1, (SELECT n FROM sync_clock) WHERE OLD.uid <> NEW.uid AND OLD.uid <> ''
    ON CONFLICT(uid) DO UPDATE SET deleted = 1, seq = excluded.seq;
END;
CREATE TRIGGER sync_concerns_delete AFTER DELETE ON concerns
WHEN OLD.uid <> '' AND EXISTS (SELECT 1 FROM sync_collections WHERE kind = 'calendar') BEGIN
    UPDATE sync_clock SET n = n + 1;
    INSERT INTO sync_pending(uid, kind, deleted, seq) VALUES (OLD.uid, 'calendar', 1, (SELECT n FROM sync_clock))
    ON CONFLICT(uid) DO UPDATE SET deleted = 1, seq = excluded.seq;
END;
