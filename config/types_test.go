package config

import (
	"testing"
	"time"
)

func TestDatabaseDialect(t *testing.T) {
	tests := []struct {
		url, dialect, path string
	}{
		{"sqlite://data/authd.db", DialectSQLite, "data/authd.db"},
		{"sqlite:///var/lib/authd.db", DialectSQLite, "/var/lib/authd.db"},
		{"postgres://u@h/db", DialectPostgres, ""},
		{"PostgreSQL://u@h/db", DialectPostgres, ""},
		{"mysql://u@h/db", "", ""},
	}
	for _, tt := range tests {
		d := Database{URL: tt.url}
		if d.Dialect() != tt.dialect || d.SQLitePath() != tt.path {
			t.Errorf("%s: dialect %q path %q, want %q %q", tt.url, d.Dialect(), d.SQLitePath(), tt.dialect, tt.path)
		}
	}
}

func TestParseRate(t *testing.T) {
	valid := map[string]Rate{
		"20/1m":      {20, time.Minute},
		" 10 / 1h ":  {10, time.Hour},
		"5/30s":      {5, 30 * time.Second},
		"1/1h30m":    {1, 90 * time.Minute},
		"300/1m0s":   {300, time.Minute},
		"7/1500ms":   {7, 1500 * time.Millisecond},
		"2/24h0m0s":  {2, 24 * time.Hour},
		"1/1h0m30s":  {1, time.Hour + 30*time.Second},
		"3/2h0m0.5s": {3, 2*time.Hour + 500*time.Millisecond},
	}
	for in, want := range valid {
		got, err := ParseRate(in)
		if err != nil || got != want {
			t.Errorf("ParseRate(%q) = %+v, %v; want %+v", in, got, err, want)
			continue
		}
		if again, err := ParseRate(got.String()); err != nil || again != got {
			t.Errorf("%q does not round-trip through %q", in, got.String())
		}
	}
	for _, in := range []string{"", "20", "/1m", "20/", "0/1m", "-1/1m", "x/1m", "20/0s", "20/-1m", "20/m", "1.5/1m"} {
		if _, err := ParseRate(in); err == nil {
			t.Errorf("ParseRate(%q) accepted", in)
		}
	}
}

func TestRateString(t *testing.T) {
	for rate, want := range map[Rate]string{
		{20, time.Minute}:               "20/1m",
		{10, time.Hour}:                 "10/1h",
		{5, 30 * time.Second}:           "5/30s",
		{1, 90 * time.Minute}:           "1/1h30m",
		{1, time.Hour + 30*time.Second}: "1/1h0m30s",
		{3, 1500 * time.Millisecond}:    "3/1.5s",
	} {
		if got := rate.String(); got != want {
			t.Errorf("%+v.String() = %q, want %q", rate, got, want)
		}
	}
}

func TestRefreshTransport(t *testing.T) {
	for transport, want := range map[Transport][2]bool{
		TransportBody: {true, false}, TransportCookie: {false, true}, TransportBoth: {true, true},
	} {
		a := Auth{RefreshTokenTransport: transport}
		if a.RefreshInBody() != want[0] || a.RefreshInCookie() != want[1] {
			t.Errorf("%s: body %v cookie %v", transport, a.RefreshInBody(), a.RefreshInCookie())
		}
	}
}
