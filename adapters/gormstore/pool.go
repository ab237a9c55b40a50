package gormstore

import "database/sql"

// Pool returns the connection pool under the repositories, for
// instrumentation (its statistics, sql.DBStats). Queries go through the
// repositories, never through it.
func (db *DB) Pool() *sql.DB { return db.sql }
