package config

import (
	"strings"
	"time"
)

// Database dialects, chosen by the scheme of database.url.
const (
	DialectPostgres = "postgres"
	DialectSQLite   = "sqlite"
)

const sqliteScheme = "sqlite://"

// Database configures storage.
type Database struct {
	// URL is postgres://..., postgresql://... or sqlite://PATH. It may hold a
	// password: log it only through Config.Masked.
	URL string
	// AutoMigrate applies pending migrations at startup.
	AutoMigrate bool
	// QueryTimeout bounds every database call.
	QueryTimeout time.Duration
	// MaxOpenConns is the PostgreSQL pool size (idle connections too).
	MaxOpenConns int
	// ConnMaxLifetime and ConnMaxIdleTime retire pooled connections.
	ConnMaxLifetime time.Duration
	ConnMaxIdleTime time.Duration
}

// Dialect returns DialectPostgres or DialectSQLite according to the URL's
// scheme, or "" for a URL that validation would refuse.
func (d Database) Dialect() string {
	switch lower := strings.ToLower(d.URL); {
	case strings.HasPrefix(lower, "postgres://"), strings.HasPrefix(lower, "postgresql://"):
		return DialectPostgres
	case strings.HasPrefix(lower, sqliteScheme):
		return DialectSQLite
	}
	return ""
}

// SQLitePath returns what follows sqlite:// (a file path, relative to the
// working directory unless it starts with /), or "" for a non-SQLite URL.
// sqlite://data/authd.db is the file data/authd.db; sqlite:///var/lib/authd.db
// is /var/lib/authd.db.
func (d Database) SQLitePath() string {
	if d.Dialect() != DialectSQLite {
		return ""
	}
	return d.URL[len(sqliteScheme):]
}
