package config

import (
	"strings"
	"testing"
)

const pgURL = "postgres://authd:hunter2@db:5432/authd?sslmode=disable"

func TestInvalidConfigNamesTheKey(t *testing.T) {
	hs256 := func(secret string) map[string]string {
		return map[string]string{"AUTHD_JWT_ALGORITHM": "HS256", "AUTHD_JWT_SECRET": secret}
	}
	one := func(key, value string) map[string]string { return map[string]string{envName(key): value} }
	tests := []struct {
		name string
		env  map[string]string
		key  string
	}{
		{"unknown env", one("env", "staging"), "env"},
		{"http addr", one("http.addr", "8080"), "http.addr"},
		{"body limit", one("http.body_limit", "0"), "http.body_limit"},
		{"proxy CIDR", one("http.trusted_proxies", "10.0.0.0/33"), "http.trusted_proxies"},
		{"proxy name", one("http.trusted_proxies", "proxy.local"), "http.trusted_proxies"},
		{"db scheme", one("database.url", "mysql://u:hunter2@h/db"), "database.url"},
		{"db key/value DSN", one("database.url", "host=db password=hunter2"), "database.url"},
		{"db unparsable", one("database.url", "postgres://u:pass/hunter2@h"), "database.url"},
		{"db sqlite no path", one("database.url", "sqlite://"), "database.url"},
		{"auto migrate", one("database.auto_migrate", "sometimes"), "database.auto_migrate"},
		{"algorithm", one("jwt.algorithm", "none"), "jwt.algorithm"},
		{"algorithm case", one("jwt.algorithm", "hs256"), "jwt.algorithm"},
		{"HS256 no secret", hs256(""), "jwt.secret"},
		{"HS256 short secret", hs256("hunter2-" + strings.Repeat("x", 23)), "jwt.secret"},
		{"issuer", one("jwt.issuer", " "), "jwt.issuer"},
		{"audience", one("jwt.audience", ""), "jwt.audience"},
		{"keys dir", one("jwt.keys_dir", ""), "jwt.keys_dir"},
		{"ttl without unit", one("auth.access_token_ttl", "15"), "auth.access_token_ttl"},
		{"ttl garbage", one("auth.access_token_ttl", "soon"), "auth.access_token_ttl"},
		{"ttl zero", one("auth.access_token_ttl", "0s"), "auth.access_token_ttl"},
		{"idle negative", one("auth.session_idle_timeout", "-1h"), "auth.session_idle_timeout"},
		{"lifetime zero", one("auth.session_max_lifetime", "0s"), "auth.session_max_lifetime"},
		{"grace negative", one("auth.refresh_reuse_grace", "-1s"), "auth.refresh_reuse_grace"},
		{"grace over five minutes", one("auth.refresh_reuse_grace", "5m1s"), "auth.refresh_reuse_grace"},
		{"query timeout zero", one("database.query_timeout", "0s"), "database.query_timeout"},
		{"pool empty", one("database.max_open_conns", "0"), "database.max_open_conns"},
		{"transport", one("auth.refresh_token_transport", "header"), "auth.refresh_token_transport"},
		{"max sessions zero", one("auth.max_sessions_per_user", "0"), "auth.max_sessions_per_user"},
		{"max sessions text", one("auth.max_sessions_per_user", "many"), "auth.max_sessions_per_user"},
		{"cookie secure", one("cookie.secure", "maybe"), "cookie.secure"},
		{"origin star", one("cors.allowed_origins", "https://a.example.com,*"), "cors.allowed_origins"},
		{"origin path", one("cors.allowed_origins", "https://a.example.com/app"), "cors.allowed_origins"},
		{"origin slash", one("cors.allowed_origins", "https://a.example.com/"), "cors.allowed_origins"},
		{"origin no scheme", one("cors.allowed_origins", "a.example.com"), "cors.allowed_origins"},
		{"origin null", one("cors.allowed_origins", "null"), "cors.allowed_origins"},
		{"origin case", one("cors.allowed_origins", "https://App.example.com"), "cors.allowed_origins"},
		{"ratelimit enabled", one("ratelimit.enabled", "yes please"), "ratelimit.enabled"},
		{"redis scheme", one("ratelimit.redis_url", "http://:hunter2@redis:6379"), "ratelimit.redis_url"},
		{"session store", one("sessions.store", "memcached"), "sessions.store"},
		{"session store case", one("sessions.store", "Redis"), "sessions.store"},
		{"redis sessions without a url", one("sessions.store", "redis"), "sessions.redis_url"},
		{"sessions redis scheme", map[string]string{
			"AUTHD_SESSIONS_STORE": "redis", "AUTHD_SESSIONS_REDIS_URL": "http://:hunter2@redis:6379",
		}, "sessions.redis_url"},
		{"rate no slash", one("ratelimit.login_per_ip", "20"), "ratelimit.login_per_ip"},
		{"rate zero count", one("ratelimit.signup_per_ip", "0/1h"), "ratelimit.signup_per_ip"},
		{"rate zero period", one("ratelimit.refresh_per_ip", "60/0s"), "ratelimit.refresh_per_ip"},
		{"rate bad period", one("ratelimit.default_per_ip", "300/minute"), "ratelimit.default_per_ip"},
		{"lockout failures", one("lockout.max_failures", "0"), "lockout.max_failures"},
		{"lockout window", one("lockout.window", "0s"), "lockout.window"},
		{"argon2 memory", one("password.argon2.memory_kib", "7"), "password.argon2.memory_kib"},
		{"argon2 memory per lane", map[string]string{
			"AUTHD_PASSWORD_ARGON2_PARALLELISM": "4", "AUTHD_PASSWORD_ARGON2_MEMORY_KIB": "31",
		}, "password.argon2.memory_kib"},
		{"argon2 memory overflow", one("password.argon2.memory_kib", "4294967296"), "password.argon2.memory_kib"},
		{"argon2 iterations", one("password.argon2.iterations", "0"), "password.argon2.iterations"},
		{"argon2 parallelism zero", one("password.argon2.parallelism", "0"), "password.argon2.parallelism"},
		{"argon2 parallelism 256", one("password.argon2.parallelism", "256"), "password.argon2.parallelism"},
		{"min length 7", one("password.min_length", "7"), "password.min_length"},
		{"min length 65", one("password.min_length", "65"), "password.min_length"},
		{"hash concurrency", one("password.max_concurrent_hashes", "0"), "password.max_concurrent_hashes"},
		{"max wait", one("password.max_wait", "0s"), "password.max_wait"},
		{"metrics addr", one("metrics.addr", "metrics"), "metrics.addr"},
		{"audit retention", one("audit.retention", "-1h"), "audit.retention"},
		{"log level", one("log.level", "trace"), "log.level"},
		{"log format", one("log.format", "text"), "log.format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadFrom("", env(tt.env))
			if err == nil {
				t.Fatal("accepted")
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "config: "+tt.key+": ") {
				t.Errorf("error %q does not name %s first", msg, tt.key)
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("error spans several lines: %q", msg)
			}
			if strings.Contains(msg, "hunter2") {
				t.Errorf("error leaks a secret: %q", msg)
			}
		})
	}
}

func TestBoundaryValuesAreAccepted(t *testing.T) {
	for name, vars := range map[string]map[string]string{
		"HS256 with 32 bytes":           {"AUTHD_JWT_ALGORITHM": "HS256", "AUTHD_JWT_SECRET": strings.Repeat("s", 32), "AUTHD_JWT_KEYS_DIR": ""},
		"no grace":                      {"AUTHD_AUTH_REFRESH_REUSE_GRACE": "0s"},
		"grace of a minute (Cognito)":   {"AUTHD_AUTH_REFRESH_REUSE_GRACE": "1m"},
		"grace of five minutes (Hydra)": {"AUTHD_AUTH_REFRESH_REUSE_GRACE": "5m"},
		"min length 8 and 64":           {"AUTHD_PASSWORD_MIN_LENGTH": "64"},
		"parallelism 255":               {"AUTHD_PASSWORD_ARGON2_PARALLELISM": "255", "AUTHD_PASSWORD_ARGON2_MEMORY_KIB": "2040"},
		"metrics disabled":              {"AUTHD_METRICS_ADDR": ""},
		"origins and proxies":           {"AUTHD_CORS_ALLOWED_ORIGINS": "http://localhost:5173, https://app.example.com", "AUTHD_HTTP_TRUSTED_PROXIES": "10.0.0.0/8,127.0.0.1,::1"},
		"postgresql scheme":             {"AUTHD_DATABASE_URL": "postgresql://authd@/authd?host=/tmp/pg"},
		"absolute sqlite":               {"AUTHD_DATABASE_URL": "sqlite:///var/lib/authd/authd.db"},
		"rediss":                        {"AUTHD_RATELIMIT_REDIS_URL": "rediss://:pw@redis.example.com:6380/1"},
		"test env":                      {"AUTHD_ENV": "test", "AUTHD_COOKIE_SECURE": "false"},
		"redis sessions":                {"AUTHD_SESSIONS_STORE": "redis", "AUTHD_SESSIONS_REDIS_URL": "redis://:pw@redis:6379/2"},
		"sql sessions, a url":           {"AUTHD_SESSIONS_STORE": "sql", "AUTHD_SESSIONS_REDIS_URL": "redis://redis:6379/2"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := LoadFrom("", env(vars)); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestProductionRules(t *testing.T) {
	prod := func(extra map[string]string) map[string]string {
		vars := map[string]string{"AUTHD_ENV": "production", "AUTHD_DATABASE_URL": pgURL}
		for k, v := range extra {
			vars[k] = v
		}
		return vars
	}
	t.Run("sqlite refused", func(t *testing.T) {
		_, err := LoadFrom("", env(prod(map[string]string{"AUTHD_DATABASE_URL": "sqlite://data/authd.db"})))
		if err == nil || !strings.HasPrefix(err.Error(), "config: database.url: ") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("insecure cookie refused", func(t *testing.T) {
		_, err := LoadFrom("", env(prod(map[string]string{"AUTHD_COOKIE_SECURE": "false"})))
		if err == nil || !strings.HasPrefix(err.Error(), "config: cookie.secure: ") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("postgres accepted", func(t *testing.T) {
		cfg := mustLoad(t, "", prod(nil))
		if !cfg.IsProduction() || cfg.Database.Dialect() != DialectPostgres {
			t.Errorf("production %v, dialect %q", cfg.IsProduction(), cfg.Database.Dialect())
		}
	})
	t.Run("development allows both", func(t *testing.T) {
		cfg := mustLoad(t, "", map[string]string{"AUTHD_COOKIE_SECURE": "false"})
		if cfg.Cookie.Secure || cfg.Database.Dialect() != DialectSQLite {
			t.Errorf("secure %v, dialect %q", cfg.Cookie.Secure, cfg.Database.Dialect())
		}
	})
}

// Validate also guards a Config built by hand, not only a loaded one.
func TestValidateOnAHandBuiltConfig(t *testing.T) {
	cfg := mustLoad(t, "", nil)
	cfg.RateLimit.LoginPerIP = Rate{}
	if err := cfg.Validate(); err == nil || !strings.HasPrefix(err.Error(), "config: ratelimit.login_per_ip: ") {
		t.Fatalf("err = %v", err)
	}
}
