package config

import (
	"maps"
	"net/netip"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// contractDefaults is the configuration table of the API contract, plus the
// operational keys, as Masked shows them.
func contractDefaults() map[string]any {
	return map[string]any{
		"env":                            "development",
		"http.addr":                      "127.0.0.1:8080",
		"http.trusted_proxies":           []string{},
		"http.body_limit":                int64(65536),
		"http.shutdown_delay":            "5s",
		"http.shutdown_timeout":          "15s",
		"database.url":                   "sqlite://data/authd.db",
		"database.auto_migrate":          true,
		"database.query_timeout":         "5s",
		"database.max_open_conns":        8 * runtime.NumCPU(),
		"database.conn_max_lifetime":     "30m",
		"database.conn_max_idle_time":    "5m",
		"auth.token_cache_size":          10000,
		"jwt.algorithm":                  "EdDSA",
		"jwt.issuer":                     "authd",
		"jwt.audience":                   "authd",
		"jwt.secret":                     "",
		"jwt.keys_dir":                   "data/keys",
		"jwt.keys_reload_interval":       "1m",
		"jwt.jwks_max_age":               "5m",
		"auth.access_token_ttl":          "15m",
		"auth.session_idle_timeout":      "168h",
		"auth.session_max_lifetime":      "720h",
		"auth.refresh_reuse_grace":       "10s",
		"auth.refresh_token_transport":   "both",
		"auth.max_sessions_per_user":     20,
		"sessions.store":                 "sql",
		"sessions.redis_url":             "",
		"cookie.secure":                  true,
		"cors.allowed_origins":           []string{},
		"ratelimit.enabled":              true,
		"ratelimit.redis_url":            "",
		"ratelimit.login_per_ip":         "20/1m",
		"ratelimit.signup_per_ip":        "10/1h",
		"ratelimit.refresh_per_ip":       "60/1m",
		"ratelimit.default_per_ip":       "300/1m",
		"lockout.max_failures":           10,
		"lockout.window":                 "15m",
		"password.argon2.memory_kib":     uint32(19456),
		"password.argon2.iterations":     uint32(2),
		"password.argon2.parallelism":    uint8(1),
		"password.min_length":            8,
		"password.max_concurrent_hashes": runtime.NumCPU(),
		"password.max_wait":              "2s",
		"metrics.addr":                   "127.0.0.1:9091",
		"audit.retention":                "2160h",
		"http.public_url":                "",
		"oidc.allowed_redirects":         []string{},
		"oidc.timeout":                   "10s",
		"cleanup.interval":               "10m",
		"cleanup.batch_size":             500,
		"tracing.otlp_endpoint":          "",
		"log.level":                      "info",
		"log.format":                     "json",

		"auth.email_verification":          "optional",
		"auth.verification_ttl":            "24h",
		"auth.reset_ttl":                   "30m",
		"auth.email_change_ttl":            "1h",
		"ratelimit.mail_per_ip":            "10/1h",
		"ratelimit.mail_per_address_burst": "1/1m",
		"ratelimit.mail_per_address":       "5/1h",
		"app.url":                          "",
		"links.verify_email":               "{app.url}/verify-email",
		"links.reset_password":             "{app.url}/reset-password",
		"links.confirm_email_change":       "{app.url}/confirm-email",
		"mail.smtp_url":                    "",
		"mail.from":                        "",
		"mail.max_attempts":                8,
		"mail.timeout":                     "10s",
		"mail.templates_dir":               "",
	}
}

func TestDefaultsMatchTheContract(t *testing.T) {
	cfg := mustLoad(t, "", nil)
	got, want := cfg.Masked(), contractDefaults()
	for key, w := range want {
		if !reflect.DeepEqual(got[key], w) {
			t.Errorf("%s = %#v, want %#v", key, got[key], w)
		}
	}
	if extra := slices.Sorted(maps.Keys(got)); len(extra) != len(want) {
		t.Errorf("Masked has %d keys, want %d: %v", len(got), len(want), extra)
	}

	// The typed values behind the dump.
	if cfg.Auth.AccessTokenTTL != 15*time.Minute || cfg.Auth.SessionMaxLifetime != 30*24*time.Hour {
		t.Errorf("auth durations = %v, %v", cfg.Auth.AccessTokenTTL, cfg.Auth.SessionMaxLifetime)
	}
	if cfg.RateLimit.SignupPerIP != (Rate{Limit: 10, Period: time.Hour}) {
		t.Errorf("signup rate = %+v", cfg.RateLimit.SignupPerIP)
	}
	if cfg.Password.MaxWait != 2*time.Second || cfg.Audit.Retention != 90*24*time.Hour {
		t.Errorf("max_wait %v, retention %v", cfg.Password.MaxWait, cfg.Audit.Retention)
	}
	if cfg.IsProduction() {
		t.Error("the default env is production")
	}
}

// Masked must show each declared key once, or a key would be invisible at
// startup (or declared twice, one declaration hiding the other).
func TestEveryKeyIsDefaultedAndDumped(t *testing.T) {
	tableKeys := declaredKeys()
	slices.Sort(tableKeys)
	cfg := mustLoad(t, "", nil)
	if dumped := slices.Sorted(maps.Keys(cfg.Masked())); !slices.Equal(tableKeys, dumped) {
		t.Errorf("defaults keys %v\nMasked keys   %v", tableKeys, dumped)
	}
}

func TestEnvNames(t *testing.T) {
	for key, want := range map[string]string{
		"database.url":               "AUTHD_DATABASE_URL",
		"password.argon2.memory_kib": "AUTHD_PASSWORD_ARGON2_MEMORY_KIB",
		"env":                        "AUTHD_ENV",
	} {
		if got := envName(key); got != want {
			t.Errorf("envName(%q) = %q, want %q", key, got, want)
		}
	}
}

// Every key can be overridden from the environment, one at a time.
func TestEveryKeyOverridesFromEnv(t *testing.T) {
	overrides := map[string]struct {
		value string
		want  any
	}{
		"env":                            {"test", "test"},
		"http.addr":                      {"0.0.0.0:9000", "0.0.0.0:9000"},
		"http.trusted_proxies":           {"10.0.0.0/8, 192.168.1.7", []string{"10.0.0.0/8", "192.168.1.7/32"}},
		"http.body_limit":                {"1024", int64(1024)},
		"http.shutdown_delay":            {"0s", "0s"},
		"http.shutdown_timeout":          {"40s", "40s"},
		"database.url":                   {"postgres://authd:pw@db:5432/authd", "postgres://authd:***@db:5432/authd"},
		"database.auto_migrate":          {"false", false},
		"database.query_timeout":         {"2s", "2s"},
		"database.max_open_conns":        {"32", 32},
		"database.conn_max_lifetime":     {"1h", "1h"},
		"database.conn_max_idle_time":    {"1m", "1m"},
		"auth.token_cache_size":          {"0", 0},
		"jwt.algorithm":                  {"ES256", "ES256"},
		"jwt.issuer":                     {"https://id.example.com", "https://id.example.com"},
		"jwt.audience":                   {"api", "api"},
		"jwt.secret":                     {"something", "***"},
		"jwt.keys_dir":                   {"/keys", "/keys"},
		"jwt.keys_reload_interval":       {"10s", "10s"},
		"jwt.jwks_max_age":               {"1h", "1h"},
		"auth.access_token_ttl":          {"5m", "5m"},
		"auth.session_idle_timeout":      {"24h", "24h"},
		"auth.session_max_lifetime":      {"48h", "48h"},
		"auth.refresh_reuse_grace":       {"0s", "0s"},
		"auth.refresh_token_transport":   {"cookie", "cookie"},
		"auth.max_sessions_per_user":     {"3", 3},
		"sessions.store":                 {"redis", "redis"},
		"sessions.redis_url":             {"redis://:pw@redis:6379/1", "redis://:***@redis:6379/1"},
		"cookie.secure":                  {"false", false},
		"cors.allowed_origins":           {"https://a.example.com,http://localhost:3000", []string{"https://a.example.com", "http://localhost:3000"}},
		"ratelimit.enabled":              {"false", false},
		"ratelimit.redis_url":            {"redis://redis:6379/0", "redis://redis:6379/0"},
		"ratelimit.login_per_ip":         {"5/30s", "5/30s"},
		"ratelimit.signup_per_ip":        {"2/1h", "2/1h"},
		"ratelimit.refresh_per_ip":       {"100/1m", "100/1m"},
		"ratelimit.default_per_ip":       {"1000/1m", "1000/1m"},
		"lockout.max_failures":           {"3", 3},
		"lockout.window":                 {"1h", "1h"},
		"password.argon2.memory_kib":     {"65536", uint32(65536)},
		"password.argon2.iterations":     {"3", uint32(3)},
		"password.argon2.parallelism":    {"4", uint8(4)},
		"password.min_length":            {"12", 12},
		"password.max_concurrent_hashes": {"7", 7},
		"password.max_wait":              {"500ms", "500ms"},
		"metrics.addr":                   {"", ""},
		"audit.retention":                {"720h", "720h"},
		"http.public_url":                {"https://auth.example.com", "https://auth.example.com"},
		"oidc.allowed_redirects":         {"https://app.example.com/cb, http://localhost:3000/cb", []string{"https://app.example.com/cb", "http://localhost:3000/cb"}},
		"oidc.timeout":                   {"3s", "3s"},
		"cleanup.interval":               {"1h", "1h"},
		"cleanup.batch_size":             {"50", 50},
		"tracing.otlp_endpoint":          {"http://otel:secret@collector:4318", "http://otel:***@collector:4318"},
		"log.level":                      {"debug", "debug"},
		"log.format":                     {"console", "console"},

		"auth.email_verification":          {"required", "required"},
		"auth.verification_ttl":            {"48h", "48h"},
		"auth.reset_ttl":                   {"15m", "15m"},
		"auth.email_change_ttl":            {"2h", "2h"},
		"ratelimit.mail_per_ip":            {"20/1h", "20/1h"},
		"ratelimit.mail_per_address_burst": {"2/1m", "2/1m"},
		"ratelimit.mail_per_address":       {"10/1h", "10/1h"},
		"app.url":                          {"https://app.example.com", "https://app.example.com"},
		"links.verify_email":               {"https://app.example.com/v", "https://app.example.com/v"},
		"links.reset_password":             {"{app.url}/pw", "{app.url}/pw"},
		"links.confirm_email_change":       {"https://x.example.com/c", "https://x.example.com/c"},
		"mail.smtp_url":                    {"smtp://u:pw@mail.example.com:587?starttls=required", "smtp://u:***@mail.example.com:587?starttls=required"},
		"mail.from":                        {"authd <a@example.com>", "authd <a@example.com>"},
		"mail.max_attempts":                {"3", 3},
		"mail.timeout":                     {"5s", "5s"},
		"mail.templates_dir":               {"/etc/authd/mail", "/etc/authd/mail"},
	}
	if keys := declaredKeys(); len(overrides) != len(keys) {
		t.Fatalf("%d overrides for %d keys: add the missing key here", len(overrides), len(keys))
	}
	// A key that another one requires comes with it.
	companions := map[string]map[string]string{
		"mail.smtp_url":  {"AUTHD_MAIL_FROM": "a@example.com"},
		"sessions.store": {"AUTHD_SESSIONS_REDIS_URL": "redis://redis:6379/1"},
	}
	for key, o := range overrides {
		t.Run(key, func(t *testing.T) {
			env := map[string]string{envName(key): o.value}
			maps.Copy(env, companions[key])
			cfg := mustLoad(t, "", env)
			got := cfg.Masked()[key]
			if !reflect.DeepEqual(got, o.want) {
				t.Errorf("%s = %#v, want %#v", key, got, o.want)
			}
			if reflect.DeepEqual(got, contractDefaults()[key]) {
				t.Errorf("%s: override equals the default, so it proves nothing", key)
			}
		})
	}
}

func TestEnvTypedValues(t *testing.T) {
	cfg := mustLoad(t, "", map[string]string{
		"AUTHD_HTTP_TRUSTED_PROXIES":       "10.0.0.0/8,::1",
		"AUTHD_PASSWORD_ARGON2_MEMORY_KIB": "32768",
		"AUTHD_JWT_ALGORITHM":              "HS256",
		"AUTHD_JWT_SECRET":                 strings.Repeat("k", 32),
	})
	want := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	if !slices.Equal(cfg.HTTP.TrustedProxies, want) {
		t.Errorf("trusted proxies = %v, want %v", cfg.HTTP.TrustedProxies, want)
	}
	if cfg.Password.Argon2.MemoryKiB != 32768 {
		t.Errorf("memory = %d", cfg.Password.Argon2.MemoryKiB)
	}
	if cfg.JWT.Secret.Reveal() != strings.Repeat("k", 32) {
		t.Error("the secret did not come through")
	}
}

func TestUnknownEnvVariablesAreIgnored(t *testing.T) {
	cfg := mustLoad(t, "", map[string]string{"AUTHD_NOPE": "x", "AUTHD_HTTP": "y", "AUTHD_JWT_ALGORITM": "none"})
	if cfg.JWT.Algorithm != AlgEdDSA {
		t.Errorf("algorithm = %q", cfg.JWT.Algorithm)
	}
}

func TestFileThenEnvPrecedence(t *testing.T) {
	file := writeFile(t, "authd.yaml", `
http:
  addr: 127.0.0.1:7000
  trusted_proxies: [10.1.0.0/16]
password:
  argon2:
    memory_kib: 40000
    iterations: 4
cors:
  allowed_origins:
    - https://file.example.com
auth:
  access_token_ttl: 20m
`)
	fromFile := mustLoad(t, file, nil)
	if fromFile.HTTP.Addr != "127.0.0.1:7000" || fromFile.Password.Argon2.MemoryKiB != 40000 ||
		fromFile.Auth.AccessTokenTTL != 20*time.Minute ||
		!slices.Equal(fromFile.CORS.AllowedOrigins, []string{"https://file.example.com"}) ||
		!slices.Equal(fromFile.HTTP.TrustedProxies, []netip.Prefix{netip.MustParsePrefix("10.1.0.0/16")}) {
		t.Fatalf("file values not applied: %+v", fromFile)
	}
	if fromFile.Password.Argon2.Parallelism != 1 {
		t.Errorf("a key absent from the file lost its default: parallelism = %d", fromFile.Password.Argon2.Parallelism)
	}

	cfg := mustLoad(t, file, map[string]string{
		"AUTHD_PASSWORD_ARGON2_MEMORY_KIB": "50000",
		"AUTHD_CORS_ALLOWED_ORIGINS":       "https://env.example.com",
	})
	if cfg.Password.Argon2.MemoryKiB != 50000 {
		t.Errorf("env did not beat the file: memory = %d", cfg.Password.Argon2.MemoryKiB)
	}
	if !slices.Equal(cfg.CORS.AllowedOrigins, []string{"https://env.example.com"}) {
		t.Errorf("env did not beat the file: origins = %v", cfg.CORS.AllowedOrigins)
	}
	if cfg.HTTP.Addr != "127.0.0.1:7000" || cfg.Password.Argon2.Iterations != 4 {
		t.Errorf("file values lost: addr %q, iterations %d", cfg.HTTP.Addr, cfg.Password.Argon2.Iterations)
	}
}

// A set but empty variable counts, so that an empty value can be chosen.
func TestEmptyEnvValueOverrides(t *testing.T) {
	file := writeFile(t, "authd.yaml", "cors:\n  allowed_origins: [https://a.example.com]\n")
	cfg := mustLoad(t, file, map[string]string{"AUTHD_METRICS_ADDR": "", "AUTHD_CORS_ALLOWED_ORIGINS": ""})
	if cfg.Metrics.Addr != "" || len(cfg.CORS.AllowedOrigins) != 0 {
		t.Errorf("metrics %q, origins %v: empty variables were ignored", cfg.Metrics.Addr, cfg.CORS.AllowedOrigins)
	}
}

func TestFileKeysAreChecked(t *testing.T) {
	tests := []struct {
		name, content, want string
	}{
		{"typo", "jwt:\n  algoritm: HS256\n", "config: jwt.algoritm: unknown key"},
		{"unknown section", "databse:\n  url: sqlite://x.db\n", "config: databse.url: unknown key"},
		{"section given a value", "http: 8080\n", "config: http: is a section"},
		{"list where a value belongs", "http:\n  addr: [a, b]\n", "config: http.addr:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadFrom(writeFile(t, "authd.yaml", tt.content), nil)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("err = %v, want prefix %q", err, tt.want)
			}
		})
	}
}

func TestEmptySectionInFileIsFine(t *testing.T) {
	cfg := mustLoad(t, writeFile(t, "authd.yaml", "cors:\nlog:\n  level: warn\n"), nil)
	if cfg.Log.Level != "warn" {
		t.Errorf("level = %q", cfg.Log.Level)
	}
}

func TestMissingFileIsAnError(t *testing.T) {
	_, err := LoadFrom("/nonexistent/authd.yaml", nil)
	if err == nil || !strings.Contains(err.Error(), "/nonexistent/authd.yaml") {
		t.Fatalf("err = %v", err)
	}
}

func TestLoadReadsTheProcessEnvironment(t *testing.T) {
	t.Setenv("AUTHD_LOG_LEVEL", "error")
	cfg, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Log.Level != "error" {
		t.Errorf("level = %q", cfg.Log.Level)
	}
}
