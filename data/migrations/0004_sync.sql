-- Sync through a CardDAV (and later CalDAV) server the company runs.
-- One account; its collections (the address book now, calendars in part 2)
-- share the engine and these tables.
CREATE TABLE sync_account (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    url        TEXT NOT NULL,
    user_name  TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE sync_collections (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,            -- 'contacts'; part 2 adds calendar kinds
    href       TEXT NOT NULL UNIQUE,     -- absolute path on the server
    name       TEXT NOT NULL DEFAULT '',
    token      TEXT NOT NULL DEFAULT '', -- RFC 6578 sync token, '' for a full listing
    last_sync  INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT ''
);

-- Every item both sides know: where it is, its ETag, and the copy last
-- agreed on, which is the base of the three-way merge.
CREATE TABLE sync_items (
    collection_id INTEGER NOT NULL REFERENCES sync_collections(id) ON DELETE CASCADE,
    uid           TEXT NOT NULL,
    href          TEXT NOT NULL,
    etag          TEXT NOT NULL DEFAULT '',
    base          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (collection_id, uid)
) WITHOUT ROWID;
CREATE UNIQUE INDEX sync_items_href ON sync_items(collection_id, href);

-- Customers changed here since they were last sent, written by the
-- triggers below in the same transaction as the change, so a crash between
-- an edit and the next sync loses nothing. seq grows with every change, so
-- a sync clears only what it sent, never an edit made while it ran.
CREATE TABLE sync_pending (
    uid     TEXT PRIMARY KEY,
    deleted INTEGER NOT NULL DEFAULT 0,
    seq     INTEGER NOT NULL
) WITHOUT ROWID;

-- The clock of seq: it only grows, so a seq is never given twice.
CREATE TABLE sync_clock (n INTEGER NOT NULL);
INSERT INTO sync_clock VALUES (0);

-- A field changed on both sides to different values. Both whole cards are
-- kept (mine as it was here, theirs as the server had it) until the user picks.
CREATE TABLE sync_conflicts (
    id         INTEGER PRIMARY KEY,
    uid        TEXT NOT NULL,
    field      TEXT NOT NULL,   -- 'name', 'phones', ... or 'deleted'
    mine       TEXT NOT NULL,
    theirs     TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (uid, field)
);

CREATE TRIGGER sync_customer_insert AFTER INSERT ON customers
WHEN EXISTS (SELECT 1 FROM sync_account) BEGIN
    UPDATE sync_clock SET n = n + 1;
    INSERT INTO sync_pending(uid, deleted, seq)
    VALUES (NEW.uid, 0, (SELECT n FROM sync_clock))
    ON CONFLICT(uid) DO UPDATE SET deleted = 0, seq = excluded.seq;
END;

CREATE TRIGGER sync_customer_update AFTER UPDATE ON customers
WHEN EXISTS (SELECT 1 FROM sync_account) BEGIN
    UPDATE sync_clock SET n = n + 1;
    INSERT INTO sync_pending(uid, deleted, seq)
    VALUES (NEW.uid, 0, (SELECT n FROM sync_clock))
    ON CONFLICT(uid) DO UPDATE SET deleted = 0, seq = excluded.seq;
    INSERT INTO sync_pending(uid, deleted, seq)
    SELECT OLD.uid, 1, (SELECT n FROM sync_clock) WHERE OLD.uid <> NEW.uid
    ON CONFLICT(uid) DO UPDATE SET deleted = 1, seq = excluded.seq;
END;

CREATE TRIGGER sync_customer_delete AFTER DELETE ON customers
WHEN EXISTS (SELECT 1 FROM sync_account) BEGIN
    UPDATE sync_clock SET n = n + 1;
    INSERT INTO sync_pending(uid, deleted, seq)
    VALUES (OLD.uid, 1, (SELECT n FROM sync_clock))
    ON CONFLICT(uid) DO UPDATE SET deleted = 1, seq = excluded.seq;
END;

-- The card's other parts: a change marks its customer (never a deleted one:
-- when the customer row is gone, the subquery finds nothing).
CREATE TRIGGER sync_contact_points_insert AFTER INSERT ON contact_points
WHEN EXISTS (SELECT 1 FROM sync_account) BEGIN
    UPDATE sync_clock SET n = n + 1;
    INSERT INTO sync_pending(uid, deleted, seq)
    SELECT uid, 0, (SELECT n FROM sync_clock) FROM customers WHERE id = NEW.customer_id
    ON CONFLICT(uid) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER sync_contact_points_update AFTER UPDATE ON contact_points
WHEN EXISTS (SELECT 1 FROM sync_account) BEGIN
    UPDATE sync_clock SET n = n + 1;
    INSERT INTO sync_pending(uid, deleted, seq)
    SELECT uid, 0, (SELECT n FROM sync_clock) FROM customers WHERE id = NEW.customer_id
    ON CONFLICT(uid) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER sync_contact_points_delete AFTER DELETE ON contact_points
WHEN EXISTS (SELECT 1 FROM sync_account) BEGIN
    UPDATE sync_clock SET n = n + 1;
    INSERT INTO sync_pending(uid, deleted, seq)
    SELECT uid, 0, (SELECT n FROM sync_clock) FROM customers WHERE id = OLD.customer_id
    ON CONFLICT(uid) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER sync_addresses_insert AFTER INSERT ON addresses
WHEN EXISTS (SELECT 1 FROM sync_account) BEGIN
    UPDATE sync_clock SET n = n + 1;
    INSERT INTO sync_pending(uid, deleted, seq)
    SELECT uid, 0, (SELECT n FROM sync_clock) FROM customers WHERE id = NEW.customer_id
    ON CONFLICT(uid) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER sync_addresses_update AFTER UPDATE ON addresses
WHEN EXISTS (SELECT 1 FROM sync_account) BEGIN
    UPDATE sync_clock SET n = n + 1;
    INSERT INTO sync_pending(uid, deleted, seq)
    SELECT uid, 0, (SELECT n FROM sync_clock) FROM customers WHERE id = NEW.customer_id
    ON CONFLICT(uid) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER sync_addresses_delete AFTER DELETE ON addresses
WHEN EXISTS (SELECT 1 FROM sync_account) BEGIN
    UPDATE sync_clock SET n = n + 1;
    INSERT INTO sync_pending(uid, deleted, seq)
    SELECT uid, 0, (SELECT n FROM sync_clock) FROM customers WHERE id = OLD.customer_id
    ON CONFLICT(uid) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER sync_tags_insert AFTER INSERT ON tags
WHEN EXISTS (SELECT 1 FROM sync_account) BEGIN
    UPDATE sync_clock SET n = n + 1;
    INSERT INTO sync_pending(uid, deleted, seq)
    SELECT uid, 0, (SELECT n FROM sync_clock) FROM customers WHERE id = NEW.customer_id
    ON CONFLICT(uid) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER sync_tags_update AFTER UPDATE ON tags
WHEN EXISTS (SELECT 1 FROM sync_account) BEGIN
    UPDATE sync_clock SET n = n + 1;
    INSERT INTO sync_pending(uid, deleted, seq)
    SELECT uid, 0, (SELECT n FROM sync_clock) FROM customers WHERE id = NEW.customer_id
    ON CONFLICT(uid) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER sync_tags_delete AFTER DELETE ON tags
WHEN EXISTS (SELECT 1 FROM sync_account) BEGIN
    UPDATE sync_clock SET n = n + 1;
    INSERT INTO sync_pending(uid, deleted, seq)
    SELECT uid, 0, (SELECT n FROM sync_clock) FROM customers WHERE id = OLD.customer_id
    ON CONFLICT(uid) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER sync_extra_properties_insert AFTER INSERT ON extra_properties
WHEN EXISTS (SELECT 1 FROM sync_account) BEGIN
    UPDATE sync_clock SET n = n + 1;
    INSERT INTO sync_pending(uid, deleted, seq)
    SELECT uid, 0, (SELECT n FROM sync_clock) FROM customers WHERE id = NEW.customer_id
    ON CONFLICT(uid) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER sync_extra_properties_update AFTER UPDATE ON extra_properties
WHEN EXISTS (SELECT 1 FROM sync_account) BEGIN
    UPDATE sync_clock SET n = n + 1;
    INSERT INTO sync_pending(uid, deleted, seq)
    SELECT uid, 0, (SELECT n FROM sync_clock) FROM customers WHERE id = NEW.customer_id
    ON CONFLICT(uid) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER sync_extra_properties_delete AFTER DELETE ON extra_properties
WHEN EXISTS (SELECT 1 FROM sync_account) BEGIN
    UPDATE sync_clock SET n = n + 1;
    INSERT INTO sync_pending(uid, deleted, seq)
    SELECT uid, 0, (SELECT n FROM sync_clock) FROM customers WHERE id = OLD.customer_id
    ON CONFLICT(uid) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER sync_profile_items_insert AFTER INSERT ON profile_items
WHEN EXISTS (SELECT 1 FROM sync_account) BEGIN
    UPDATE sync_clock SET n = n + 1;
    INSERT INTO sync_pending(uid, deleted, seq)
    SELECT uid, 0, (SELECT n FROM sync_clock) FROM customers WHERE id = NEW.customer_id
    ON CONFLICT(uid) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER sync_profile_items_update AFTER UPDATE ON profile_items
WHEN EXISTS (SELECT 1 FROM sync_account) BEGIN
    UPDATE sync_clock SET n = n + 1;
    INSERT INTO sync_pending(uid, deleted, seq)
    SELECT uid, 0, (SELECT n FROM sync_clock) FROM customers WHERE id = NEW.customer_id
    ON CONFLICT(uid) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER sync_profile_items_delete AFTER DELETE ON profile_items
WHEN EXISTS (SELECT 1 FROM sync_account) BEGIN
    UPDATE sync_clock SET n = n + 1;
    INSERT INTO sync_pending(uid, deleted, seq)
    SELECT uid, 0, (SELECT n FROM sync_clock) FROM customers WHERE id = OLD.customer_id
    ON CONFLICT(uid) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER sync_family_members_insert AFTER INSERT ON family_members
WHEN EXISTS (SELECT 1 FROM sync_account) BEGIN
    UPDATE sync_clock SET n = n + 1;
    INSERT INTO sync_pending(uid, deleted, seq)
    SELECT uid, 0, (SELECT n FROM sync_clock) FROM customers WHERE id = NEW.customer_id
    ON CONFLICT(uid) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER sync_family_members_update AFTER UPDATE ON family_members
WHEN EXISTS (SELECT 1 FROM sync_account) BEGIN
    UPDATE sync_clock SET n = n + 1;
    INSERT INTO sync_pending(uid, deleted, seq)
    SELECT uid, 0, (SELECT n FROM sync_clock) FROM customers WHERE id = NEW.customer_id
    ON CONFLICT(uid) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER sync_family_members_delete AFTER DELETE ON family_members
WHEN EXISTS (SELECT 1 FROM sync_account) BEGIN
    UPDATE sync_clock SET n = n + 1;
    INSERT INTO sync_pending(uid, deleted, seq)
    SELECT uid, 0, (SELECT n FROM sync_clock) FROM customers WHERE id = OLD.customer_id
    ON CONFLICT(uid) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER sync_pets_insert AFTER INSERT ON pets
WHEN EXISTS (SELECT 1 FROM sync_account) BEGIN
    UPDATE sync_clock SET n = n + 1;
    INSERT INTO sync_pending(uid, deleted, seq)
    SELECT uid, 0, (SELECT n FROM sync_clock) FROM customers WHERE id = NEW.customer_id
    ON CONFLICT(uid) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER sync_pets_update AFTER UPDATE ON pets
WHEN EXISTS (SELECT 1 FROM sync_account) BEGIN
    UPDATE sync_clock SET n = n + 1;
    INSERT INTO sync_pending(uid, deleted, seq)
    SELECT uid, 0, (SELECT n FROM sync_clock) FROM customers WHERE id = NEW.customer_id
    ON CONFLICT(uid) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER sync_pets_delete AFTER DELETE ON pets
WHEN EXISTS (SELECT 1 FROM sync_account) BEGIN
    UPDATE sync_clock SET n = n + 1;
    INSERT INTO sync_pending(uid, deleted, seq)
    SELECT uid, 0, (SELECT n FROM sync_clock) FROM customers WHERE id = OLD.customer_id
    ON CONFLICT(uid) DO UPDATE SET seq = excluded.seq;
END;
