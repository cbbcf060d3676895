-- Before the visit: concerns to calibrate, the customer's temperature,
-- follow-ups and promises, a contact cadence and planned visits.

-- A ranked list of what the customer needs or worries about, each with the
-- day it was last confirmed with them.
CREATE TABLE concerns (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    text         TEXT NOT NULL,
    rank         INTEGER NOT NULL,
    resolved_at  INTEGER,          -- NULL while open
    confirmed_at INTEGER NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX concerns_customer ON concerns(customer_id, rank);

-- Every change to a concern, so a calibration keeps its history.
CREATE TABLE concern_events (
    id         INTEGER PRIMARY KEY,
    concern_id INTEGER NOT NULL REFERENCES concerns(id) ON DELETE CASCADE,
    at         INTEGER NOT NULL,
    action     TEXT NOT NULL,      -- created, confirmed, ranked, edited, resolved, reopened
    detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX concern_events_concern ON concern_events(concern_id, at);

-- "Are you satisfied?" and "Do I understand that correctly?" on an interaction.
ALTER TABLE interactions ADD COLUMN temperature INTEGER CHECK (temperature BETWEEN 1 AND 5);
ALTER TABLE interactions ADD COLUMN temp_concern_id INTEGER REFERENCES concerns(id) ON DELETE SET NULL;
ALTER TABLE interactions ADD COLUMN temp_comment TEXT NOT NULL DEFAULT '';
ALTER TABLE interactions ADD COLUMN heard TEXT NOT NULL DEFAULT '';
ALTER TABLE interactions ADD COLUMN heard_confirmed INTEGER NOT NULL DEFAULT 0;
CREATE INDEX interactions_temperature ON interactions(at) WHERE temperature IS NOT NULL;

-- Follow-ups and promises ("rinse and repeat").
CREATE TABLE followups (
    id             INTEGER PRIMARY KEY,
    customer_id    INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    interaction_id INTEGER REFERENCES interactions(id) ON DELETE SET NULL,
    promise        INTEGER NOT NULL DEFAULT 0, -- 1: something we promised them
    text           TEXT NOT NULL,
    due            TEXT NOT NULL,              -- YYYY-MM-DD
    done_at        INTEGER,
    created_at     INTEGER NOT NULL
);
CREATE INDEX followups_customer ON followups(customer_id, done_at, due);
CREATE INDEX followups_open_due ON followups(due) WHERE done_at IS NULL;

-- Planned visits.
CREATE TABLE planned_visits (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    at          INTEGER NOT NULL,
    minutes     INTEGER NOT NULL DEFAULT 0,
    purpose     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX planned_visits_at ON planned_visits(at);
CREATE INDEX planned_visits_customer ON planned_visits(customer_id, at);

-- The contact cadence, and what the Today view and list sort by, kept up to
-- date by the store: the last contact and the current temperature.
ALTER TABLE customers ADD COLUMN cadence_days INTEGER;     -- ideal days between contacts
ALTER TABLE customers ADD COLUMN cadence_max_days INTEGER; -- overdue after this many
ALTER TABLE customers ADD COLUMN last_contact_at INTEGER;
ALTER TABLE customers ADD COLUMN temperature INTEGER;
UPDATE customers SET last_contact_at = (SELECT max(at) FROM interactions WHERE customer_id = customers.id);
CREATE INDEX customers_contact_due ON customers(coalesce(last_contact_at, created_at) + cadence_days * 86400) WHERE cadence_days IS NOT NULL;
CREATE INDEX customers_temperature ON customers(temperature, sort_name) WHERE temperature IS NOT NULL;

-- Personal dates by month and day, for "birthdays in the next 14 days".
CREATE INDEX customers_birthday_md ON customers(substr(birthday, -5)) WHERE birthday <> '';
CREATE INDEX customers_anniversary_md ON customers(substr(anniversary, -5)) WHERE anniversary <> '';
CREATE INDEX family_birthday_md ON family_members(substr(birthday, -5)) WHERE birthday <> '';

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
