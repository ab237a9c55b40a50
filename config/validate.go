package config

import (
	"fmt"
	"net/url"
	"strings"
)

// Validate checks every setting's own rule (the one its parser applies, so a
// Config built or changed by hand is held to it too), then the rules that
// involve several settings or a policy on a whole list. It returns the first
// broken rule as a single line naming the key. Messages never contain values
// of jwt.secret, database.url, ratelimit.redis_url or sessions.redis_url.
func (c *Config) Validate() error {
	for _, s := range c.settings() {
		if err := s.bind.check(); err != nil {
			return invalid(s.key, err)
		}
	}
	for _, check := range []func() error{
		c.validateJWT,
		c.validateCORS,
		c.validateArgon2,
		c.validateProduction,
		c.validateOIDC,
		c.validateMail,
		c.validateSessions,
	} {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

// invalid is the one error shape of the package: "config: <key>: <reason>".
func invalid(key string, reason error) error {
	return fmt.Errorf("config: %s: %w", key, reason)
}

// invalidf is invalid with the reason formatted in place.
func invalidf(key, format string, args ...any) error {
	return invalid(key, fmt.Errorf(format, args...))
}

// validateJWT: the secret and the keys directory matter only to the
// algorithms that use them.
func (c *Config) validateJWT() error {
	j := c.JWT
	if j.Algorithm == AlgHS256 && len(j.Secret) < 32 {
		return invalidf("jwt.secret", "HS256 needs a secret of at least 32 bytes")
	}
	if j.Algorithm != AlgHS256 && strings.TrimSpace(j.KeysDir) == "" {
		return invalidf("jwt.keys_dir", "%s needs a directory for its keys", j.Algorithm)
	}
	return nil
}

// validateCORS holds allowed origins to what a browser sends in Origin, and
// refuses the wildcard because responses allow credentials.
func (c *Config) validateCORS() error {
	const key = "cors.allowed_origins"
	for _, origin := range c.CORS.AllowedOrigins {
		if origin == "*" {
			return invalidf(key, `"*" is refused because credentials are allowed: list each origin`)
		}
		u, err := url.Parse(origin)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
			u.User != nil || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
			return invalidf(key, "%q must be scheme://host[:port] with no path, like a browser's Origin header", origin)
		}
		// Browsers send origins in lower case; a mixed-case entry would never match.
		if origin != strings.ToLower(origin) {
			return invalidf(key, "%q must be lower-case, as browsers send it", origin)
		}
	}
	return nil
}

// validateArgon2: argon2 itself requires at least 8 KiB of memory per lane.
func (c *Config) validateArgon2() error {
	a := c.Password.Argon2
	if uint64(a.MemoryKiB) < 8*uint64(a.Parallelism) {
		return invalidf("password.argon2.memory_kib", "must be at least 8 times password.argon2.parallelism")
	}
	return nil
}

// validateProduction applies the rules that only production enforces.
func (c *Config) validateProduction() error {
	if !c.IsProduction() {
		return nil
	}
	if c.Database.Dialect() != DialectPostgres {
		return invalidf("database.url", "production needs PostgreSQL (postgres:// or postgresql://)")
	}
	if !c.Cookie.Secure {
		return invalidf("cookie.secure", "must be true in production")
	}
	return nil
}

// validateSessions: sessions in Redis need a Redis.
func (c *Config) validateSessions() error {
	if c.Sessions.Store == SessionStoreRedis && c.Sessions.RedisURL == "" {
		return invalidf("sessions.redis_url", "sessions.store=redis needs a redis:// or rediss:// URL")
	}
	return nil
}
