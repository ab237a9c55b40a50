package config

import (
	"net/url"
	"strings"
)

// Masked returns every setting by key, ready for the startup log line, with
// secrets hidden: jwt.secret becomes "***" when set, and passwords inside
// database.url and ratelimit.redis_url (user info or a password query
// parameter) become "***". Durations and rates are in their configuration
// syntax; lists are []string.
func (c *Config) Masked() map[string]any {
	return map[string]any{
		"env": string(c.Env),

		"http.addr":            c.HTTP.Addr,
		"http.trusted_proxies": prefixStrings(c),
		"http.body_limit":      c.HTTP.BodyLimit,

		"database.url":          redactURL(c.Database.URL),
		"database.auto_migrate": c.Database.AutoMigrate,

		"jwt.algorithm": string(c.JWT.Algorithm),
		"jwt.issuer":    c.JWT.Issuer,
		"jwt.audience":  c.JWT.Audience,
		"jwt.secret":    c.JWT.Secret.String(),
		"jwt.keys_dir":  c.JWT.KeysDir,

		"auth.access_token_ttl":        shortDuration(c.Auth.AccessTokenTTL),
		"auth.session_idle_timeout":    shortDuration(c.Auth.SessionIdleTimeout),
		"auth.session_max_lifetime":    shortDuration(c.Auth.SessionMaxLifetime),
		"auth.refresh_reuse_grace":     shortDuration(c.Auth.RefreshReuseGrace),
		"auth.refresh_token_transport": string(c.Auth.RefreshTokenTransport),
		"auth.max_sessions_per_user":   c.Auth.MaxSessionsPerUser,

		"cookie.secure": c.Cookie.Secure,

		"cors.allowed_origins": append([]string{}, c.CORS.AllowedOrigins...),

		"ratelimit.enabled":        c.RateLimit.Enabled,
		"ratelimit.redis_url":      redactURL(c.RateLimit.RedisURL),
		"ratelimit.login_per_ip":   c.RateLimit.LoginPerIP.String(),
		"ratelimit.signup_per_ip":  c.RateLimit.SignupPerIP.String(),
		"ratelimit.refresh_per_ip": c.RateLimit.RefreshPerIP.String(),
		"ratelimit.default_per_ip": c.RateLimit.DefaultPerIP.String(),

		"lockout.max_failures": c.Lockout.MaxFailures,
		"lockout.window":       shortDuration(c.Lockout.Window),

		"password.argon2.memory_kib":     c.Password.Argon2.MemoryKiB,
		"password.argon2.iterations":     c.Password.Argon2.Iterations,
		"password.argon2.parallelism":    c.Password.Argon2.Parallelism,
		"password.min_length":            c.Password.MinLength,
		"password.max_concurrent_hashes": c.Password.MaxConcurrentHashes,
		"password.max_wait":              shortDuration(c.Password.MaxWait),

		"metrics.addr": c.Metrics.Addr,

		"audit.retention": shortDuration(c.Audit.Retention),

		"log.level":  string(c.Log.Level),
		"log.format": string(c.Log.Format),
	}
}

func prefixStrings(c *Config) []string {
	out := make([]string, 0, len(c.HTTP.TrustedProxies))
	for _, p := range c.HTTP.TrustedProxies {
		out = append(out, p.String())
	}
	return out
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
