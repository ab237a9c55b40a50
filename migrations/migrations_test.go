package migrations_test

import (
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/authd/authd/migrations"
)

func names(t *testing.T, dialect string) []string {
	t.Helper()
	dir := migrations.Dir(dialect)
	if dir == "" {
		t.Fatalf("Dir(%q) is empty", dialect)
	}
	entries, err := fs.ReadDir(migrations.FS, dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func TestDialectsHaveTheSameVersions(t *testing.T) {
	pg, lite := names(t, migrations.Postgres), names(t, migrations.SQLite)
	if len(pg) == 0 || !slices.Equal(pg, lite) {
		t.Fatalf("postgres has %v, sqlite has %v: each version must exist for both", pg, lite)
	}
}

func TestEveryMigrationHasAnUpAndADown(t *testing.T) {
	for _, dialect := range []string{migrations.Postgres, migrations.SQLite} {
		for _, name := range names(t, dialect) {
			b, err := fs.ReadFile(migrations.FS, migrations.Dir(dialect)+"/"+name)
			if err != nil {
				t.Fatal(err)
			}
			up, down, ok := strings.Cut(string(b), "-- +goose Down")
			if !ok || !strings.Contains(up, "-- +goose Up") || !strings.Contains(down, ";") {
				t.Errorf("%s/%s needs a '-- +goose Up' section and a non-empty '-- +goose Down' after it", dialect, name)
			}
		}
	}
}

func TestDirKnowsOnlyTheSupportedDialects(t *testing.T) {
	for dialect, want := range map[string]string{"postgres": "postgres", "sqlite": "sqlite", "mysql": "", "": ""} {
		if got := migrations.Dir(dialect); got != want {
			t.Errorf("Dir(%q) = %q, want %q", dialect, got, want)
		}
	}
}
