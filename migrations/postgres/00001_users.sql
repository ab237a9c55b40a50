-- +goose Up
-- Emails are stored normalised (trimmed, lower-cased) by the domain, so a
-- plain unique constraint is a case-insensitive one.
CREATE TABLE users (
    id             uuid        PRIMARY KEY,
    email          text        NOT NULL,
    full_name      text        NOT NULL,
    role           text        NOT NULL CHECK (role IN ('user', 'admin')),
    password_hash  text        NOT NULL,
    disabled       boolean     NOT NULL DEFAULT false,
    email_verified boolean     NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    CONSTRAINT users_email_key UNIQUE (email)
);

-- +goose Down
DROP TABLE users;
