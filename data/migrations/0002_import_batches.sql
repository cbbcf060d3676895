-- Each import is a batch that can be undone in one step: what it created,
-- and for what it updated, the card as it was before.
CREATE TABLE import_batches (
    id          INTEGER PRIMARY KEY,
    created_at  INTEGER NOT NULL,
    source      TEXT NOT NULL,
    new         INTEGER NOT NULL,
    updated     INTEGER NOT NULL
);

CREATE TABLE import_changes (
    batch_id    INTEGER NOT NULL REFERENCES import_batches(id) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    created     INTEGER NOT NULL,       -- 1: the import created the customer
    before      TEXT NOT NULL DEFAULT '', -- JSON of the card before an update
    added       TEXT NOT NULL DEFAULT '', -- JSON of profile row IDs the import added
    PRIMARY KEY (batch_id, customer_id)
) WITHOUT ROWID;
CREATE INDEX import_changes_customer ON import_changes(customer_id);
