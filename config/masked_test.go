package config

import (
	"fmt"
	"strings"
	"testing"
)

func TestMaskedHidesSecrets(t *testing.T) {
	cfg := mustLoad(t, "", map[string]string{
		"AUTHD_DATABASE_URL":        "postgres://authd:hunter2@db:5432/authd?sslmode=disable&password=hunter2",
		"AUTHD_RATELIMIT_REDIS_URL": "redis://:hunter2@redis:6379/0",
		"AUTHD_SESSIONS_REDIS_URL":  "redis://:hunter2@redis:6379/1",
		"AUTHD_JWT_ALGORITHM":       "HS256",
		"AUTHD_JWT_SECRET":          "hunter2-hunter2-hunter2-hunter2-hunter2",
	})
	m := cfg.Masked()
	if dump := fmt.Sprint(m); strings.Contains(dump, "hunter2") {
		t.Fatalf("Masked leaks a secret: %s", dump)
	}
	for key, want := range map[string]string{
		"database.url":        "postgres://authd:***@db:5432/authd?sslmode=disable&password=***",
		"ratelimit.redis_url": "redis://:***@redis:6379/0",
		"sessions.redis_url":  "redis://:***@redis:6379/1",
		"jwt.secret":          "***",
	} {
		if m[key] != want {
			t.Errorf("%s = %q, want %q", key, m[key], want)
		}
	}
	// The real values are still there for the adapters.
	if !strings.Contains(cfg.Database.URL, "hunter2") || !strings.HasPrefix(cfg.JWT.Secret.Reveal(), "hunter2") {
		t.Error("masking changed the configuration itself")
	}
}

func TestRedactURL(t *testing.T) {
	tests := map[string]string{
		"":                             "",
		"sqlite://data/authd.db":       "sqlite://data/authd.db",
		"sqlite://:memory:":            "sqlite://:memory:",
		"postgres://authd@db/authd":    "postgres://authd@db/authd",
		"postgres://u:hunter2@db/a":    "postgres://u:***@db/a",
		"postgres://db/a?PassWord=x&a": "postgres://db/a?PassWord=***&a",
		"postgres://u:pass/hunter2@h":  "***", // does not parse: hide it all
	}
	for in, want := range tests {
		if got := redactURL(in); got != want {
			t.Errorf("redactURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSecretNeverPrints(t *testing.T) {
	s := Secret("hunter2")
	cfg := JWT{Secret: s}
	for _, out := range []string{
		fmt.Sprint(s), fmt.Sprintf("%v %+v %#v %s", cfg, cfg, cfg, s),
	} {
		if strings.Contains(out, "hunter2") {
			t.Errorf("printed the secret: %s", out)
		}
	}
	if text, _ := s.MarshalText(); string(text) != "***" {
		t.Errorf("MarshalText = %q", text)
	}
	if Secret("").String() != "" {
		t.Error("an empty secret should print empty, so it is visibly unset")
	}
}
