// Package docsui is the page at /docs: Swagger UI (vendored from npm, see
// scripts/vendor-docs-ui.sh and assets/VERSION) rendering /openapi.json,
// entirely from files embedded in the binary, so it works offline and needs
// no CDN.
package docsui

import (
	"embed"
	"io/fs"
)

//go:embed index.html docs.js docs.css assets
var files embed.FS

// Page returns the HTML of /docs. Its links are relative to /docs
// (docs/assets/..., openapi.json), so the page also works behind a proxy
// that serves authd under a path prefix.
func Page() []byte { return mustRead("index.html") }

// Asset is one file served under /docs/assets/.
type Asset struct {
	// Body is the file as stored: gzip-compressed when Gzipped.
	Body        []byte
	ContentType string
	Gzipped     bool
}

// assets maps each name served under /docs/assets/ to its file. The large
// vendored files are stored gzip-compressed.
var assets = map[string]struct {
	file, contentType string
	gzipped           bool
}{
	"swagger-ui-bundle.js":             {"assets/swagger-ui-bundle.js.gz", "text/javascript; charset=utf-8", true},
	"swagger-ui.css":                   {"assets/swagger-ui.css.gz", "text/css; charset=utf-8", true},
	"favicon-32x32.png":                {"assets/favicon-32x32.png", "image/png", false},
	"docs.js":                          {"docs.js", "text/javascript; charset=utf-8", false},
	"docs.css":                         {"docs.css", "text/css; charset=utf-8", false},
	"LICENSE":                          {"assets/LICENSE", "text/plain; charset=utf-8", false},
	"NOTICE":                           {"assets/NOTICE", "text/plain; charset=utf-8", false},
	"swagger-ui-bundle.js.LICENSE.txt": {"assets/swagger-ui-bundle.js.LICENSE.txt", "text/plain; charset=utf-8", false},
}

// Lookup returns the asset served as name.
func Lookup(name string) (Asset, bool) {
	a, ok := assets[name]
	if !ok {
		return Asset{}, false
	}
	return Asset{Body: mustRead(a.file), ContentType: a.contentType, Gzipped: a.gzipped}, true
}

// Names lists every asset name, for the tests.
func Names() []string {
	out := make([]string, 0, len(assets))
	for name := range assets {
		out = append(out, name)
	}
	return out
}

// mustRead reads an embedded file; every name above is embedded, which the
// package's tests check, so a failure is a build mistake.
func mustRead(name string) []byte {
	b, err := fs.ReadFile(files, name)
	if err != nil {
		panic("docsui: " + err.Error())
	}
	return b
}
