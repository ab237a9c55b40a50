package config

// The enumerated settings have their own string types, so that a caller
// compares against the named constants and a typo fails to compile. The
// accepted values of each are listed once, in its declaration in settings.go.

// Env is the deployment environment, the value of env.
type Env string

// Environments authd knows.
const (
	EnvDevelopment Env = "development"
	EnvTest        Env = "test"
	EnvProduction  Env = "production"
)

// Algorithm is a JWS signing algorithm, the value of jwt.algorithm.
type Algorithm string

// Signing algorithms accepted for jwt.algorithm.
const (
	AlgEdDSA Algorithm = "EdDSA"
	AlgRS256 Algorithm = "RS256"
	AlgES256 Algorithm = "ES256"
	AlgHS256 Algorithm = "HS256"
)

// Transport says where refresh tokens travel, the value of
// auth.refresh_token_transport.
type Transport string

// Refresh-token transports accepted for auth.refresh_token_transport.
const (
	TransportBody   Transport = "body"
	TransportCookie Transport = "cookie"
	TransportBoth   Transport = "both"
)

// LogLevel is the least severe level logged, the value of log.level.
type LogLevel string

// Log levels accepted for log.level, spelt as zapcore.ParseLevel reads them.
const (
	LevelDebug LogLevel = "debug"
	LevelInfo  LogLevel = "info"
	LevelWarn  LogLevel = "warn"
	LevelError LogLevel = "error"
)

// LogFormat is the encoding of log lines, the value of log.format.
type LogFormat string

// Log formats accepted for log.format.
const (
	FormatJSON    LogFormat = "json"
	FormatConsole LogFormat = "console"
)

// EmailVerification is the value of auth.email_verification.
type EmailVerification string

// Modes accepted for auth.email_verification.
const (
	VerificationOff      EmailVerification = "off"
	VerificationOptional EmailVerification = "optional"
	VerificationRequired EmailVerification = "required"
)

// SessionStore says where sessions live, the value of sessions.store.
type SessionStore string

// Session stores accepted for sessions.store.
const (
	SessionStoreSQL   SessionStore = "sql"
	SessionStoreRedis SessionStore = "redis"
)
