package httpapi

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/authd/authd/adapters/httpapi/docsui"
	"github.com/authd/authd/adapters/httpapi/openapi"
)

const strictCSP = "default-src 'none'; frame-ancestors 'none'"

func get(hs *harness, path string, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	return hs.do(r)
}

func TestOpenAPIDocumentIsServed(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	rec := get(hs, "/openapi.json")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	want, err := openapi.JSON()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(rec.Body.Bytes(), want) {
		t.Error("served document differs from the embedded one")
	}
	if got := rec.Header().Get("Content-Security-Policy"); got != strictCSP {
		t.Errorf("/openapi.json CSP %q, want the strict one", got)
	}
}

func TestDocsPage(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	rec := get(hs, "/docs")
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("status %d, Content-Type %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	if got := rec.Header().Get("Content-Security-Policy"); got != docsCSP {
		t.Errorf("/docs CSP %q, want %q", got, docsCSP)
	}
	// The relaxed policy still forbids inline scripts, eval, framing and
	// anything from another origin.
	for _, forbidden := range []string{"unsafe-inline", "unsafe-eval", "http:", "https:", "*"} {
		if strings.Contains(docsCSP, forbidden) {
			t.Errorf("docs CSP allows %q", forbidden)
		}
	}
	if !strings.Contains(docsCSP, "frame-ancestors 'none'") {
		t.Error("docs CSP lets the page be framed")
	}
	page := rec.Body.String()
	for _, ref := range []string{`src="docs/assets/swagger-ui-bundle.js"`, `src="docs/assets/docs.js"`, `href="docs/assets/swagger-ui.css"`} {
		if !strings.Contains(page, ref) {
			t.Errorf("page lacks %s", ref)
		}
	}
	// Everything from this origin: no CDN, and no inline script for the CSP to refuse.
	if strings.Contains(page, "://") || strings.Contains(page, `="//`) || strings.Contains(page, "<script>") {
		t.Errorf("page loads something from elsewhere or inline:\n%s", page)
	}
	// The other headers stay.
	if rec.Header().Get("X-Frame-Options") != "DENY" || rec.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Error("docs page lost a security header")
	}
}

func TestDocsAssets(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	for _, name := range docsui.Names() {
		asset, _ := docsui.Lookup(name)
		plain := asset.Body
		if asset.Gzipped {
			zr, err := gzip.NewReader(bytes.NewReader(asset.Body))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if plain, err = io.ReadAll(zr); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		if len(plain) == 0 {
			t.Errorf("%s is empty", name)
		}
		for _, accept := range []string{"gzip, deflate, br", ""} {
			rec := get(hs, "/docs/assets/"+name, "Accept-Encoding", accept)
			if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != asset.ContentType {
				t.Fatalf("%s: status %d, Content-Type %q", name, rec.Code, rec.Header().Get("Content-Type"))
			}
			if got := rec.Header().Get("Content-Security-Policy"); got != docsCSP {
				t.Errorf("%s: CSP %q", name, got)
			}
			body := rec.Body.Bytes()
			gzipped := asset.Gzipped && accept != ""
			if got := rec.Header().Get("Content-Encoding") == "gzip"; got != gzipped {
				t.Errorf("%s (Accept-Encoding %q): Content-Encoding %q", name, accept, rec.Header().Get("Content-Encoding"))
			}
			if gzipped {
				body = asset.Body
				if !bytes.Equal(rec.Body.Bytes(), body) {
					t.Errorf("%s: compressed body differs from the stored one", name)
				}
				continue
			}
			if !bytes.Equal(body, plain) {
				t.Errorf("%s (Accept-Encoding %q): body differs from the file", name, accept)
			}
		}
	}
	bundle, _ := docsui.Lookup("swagger-ui-bundle.js")
	if !bundle.Gzipped || len(bundle.Body) > 1<<20 {
		t.Errorf("the bundle must be stored compressed under 1 MiB, is %d bytes", len(bundle.Body))
	}
}

func TestStrictCSPEverywhereElse(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	for _, path := range []string{"/healthz", "/openapi.json", "/docs/", "/docs/assets/nope.js", "/docs/assets", "/v1/auth/me", "/nope"} {
		rec := get(hs, path)
		if got := rec.Header().Get("Content-Security-Policy"); got != strictCSP {
			t.Errorf("%s (status %d): CSP %q, want %q", path, rec.Code, got, strictCSP)
		}
	}
	expectProblem(t, get(hs, "/docs/assets/nope.js"), http.StatusNotFound, "not_found")
}

func TestAcceptsGzip(t *testing.T) {
	for header, want := range map[string]bool{
		"":                      false,
		"gzip":                  true,
		"GZIP":                  true,
		"deflate, gzip;q=1.0":   true,
		"gzip;q=0.5":            true,
		"x-gzip":                true,
		"*":                     true,
		"br":                    false,
		"identity":              false,
		"gzip;q=0":              false,
		"gzip; q=0.000":         false,
		"gzip;q=0, deflate":     false,
		"deflate;q=0, gzip;q=1": true,
	} {
		if got := acceptsGzip(header); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", header, got, want)
		}
	}
}
