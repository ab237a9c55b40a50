-- +goose Up
-- The background cleanup deletes expired sessions (by their idle deadline,
-- which the absolute deadline caps) and sessions revoked longer ago than the
-- audit retention, in small batches: each arm of its condition reads one of
-- these partial indexes instead of the whole table.
CREATE INDEX sessions_idle_expires_at_idx ON sessions (idle_expires_at) WHERE revoked_at IS NULL;
CREATE INDEX sessions_revoked_at_idx ON sessions (revoked_at) WHERE revoked_at IS NOT NULL;

-- +goose Down
DROP INDEX sessions_revoked_at_idx;
DROP INDEX sessions_idle_expires_at_idx;
