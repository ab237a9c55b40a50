package config

import (
	"math"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// setting is the one declaration of a configuration key. Everything that
// knows about keys is driven by the list in Config.settings: the defaults,
// the environment variables, the file's unknown-key check, decoding,
// Validate's per-setting rules, Masked and the README table.
type setting struct {
	// key is the dotted name; the environment variable is envName(key).
	key string
	// def is the default, written as in a file or the environment ("15m",
	// "20/1m", "a,b" for a list); "" is the empty value.
	def string
	// bind parses, checks and shows the Config field the setting fills.
	bind binder
	// meaning is the README's one-line description. For an enumerated
	// setting the README puts the accepted values in front of it.
	meaning string
}

// numCPU as a default stands for the number of CPUs of the machine, which
// the README cannot show as a number.
const numCPU = "number of CPUs"

// maxReuseGrace caps auth.refresh_reuse_grace: the grace exists for a client
// racing itself or retrying a lost response, which takes seconds; a long grace
// would let a stolen token be replayed unnoticed.
const maxReuseGrace = time.Minute

// settings declares every key of c, in the order of the README table.
// Adding a setting is adding its Config field and one line here.
func (c *Config) settings() []setting {
	h, j, a, r, p := &c.HTTP, &c.JWT, &c.Auth, &c.RateLimit, &c.Password
	return []setting{
		{"env", "development", enum(&c.Env, EnvDevelopment, EnvTest, EnvProduction), "production means PostgreSQL only, Secure cookies, keys that already exist, and HSTS"},

		{"http.addr", "127.0.0.1:8080", hostPort(&h.Addr), "listen address"},
		{"http.trusted_proxies", "", prefixes(&h.TrustedProxies), "CIDRs (a bare IP is one address) whose `X-Forwarded-For` is believed"},
		{"http.body_limit", "65536", integer(&h.BodyLimit, 1, math.MaxInt64), "request body limit in bytes; larger bodies get `413`"},

		{"database.url", "sqlite://data/authd.db", passwordSecret(databaseURL(&c.Database.URL)), "`postgres://...` selects PostgreSQL; `sqlite://PATH` the embedded store"},
		{"database.auto_migrate", "true", boolean(&c.Database.AutoMigrate), "apply pending migrations at startup"},

		{"jwt.algorithm", "EdDSA", enum(&j.Algorithm, AlgEdDSA, AlgRS256, AlgES256, AlgHS256), "access-token signing algorithm"},
		{"jwt.issuer", "authd", nonBlank(&j.Issuer), "`iss` of the access tokens"},
		{"jwt.audience", "authd", nonBlank(&j.Audience), "`aud` of the access tokens"},
		{"jwt.secret", "", secret(str(&j.Secret)), "HS256 only; at least 32 bytes"},
		{"jwt.keys_dir", "data/keys", str(&j.KeysDir), "PEM signing keys, one file per `kid`, and the refresh-token key `refresh.key`"},

		{"auth.access_token_ttl", "15m", duration(&a.AccessTokenTTL), "access-token lifetime"},
		{"auth.session_idle_timeout", "168h", duration(&a.SessionIdleTimeout), "session ends after this long without a refresh"},
		{"auth.session_max_lifetime", "720h", duration(&a.SessionMaxLifetime), "session ends this long after login, whatever happens"},
		{"auth.refresh_reuse_grace", "10s", durationBelow(&a.RefreshReuseGrace, maxReuseGrace), "a spent token's immediate predecessor still yields the same successor this long; under `1m`"},
		{"auth.refresh_token_transport", "both", enum(&a.RefreshTokenTransport, TransportBody, TransportCookie, TransportBoth), "where refresh tokens travel"},
		{"auth.max_sessions_per_user", "20", integer(&a.MaxSessionsPerUser, 1, math.MaxInt32), "the least recently used session is revoked beyond this"},

		{"sessions.store", "sql", enum(&c.Sessions.Store, SessionStoreSQL, SessionStoreRedis), "where sessions live: the database, or Redis (users and the audit trail stay in the database)"},
		{"sessions.redis_url", "", passwordSecret(redisURL(&c.Sessions.RedisURL)), "the Redis of `sessions.store=redis`; required then"},

		{"cookie.secure", "true", boolean(&c.Cookie.Secure), "`false` only for plain-http development off localhost; refused in production"},

		{"cors.allowed_origins", "", list(&c.CORS.AllowedOrigins), "exact origins, comma-separated in the environment"},

		{"ratelimit.enabled", "true", boolean(&r.Enabled), "per-IP limits on or off (the lockout stays on)"},
		{"ratelimit.redis_url", "", passwordSecret(redisURL(&r.RedisURL)), "empty: in-process limiter; set: one budget shared by every instance in Redis"},
		{"ratelimit.login_per_ip", "20/1m", rate(&r.LoginPerIP), "`N/duration` per client IP for login"},
		{"ratelimit.signup_per_ip", "10/1h", rate(&r.SignupPerIP), "`N/duration` per client IP for signup"},
		{"ratelimit.refresh_per_ip", "60/1m", rate(&r.RefreshPerIP), "`N/duration` per client IP for refresh"},
		{"ratelimit.default_per_ip", "300/1m", rate(&r.DefaultPerIP), "`N/duration` per client IP for every other limited route"},

		{"lockout.max_failures", "10", integer(&c.Lockout.MaxFailures, 1, math.MaxInt32), "failed logins per email within `lockout.window` before `429 too_many_attempts`"},
		{"lockout.window", "15m", duration(&c.Lockout.Window), "window in which failed logins are counted; a lockout lasts until it ends"},

		// The argon2id costs default to OWASP's minimum.
		{"password.argon2.memory_kib", "19456", integer(&p.Argon2.MemoryKiB, 1, math.MaxUint32), "argon2id memory in KiB (OWASP minimum); at least 8 per lane"},
		{"password.argon2.iterations", "2", integer(&p.Argon2.Iterations, 1, math.MaxUint32), "argon2id passes (OWASP minimum)"},
		{"password.argon2.parallelism", "1", integer(&p.Argon2.Parallelism, 1, math.MaxUint8), "argon2id lanes (OWASP minimum)"},
		{"password.min_length", "8", integer(&p.MinLength, 8, 64), "shortest password accepted, 8 to 64"},
		{"password.max_concurrent_hashes", numCPU, integer(&p.MaxConcurrentHashes, 1, math.MaxInt32), "hashing slots: argon2id hashes computed at once"},
		{"password.max_wait", "2s", duration(&p.MaxWait), "longest wait for a hashing slot before `503 overloaded`"},

		{"metrics.addr", "127.0.0.1:9091", hostPortOrEmpty(&c.Metrics.Addr), "reserved for the metrics listener"},

		{"audit.retention", "2160h", duration(&c.Audit.Retention), "audit events older than this are deleted hourly"},

		{"log.level", "info", enum(&c.Log.Level, LevelDebug, LevelInfo, LevelWarn, LevelError), "least severe level logged"},
		{"log.format", "json", enum(&c.Log.Format, FormatJSON, FormatConsole), "encoding of log lines"},
	}
}

// defaultValue returns the default as the parsers read it.
func (s setting) defaultValue() string {
	if s.def == numCPU {
		return strconv.Itoa(runtime.NumCPU())
	}
	return s.def
}

// envName is the environment variable for key: AUTHD_ + the key upper-cased
// with dots turned into underscores (database.url -> AUTHD_DATABASE_URL).
func envName(key string) string {
	return "AUTHD_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}
