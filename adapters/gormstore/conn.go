package gormstore

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// dialect names the SQL flavour behind a connection.
type dialect string

const (
	dialectPostgres dialect = "postgres"
	dialectSQLite   dialect = "sqlite"
)

// conn is what every repository holds: a *gorm.DB that is either the pool or
// one transaction, and the dialect. Repositories handed out inside
// Transactor.Within hold the transaction and never the pool: on SQLite the
// transaction owns the only connection, so touching the pool would deadlock.
type conn struct {
	db      *gorm.DB
	dialect dialect
	// inTx is true when db is a transaction that Transactor.Within opened.
	inTx bool
}

// with binds a query to ctx; every statement goes through it.
func (c conn) with(ctx context.Context) *gorm.DB { return c.db.WithContext(ctx) }

// atomically runs fn in a transaction: the surrounding one when c is bound
// to it (no nested transaction, so no SAVEPOINT round trips), otherwise a
// transaction of its own.
func (c conn) atomically(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if c.inTx {
		return fn(c.with(ctx))
	}
	return c.with(ctx).Transaction(fn)
}

// forNoKeyUpdate locks a parent row against concurrent writers on
// PostgreSQL without conflicting with the KEY SHARE lock that inserting a
// child row (a session referencing its user) takes: FOR UPDATE there would
// deadlock two concurrent logins of the same user.
func (c conn) forNoKeyUpdate(q *gorm.DB) *gorm.DB {
	if c.dialect == dialectPostgres {
		return q.Clauses(clause.Locking{Strength: "NO KEY UPDATE"})
	}
	return q
}

// forUpdate adds FOR UPDATE on PostgreSQL. SQLite has no row locks and needs
// none: its writers are serialised (one connection per process, and BEGIN
// IMMEDIATE across processes).
func (c conn) forUpdate(q *gorm.DB) *gorm.DB {
	if c.dialect == dialectPostgres {
		return q.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate})
	}
	return q
}

// wrap adds the operation to an unexpected error. Such errors carry no row
// values: PostgreSQL puts those in an error's Detail, which pgconn's Error()
// leaves out, SQLite's messages name only the constraint, and ids reach SQL
// only as canonical UUIDs, so no uuid syntax error (which would quote its
// input) can happen.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("gormstore: %s: %w", op, err)
}

// isNotFound reports GORM's "no row" error.
func isNotFound(err error) bool { return errors.Is(err, gorm.ErrRecordNotFound) }
