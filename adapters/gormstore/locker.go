package gormstore

import (
	"context"

	"gorm.io/gorm"

	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
)

// SessionLocker locks a session and reads its user in one statement: the
// principal join of the bearer check, under the session row's lock. A
// refresh is then five statements in one transaction (BEGIN, this SELECT,
// the UPDATE of the rotation, the audit INSERT, COMMIT) where locking and
// reading apart took six.
type SessionLocker struct{ conn conn }

var _ outbound.SessionLocker = (*SessionLocker)(nil)

// lockSuffix locks only the session's row (FOR UPDATE OF s): the user row
// is read, not locked, as UserRepository.Get reads it. SQLite serialises
// writers and has no row locks.
var lockSuffix = map[dialect]string{dialectPostgres: " FOR UPDATE OF s", dialectSQLite: ""}

// UpdateWithUser loads the session exclusively with its user, applies fn
// and writes the session's changed columns. The join is an inner one: a
// session whose user is gone is not found (the schema deletes a user's
// sessions with it).
func (l *SessionLocker) UpdateWithUser(ctx context.Context, id session.ID, fn func(*session.Session, *user.User) error) (*session.Session, error) {
	var saved *session.Session
	err := l.conn.atomically(ctx, func(tx *gorm.DB) error {
		row, found, err := queryPrincipal(tx, principalQuery+lockSuffix[l.conn.dialect], id)
		if err != nil {
			return l.conn.wrap("lock session", err)
		}
		if !found {
			return session.ErrNotFound
		}
		u, err := row.User.toDomain()
		if err != nil {
			return err
		}
		s, err := l.conn.apply(tx, row.Session, func(s *session.Session) error { return fn(s, u) })
		saved = s
		return err
	})
	if err != nil {
		return nil, err
	}
	return saved, nil
}
