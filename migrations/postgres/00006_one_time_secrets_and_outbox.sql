-- +goose Up
-- One-time secrets (email verification, password reset, email change). Only
-- keyed digests of the token and the code are stored. email is the address
-- the secret was mailed to. A secret is pending while ended_at is NULL.
CREATE TABLE one_time_secrets (
    id           uuid        PRIMARY KEY,
    user_id      uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose      text        NOT NULL CHECK (purpose IN ('verify_email', 'reset_password', 'change_email')),
    email        text        NOT NULL,
    token_digest bytea       NOT NULL,
    code_digest  bytea       NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    failures     integer     NOT NULL DEFAULT 0 CHECK (failures >= 0),
    ended_at     timestamptz,
    end_reason   text        NOT NULL DEFAULT '',
    CONSTRAINT one_time_secrets_token_digest_key UNIQUE (token_digest)
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
    id              uuid        PRIMARY KEY,
    purpose         text        NOT NULL,
    recipient       text        NOT NULL,
    payload         bytea       NOT NULL,
    status          text        NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at timestamptz NOT NULL,
    created_at      timestamptz NOT NULL,
    settled_at      timestamptz,
    last_error      text        NOT NULL DEFAULT ''
);

-- Claims: pending messages by due time.
CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at, id) WHERE status = 'pending';
-- The sweeper: sent messages by when they were sent.
CREATE INDEX mail_outbox_sent_idx ON mail_outbox (settled_at) WHERE status = 'sent';

-- +goose Down
DROP TABLE mail_outbox;
DROP TABLE one_time_secrets;
