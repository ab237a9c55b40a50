package config

import (
	"errors"
	"net/url"
)

// The connection URLs may carry passwords: their binders check the URL's
// shape without ever quoting it, and the table wraps them in passwordSecret.

// databaseURL binds a postgres://, postgresql:// or sqlite://PATH URL.
func databaseURL(p *string) binder {
	return field(p, scalarOf(asString[string]), func(v string) error {
		d := Database{URL: v}
		switch d.Dialect() {
		case DialectSQLite:
			if d.SQLitePath() == "" {
				return errors.New("sqlite:// needs a file path, e.g. sqlite://data/authd.db")
			}
		case DialectPostgres:
			// url.Parse errors quote the URL, password included: report none of it.
			if _, err := url.Parse(v); err != nil {
				return errors.New("is not a valid postgres:// URL")
			}
		default:
			return errors.New("must start with postgres://, postgresql:// or sqlite://")
		}
		return nil
	}, showString[string])
}

// redisURL binds an optional redis:// or rediss:// URL.
func redisURL(p *string) binder {
	return field(p, scalarOf(asString[string]), func(v string) error {
		if v == "" {
			return nil
		}
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") || u.Host == "" {
			return errors.New("must be empty or a redis:// or rediss:// URL")
		}
		return nil
	}, showString[string])
}

// httpURL binds an optional http:// or https:// base URL.
func httpURL(p *string) binder {
	return field(p, scalarOf(asString[string]), func(v string) error {
		if v == "" {
			return nil
		}
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return errors.New("must be empty or an http:// or https:// URL")
		}
		return nil
	}, showString[string])
}
