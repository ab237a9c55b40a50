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
// repositories must not be used after fn returns.
//
// A repository's own Update opened inside fn becomes a savepoint, so an
// error from its function undoes only that update.
func (t *Transactor) Within(ctx context.Context, fn func(ctx context.Context, repos outbound.Repositories) error) error {
	return t.conn.with(ctx).Transaction(func(tx *gorm.DB) error {
		c := conn{db: tx, dialect: t.conn.dialect}
		return fn(ctx, outbound.Repositories{
			Users:    &UserRepository{conn: c},
			Sessions: &SessionRepository{conn: c},
			Audit:    &AuditLog{conn: c},
		})
	})
}
