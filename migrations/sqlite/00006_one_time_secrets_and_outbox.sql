-- +goose Up
-- One-time secrets (email verification, password reset, email change). Only
-- keyed digests of the token and the code are stored. email is the address
-- the secret was mailed to. A secret is pending while ended_at is NULL.
CREATE TABLE one_time_secrets (
    id           TEXT     NOT NULL PRIMARY KEY,
    user_id      TEXT     NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose      TEXT     NOT NULL CHECK (purpose IN ('verify_email', 'reset_password', 'change_email')),
    email        TEXT     NOT NULL,
    token_digest BLOB     NOT NULL UNIQUE,
    code_digest  BLOB     NOT NULL,
    created_at   DATETIME NOT NULL,
    expires_at   DATETIME NOT NULL,
    failures     INTEGER  NOT NULL DEFAULT 0 CHECK (failures >= 0),
    ended_at     DATETIME,
    end_reason   TEXT     NOT NULL DEFAULT ''
);

-- The code form and superseding look up a user's pending secrets of a purpose.
CREATE INDEX one_time_secrets_pending_idx ON one_time_secrets (user_id, purpose, id) WHERE ended_at IS NULL;
-- The sweeper deletes expired and ended secrets.
CREATE INDEX one_time_secrets_expires_at_idx ON one_time_secrets (expires_at);
CREATE INDEX one_time_secrets_ended_at_idx ON one_time_secrets (ended_at) WHERE ended_at IS NOT NULL;

-- The mail outbox: written in the transaction of the secret it carries,
-- delivered by the background sender. payload is sealed (AES-GCM under a
-- server key), so no live token or code can be read from it.
-- next_attempt_at is when the message is next due; a claim moves it to the
-- end of the claim's lease.
CREATE TABLE mail_outbox (
    id              TEXT     NOT NULL PRIMARY KEY,
    purpose         TEXT     NOT NULL,
    recipient       TEXT     NOT NULL,
    payload         BLOB     NOT NULL,
    status          TEXT     NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        INTEGER  NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at DATETIME NOT NULL,
    created_at      DATETIME NOT NULL,
    settled_at      DATETIME,
    last_error      TEXT     NOT NULL DEFAULT ''
);

-- Claims: pending messages by due time.
CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at, id) WHERE status = 'pending';
-- The sweeper: sent messages by when they were sent.
CREATE INDEX mail_outbox_sent_idx ON mail_outbox (settled_at) WHERE status = 'sent';

-- +goose Down
DROP INDEX mail_outbox_sent_idx;
DROP INDEX mail_outbox_due_idx;
DROP TABLE mail_outbox;
DROP INDEX one_time_secrets_ended_at_idx;
DROP INDEX one_time_secrets_expires_at_idx;
DROP INDEX one_time_secrets_pending_idx;
DROP TABLE one_time_secrets;
