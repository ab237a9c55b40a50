package httpapi

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// recordingObserver keeps what the handler reports.
type recordingObserver struct {
	mu       sync.Mutex
	requests []observedRequest
	limited  []string
}

type observedRequest struct {
	method, route string
	status        int
	elapsed       time.Duration
}

func (o *recordingObserver) Request(method, route string, status int, elapsed time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.requests = append(o.requests, observedRequest{method, route, status, elapsed})
}

func (o *recordingObserver) RateLimited(quota string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.limited = append(o.limited, quota)
}

// The observer sees route templates, never raw paths, and the status the
// client got; a rate-limit rejection is reported with its quota.
func TestObserverSeesRouteTemplatesAndRejections(t *testing.T) {
	obs := &recordingObserver{}
	l := newFakeLimiter()
	opts := limitedOpts(l)
	opts.RateLimits.Login.Limit = 1
	opts.Observer = obs
	hs := newHarness(t, opts)

	hs.do(httptest.NewRequest(http.MethodDelete, "/v1/auth/sessions/"+testSessionID, nil))
	hs.do(httptest.NewRequest(http.MethodGet, "/no/such/"+testSessionID, nil))
	for range 2 {
		hs.post("/v1/auth/login", `{"email":"a@b.c","password":"p"}`)
	}

	want := []observedRequest{
		{method: http.MethodDelete, route: "/v1/auth/sessions/:id", status: http.StatusUnauthorized},
		{method: http.MethodGet, route: "", status: http.StatusNotFound},
		{method: http.MethodPost, route: "/v1/auth/login", status: http.StatusOK},
		{method: http.MethodPost, route: "/v1/auth/login", status: http.StatusTooManyRequests},
	}
	if len(obs.requests) != len(want) {
		t.Fatalf("observed %+v, want %d requests", obs.requests, len(want))
	}
	for i, w := range want {
		got := obs.requests[i]
		if got.method != w.method || got.route != w.route || got.status != w.status || got.elapsed <= 0 {
			t.Errorf("request %d observed as %+v, want %+v with a positive duration", i, got, w)
		}
	}
	if len(obs.limited) != 1 || obs.limited[0] != "login" {
		t.Errorf("rate-limit rejections %v, want [login]", obs.limited)
	}
}
