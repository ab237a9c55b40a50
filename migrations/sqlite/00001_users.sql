-- +goose Up
-- Times are DATETIME so the driver parses them back into time.Time; the
-- adapter always writes them in UTC, which keeps their text form sortable.
-- Emails are stored normalised (trimmed, lower-cased) by the domain, so a
-- plain unique constraint is a case-insensitive one.
CREATE TABLE users (
    id             TEXT     NOT NULL PRIMARY KEY,
    email          TEXT     NOT NULL UNIQUE,
    full_name      TEXT     NOT NULL,
    role           TEXT     NOT NULL CHECK (role IN ('user', 'admin')),
    password_hash  TEXT     NOT NULL,
    disabled       BOOLEAN  NOT NULL DEFAULT 0,
    email_verified BOOLEAN  NOT NULL DEFAULT 0,
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL
);

-- +goose Down
DROP TABLE users;
