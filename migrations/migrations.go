// Package migrations holds the versioned SQL schema of authd, embedded in the
// binary. Each dialect has its own folder with the same version numbers, so
// "version 2" means the same schema on PostgreSQL and SQLite. The files are
// goose migrations: every one has an Up and a working Down.
//
// Version 4 is not here: it is a Go migration in package gormstore (the same
// on both dialects), because besides its table (login_failures) it rewrites
// stored emails into their IDNA normal form, which SQL cannot compute. goose
// runs both kinds in version order.
package migrations

import "embed"

// The dialect names accepted by Dir.
const (
	Postgres = "postgres"
	SQLite   = "sqlite"
)

// FS holds every migration, one folder per dialect.
//
//go:embed postgres/*.sql sqlite/*.sql
var FS embed.FS

// Dir returns the folder of FS holding the migrations of dialect, or ""
// when authd has no migrations for it.
func Dir(dialect string) string {
	switch dialect {
	case Postgres, SQLite:
		return dialect
	}
	return ""
}
