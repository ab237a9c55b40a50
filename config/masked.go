package config

import (
	"net/url"
	"strings"
)

// Masked returns every setting by key, ready for the startup log line, with
// secrets hidden as their declarations say: jwt.secret becomes "***" when
// set, and passwords inside database.url and ratelimit.redis_url (user info
// or a password query parameter) become "***". Durations and rates are in
// their configuration syntax; lists are []string.
func (c *Config) Masked() map[string]any {
	table := c.settings()
	out := make(map[string]any, len(table))
	for _, s := range table {
		out[s.key] = s.bind.show()
	}
	return out
}

// secret marks a setting whose whole value is secret: Masked shows "***"
// when it is set and "" when it is not, so that an unset secret is visible.
func secret(b binder) binder {
	show := b.show
	b.show = func() any {
		if v, ok := show().(string); ok && v == "" {
			return ""
		}
		return masked
	}
	return b
}

// passwordSecret marks a connection URL whose password is secret: Masked
// shows the URL with the password replaced by "***".
func passwordSecret(b binder) binder {
	show := b.show
	b.show = func() any {
		v, ok := show().(string)
		if !ok {
			return masked
		}
		return redactURL(v)
	}
	return b
}

// redactURL hides the password of a connection URL, whether it sits in the
// user info (postgres://u:pw@h) or in a query parameter (?password=pw, which
// pgx accepts). A URL that does not parse is hidden entirely. SQLite URLs
// carry no credentials and may not parse as URLs (sqlite://:memory:), so they
// are shown as they are.
func redactURL(raw string) string {
	if raw == "" || (Database{URL: raw}).Dialect() == DialectSQLite {
		return raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return masked
	}
	if u.RawQuery != "" {
		pairs := strings.Split(u.RawQuery, "&")
		for i, pair := range pairs {
			name, _, _ := strings.Cut(pair, "=")
			if unescaped, err := url.QueryUnescape(name); err == nil {
				name = unescaped
			}
			if strings.Contains(strings.ToLower(name), "password") {
				pairs[i] = name + "=" + masked
			}
		}
		u.RawQuery = strings.Join(pairs, "&")
	}
	// Redacted writes the password as "xxxxx"; "***" matches the rest of the
	// dump. A username cannot hold an unescaped ':', so the first ":xxxxx@"
	// is the password.
	return strings.Replace(u.Redacted(), ":xxxxx@", ":"+masked+"@", 1)
}
