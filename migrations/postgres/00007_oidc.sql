-- +goose Up
-- Signing in with OpenID Connect providers.

-- An account made by signing in with a provider has no password.
ALTER TABLE users ALTER COLUMN password_hash DROP NOT NULL;

-- An account at a provider, linked to one user. (provider, subject) is the
-- provider's stable id of the person; email is what the provider said when
-- the identity was linked, for display only.
CREATE TABLE identities (
    id         uuid        PRIMARY KEY,
    user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider   text        NOT NULL,
    subject    text        NOT NULL,
    email      text        NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL,
    CONSTRAINT identities_provider_subject_key UNIQUE (provider, subject)
);
CREATE INDEX identities_user_id_idx ON identities (user_id, id);

-- Started flows, found by the SHA-256 of their state parameter and used
-- once. binding_hash is the hash of the flow cookie. link_user_id is the
-- caller of a link flow (NULL for a sign-in).
CREATE TABLE oidc_flow_states (
    state_hash   text        PRIMARY KEY,
    binding_hash text        NOT NULL,
    provider     text        NOT NULL,
    nonce        text        NOT NULL,
    verifier     text        NOT NULL,
    redirect_to  text        NOT NULL,
    link_user_id uuid        REFERENCES users (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL
);
CREATE INDEX oidc_flow_states_expires_at_idx ON oidc_flow_states (expires_at);
CREATE INDEX oidc_flow_states_link_user_id_idx ON oidc_flow_states (link_user_id);

-- One-time login codes of finished sign-ins, found by their SHA-256.
CREATE TABLE oidc_login_codes (
    code_hash  text        PRIMARY KEY,
    user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider   text        NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX oidc_login_codes_expires_at_idx ON oidc_login_codes (expires_at);
CREATE INDEX oidc_login_codes_user_id_idx ON oidc_login_codes (user_id);

-- +goose Down
DROP TABLE oidc_login_codes;
DROP TABLE oidc_flow_states;
DROP TABLE identities;
-- The old schema cannot hold an account without a password. Such accounts
-- could only sign in through the identities dropped above, so they go too
-- (their sessions with them, by the foreign key).
DELETE FROM users WHERE password_hash IS NULL;
ALTER TABLE users ALTER COLUMN password_hash SET NOT NULL;
