package config

import (
	"runtime"
	"strings"
)

// setting is one configuration key and its default. The defaults table is
// the single list of keys: viper gets a SetDefault for each (so Unmarshal-style
// lookups and the environment see every key), the environment is read for
// each, and a file key outside the table is refused.
type setting struct {
	key string
	def any
}

// defaults returns every key with its default, in the order of the contract.
// Durations, rates and CIDRs are written as strings, exactly as in a file or
// the environment, so that one parser handles all three sources.
func defaults() []setting {
	return []setting{
		{"env", string(EnvDevelopment)},

		{"http.addr", "127.0.0.1:8080"},
		{"http.trusted_proxies", []string{}},
		{"http.body_limit", 65536},

		{"database.url", "sqlite://data/authd.db"},
		{"database.auto_migrate", true},

		{"jwt.algorithm", string(AlgEdDSA)},
		{"jwt.issuer", "authd"},
		{"jwt.audience", "authd"},
		{"jwt.secret", ""},
		{"jwt.keys_dir", "data/keys"},

		{"auth.access_token_ttl", "15m"},
		{"auth.session_idle_timeout", "168h"},
		{"auth.session_max_lifetime", "720h"},
		{"auth.refresh_reuse_grace", "10s"},
		{"auth.refresh_token_transport", string(TransportBoth)},
		{"auth.max_sessions_per_user", 20},

		{"cookie.secure", true},

		{"cors.allowed_origins", []string{}},

		{"ratelimit.enabled", true},
		{"ratelimit.redis_url", ""},
		{"ratelimit.login_per_ip", "20/1m"},
		{"ratelimit.signup_per_ip", "10/1h"},
		{"ratelimit.refresh_per_ip", "60/1m"},
		{"ratelimit.default_per_ip", "300/1m"},

		{"lockout.max_failures", 10},
		{"lockout.window", "15m"},

		// OWASP's minimum for argon2id.
		{"password.argon2.memory_kib", 19456},
		{"password.argon2.iterations", 2},
		{"password.argon2.parallelism", 1},
		{"password.min_length", 8},
		{"password.max_concurrent_hashes", runtime.NumCPU()},
		{"password.max_wait", "2s"},

		{"metrics.addr", "127.0.0.1:9091"},

		{"audit.retention", "2160h"},

		{"log.level", "info"},
		{"log.format", "json"},
	}
}

// envName is the environment variable for key: AUTHD_ + the key upper-cased
// with dots turned into underscores (database.url -> AUTHD_DATABASE_URL).
func envName(key string) string {
	return "AUTHD_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}
