-- +goose Up
-- The audit trail. user_id and session_id have no foreign keys on purpose:
-- events outlive what they describe (a user_deleted event must survive the
-- delete it records). They are NULL when the event concerns no known user
-- (a failed login for an unknown email) or no session. detail is a JSON
-- object kept as text.
CREATE TABLE audit_events (
    id         TEXT     NOT NULL PRIMARY KEY,
    type       TEXT     NOT NULL,
    user_id    TEXT,
    session_id TEXT,
    ip         TEXT     NOT NULL DEFAULT '',
    user_agent TEXT     NOT NULL DEFAULT '',
    at         DATETIME NOT NULL,
    detail     TEXT     NOT NULL DEFAULT '{}' CHECK (json_valid(detail))
);

-- Ids are UUIDv7, so id order is time order: the newest-first listing walks
-- the primary key backwards and needs no index of its own. The filtered
-- listings do, each ending in id so that "WHERE ... AND id < cursor ORDER BY
-- id DESC LIMIT n" reads exactly one page of the index.
CREATE INDEX audit_events_user_id_idx ON audit_events (user_id, id);
CREATE INDEX audit_events_type_idx ON audit_events (type, id);

-- Retention: DELETE ... WHERE at < cutoff.
CREATE INDEX audit_events_at_idx ON audit_events (at);

-- +goose Down
DROP INDEX audit_events_at_idx;
DROP INDEX audit_events_type_idx;
DROP INDEX audit_events_user_id_idx;
DROP TABLE audit_events;
