package config

import (
	"os"
	"strings"
	"testing"
)

// The README's configuration table is generated from the declarations; this
// test keeps it so. With AUTHD_UPDATE_README=1 it rewrites the table instead
// of failing.
func TestReadmeTable(t *testing.T) {
	const path = "../README.md"
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	if strings.Count(readme, tableStart) != 1 || strings.Count(readme, tableEnd) != 1 {
		t.Fatalf("README.md needs exactly one %q and one %q around the configuration table", tableStart, tableEnd)
	}
	start, end := strings.Index(readme, tableStart), strings.Index(readme, tableEnd)+len(tableEnd)
	if end < start {
		t.Fatalf("README.md: %q comes before %q", tableEnd, tableStart)
	}
	want := tableStart + "\n\n" + markdownTable() + "\n" + tableEnd
	if readme[start:end] == want {
		return
	}
	if os.Getenv("AUTHD_UPDATE_README") == "1" {
		if err := os.WriteFile(path, []byte(readme[:start]+want+readme[end:]), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Log("README.md: configuration table rewritten")
		return
	}
	t.Errorf("README.md's configuration table differs from the declarations in config/settings.go.\n"+
		"Run AUTHD_UPDATE_README=1 go test ./config -run TestReadmeTable, or put this between the markers:\n\n%s", want)
}

// Every key gets one well-formed row: three cells, no stray column from a
// "|" in a meaning.
func TestMarkdownTableRows(t *testing.T) {
	lines := strings.Split(strings.TrimSuffix(markdownTable(), "\n"), "\n")
	var keys []string
	for _, s := range readmeSettings() {
		keys = append(keys, s.key)
	}
	if len(lines) != len(keys)+2 {
		t.Fatalf("%d lines for %d keys", len(lines), len(keys))
	}
	for i, key := range keys {
		row := lines[i+2]
		if !strings.HasPrefix(row, "| `"+key+"` | ") {
			t.Errorf("row %d is not %s: %s", i, key, row)
		}
		if cells := strings.Count(strings.ReplaceAll(row, `\|`, ""), "|"); cells != 4 {
			t.Errorf("%s: row has %d separators, want 4: %s", key, cells, row)
		}
	}
}

func TestMarkdownCells(t *testing.T) {
	table := markdownTable()
	for _, want := range []string{
		"| `env` | `development` | `development` \\| `test` \\| `production`: production means",
		"| `jwt.secret` | empty | HS256 only; at least 32 bytes |",
		"| `password.max_concurrent_hashes` | number of CPUs | ",
		"| `log.format` | `json` | `json` \\| `console`: encoding of log lines |",
		"| `ratelimit.signup_per_ip` | `10/1h` | ",
	} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
}
