package archtest

import (
	"slices"
	"testing"
)

// TestDependencyRule checks the real module.
func TestDependencyRule(t *testing.T) {
	root, module, err := ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	pkgs, err := ListPackages(root)
	if err != nil {
		t.Fatal(err)
	}
	// Guard against checking an empty or wrong listing and passing vacuously.
	for _, must := range []string{"domain/user", "domain/session", "ports/outbound", "config"} {
		if !slices.ContainsFunc(pkgs, func(p Package) bool { return p.ImportPath == module+"/"+must }) {
			t.Fatalf("go list did not list %s/%s", module, must)
		}
	}
	for _, v := range Check(module, pkgs) {
		t.Error(v)
	}
}

// TestCheckerReportsViolations proves the checker on a made-up module that
// breaks every rule once, beside packages that keep them.
func TestCheckerReportsViolations(t *testing.T) {
	const m = "example.com/svc"
	pkgs := []Package{
		// Allowed shapes.
		{ImportPath: m + "/domain/user", Imports: []string{"errors"}, Deps: []string{"errors"}},
		{ImportPath: m + "/domain/session", Imports: []string{m + "/domain/user"}, Deps: []string{m + "/domain/user", "time"}},
		{ImportPath: m + "/ports/outbound", Deps: []string{"context", m + "/domain/user"}},
		{ImportPath: m + "/application", Deps: []string{m + "/ports/outbound", m + "/domain/session"}},
		{ImportPath: m + "/adapters/postgres", Imports: []string{
			"gorm.io/gorm", m + "/adapters/postgres/internal/rows", m + "/ports/outbound", m + "/migrations",
		}},
		{ImportPath: m + "/migrations", Imports: []string{"embed"}, Deps: []string{"embed"}},
		{ImportPath: m + "/config", Imports: []string{"time", viperPath}, Deps: []string{viperPath, "github.com/spf13/cast"}},
		{ImportPath: m + "/cmd/authd", Imports: []string{m + "/cmd/authd/wiring", m + "/config"}, Deps: []string{fxPath}},
		{ImportPath: m + "/test/contract", Deps: []string{fxPath}},
		{ImportPath: "other.org/lib", Imports: []string{m + "/cmd/authd/wiring"}},

		// Violations.
		{ImportPath: m + "/domain/user", Imports: []string{m + "/domain/session"},
			Deps: []string{"github.com/google/uuid", m + "/domain/session"}},
		{ImportPath: m + "/ports/inbound", Deps: []string{m + "/ports/outbound", m + "/adapters/memory"}},
		{ImportPath: m + "/application", Deps: []string{"github.com/gin-gonic/gin", m + "/config"}},
		{ImportPath: m + "/adapters/httpapi", Imports: []string{
			m + "/adapters/memory", m + "/application", m + "/cmd/authd/wiring", m + "/config",
		}, Deps: []string{fxPath + "/fxevent"}},
		{ImportPath: m + "/config", Imports: []string{"github.com/pkg/errors"}, Deps: []string{m + "/domain/user"}},
		{ImportPath: m + "/test/e2e", Imports: []string{m + "/cmd/authd/wiring"}},
		{ImportPath: m + "/migrations", Deps: []string{m + "/domain/user"}},
	}
	want := []string{
		"adapters/httpapi -> adapters/memory (adapters: no adapter imports another)",
		"adapters/httpapi -> application (adapters: no application)",
		"adapters/httpapi -> cmd/authd/wiring (nothing imports cmd)",
		"adapters/httpapi -> config (adapters: this module's domain, ports and migrations only)",
		"adapters/httpapi -> go.uber.org/fx/fxevent (fx only in cmd and test)",
		"application -> config (application: standard library, domain and ports only)",
		"application -> github.com/gin-gonic/gin (application: standard library, domain and ports only)",
		"config -> domain/user (config: nothing of this module)",
		"config -> github.com/pkg/errors (config: standard library and viper only)",
		"domain/user -> domain/session (domain: one direction only, allowed edges are listed in domainEdges)",
		"domain/user -> github.com/google/uuid (domain: standard library and domain only)",
		"migrations -> domain/user (migrations: standard library only)",
		"ports/inbound -> adapters/memory (ports: standard library and domain only)",
		"ports/inbound -> ports/outbound (ports: standard library and domain only)",
		"test/e2e -> cmd/authd/wiring (nothing imports cmd)",
	}
	var got []string
	for _, v := range Check(m, pkgs) {
		got = append(got, v.String())
	}
	if !slices.Equal(got, want) {
		t.Errorf("violations:\n%s\nwant:\n%s", join(got), join(want))
	}
}

func TestIsStd(t *testing.T) {
	for path, want := range map[string]bool{
		"fmt": true, "net/http": true, "crypto/ed25519": true,
		"github.com/spf13/viper": false, "go.uber.org/fx": false, "gorm.io/gorm": false,
	} {
		if isStd(path) != want {
			t.Errorf("isStd(%q) = %v", path, !want)
		}
	}
}

func join(lines []string) string {
	out := ""
	for _, l := range lines {
		out += "  " + l + "\n"
	}
	return out
}
