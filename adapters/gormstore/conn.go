package gormstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// dialect names the SQL flavour behind a connection.
type dialect string

const (
	dialectPostgres dialect = "postgres"
	dialectSQLite   dialect = "sqlite"
)

// shared is what every repository of one DB has in common: the deadline of
// each database call and the outage log.
type shared struct {
	queryTimeout time.Duration
	outages      *outageLog
}

// conn is what every repository holds: a *gorm.DB that is either the pool or
// one transaction, and the dialect. Repositories handed out inside
// Transactor.Within hold the transaction and never the pool: on SQLite the
// transaction owns the only connection, so touching the pool would deadlock.
type conn struct {
	db      *gorm.DB
	dialect dialect
	// inTx is true when db is a transaction that Transactor.Within opened.
	inTx bool
	*shared
}

// with binds a query to ctx; every statement goes through it.
func (c conn) with(ctx context.Context) *gorm.DB { return c.db.WithContext(ctx) }

// bound gives a call made outside a transaction its deadline. Inside one,
// the transaction's deadline (set by Within) covers every statement.
func (c conn) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	if c.inTx || c.shared == nil || c.queryTimeout <= 0 {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, c.queryTimeout)
}

// atomically runs fn in a transaction: the surrounding one when c is bound
// to it (no nested transaction, so no SAVEPOINT round trips), otherwise a
// transaction of its own.
func (c conn) atomically(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if c.inTx {
		return fn(c.with(ctx))
	}
	ctx, cancel := c.bound(ctx)
	defer cancel()
	return c.classify("transaction", c.with(ctx).Transaction(fn))
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

// wrap adds the operation to an unexpected error, or turns a failure of
// the database itself into an unavailableError (see classify). Such errors
// carry no row values: PostgreSQL puts those in an error's Detail, which
// pgconn's Error() leaves out, SQLite's messages name only the constraint,
// and ids reach SQL only as canonical UUIDs, so no uuid syntax error (which
// would quote its input) can happen.
func (c conn) wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	if classified := c.classify(op, err); classified != err {
		return classified
	}
	return fmt.Errorf("gormstore: %s: %w", op, err)
}

// classify turns an error that means the database cannot serve now into an
// unavailableError, counted in the outage log, and returns any other error
// (a domain error from a unit of work, say) unchanged.
func (c conn) classify(op string, err error) error {
	if err == nil {
		return nil
	}
	if _, done := errors.AsType[*unavailableError](err); done {
		return err
	}
	cause := unavailableCause(err)
	if cause == "" {
		return err
	}
	if c.shared != nil {
		c.outages.failed(op, cause)
	}
	return &unavailableError{op: op, cause: cause}
}

// succeeded tells the outage log that the database answered.
func (c conn) succeeded() {
	if c.shared != nil {
		c.outages.succeeded()
	}
}

// isNotFound reports GORM's "no row" error.
func isNotFound(err error) bool { return errors.Is(err, gorm.ErrRecordNotFound) }
