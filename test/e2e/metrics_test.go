package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"go.uber.org/fx"

	"github.com/authd/authd/cmd/authd/wiring"
)

// metricsServer starts authd with the metrics listener on a random port and
// returns the API server and a scraper of the metrics listener.
func metricsServer(t *testing.T, env map[string]string, opts ...fx.Option) (*server, *scraper) {
	t.Helper()
	var ms *wiring.MetricsServer
	vars := map[string]string{"AUTHD_METRICS_ADDR": "127.0.0.1:0"}
	for k, v := range env {
		vars[k] = v
	}
	s := startServer(t, vars, append(opts, fx.Populate(&ms))...)
	return s, &scraper{url: "http://" + ms.Addr() + "/metrics", client: &http.Client{Timeout: 10 * time.Second}}
}

// scraper reads the metrics listener as Prometheus would.
type scraper struct {
	url    string
	client *http.Client
}

func (sc *scraper) scrape(t *testing.T) map[string]*dto.MetricFamily {
	t.Helper()
	res, err := sc.client.Get(sc.url)
	if err != nil {
		t.Fatalf("scrape: %v", err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("scrape: status %d", res.StatusCode)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(res.Body)
	if err != nil {
		t.Fatalf("scrape: %v", err)
	}
	return families
}

// value is the counter (or gauge) of family whose labels include labels;
// 0 when there is none.
func value(families map[string]*dto.MetricFamily, family string, labels map[string]string) float64 {
	f, ok := families[family]
	if !ok {
		return 0
	}
	total := 0.0
	for _, m := range f.GetMetric() {
		if !hasLabels(m, labels) {
			continue
		}
		switch {
		case m.GetCounter() != nil:
			total += m.GetCounter().GetValue()
		case m.GetGauge() != nil:
			total += m.GetGauge().GetValue()
		case m.GetHistogram() != nil:
			total += float64(m.GetHistogram().GetSampleCount())
		}
	}
	return total
}

func hasLabels(m *dto.Metric, want map[string]string) bool {
	found := 0
	for _, l := range m.GetLabel() {
		if v, ok := want[l.GetName()]; ok && v == l.GetValue() {
			found++
		}
	}
	return found == len(want)
}

// counts reads the value of one metric before and after an action.
func (sc *scraper) delta(t *testing.T, family string, labels map[string]string, action func()) float64 {
	t.Helper()
	before := value(sc.scrape(t), family, labels)
	action()
	return value(sc.scrape(t), family, labels) - before
}

func TestMetricsListenerIsApartFromTheAPI(t *testing.T) {
	t.Parallel()
	s, sc := metricsServer(t, nil)
	families := sc.scrape(t)
	for _, name := range []string{
		"go_goroutines", "process_resident_memory_bytes", "go_sql_open_connections",
		"authd_refreshes_total", "authd_logins_total", "authd_lockouts_total",
		"authd_password_hash_in_flight",
	} {
		if _, ok := families[name]; !ok {
			t.Errorf("metric %s is not exported", name)
		}
	}
	s.do(t, http.MethodGet, "/metrics", nil).wantProblem(t, http.StatusNotFound, "not_found")
	// The metrics listener serves metrics only.
	res, err := sc.client.Get(strings.TrimSuffix(sc.url, "/metrics") + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("metrics listener answered /healthz with %d", res.StatusCode)
	}
}

// Counters move with what they count: one rotation is one rotated outcome,
// a grace hit a grace_hit, a replay after the grace reuse_detected, a
// refresh of an ended session expired, a token not ours invalid, a login
// refused by the lockout one lockout; requests are counted under their
// route template.
func TestMetricsCountOutcomes(t *testing.T) {
	t.Parallel()
	clock := newClock()
	s, sc := metricsServer(t, map[string]string{"AUTHD_LOCKOUT_MAX_FAILURES": "2"}, withClock(clock))
	a := s.signup(t, "metrics@example.com")
	refreshes := func(outcome string) map[string]string { return map[string]string{"outcome": outcome} }

	var next tokenResponse
	if d := sc.delta(t, "authd_refreshes_total", refreshes("rotated"), func() { next = s.mustRefresh(t, a.RefreshToken) }); d != 1 {
		t.Errorf("a rotation moved rotated by %v, want 1", d)
	}
	if d := sc.delta(t, "authd_refreshes_total", refreshes("grace_hit"), func() { s.mustRefresh(t, a.RefreshToken) }); d != 1 {
		t.Errorf("a grace hit moved grace_hit by %v, want 1", d)
	}
	if d := sc.delta(t, "authd_refreshes_total", refreshes("invalid"), func() {
		s.refresh(t, "not-a-refresh-token").wantProblem(t, http.StatusUnauthorized, "refresh_token_invalid")
	}); d != 1 {
		t.Errorf("a foreign token moved invalid by %v, want 1", d)
	}
	clock.Advance(11 * time.Second)
	if d := sc.delta(t, "authd_refreshes_total", refreshes("reuse_detected"), func() {
		s.refresh(t, a.RefreshToken).wantProblem(t, http.StatusUnauthorized, "refresh_token_reused")
	}); d != 1 {
		t.Errorf("a reuse moved reuse_detected by %v, want 1", d)
	}
	if d := sc.delta(t, "authd_refreshes_total", refreshes("expired"), func() {
		s.refresh(t, next.RefreshToken).wantProblem(t, http.StatusUnauthorized, "session_revoked")
	}); d != 1 {
		t.Errorf("a refresh of the revoked session moved expired by %v, want 1", d)
	}

	logins := func(outcome string) map[string]string { return map[string]string{"outcome": outcome} }
	if d := sc.delta(t, "authd_logins_total", logins("succeeded"), func() { s.login(t, a.Email, a.Password) }); d != 1 {
		t.Errorf("a login moved succeeded by %v, want 1", d)
	}
	wrong := map[string]any{"email": a.Email, "password": "not the password"}
	if d := sc.delta(t, "authd_logins_total", logins("failed"), func() {
		for range 2 {
			s.do(t, http.MethodPost, "/v1/auth/login", wrong).wantProblem(t, http.StatusUnauthorized, "invalid_credentials")
		}
	}); d != 2 {
		t.Errorf("two wrong passwords moved failed by %v, want 2", d)
	}
	if d := sc.delta(t, "authd_lockouts_total", nil, func() {
		s.do(t, http.MethodPost, "/v1/auth/login", wrong).wantProblem(t, http.StatusTooManyRequests, "too_many_attempts")
	}); d != 1 {
		t.Errorf("a locked-out login moved the lockout counter by %v, want 1", d)
	}

	// Requests are counted by route template, never by raw path.
	me := map[string]string{"method": "GET", "route": "/v1/auth/me", "status": "200"}
	if d := sc.delta(t, "authd_http_requests_total", me, func() {
		s.me(t, next.AccessToken).wantProblem(t, http.StatusUnauthorized, "session_revoked")
	}); d != 0 {
		t.Errorf("a refused /me counted as a 200: %v", d)
	}
	fresh := s.signup(t, "metrics2@example.com")
	if d := sc.delta(t, "authd_http_requests_total", me, func() { s.meUser(t, fresh.AccessToken) }); d != 1 {
		t.Errorf("GET /v1/auth/me moved its counter by %v, want 1", d)
	}
	revoke := map[string]string{"method": "DELETE", "route": "/v1/auth/sessions/:id", "status": "404"}
	if d := sc.delta(t, "authd_http_requests_total", revoke, func() {
		s.do(t, http.MethodDelete, "/v1/auth/sessions/01890a5d-ac96-774b-bcce-b302099a8002", nil, bearer(fresh.AccessToken))
	}); d != 1 {
		t.Errorf("DELETE /v1/auth/sessions/{id} moved its templated counter by %v, want 1", d)
	}
	families := sc.scrape(t)
	for _, m := range families["authd_http_requests_total"].GetMetric() {
		for _, l := range m.GetLabel() {
			if l.GetName() == "route" && strings.Contains(l.GetValue(), "01890a5d") {
				t.Errorf("a raw path became a label: %s", l.GetValue())
			}
		}
	}
	if value(families, "authd_http_request_duration_seconds", me) != 1 {
		t.Error("the latency histogram did not observe the /me request")
	}
	if value(families, "authd_password_hash_queue_wait_seconds", nil) == 0 {
		t.Error("the password-hash queue wait was never observed")
	}
}

func TestMetricsCountRateLimitRejections(t *testing.T) {
	t.Parallel()
	s, sc := metricsServer(t, limitedEnv(map[string]string{"AUTHD_RATELIMIT_SIGNUP_PER_IP": "1/1h"}))
	s.signup(t, "first@example.com")
	if d := sc.delta(t, "authd_ratelimit_rejections_total", map[string]string{"quota": "signup"}, func() {
		s.do(t, http.MethodPost, "/v1/auth/signup", signupBody("second@example.com")).wantProblem(t, http.StatusTooManyRequests, "rate_limited")
	}); d != 1 {
		t.Errorf("a refused signup moved the signup rejections by %v, want 1", d)
	}
}
