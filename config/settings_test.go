package config

import (
	"reflect"
	"strings"
	"testing"
)

// Each field of Config that holds a value is filled by exactly one
// declaration: a field added without its line, or bound twice, fails here.
func TestEveryFieldIsBoundOnce(t *testing.T) {
	cfg := &Config{}
	bound := map[any]string{}
	for _, s := range cfg.settings() {
		target := reflect.ValueOf(s.bind.target)
		if target.Kind() != reflect.Pointer {
			t.Fatalf("%s: target %T is not a pointer", s.key, s.bind.target)
		}
		addr := [2]any{target.Pointer(), target.Type()}
		if other, dup := bound[addr]; dup {
			t.Errorf("%s and %s fill the same field", other, s.key)
		}
		bound[addr] = s.key
	}
	var walk func(v reflect.Value, path string)
	walk = func(v reflect.Value, path string) {
		for i := range v.NumField() {
			f, name := v.Field(i), path+"."+v.Type().Field(i).Name
			addr := [2]any{f.Addr().Pointer(), f.Addr().Type()}
			if _, ok := bound[addr]; ok {
				delete(bound, addr)
				continue
			}
			if f.Kind() == reflect.Struct {
				walk(f, name)
				continue
			}
			if name == ".OIDC.Providers" {
				continue // each provider's fields: TestEveryProviderFieldIsBoundOnce
			}
			t.Errorf("Config%s has no declaration in settings()", name)
		}
	}
	walk(reflect.ValueOf(cfg).Elem(), "")
	for _, key := range bound {
		t.Errorf("%s fills something that is not a field of Config", key)
	}
}

// Two keys with one environment name (a.b_c and a_b.c) could not be told apart.
func TestKeysAndEnvNamesAreUnique(t *testing.T) {
	seen := map[string]string{}
	for _, key := range declaredKeys() {
		if key != strings.ToLower(key) || strings.TrimSpace(key) != key {
			t.Errorf("%q: keys are lower-case without blanks (viper folds case)", key)
		}
		if other, dup := seen[envName(key)]; dup {
			t.Errorf("%s and %s share %s", other, key, envName(key))
		}
		seen[envName(key)] = key
	}
}

// Every accepted value of an enumerated setting parses to itself; any other
// spelling is refused naming the choices.
func TestEnumChoices(t *testing.T) {
	enums := 0
	for _, s := range (&Config{}).settings() {
		if s.bind.choices == nil {
			continue
		}
		enums++
		for _, choice := range s.bind.choices {
			if err := s.bind.parse(choice); err != nil {
				t.Errorf("%s: %q refused: %v", s.key, choice, err)
			}
			if got := s.bind.show(); got != choice {
				t.Errorf("%s: %q shows as %#v", s.key, choice, got)
			}
			err := s.bind.parse(strings.ToUpper(choice[:1]) + strings.ToLower(choice[1:]) + "x")
			if err == nil || err.Error() != "must be one of "+strings.Join(s.bind.choices, ", ") {
				t.Errorf("%s: near miss of %q: err = %v", s.key, choice, err)
			}
		}
	}
	if enums != 7 {
		t.Errorf("%d enumerated settings, want 7 (env, jwt.algorithm, transport, email verification, sessions.store, log level and format)", enums)
	}
}

// The typed constants are what the loader stores, so callers can compare.
func TestEnumsAreTyped(t *testing.T) {
	cfg := mustLoad(t, "", map[string]string{
		"AUTHD_ENV": "test", "AUTHD_JWT_ALGORITHM": "ES256", "AUTHD_AUTH_REFRESH_TOKEN_TRANSPORT": "cookie",
		"AUTHD_LOG_LEVEL": "warn", "AUTHD_LOG_FORMAT": "console",
	})
	if cfg.Env != EnvTest || cfg.JWT.Algorithm != AlgES256 || cfg.Auth.RefreshTokenTransport != TransportCookie ||
		cfg.Log.Level != LevelWarn || cfg.Log.Format != FormatConsole {
		t.Errorf("got %q %q %q %q %q", cfg.Env, cfg.JWT.Algorithm, cfg.Auth.RefreshTokenTransport, cfg.Log.Level, cfg.Log.Format)
	}
}

// Validate re-applies each setting's own rule, not only the rules between settings.
func TestValidateChecksEverySettingsOwnRule(t *testing.T) {
	for key, spoil := range map[string]func(*Config){
		"env":                          func(c *Config) { c.Env = "staging" },
		"jwt.algorithm":                func(c *Config) { c.JWT.Algorithm = "none" },
		"auth.refresh_token_transport": func(c *Config) { c.Auth.RefreshTokenTransport = "header" },
		"log.level":                    func(c *Config) { c.Log.Level = "trace" },
		"http.addr":                    func(c *Config) { c.HTTP.Addr = "8080" },
		"password.argon2.parallelism":  func(c *Config) { c.Password.Argon2.Parallelism = 0 },
		"auth.refresh_reuse_grace":     func(c *Config) { c.Auth.RefreshReuseGrace = -1 },
		"database.url":                 func(c *Config) { c.Database.URL = "mysql://u:hunter2@h/db" },
	} {
		cfg := mustLoad(t, "", nil)
		spoil(cfg)
		err := cfg.Validate()
		if err == nil || !strings.HasPrefix(err.Error(), "config: "+key+": ") || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%s: err = %v", key, err)
		}
	}
}
