-- +goose Up
-- One row per login. The refresh token itself is never stored: it is derived
-- from (id, generation) under a server key.
CREATE TABLE sessions (
    id              uuid        PRIMARY KEY,
    user_id         uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    generation      bigint      NOT NULL CHECK (generation > 0),
    user_agent      text        NOT NULL DEFAULT '',
    ip              text        NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL,
    last_used_at    timestamptz NOT NULL,
    rotated_at      timestamptz NOT NULL,
    idle_expires_at timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    revoked_at      timestamptz,
    revoke_reason   text        NOT NULL DEFAULT ''
);

-- Serves listing, revoke-all and the session cap (all "sessions of user X"),
-- and the cascade when a user is deleted.
CREATE INDEX sessions_user_id_idx ON sessions (user_id);

-- +goose Down
DROP TABLE sessions;
