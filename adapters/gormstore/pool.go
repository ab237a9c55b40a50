package gormstore

import (
	"database/sql"

	"gorm.io/gorm"
)

// Pool returns the connection pool under the repositories, for
// instrumentation (its statistics, sql.DBStats). Queries go through the
// repositories, never through it.
func (db *DB) Pool() *sql.DB { return db.sql }

// Use installs a GORM plugin on the connection (tracing's statement spans).
// Call it before the repositories are used.
func (db *DB) Use(plugin gorm.Plugin) error { return db.gorm.Use(plugin) }
