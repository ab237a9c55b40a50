-- +goose NO TRANSACTION
-- +goose Up
-- Signing in with OpenID Connect providers.
--
-- SQLite cannot drop a column's NOT NULL: users is rebuilt (the procedure
-- of https://www.sqlite.org/lang_altertable.html#otheralter). Foreign keys
-- must be off while it is, or dropping the old table would cascade to
-- every table referencing users; the pragma has no effect inside a
-- transaction, so this migration runs outside goose's and opens its own
-- for the rebuild. goose runs it on one connection, so the pragma and the
-- transaction apply to the same one.
PRAGMA foreign_keys = OFF;

BEGIN IMMEDIATE;

-- An account made by signing in with a provider has no password.
CREATE TABLE users_new (
    id             TEXT     NOT NULL PRIMARY KEY,
    email          TEXT     NOT NULL UNIQUE,
    full_name      TEXT     NOT NULL,
    role           TEXT     NOT NULL CHECK (role IN ('user', 'admin')),
    password_hash  TEXT,
    disabled       BOOLEAN  NOT NULL DEFAULT 0,
    email_verified BOOLEAN  NOT NULL DEFAULT 0,
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL
);
-- SELECT * on purpose: should an earlier migration ever add a column to
-- users, the column counts differ and this fails, instead of silently
-- dropping the column.
INSERT INTO users_new SELECT * FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;

-- An account at a provider, linked to one user. (provider, subject) is the
-- provider's stable id of the person; email is what the provider said when
-- the identity was linked, for display only.
CREATE TABLE identities (
    id         TEXT     NOT NULL PRIMARY KEY,
    user_id    TEXT     NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider   TEXT     NOT NULL,
    subject    TEXT     NOT NULL,
    email      TEXT     NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL,
    UNIQUE (provider, subject)
);
CREATE INDEX identities_user_id_idx ON identities (user_id, id);

-- Started flows, found by the SHA-256 of their state parameter and used
-- once. binding_hash is the hash of the flow cookie. link_user_id is the
-- caller of a link flow (NULL for a sign-in).
CREATE TABLE oidc_flow_states (
    state_hash   TEXT     NOT NULL PRIMARY KEY,
    binding_hash TEXT     NOT NULL,
    provider     TEXT     NOT NULL,
    nonce        TEXT     NOT NULL,
    verifier     TEXT     NOT NULL,
    redirect_to  TEXT     NOT NULL,
    link_user_id TEXT     REFERENCES users (id) ON DELETE CASCADE,
    created_at   DATETIME NOT NULL,
    expires_at   DATETIME NOT NULL
);
CREATE INDEX oidc_flow_states_expires_at_idx ON oidc_flow_states (expires_at);
CREATE INDEX oidc_flow_states_link_user_id_idx ON oidc_flow_states (link_user_id);

-- One-time login codes of finished sign-ins, found by their SHA-256.
CREATE TABLE oidc_login_codes (
    code_hash  TEXT     NOT NULL PRIMARY KEY,
    user_id    TEXT     NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider   TEXT     NOT NULL,
    created_at DATETIME NOT NULL,
    expires_at DATETIME NOT NULL
);
CREATE INDEX oidc_login_codes_expires_at_idx ON oidc_login_codes (expires_at);
CREATE INDEX oidc_login_codes_user_id_idx ON oidc_login_codes (user_id);

COMMIT;

PRAGMA foreign_keys = ON;

-- +goose Down
DROP TABLE oidc_login_codes;
DROP TABLE oidc_flow_states;
DROP TABLE identities;
-- The old schema cannot hold an account without a password. Such accounts
-- could only sign in through the identities dropped above, so they go too,
-- while foreign keys are on, so that what references them goes with them.
DELETE FROM users WHERE password_hash IS NULL;

PRAGMA foreign_keys = OFF;

BEGIN IMMEDIATE;

CREATE TABLE users_old (
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
INSERT INTO users_old SELECT * FROM users;
DROP TABLE users;
ALTER TABLE users_old RENAME TO users;

COMMIT;

PRAGMA foreign_keys = ON;
