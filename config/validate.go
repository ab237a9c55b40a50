package config

import (
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"
)

// maxReuseGrace caps auth.refresh_reuse_grace: the grace exists for a client
// racing itself or retrying a lost response, which takes seconds; a long grace
// would let a stolen token be replayed unnoticed.
const maxReuseGrace = time.Minute

// Validate checks the rules decoding cannot express and returns the first
// broken one as a single line naming the key. Messages never contain values
// of jwt.secret, database.url or ratelimit.redis_url.
func (c *Config) Validate() error {
	checks := []func() error{
		c.validateGeneral,
		c.validateDatabase,
		c.validateJWT,
		c.validateAuth,
		c.validateCORS,
		c.validateRateLimit,
		c.validatePassword,
		c.validateProduction,
	}
	for _, check := range checks {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

func invalid(key, format string, args ...any) error {
	return fmt.Errorf("config: %s: %s", key, fmt.Sprintf(format, args...))
}

func oneOf[T ~string](key string, value T, allowed ...T) error {
	names := make([]string, len(allowed))
	for i, a := range allowed {
		if value == a {
			return nil
		}
		names[i] = string(a)
	}
	return invalid(key, "must be one of %s", strings.Join(names, ", "))
}

func positive(key string, d time.Duration) error {
	if d <= 0 {
		return invalid(key, "must be a positive duration")
	}
	return nil
}

func hostPort(key, addr string) error {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return invalid(key, `must be host:port, e.g. "127.0.0.1:8080"`)
	}
	return nil
}

func (c *Config) validateGeneral() error {
	if err := oneOf("env", c.Env, EnvDevelopment, EnvTest, EnvProduction); err != nil {
		return err
	}
	if err := hostPort("http.addr", c.HTTP.Addr); err != nil {
		return err
	}
	if c.HTTP.BodyLimit < 1 {
		return invalid("http.body_limit", "must be at least 1")
	}
	if c.Metrics.Addr != "" {
		if err := hostPort("metrics.addr", c.Metrics.Addr); err != nil {
			return err
		}
	}
	if err := positive("audit.retention", c.Audit.Retention); err != nil {
		return err
	}
	if err := oneOf("log.level", c.Log.Level, LevelDebug, LevelInfo, LevelWarn, LevelError); err != nil {
		return err
	}
	return oneOf("log.format", c.Log.Format, FormatJSON, FormatConsole)
}

func (c *Config) validateDatabase() error {
	const key = "database.url"
	switch c.Database.Dialect() {
	case DialectSQLite:
		if c.Database.SQLitePath() == "" {
			return invalid(key, "sqlite:// needs a file path, e.g. sqlite://data/authd.db")
		}
	case DialectPostgres:
		// url.Parse errors quote the URL, password included: report none of it.
		if _, err := url.Parse(c.Database.URL); err != nil {
			return invalid(key, "is not a valid postgres:// URL")
		}
	default:
		return invalid(key, "must start with postgres://, postgresql:// or sqlite://")
	}
	return nil
}

func (c *Config) validateJWT() error {
	j := c.JWT
	if err := oneOf("jwt.algorithm", j.Algorithm, AlgEdDSA, AlgRS256, AlgES256, AlgHS256); err != nil {
		return err
	}
	if strings.TrimSpace(j.Issuer) == "" {
		return invalid("jwt.issuer", "must not be empty")
	}
	if strings.TrimSpace(j.Audience) == "" {
		return invalid("jwt.audience", "must not be empty")
	}
	if j.Algorithm == AlgHS256 && len(j.Secret) < 32 {
		return invalid("jwt.secret", "HS256 needs a secret of at least 32 bytes")
	}
	if j.Algorithm != AlgHS256 && strings.TrimSpace(j.KeysDir) == "" {
		return invalid("jwt.keys_dir", "%s needs a directory for its keys", j.Algorithm)
	}
	return nil
}

func (c *Config) validateAuth() error {
	a := c.Auth
	for _, d := range []struct {
		key   string
		value time.Duration
	}{
		{"auth.access_token_ttl", a.AccessTokenTTL},
		{"auth.session_idle_timeout", a.SessionIdleTimeout},
		{"auth.session_max_lifetime", a.SessionMaxLifetime},
	} {
		if err := positive(d.key, d.value); err != nil {
			return err
		}
	}
	if a.RefreshReuseGrace < 0 || a.RefreshReuseGrace >= maxReuseGrace {
		return invalid("auth.refresh_reuse_grace", "must be at least 0s and less than 1m")
	}
	if err := oneOf("auth.refresh_token_transport", a.RefreshTokenTransport,
		TransportBody, TransportCookie, TransportBoth); err != nil {
		return err
	}
	if a.MaxSessionsPerUser < 1 {
		return invalid("auth.max_sessions_per_user", "must be at least 1")
	}
	return nil
}

func (c *Config) validateCORS() error {
	const key = "cors.allowed_origins"
	for _, origin := range c.CORS.AllowedOrigins {
		if origin == "*" {
			return invalid(key, `"*" is refused because credentials are allowed: list each origin`)
		}
		u, err := url.Parse(origin)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
			u.User != nil || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
			return invalid(key, "%q must be scheme://host[:port] with no path, like a browser's Origin header", origin)
		}
		// Browsers send origins in lower case; a mixed-case entry would never match.
		if origin != strings.ToLower(origin) {
			return invalid(key, "%q must be lower-case, as browsers send it", origin)
		}
	}
	return nil
}

func (c *Config) validateRateLimit() error {
	if c.RateLimit.RedisURL != "" {
		u, err := url.Parse(c.RateLimit.RedisURL)
		if err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") || u.Host == "" {
			return invalid("ratelimit.redis_url", "must be empty or a redis:// or rediss:// URL")
		}
	}
	for _, r := range []struct {
		key  string
		rate Rate
	}{
		{"ratelimit.login_per_ip", c.RateLimit.LoginPerIP},
		{"ratelimit.signup_per_ip", c.RateLimit.SignupPerIP},
		{"ratelimit.refresh_per_ip", c.RateLimit.RefreshPerIP},
		{"ratelimit.default_per_ip", c.RateLimit.DefaultPerIP},
	} {
		if r.rate.Limit < 1 || r.rate.Period <= 0 {
			return invalid(r.key, `must look like "N/duration" with N >= 1, e.g. "20/1m"`)
		}
	}
	if c.Lockout.MaxFailures < 1 {
		return invalid("lockout.max_failures", "must be at least 1")
	}
	return positive("lockout.window", c.Lockout.Window)
}

func (c *Config) validatePassword() error {
	p := c.Password
	if p.MinLength < 8 || p.MinLength > 64 {
		return invalid("password.min_length", "must be between 8 and 64")
	}
	if p.Argon2.Iterations < 1 {
		return invalid("password.argon2.iterations", "must be at least 1")
	}
	if p.Argon2.Parallelism < 1 {
		return invalid("password.argon2.parallelism", "must be between 1 and 255")
	}
	// argon2 itself requires at least 8 KiB of memory per lane.
	if p.Argon2.MemoryKiB < 8*uint32(p.Argon2.Parallelism) {
		return invalid("password.argon2.memory_kib", "must be at least 8 times password.argon2.parallelism")
	}
	if p.MaxConcurrentHashes < 1 {
		return invalid("password.max_concurrent_hashes", "must be at least 1")
	}
	return positive("password.max_wait", p.MaxWait)
}

func (c *Config) validateProduction() error {
	if !c.IsProduction() {
		return nil
	}
	if c.Database.Dialect() != DialectPostgres {
		return invalid("database.url", "production needs PostgreSQL (postgres:// or postgresql://)")
	}
	if !c.Cookie.Secure {
		return invalid("cookie.secure", "must be true in production")
	}
	return nil
}
