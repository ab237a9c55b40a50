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

// eightPerCPU as a default stands for eight times the number of CPUs.
const eightPerCPU = "8 × number of CPUs"

// maxReuseGrace caps auth.refresh_reuse_grace at Ory Hydra's bound: the grace
// exists for a client racing itself or retrying a lost response, which takes
// seconds, or the length of an outage; a longer grace would let a stolen
// token be replayed unnoticed for longer (README, Decisions).
const maxReuseGrace = 5 * time.Minute

// settings declares every key of c, in the order of the README table.
// Adding a setting is adding its Config field and one line here.
func (c *Config) settings() []setting {
	h, j, a, r, p := &c.HTTP, &c.JWT, &c.Auth, &c.RateLimit, &c.Password
	// The keys of each provider named in the file (oidc.providers.<name>.*)
	// follow the fixed ones.
	return append([]setting{
		{"env", "development", enum(&c.Env, EnvDevelopment, EnvTest, EnvProduction), "production means PostgreSQL only, Secure cookies, keys that already exist, and HSTS"},

		{"http.addr", "127.0.0.1:8080", hostPort(&h.Addr), "listen address"},
		{"http.trusted_proxies", "", prefixes(&h.TrustedProxies), "CIDRs (a bare IP is one address) whose `X-Forwarded-For` is believed"},
		{"http.body_limit", "65536", integer(&h.BodyLimit, 1, math.MaxInt64), "request body limit in bytes; larger bodies get `413`"},
		{"http.public_url", "", publicURL(&h.PublicURL), "authd's external origin; providers send the browser back to `{http.public_url}/v1/auth/oidc/{provider}/callback`"},
		{"http.shutdown_delay", "5s", durationAtMost(&h.ShutdownDelay, time.Hour), "on SIGTERM/SIGINT `/readyz` answers `503` at once and requests are still served this long, so load balancers stop sending"},
		{"http.shutdown_timeout", "15s", duration(&h.ShutdownTimeout), "then in-flight requests get this long to finish before connections are closed"},

		{"database.url", "sqlite://data/authd.db", passwordSecret(databaseURL(&c.Database.URL)), "`postgres://...` selects PostgreSQL; `sqlite://PATH` the embedded store"},
		{"database.auto_migrate", "true", boolean(&c.Database.AutoMigrate), "apply pending migrations at startup"},
		{"database.query_timeout", "5s", duration(&c.Database.QueryTimeout), "deadline of every database call (a whole transaction); also PostgreSQL's `statement_timeout` and `lock_timeout`; past it `503 unavailable`"},
		{"database.max_open_conns", eightPerCPU, integer(&c.Database.MaxOpenConns, 1, 10000), "PostgreSQL pool size; as many connections are kept idle"},
		{"database.conn_max_lifetime", "30m", duration(&c.Database.ConnMaxLifetime), "a PostgreSQL connection is replaced after this long"},
		{"database.conn_max_idle_time", "5m", duration(&c.Database.ConnMaxIdleTime), "a PostgreSQL connection unused this long is closed"},

		{"jwt.algorithm", "EdDSA", enum(&j.Algorithm, AlgEdDSA, AlgRS256, AlgES256, AlgHS256), "access-token signing algorithm"},
		{"jwt.issuer", "authd", nonBlank(&j.Issuer), "`iss` of the access tokens"},
		{"jwt.audience", "authd", nonBlank(&j.Audience), "`aud` of the access tokens"},
		{"jwt.secret", "", secret(str(&j.Secret)), "HS256 only; at least 32 bytes"},
		{"jwt.keys_dir", "data/keys", str(&j.KeysDir), "PEM signing keys, one file per `kid`, and the refresh-token key `refresh.key`"},
		{"jwt.keys_reload_interval", "1m", duration(&j.KeysReloadInterval), "how often `jwt.keys_dir` is read again (also on `SIGHUP`)"},
		{"jwt.jwks_max_age", "5m", duration(&j.JWKSMaxAge), "`Cache-Control: max-age` of the JWKS; with the reload interval, the default wait before a rotated key signs"},

		{"auth.access_token_ttl", "15m", duration(&a.AccessTokenTTL), "access-token lifetime"},
		{"auth.session_idle_timeout", "168h", duration(&a.SessionIdleTimeout), "session ends after this long without a refresh"},
		{"auth.session_max_lifetime", "720h", duration(&a.SessionMaxLifetime), "session ends this long after login, whatever happens"},
		{"auth.refresh_reuse_grace", "10s", durationAtMost(&a.RefreshReuseGrace, maxReuseGrace), "a spent token's immediate predecessor still yields the same successor this long after the rotation committed; at most `5m`"},
		{"auth.refresh_token_transport", "both", enum(&a.RefreshTokenTransport, TransportBody, TransportCookie, TransportBoth), "where refresh tokens travel"},
		{"auth.token_cache_size", "10000", integer(&a.TokenCacheSize, 0, 10000000), "verified access tokens remembered until their `exp` (signature and claims only: the session and user are read on every request); 0 turns the cache off"},
		{"auth.max_sessions_per_user", "20", integer(&a.MaxSessionsPerUser, 1, math.MaxInt32), "the least recently used session is revoked beyond this"},
		{"auth.email_verification", "optional", enum(&a.EmailVerification, VerificationOff, VerificationOptional, VerificationRequired), "`optional`: signup mails a verification and signs in; `required`: no session until the address is verified"},
		{"auth.verification_ttl", "24h", duration(&a.VerificationTTL), "lifetime of an email-verification link and code"},
		{"auth.reset_ttl", "30m", duration(&a.ResetTTL), "lifetime of a password-reset link and code"},
		{"auth.email_change_ttl", "1h", duration(&a.EmailChangeTTL), "lifetime of an email-change confirmation link"},

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
		{"ratelimit.mail_per_ip", "10/1h", rate(&r.MailPerIP), "`N/duration` per client IP shared by verify-email/send, password/forgot and email/confirm"},
		{"ratelimit.mail_per_address_burst", "1/1m", rate(&r.MailPerAddressBurst), "`N/duration` mails of one purpose to one address (whether or not it has an account)"},
		{"ratelimit.mail_per_address", "5/1h", rate(&r.MailPerAddress), "a second, longer budget of mails of one purpose to one address"},

		{"lockout.max_failures", "10", integer(&c.Lockout.MaxFailures, 1, math.MaxInt32), "failed logins per email within `lockout.window` before `429 too_many_attempts`"},
		{"lockout.window", "15m", duration(&c.Lockout.Window), "window in which failed logins are counted; a lockout lasts until it ends"},

		// The argon2id costs default to OWASP's minimum.
		{"password.argon2.memory_kib", "19456", integer(&p.Argon2.MemoryKiB, 1, math.MaxUint32), "argon2id memory in KiB (OWASP minimum); at least 8 per lane"},
		{"password.argon2.iterations", "2", integer(&p.Argon2.Iterations, 1, math.MaxUint32), "argon2id passes (OWASP minimum)"},
		{"password.argon2.parallelism", "1", integer(&p.Argon2.Parallelism, 1, math.MaxUint8), "argon2id lanes (OWASP minimum)"},
		{"password.min_length", "8", integer(&p.MinLength, 8, 64), "shortest password accepted, 8 to 64"},
		{"password.max_concurrent_hashes", numCPU, integer(&p.MaxConcurrentHashes, 1, math.MaxInt32), "hashing slots: argon2id hashes computed at once"},
		{"password.max_wait", "2s", duration(&p.MaxWait), "longest wait for a hashing slot before `503 overloaded`"},

		{"metrics.addr", "127.0.0.1:9091", hostPortOrEmpty(&c.Metrics.Addr), "Prometheus `/metrics` listener, apart from the API; empty: none"},

		{"tracing.otlp_endpoint", "", passwordSecret(httpURL(&c.Tracing.OTLPEndpoint)), "empty: no tracing; an `http(s)://host:port` OTLP/HTTP collector receives the spans of requests and SQL statements"},

		{"audit.retention", "2160h", duration(&c.Audit.Retention), "audit events older than this, and sessions revoked longer ago, are deleted by the cleanup"},

		{"cleanup.interval", "10m", duration(&c.Cleanup.Interval), "how often expired sessions, old audit events and other finished rows are deleted"},
		{"cleanup.batch_size", "500", integer(&c.Cleanup.BatchSize, 1, 100000), "rows deleted per statement by the cleanup"},

		{"oidc.allowed_redirects", "", redirectList(&c.OIDC.AllowedRedirects), "front-end URLs a sign-in may return to (`redirect_to` must match one in scheme, host, port and path)"},
		{"oidc.timeout", "10s", duration(&c.OIDC.Timeout), "deadline of every call to an identity provider"},

		{"app.url", "", appURL(&c.App.URL), "the front end's origin, the base of the mailed links; empty: `http://localhost:3000` outside production (required in production with SMTP)"},
		{"links.verify_email", "{app.url}/verify-email", link(&c.Links.VerifyEmail), "page a verification link opens (`#token=` is appended)"},
		{"links.reset_password", "{app.url}/reset-password", link(&c.Links.ResetPassword), "page a password-reset link opens"},
		{"links.confirm_email_change", "{app.url}/confirm-email", link(&c.Links.ConfirmEmailChange), "page an email-change confirmation link opens"},

		{"mail.smtp_url", "", passwordSecret(smtpURL(&c.Mail.SMTPURL)), "`smtp://user:pass@host:port` (STARTTLS when offered; `?starttls=required` or `?starttls=off`) or `smtps://...`; empty: the log mailer in development and test, no mail in production"},
		{"mail.from", "", str(&c.Mail.From), "sender address (`Name <addr>` allowed); required with `mail.smtp_url`"},
		{"mail.max_attempts", "8", integer(&c.Mail.MaxAttempts, 1, 100), "delivery attempts per message, with exponential backoff from 30s; then it is kept as failed"},
		{"mail.timeout", "10s", duration(&c.Mail.Timeout), "deadline of one SMTP delivery attempt"},
		{"mail.templates_dir", "", str(&c.Mail.TemplatesDir), "directory whose files override the embedded mail templates of the same name"},

		{"log.level", "info", enum(&c.Log.Level, LevelDebug, LevelInfo, LevelWarn, LevelError), "least severe level logged"},
		{"log.format", "json", enum(&c.Log.Format, FormatJSON, FormatConsole), "encoding of log lines"},
	}, c.OIDC.providerSettings()...)
}

// defaultValue returns the default as the parsers read it.
func (s setting) defaultValue() string {
	switch s.def {
	case numCPU:
		return strconv.Itoa(runtime.NumCPU())
	case eightPerCPU:
		return strconv.Itoa(8 * runtime.NumCPU())
	}
	return s.def
}

// envName is the environment variable for key: AUTHD_ + the key upper-cased
// with dots turned into underscores (database.url -> AUTHD_DATABASE_URL).
func envName(key string) string {
	return "AUTHD_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}
