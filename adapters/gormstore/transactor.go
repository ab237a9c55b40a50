package gormstore

import (
	"context"

	"gorm.io/gorm"

	"github.com/authd/authd/ports/outbound"
)

// Transactor runs use-case code in one database transaction.
type Transactor struct{ conn conn }

var _ outbound.Transactor = (*Transactor)(nil)

// Within begins a transaction, hands fn repositories bound to it and
// commits when fn returns nil; any error (or panic) rolls it back. The
// repositories must not be used after fn returns. Their Updates run in this
// transaction directly, not in nested ones: an error from an Update's
// function is meant to roll back the whole unit of work.
//
// The whole unit, BEGIN to COMMIT, runs under one deadline
// (database.query_timeout). A failure of the database itself, the COMMIT's
// included, is an unavailableError (503); fn's own errors come back
// unchanged.
func (t *Transactor) Within(ctx context.Context, fn func(ctx context.Context, repos outbound.Repositories) error) error {
	ctx, cancel := t.conn.bound(ctx)
	defer cancel()
	err := t.conn.with(ctx).Transaction(func(tx *gorm.DB) error {
		c := conn{db: tx, dialect: t.conn.dialect, inTx: true, shared: t.conn.shared}
		return fn(ctx, outbound.Repositories{
			Users:      &UserRepository{conn: c},
			Sessions:   &SessionRepository{conn: c},
			Audit:      &AuditLog{conn: c},
			Identities: &IdentityRepository{conn: c},
			LoginCodes: &LoginCodeRepository{conn: c},
			Locker:     &SessionLocker{conn: c},
			Secrets:    &SecretRepository{conn: c},
			Outbox:     &Outbox{conn: c},
		})
	})
	if err == nil {
		t.conn.succeeded()
		return nil
	}
	return t.conn.classify("transaction", err)
}
