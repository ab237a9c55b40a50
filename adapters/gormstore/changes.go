package gormstore

import "time"

// An Update writes only the columns its function changed: the UPDATE stays
// small, and a no-op (a refresh within the grace interval) writes nothing.

// changes lists the columns of next that differ from prev.
func (next userRow) changes(prev userRow) map[string]any {
	c := columnChanges{}
	c.value("email", prev.Email != next.Email, next.Email)
	c.value("full_name", prev.FullName != next.FullName, next.FullName)
	c.value("role", prev.Role != next.Role, next.Role)
	c.value("password_hash", orEmpty(prev.PasswordHash) != orEmpty(next.PasswordHash), next.PasswordHash)
	c.value("disabled", prev.Disabled != next.Disabled, next.Disabled)
	c.value("email_verified", prev.EmailVerified != next.EmailVerified, next.EmailVerified)
	c.time("created_at", prev.CreatedAt, next.CreatedAt)
	c.time("updated_at", prev.UpdatedAt, next.UpdatedAt)
	return c
}

// changes lists the columns of next that differ from prev.
func (next sessionRow) changes(prev sessionRow) map[string]any {
	c := columnChanges{}
	c.value("user_id", prev.UserID != next.UserID, next.UserID)
	c.value("generation", prev.Generation != next.Generation, next.Generation)
	c.value("user_agent", prev.UserAgent != next.UserAgent, next.UserAgent)
	c.value("ip", prev.IP != next.IP, next.IP)
	c.time("created_at", prev.CreatedAt, next.CreatedAt)
	c.time("last_used_at", prev.LastUsedAt, next.LastUsedAt)
	c.time("rotated_at", prev.RotatedAt, next.RotatedAt)
	c.time("idle_expires_at", prev.IdleExpiresAt, next.IdleExpiresAt)
	c.time("expires_at", prev.ExpiresAt, next.ExpiresAt)
	c.optionalTime("revoked_at", prev.RevokedAt, next.RevokedAt)
	c.value("revoke_reason", prev.RevokeReason != next.RevokeReason, next.RevokeReason)
	return c
}

// columnChanges maps column names to their new values, as GORM's Updates
// takes them (a map, unlike a struct, also writes zero values).
type columnChanges map[string]any

func (c columnChanges) value(column string, changed bool, v any) {
	if changed {
		c[column] = v
	}
}

// time compares instants, not representations: a time loaded from
// PostgreSQL carries the local zone, the domain's carries UTC.
func (c columnChanges) time(column string, prev, next time.Time) {
	if !prev.Equal(next) {
		c[column] = next
	}
}

func (c columnChanges) optionalTime(column string, prev, next *time.Time) {
	switch {
	case prev == nil && next == nil:
	case next == nil:
		c[column] = nil
	case prev == nil || !prev.Equal(*next):
		c[column] = *next
	}
}
