package httpapi

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
)

func TestNewHandlerRefusesBadConfiguration(t *testing.T) {
	uc := newFakes(t).useCases()
	cases := []struct {
		name string
		opts Options
		want string
	}{
		{"unknown transport", Options{RefreshTransport: "header", CookieSecure: true}, "refresh transport"},
		{"wildcard origin", Options{AllowedOrigins: []string{"*"}, CookieSecure: true}, `"*"`},
		{"origin with path", Options{AllowedOrigins: []string{"https://a.example/app"}, CookieSecure: true}, "scheme://host"},
		{"insecure cookie in production", Options{Env: "production"}, "production"},
		{"bad proxy", Options{TrustedProxies: []string{"10.0.0.0/33"}, CookieSecure: true}, "trusted proxies"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h, err := NewHandler(tc.opts, uc, okProbes(), nil)
			if err == nil || h != nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("handler %v, err %v, want error mentioning %q", h, err, tc.want)
			}
		})
	}
}

// TestNewHandlerRequiresEveryUseCaseAndProbe removes each field of
// UseCases and of Probes in turn: NewHandler refuses, naming it.
func TestNewHandlerRequiresEveryUseCaseAndProbe(t *testing.T) {
	if _, err := NewHandler(bodyOpts(), newFakes(t).useCases(), okProbes(), nil); err != nil {
		t.Fatalf("complete wiring refused: %v", err)
	}
	for i := range reflect.TypeFor[UseCases]().NumField() {
		uc := newFakes(t).useCases()
		reflect.ValueOf(&uc).Elem().Field(i).SetZero()
		name := reflect.TypeFor[UseCases]().Field(i).Name
		h, err := NewHandler(bodyOpts(), uc, okProbes(), nil)
		if err == nil || h != nil || !strings.Contains(err.Error(), "use case "+name+" is required") {
			t.Errorf("without use case %s: err %v (handler built: %t)", name, err, h != nil)
		}
	}
	for i := range reflect.TypeFor[Probes]().NumField() {
		probes := okProbes()
		reflect.ValueOf(&probes).Elem().Field(i).SetZero()
		name := reflect.TypeFor[Probes]().Field(i).Name
		h, err := NewHandler(bodyOpts(), newFakes(t).useCases(), probes, nil)
		if err == nil || h != nil || !strings.Contains(err.Error(), "probe "+name+" is required") {
			t.Errorf("without probe %s: err %v (handler built: %t)", name, err, h != nil)
		}
	}
}

func TestNewHandlerDefaultsToBothTransports(t *testing.T) {
	hs := newHarness(t, Options{CookieSecure: true})
	rec := hs.post("/v1/auth/login", guardBodies["/v1/auth/login"])
	if cookieNamed(rec, secureCookieName) == nil || !strings.Contains(rec.Body.String(), "opaque-refresh-token") {
		t.Errorf("default transport is not both: %q / %s", rec.Header().Get("Set-Cookie"), rec.Body)
	}
}

func TestNewServerHasTimeouts(t *testing.T) {
	srv := NewServer("127.0.0.1:0", http.NotFoundHandler())
	if srv.Addr != "127.0.0.1:0" || srv.Handler == nil || srv.ReadHeaderTimeout <= 0 || srv.ReadTimeout <= 0 ||
		srv.WriteTimeout <= 0 || srv.IdleTimeout <= 0 || srv.MaxHeaderBytes <= 0 {
		t.Errorf("server = %+v", srv)
	}
}

func TestHealthz(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	rec := hs.do(httptest.NewRequest(http.MethodGet, "/healthz", nil))
	if rec.Code != http.StatusOK || rec.Body.String() != `{"status":"ok"}` {
		t.Errorf("%d %s", rec.Code, rec.Body)
	}
}

func TestHeadProbes(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	for _, path := range []string{"/healthz", "/readyz"} {
		srv := httptest.NewServer(hs.h)
		res, err := http.Head(srv.URL + path)
		srv.Close()
		if err != nil || res.StatusCode != http.StatusOK {
			t.Errorf("HEAD %s: %v %v", path, res, err)
		}
	}
}

func TestReadyz(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	rec := hs.do(httptest.NewRequest(http.MethodGet, "/readyz", nil))
	if rec.Code != http.StatusOK || rec.Body.String() != `{"status":"ok"}` {
		t.Errorf("ready: %d %s", rec.Code, rec.Body)
	}

	hs.ready = errors.New("dial tcp 10.0.0.3:5432: connection refused")
	rec = hs.do(httptest.NewRequest(http.MethodGet, "/readyz", nil))
	expectProblem(t, rec, http.StatusServiceUnavailable, "internal")
	if strings.Contains(rec.Body.String(), "5432") || strings.Contains(rec.Body.String(), "dial") {
		t.Errorf("body leaks the cause: %s", rec.Body)
	}
	if logged := hs.logs.FilterMessage("not ready").All(); len(logged) != 1 || !strings.Contains(logged[0].ContextMap()["error"].(string), "5432") {
		t.Errorf("cause not logged once: %v", logged)
	}
}

// TestReadyzChecks: degraded dependencies are described, never turned into
// a 503; only Ready's error does that, and then the checks are not run.
func TestReadyzChecks(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	hs.checks = map[string]string{"ratelimit": "degraded: redis unreachable, using in-process limiter"}
	rec := hs.do(httptest.NewRequest(http.MethodGet, "/readyz", nil))
	want := `{"status":"ok","checks":{"ratelimit":"degraded: redis unreachable, using in-process limiter"}}`
	if rec.Code != http.StatusOK || rec.Body.String() != want {
		t.Errorf("degraded: %d %s", rec.Code, rec.Body)
	}

	hs.checks = map[string]string{}
	if rec := hs.do(httptest.NewRequest(http.MethodGet, "/readyz", nil)); rec.Body.String() != `{"status":"ok"}` {
		t.Errorf("no checks: %s", rec.Body)
	}

	ran := false
	probes := okProbes()
	probes.Ready = func(context.Context) error { return errors.New("database down") }
	probes.Checks = func(context.Context) map[string]string { ran = true; return hs.checks }
	h, err := NewHandler(bodyOpts(), hs.f.useCases(), probes, nil)
	if err != nil {
		t.Fatal(err)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	expectProblem(t, rec, http.StatusServiceUnavailable, "internal")
	if ran {
		t.Error("checks ran although the service is not ready")
	}
}

func TestJWKS(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	rec := hs.do(httptest.NewRequest(http.MethodGet, "/.well-known/jwks.json", nil))
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/json" ||
		rec.Body.String() != `{"keys":[{"kid":"k1","use":"sig","alg":"EdDSA"}]}` {
		t.Errorf("%d %q %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
}
