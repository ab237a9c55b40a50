// Package config loads authd's settings from defaults, an optional YAML file
// and AUTHD_* environment variables (in rising order of precedence), checks
// them, and offers a masked view of them for the startup log line.
//
// Every setting is declared once, in settings.go: its dotted key
// (database.url, read from the environment as AUTHD_DATABASE_URL), its
// default, the parser that fills its Config field, whether it is secret, and
// its line in the README's configuration table. The Config struct is the
// typed result; nothing else in authd reads viper.
package config

import (
	"net/netip"
	"time"
)

// Config is the complete, validated configuration of one authd process.
type Config struct {
	// Env is EnvDevelopment, EnvTest or EnvProduction.
	Env       Env
	HTTP      HTTP
	Database  Database
	JWT       JWT
	Auth      Auth
	Sessions  Sessions
	Cookie    Cookie
	CORS      CORS
	RateLimit RateLimit
	Lockout   Lockout
	Password  Password
	Metrics   Metrics
	Audit     Audit
	Log       Log
	OIDC      OIDC
	Tracing   Tracing
	Cleanup   Cleanup
	// App, Links and Mail configure the account lifecycle by email.
	App   App
	Links Links
	Mail  Mail
}

// IsProduction reports whether the stricter production rules apply.
func (c *Config) IsProduction() bool { return c.Env == EnvProduction }

// HTTP configures the public listener.
type HTTP struct {
	// Addr is the host:port the API listens on.
	Addr string
	// TrustedProxies are the peers whose X-Forwarded-For is believed.
	// A bare IP in the configuration becomes a single-address prefix.
	TrustedProxies []netip.Prefix
	// BodyLimit is the largest request body in bytes; larger bodies get 413.
	BodyLimit int64
	// PublicURL is authd's external origin (scheme://host[:port]), the base
	// of the redirect URI given to identity providers; empty without any.
	PublicURL string
	// ShutdownDelay is how long the server keeps serving, not ready, after
	// SIGTERM or SIGINT, so that load balancers stop sending first.
	ShutdownDelay time.Duration
	// ShutdownTimeout bounds how long in-flight requests may finish after
	// the listener closes.
	ShutdownTimeout time.Duration
}

// JWT configures access-token signing.
type JWT struct {
	// Algorithm is one of AlgEdDSA, AlgRS256, AlgES256, AlgHS256.
	Algorithm Algorithm
	Issuer    string
	Audience  string
	// Secret is the HS256 shared key; unused by the other algorithms.
	Secret Secret
	// KeysDir holds the PEM private keys, one file per kid.
	KeysDir string
	// KeysReloadInterval is how often KeysDir is read again.
	KeysReloadInterval time.Duration
	// JWKSMaxAge is how long clients may cache the JWKS document.
	JWKSMaxAge time.Duration
}

// Auth holds the session and token lifetimes.
type Auth struct {
	AccessTokenTTL     time.Duration
	SessionIdleTimeout time.Duration
	SessionMaxLifetime time.Duration
	// RefreshReuseGrace is how long a just-rotated refresh token still yields
	// its successor instead of counting as reuse.
	RefreshReuseGrace time.Duration
	// RefreshTokenTransport is TransportBody, TransportCookie or TransportBoth.
	RefreshTokenTransport Transport
	MaxSessionsPerUser    int
	// TokenCacheSize is how many verified access tokens are remembered
	// until their exp; 0 turns the cache off.
	TokenCacheSize int
	// EmailVerification is VerificationOff, VerificationOptional or
	// VerificationRequired.
	EmailVerification EmailVerification
	// VerificationTTL, ResetTTL and EmailChangeTTL are the lifetimes of
	// the one-time secrets mailed for each purpose.
	VerificationTTL time.Duration
	ResetTTL        time.Duration
	EmailChangeTTL  time.Duration
}

// RefreshInBody reports whether refresh tokens travel in JSON bodies.
func (a Auth) RefreshInBody() bool {
	return a.RefreshTokenTransport == TransportBody || a.RefreshTokenTransport == TransportBoth
}

// RefreshInCookie reports whether refresh tokens travel in a cookie.
func (a Auth) RefreshInCookie() bool {
	return a.RefreshTokenTransport == TransportCookie || a.RefreshTokenTransport == TransportBoth
}

// Sessions says where sessions are stored.
type Sessions struct {
	// Store is SessionStoreSQL (the database) or SessionStoreRedis.
	Store SessionStore
	// RedisURL is the Redis of SessionStoreRedis.
	RedisURL string
}

// Cookie configures the refresh-token cookie.
type Cookie struct {
	// Secure is false only for plain-http development off localhost.
	Secure bool
}

// CORS configures cross-origin access.
type CORS struct {
	// AllowedOrigins are exact scheme://host[:port] origins; empty means none.
	AllowedOrigins []string
}

// RateLimit configures the per-IP request limits.
type RateLimit struct {
	Enabled bool
	// RedisURL, when set, shares the limits between instances through Redis.
	RedisURL     string
	LoginPerIP   Rate
	SignupPerIP  Rate
	RefreshPerIP Rate
	DefaultPerIP Rate
	// MailPerIP is the per-IP quota the unauthenticated endpoints that
	// send mail share; MailPerAddressBurst and MailPerAddress bound the
	// mails of one purpose to one address.
	MailPerIP           Rate
	MailPerAddressBurst Rate
	MailPerAddress      Rate
}

// Lockout configures the per-email failed-login lockout.
type Lockout struct {
	MaxFailures int
	Window      time.Duration
}

// Password configures the password policy and hashing.
type Password struct {
	Argon2    Argon2
	MinLength int
	// MaxConcurrentHashes bounds the argon2id computations running at once.
	MaxConcurrentHashes int
	// MaxWait is the longest a request waits for a hashing slot before 503.
	MaxWait time.Duration
}

// Argon2 holds the argon2id cost parameters, typed as golang.org/x/crypto/argon2 takes them.
type Argon2 struct {
	MemoryKiB   uint32
	Iterations  uint32
	Parallelism uint8
}

// Metrics configures the private Prometheus listener.
type Metrics struct {
	// Addr is the host:port of the metrics listener; empty disables it.
	Addr string
}

// Audit configures the audit log.
type Audit struct {
	// Retention is how long audit events are kept.
	Retention time.Duration
}

// Log configures the process logger.
type Log struct {
	// Level is LevelDebug, LevelInfo, LevelWarn or LevelError.
	Level LogLevel
	// Format is FormatJSON or FormatConsole.
	Format LogFormat
}

// Tracing configures OpenTelemetry tracing.
type Tracing struct {
	// OTLPEndpoint is the OTLP/HTTP collector's base URL; empty turns
	// tracing off.
	OTLPEndpoint string
}

// Cleanup configures the deletion of rows that have served their purpose.
type Cleanup struct {
	// Interval is the time between two background runs.
	Interval time.Duration
	// BatchSize is the most rows one statement deletes.
	BatchSize int
}
