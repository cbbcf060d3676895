-- Customers are people; companies group them.
CREATE TABLE companies (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE
);

CREATE TABLE customers (
    id             INTEGER PRIMARY KEY,
    uid            TEXT NOT NULL UNIQUE,
    prefix         TEXT NOT NULL DEFAULT '',
    given_name     TEXT NOT NULL DEFAULT '',
    middle_name    TEXT NOT NULL DEFAULT '',
    family_name    TEXT NOT NULL DEFAULT '',
    suffix         TEXT NOT NULL DEFAULT '',
    formatted_name TEXT NOT NULL DEFAULT '',
    display_name   TEXT NOT NULL,
    sort_name      TEXT NOT NULL,
    nickname       TEXT NOT NULL DEFAULT '',
    company_id     INTEGER REFERENCES companies(id) ON DELETE SET NULL,
    department     TEXT NOT NULL DEFAULT '',
    title          TEXT NOT NULL DEFAULT '',
    birthday       TEXT NOT NULL DEFAULT '',
    anniversary    TEXT NOT NULL DEFAULT '',
    photo          BLOB,
    photo_mime     TEXT NOT NULL DEFAULT '',
    photo_url      TEXT NOT NULL DEFAULT '',
    card_note      TEXT NOT NULL DEFAULT '',
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX customers_sort ON customers(sort_name, id);
CREATE INDEX customers_company ON customers(company_id);

-- Phones, e-mails and links, in the order the card gives them.
CREATE TABLE contact_points (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('phone', 'email', 'url')),
    position    INTEGER NOT NULL,
    label       TEXT NOT NULL DEFAULT '',
    value       TEXT NOT NULL,
    -- digits only for phones, lower case for e-mail: what duplicate matching compares
    normalized  TEXT NOT NULL DEFAULT '',
    pref        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX contact_points_customer ON contact_points(customer_id, kind, position);
CREATE INDEX contact_points_normalized ON contact_points(kind, normalized);

CREATE TABLE addresses (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    label       TEXT NOT NULL DEFAULT '',
    street      TEXT NOT NULL DEFAULT '',
    locality    TEXT NOT NULL DEFAULT '',
    region      TEXT NOT NULL DEFAULT '',
    postcode    TEXT NOT NULL DEFAULT '',
    country     TEXT NOT NULL DEFAULT '',
    pref        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX addresses_customer ON addresses(customer_id, position);

CREATE TABLE tags (
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    tag         TEXT NOT NULL,
    PRIMARY KEY (customer_id, position)
) WITHOUT ROWID;
CREATE INDEX tags_tag ON tags(tag COLLATE NOCASE);

-- vCard properties Rapport does not model, written back on export.
CREATE TABLE extra_properties (
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    raw         TEXT NOT NULL,
    PRIMARY KEY (customer_id, position)
) WITHOUT ROWID;

-- The personal profile.
CREATE TABLE profile_items (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    category     TEXT NOT NULL,
    text         TEXT NOT NULL,
    confidential INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL
);
CREATE INDEX profile_items_customer ON profile_items(customer_id);

CREATE TABLE family_members (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    relation     TEXT NOT NULL,
    name         TEXT NOT NULL,
    birthday     TEXT NOT NULL DEFAULT '',
    notes        TEXT NOT NULL DEFAULT '',
    confidential INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX family_members_customer ON family_members(customer_id);

CREATE TABLE pets (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    species      TEXT NOT NULL DEFAULT '',
    notes        TEXT NOT NULL DEFAULT '',
    confidential INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX pets_customer ON pets(customer_id);

-- History.
CREATE TABLE interactions (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('visit', 'call', 'email', 'meeting', 'other')),
    at           INTEGER NOT NULL,
    duration_s   INTEGER NOT NULL DEFAULT 0,
    summary      TEXT NOT NULL DEFAULT '',
    notes        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX interactions_customer_at ON interactions(customer_id, at DESC, id DESC);

CREATE TABLE notes (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    at           INTEGER NOT NULL,
    text         TEXT NOT NULL,
    confidential INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX notes_customer_at ON notes(customer_id, at DESC, id DESC);

-- Full-text search. The card document (rowid = customer id) holds names,
-- company, contact details, tags and profile; interactions and notes have
-- their own documents (rowid = their id). The store keeps them in sync.
-- secure-delete removes a deleted row's terms from the index at once, so a
-- forgotten customer leaves no trace in it.
CREATE VIRTUAL TABLE customer_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4');
INSERT INTO customer_fts(customer_fts, rank) VALUES ('secure-delete', 1);
CREATE VIRTUAL TABLE interaction_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4');
INSERT INTO interaction_fts(interaction_fts, rank) VALUES ('secure-delete', 1);
CREATE VIRTUAL TABLE note_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4');
INSERT INTO note_fts(note_fts, rank) VALUES ('secure-delete', 1);
