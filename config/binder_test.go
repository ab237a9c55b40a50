package config

import (
	"strings"
	"testing"
)

// A file's values arrive as whatever YAML made of them; each parser accepts
// the sensible ones and names the key for the rest.
func TestFileValueShapes(t *testing.T) {
	cfg := mustLoad(t, writeFile(t, "authd.yaml", `
password:
  argon2:
    memory_kib: 4.0e4
    iterations: 3
cookie:
  secure: false
cors:
  allowed_origins:
http:
  trusted_proxies: 10.0.0.1, 10.0.0.2
jwt:
  issuer: 42
`), nil)
	if cfg.Password.Argon2.MemoryKiB != 40000 || cfg.Password.Argon2.Iterations != 3 {
		t.Errorf("argon2 = %+v", cfg.Password.Argon2)
	}
	if cfg.Cookie.Secure || len(cfg.CORS.AllowedOrigins) != 0 || len(cfg.HTTP.TrustedProxies) != 2 || cfg.JWT.Issuer != "42" {
		t.Errorf("secure %v, origins %v, proxies %v, issuer %q",
			cfg.Cookie.Secure, cfg.CORS.AllowedOrigins, cfg.HTTP.TrustedProxies, cfg.JWT.Issuer)
	}

	for _, tt := range []struct{ content, want string }{
		{"password:\n  argon2:\n    iterations: 2.5\n", "config: password.argon2.iterations: must be a whole number"},
		{"http:\n  body_limit: 99999999999999999999\n", "config: http.body_limit: must be between 1 and 9223372036854775807"},
		{"password:\n  argon2:\n    memory_kib: 4294967297\n", "config: password.argon2.memory_kib: must be between 1 and 4294967295"},
		{"cors:\n  allowed_origins: [1]\n", "config: cors.allowed_origins: must be a list of strings"},
		{"http:\n  trusted_proxies: 5\n", "config: http.trusted_proxies: must be a list (comma-separated in the environment)"},
		{"cookie:\n  secure: yes please\n", "config: cookie.secure: must be true or false"},
		{"auth:\n  access_token_ttl: 15\n", `config: auth.access_token_ttl: must be a duration with a unit, such as "15m" or "168h"`},
		{"ratelimit:\n  login_per_ip: [20/1m]\n", "config: ratelimit.login_per_ip: must be a single value, not a list or section"},
		{"log:\n  level: [debug]\n", "config: log.level: must be a single value, not a list or section"},
	} {
		_, err := LoadFrom(writeFile(t, "authd.yaml", tt.content), nil)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%q: err = %v, want %q", tt.content, err, tt.want)
		}
	}
}

// An environment value of a list splits at commas; elsewhere a comma is
// part of the value.
func TestOnlyListsSplitAtCommas(t *testing.T) {
	cfg := mustLoad(t, "", map[string]string{
		"AUTHD_CORS_ALLOWED_ORIGINS": " https://a.example.com,, https://b.example.com ",
		"AUTHD_JWT_ISSUER":           "a,b",
	})
	if got := strings.Join(cfg.CORS.AllowedOrigins, " "); got != "https://a.example.com https://b.example.com" {
		t.Errorf("origins = %q", got)
	}
	if cfg.JWT.Issuer != "a,b" {
		t.Errorf("issuer = %q", cfg.JWT.Issuer)
	}
}
