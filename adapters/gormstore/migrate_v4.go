package gormstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/pressly/goose/v3"
	"go.uber.org/zap"

	"github.com/authd/authd/ports/outbound"
)

// Version 4 is a Go migration, the same on both dialects, because besides
// its table it migrates data SQL cannot compute: the IDNA form of every
// stored email's domain. (The SQL migrations live in package migrations;
// goose runs both kinds in version order.)
const v4 = 4

// v4Name is how `authd migrate status` names version 4.
const v4Name = "00004_login_failures.go"

// v4Tables creates login_failures: one row per key (a normalised email)
// with its open window of failed sign-ins. window_ends serves the lookup's
// filter and the sweeper.
var v4Tables = map[dialect][]string{
	dialectPostgres: {
		`CREATE TABLE login_failures (
    key         text        PRIMARY KEY,
    failures    integer     NOT NULL CHECK (failures > 0),
    window_ends timestamptz NOT NULL
)`,
		`CREATE INDEX login_failures_window_ends_idx ON login_failures (window_ends)`,
	},
	dialectSQLite: {
		`CREATE TABLE login_failures (
    key         TEXT     NOT NULL PRIMARY KEY,
    failures    INTEGER  NOT NULL CHECK (failures > 0),
    window_ends DATETIME NOT NULL
)`,
		`CREATE INDEX login_failures_window_ends_idx ON login_failures (window_ends)`,
	},
}

// nonASCIIEmails selects the users whose stored email may not be in the
// normal form: only those with a character outside ASCII (a Unicode domain,
// fullwidth letters, a look-alike) can differ from it, since emails were
// already stored trimmed and lower-cased. Oldest first, so that when two
// rows fold to one address the older account keeps it.
var nonASCIIEmails = map[dialect]string{
	dialectPostgres: `SELECT id, email FROM users WHERE email ~ '[^\x01-\x7F]' ORDER BY created_at, id`,
	dialectSQLite:   `SELECT id, email FROM users WHERE email GLOB '*[^ -~]*' ORDER BY created_at, id`,
}

// v4Migration builds version 4 for d, normalising emails with emails (nil
// is allowed only while no stored email needs it).
func v4Migration(d dialect, emails outbound.EmailNormalizer, log *zap.Logger) *goose.Migration {
	up := func(ctx context.Context, tx *sql.Tx) error {
		for _, stmt := range v4Tables[d] {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return err
			}
		}
		return normalizeEmails(ctx, tx, d, emails, log)
	}
	down := func(ctx context.Context, tx *sql.Tx) error {
		// Emails stay in their normal form: it is a valid address for the
		// older code too.
		_, err := tx.ExecContext(ctx, `DROP TABLE login_failures`)
		return err
	}
	return goose.NewGoMigration(v4, &goose.GoFunc{RunTx: up}, &goose.GoFunc{RunTx: down})
}

// normalizeEmails rewrites each stored email into its normal form. A row
// whose normal form another account already holds, or whose address is now
// refused (a look-alike), is left as it is and named (by id only) in the
// log: its owner can no longer sign in with it until an administrator
// decides, but no mailbox ends up with two accounts.
func normalizeEmails(ctx context.Context, tx *sql.Tx, d dialect, emails outbound.EmailNormalizer, log *zap.Logger) error {
	type row struct{ id, email string }
	rows, err := tx.QueryContext(ctx, nonASCIIEmails[d])
	if err != nil {
		return err
	}
	var todo []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.email); err != nil {
			_ = rows.Close()
			return err
		}
		todo = append(todo, r)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if len(todo) > 0 && emails == nil {
		return fmt.Errorf("%d stored emails need normalising, and no email normalizer was given", len(todo))
	}
	param := "?"
	if d == dialectPostgres {
		param = "$1"
	}
	for _, r := range todo {
		normal, err := emails.Normalize(r.email)
		if err != nil {
			log.Warn("migration 4: stored email refused by the email rules; left as it is", zap.String("user_id", r.id))
			continue
		}
		if normal == r.email {
			continue
		}
		var holder string
		err = tx.QueryRowContext(ctx, "SELECT id FROM users WHERE email = "+param, normal).Scan(&holder)
		if err == nil {
			log.Warn("migration 4: stored email is the same mailbox as an older account's; left as it is",
				zap.String("user_id", r.id), zap.String("older_user_id", holder))
			continue
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		update := "UPDATE users SET email = $1 WHERE id = $2"
		if d == dialectSQLite {
			update = "UPDATE users SET email = ? WHERE id = ?"
		}
		if _, err := tx.ExecContext(ctx, update, normal, r.id); err != nil {
			return err
		}
	}
	return nil
}
