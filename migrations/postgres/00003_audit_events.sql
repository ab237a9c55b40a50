-- +goose Up
-- The audit trail. user_id and session_id have no foreign keys on purpose:
-- events outlive what they describe (a user_deleted event must survive the
-- delete it records). They are NULL when the event concerns no known user
-- (a failed login for an unknown email) or no session.
CREATE TABLE audit_events (
    id         uuid        PRIMARY KEY,
    type       text        NOT NULL,
    user_id    uuid,
    session_id uuid,
    ip         text        NOT NULL DEFAULT '',
    user_agent text        NOT NULL DEFAULT '',
    at         timestamptz NOT NULL,
    detail     jsonb       NOT NULL DEFAULT '{}'
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
DROP TABLE audit_events;
