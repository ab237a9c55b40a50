// Package archtest enforces authd's dependency rule (docs/architecture.md):
// the domain and the use cases know nothing of frameworks, adapters do not
// know each other, and only the composition root in cmd/ sees fx.
package archtest

import (
	"slices"
	"strings"
)

// Package is the part of a `go list -json` record the rules read.
type Package struct {
	ImportPath string
	// Imports are the direct imports of the package's non-test files.
	Imports []string
	// Deps are all transitive dependencies of the package's non-test files.
	Deps []string
}

// Violation is one import that breaks a rule.
type Violation struct {
	Pkg, Dep, Rule string
}

// String renders the violation as "pkg -> dep (rule)".
func (v Violation) String() string { return v.Pkg + " -> " + v.Dep + " (" + v.Rule + ")" }

// domainEdges lists the only imports allowed between domain packages, so the
// domain stays a one-way chain: a session belongs to a user, an audit event
// names both, never the reverse. validation and ident are the leaves every
// aggregate builds on (the error for bad input, the UUID of every id) and
// import no domain package themselves.
var domainEdges = map[string][]string{
	"domain/user":     {"domain/validation", "domain/ident"},
	"domain/session":  {"domain/user", "domain/validation", "domain/ident"},
	"domain/audit":    {"domain/user", "domain/session", "domain/validation", "domain/ident"},
	"domain/identity": {"domain/user", "domain/validation", "domain/ident"},
	"domain/onetime":  {"domain/user", "domain/validation", "domain/ident"},
}

// Third-party import paths the rules name.
const (
	fxPath    = "go.uber.org/fx"
	viperPath = "github.com/spf13/viper"
)

// Check applies the dependency rule to pkgs, all of module, and returns the
// violations in a stable order. Paths inside module are reported relative to it.
func Check(module string, pkgs []Package) []Violation {
	c := checker{module: module, seen: map[Violation]bool{}}
	for _, p := range pkgs {
		c.check(p)
	}
	slices.SortFunc(c.found, func(a, b Violation) int { return strings.Compare(a.String(), b.String()) })
	return c.found
}

type checker struct {
	module string
	found  []Violation
	seen   map[Violation]bool
}

func (c *checker) report(pkg, dep, rule string) {
	v := Violation{Pkg: pkg, Dep: dep, Rule: rule}
	if !c.seen[v] {
		c.seen[v] = true
		c.found = append(c.found, v)
	}
}

// rel returns path relative to the module, and whether it is in the module.
func (c *checker) rel(path string) (string, bool) {
	if path == c.module {
		return ".", true
	}
	if rest, ok := strings.CutPrefix(path, c.module+"/"); ok {
		return rest, true
	}
	return path, false
}

// isStd reports whether an import path outside the module belongs to the
// standard library: its first element has no dot (fmt, net/http, crypto/ed25519).
func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// under reports whether rel is dir or inside it.
func under(rel, dir string) bool {
	return rel == dir || strings.HasPrefix(rel, dir+"/")
}

func (c *checker) check(p Package) {
	self, ok := c.rel(p.ImportPath)
	if !ok {
		return
	}
	switch {
	case under(self, "domain"):
		c.checkDomain(self, p)
	case under(self, "ports"):
		c.onlyLayers(self, p.Deps, "ports: standard library and domain only", "domain")
	case under(self, "application"):
		c.onlyLayers(self, p.Deps, "application: standard library, domain and ports only",
			"domain", "ports", "application")
	case under(self, "adapters"):
		c.checkAdapter(self, p)
	case under(self, "config"):
		c.checkConfig(self, p)
	case under(self, "migrations"):
		c.onlyLayers(self, p.Deps, "migrations: standard library only")
	}
	if !under(self, "cmd") {
		for _, imp := range p.Imports {
			if dep, in := c.rel(imp); in && under(dep, "cmd") {
				c.report(self, dep, "nothing imports cmd")
			}
		}
	}
	if !under(self, "cmd") && !under(self, "test") {
		for _, dep := range p.Deps {
			if under(dep, fxPath) {
				c.report(self, dep, "fx only in cmd and test")
			}
		}
	}
}

// onlyLayers allows, among deps, the standard library and the listed module layers.
func (c *checker) onlyLayers(self string, deps []string, rule string, layers ...string) {
	for _, d := range deps {
		dep, in := c.rel(d)
		if !in {
			if !isStd(d) {
				c.report(self, dep, rule)
			}
			continue
		}
		if !slices.ContainsFunc(layers, func(l string) bool { return under(dep, l) }) {
			c.report(self, dep, rule)
		}
	}
}

func (c *checker) checkDomain(self string, p Package) {
	c.onlyLayers(self, p.Deps, "domain: standard library and domain only", "domain")
	for _, imp := range p.Imports {
		dep, in := c.rel(imp)
		if !in || !under(dep, "domain") || under(dep, self) || under(self, dep) {
			continue
		}
		if !slices.Contains(domainEdges[self], dep) {
			c.report(self, dep, "domain: one direction only, allowed edges are listed in domainEdges")
		}
	}
}

// checkAdapter allows an adapter this module's domain and ports, its own
// subpackages and the embedded SQL of migrations (a storage adapter applies
// it); the libraries it wraps are its own business.
func (c *checker) checkAdapter(self string, p Package) {
	name, _, _ := strings.Cut(strings.TrimPrefix(self, "adapters/"), "/")
	own := "adapters/" + name
	for _, imp := range p.Imports {
		dep, in := c.rel(imp)
		switch {
		case !in, under(dep, "domain"), under(dep, "ports"), under(dep, "migrations"), under(dep, own):
		case under(dep, "adapters"):
			c.report(self, dep, "adapters: no adapter imports another")
		case under(dep, "application"):
			c.report(self, dep, "adapters: no application")
		case under(dep, "cmd"):
			// Reported by the rule that covers every package.
		default:
			c.report(self, dep, "adapters: this module's domain, ports and migrations only")
		}
	}
}

// checkConfig allows config the standard library and viper, and nothing of this module.
func (c *checker) checkConfig(self string, p Package) {
	for _, d := range p.Deps {
		if dep, in := c.rel(d); in {
			c.report(self, dep, "config: nothing of this module")
		}
	}
	for _, imp := range p.Imports {
		if _, in := c.rel(imp); !in && !isStd(imp) && !under(imp, viperPath) {
			c.report(self, imp, "config: standard library and viper only")
		}
	}
}
