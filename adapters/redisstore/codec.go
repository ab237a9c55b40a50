package redisstore

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
)

// Key names. Every key starts with keyPrefix so that the store can share a
// Redis with other data (the rate limiter's keys start with authd:rl:).
const (
	keyPrefix       = "authd:"
	sessionPrefix   = keyPrefix + "session:"
	userIndexPrefix = keyPrefix + "user-sessions:"
	streamKey       = keyPrefix + "audit-events"
	// eventField is the one field of a stream entry: the event as JSON.
	eventField = "event"
)

func sessionKey(id session.ID) string { return sessionPrefix + id.String() }

func userKey(id user.ID) string { return userIndexPrefix + id.String() }

// sessionRecord is a session as stored: the snapshot, ids as text. It holds
// the generation, never a token: a dump of Redis yields no usable token.
type sessionRecord struct {
	ID            string     `json:"id"`
	UserID        string     `json:"user_id"`
	Generation    uint64     `json:"generation"`
	UserAgent     string     `json:"user_agent"`
	IP            string     `json:"ip"`
	CreatedAt     time.Time  `json:"created_at"`
	LastUsedAt    time.Time  `json:"last_used_at"`
	RotatedAt     time.Time  `json:"rotated_at"`
	IdleExpiresAt time.Time  `json:"idle_expires_at"`
	ExpiresAt     time.Time  `json:"expires_at"`
	RevokedAt     *time.Time `json:"revoked_at,omitempty"`
	RevokeReason  string     `json:"revoke_reason,omitempty"`
}

func encodeSession(sn session.Snapshot) (string, error) {
	b, err := json.Marshal(sessionRecord{
		ID: sn.ID.String(), UserID: sn.UserID.String(), Generation: uint64(sn.Generation),
		UserAgent: sn.UserAgent, IP: sn.IP,
		CreatedAt: sn.CreatedAt.UTC(), LastUsedAt: sn.LastUsedAt.UTC(), RotatedAt: sn.RotatedAt.UTC(),
		IdleExpiresAt: sn.IdleExpiresAt.UTC(), ExpiresAt: sn.ExpiresAt.UTC(),
		RevokedAt: sn.RevokedAt, RevokeReason: string(sn.RevokeReason),
	})
	if err != nil {
		return "", fmt.Errorf("redisstore: encode session %s: %w", sn.ID, err)
	}
	return string(b), nil
}

// decodeSession reads a stored session. A value that does not decode is a
// broken invariant (only this package writes these keys): an internal
// error, whose message names the key's session, never the value.
func decodeSession(id session.ID, raw string) (session.Snapshot, error) {
	var r sessionRecord
	if err := json.Unmarshal([]byte(raw), &r); err != nil {
		return session.Snapshot{}, fmt.Errorf("redisstore: stored session %s does not decode", id)
	}
	stored, err := session.ParseID(r.ID)
	if err != nil || stored != id {
		return session.Snapshot{}, fmt.Errorf("redisstore: stored session %s has a wrong id", id)
	}
	owner, err := user.ParseID(r.UserID)
	if err != nil {
		return session.Snapshot{}, fmt.Errorf("redisstore: stored session %s has a malformed user id", id)
	}
	sn := session.Snapshot{
		ID: id, UserID: owner, Generation: session.Generation(r.Generation), UserAgent: r.UserAgent, IP: r.IP,
		CreatedAt: r.CreatedAt, LastUsedAt: r.LastUsedAt, RotatedAt: r.RotatedAt,
		IdleExpiresAt: r.IdleExpiresAt, ExpiresAt: r.ExpiresAt,
		RevokedAt: r.RevokedAt, RevokeReason: session.RevokeReason(r.RevokeReason),
	}
	// Rehydrate checks what the domain requires of a stored session.
	if _, err := session.Rehydrate(sn); err != nil {
		return session.Snapshot{}, fmt.Errorf("redisstore: stored session %s: %w", id, err)
	}
	return sn, nil
}

// deadline is when the session ends if nothing else happens, the expiry of
// its key; absolute is when it ends whatever happens, its score in the
// user's index. Both are rounded up to the millisecond, so that a key never
// expires before the domain would call the session over.
func deadline(sn session.Snapshot) int64 {
	end := sn.ExpiresAt
	if sn.IdleExpiresAt.Before(end) {
		end = sn.IdleExpiresAt
	}
	return ceilMillis(end)
}

func absolute(sn session.Snapshot) int64 { return ceilMillis(sn.ExpiresAt) }

func ceilMillis(t time.Time) int64 {
	ms := t.UnixMilli()
	if t.After(time.UnixMilli(ms)) {
		ms++
	}
	// PXAT needs a positive time; 1 (1970) has passed, so the key is gone
	// at once, as it should be.
	return max(ms, 1)
}

// eventRecord is an audit event in the stream.
type eventRecord struct {
	ID        string            `json:"id"`
	Type      string            `json:"type"`
	UserID    string            `json:"user_id,omitempty"`
	SessionID string            `json:"session_id,omitempty"`
	IP        string            `json:"ip,omitempty"`
	UserAgent string            `json:"user_agent,omitempty"`
	At        time.Time         `json:"at"`
	Detail    map[string]string `json:"detail,omitempty"`
}

func encodeEvent(e audit.Event) (string, error) {
	r := eventRecord{
		ID: e.ID.String(), Type: string(e.Type), IP: e.IP, UserAgent: e.UserAgent, At: e.At.UTC(), Detail: e.Detail,
	}
	if !e.UserID.IsZero() {
		r.UserID = e.UserID.String()
	}
	if !e.SessionID.IsZero() {
		r.SessionID = e.SessionID.String()
	}
	b, err := json.Marshal(r)
	if err != nil {
		return "", fmt.Errorf("redisstore: encode audit event %s: %w", e.ID, err)
	}
	return string(b), nil
}

// decodeEvent reads an event of the stream. The type is taken as written:
// an instance of a newer version may record types this one does not know,
// and the audit table stores them as text.
func decodeEvent(raw string) (audit.Event, error) {
	var r eventRecord
	if err := json.Unmarshal([]byte(raw), &r); err != nil {
		return audit.Event{}, fmt.Errorf("redisstore: an audit event in the stream does not decode")
	}
	id, err := audit.ParseID(r.ID)
	if err != nil || r.Type == "" {
		return audit.Event{}, fmt.Errorf("redisstore: an audit event in the stream has no valid id or type")
	}
	e := audit.Event{ID: id, Type: audit.Type(r.Type), IP: r.IP, UserAgent: r.UserAgent, At: r.At, Detail: r.Detail}
	if r.UserID != "" {
		if e.UserID, err = user.ParseID(r.UserID); err != nil {
			return audit.Event{}, fmt.Errorf("redisstore: audit event %s has a malformed user id", id)
		}
	}
	if r.SessionID != "" {
		if e.SessionID, err = session.ParseID(r.SessionID); err != nil {
			return audit.Event{}, fmt.Errorf("redisstore: audit event %s has a malformed session id", id)
		}
	}
	return e, nil
}
