package metrics

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// fakeTransactor runs fn up to runs times, as a store that retries after a
// conflict would, and fails with fail when set.
type fakeTransactor struct {
	runs int
	fail error
}

func (f fakeTransactor) Within(ctx context.Context, fn func(context.Context, outbound.Repositories) error) error {
	for range f.runs {
		if err := fn(ctx, outbound.Repositories{Audit: &fakeAudit{}}); err != nil {
			return err
		}
	}
	return f.fail
}

type fakeAudit struct {
	outbound.AuditLog
	fail error
}

func (a *fakeAudit) Record(context.Context, audit.Event) error { return a.fail }

func refreshes(m *Metrics, outcome string) float64 {
	return testutil.ToFloat64(m.auth.refreshes.WithLabelValues(outcome))
}

func TestTransactorCountsOnlyWhatCommitted(t *testing.T) {
	record := func(ctx context.Context, r outbound.Repositories) error {
		return r.Audit.Record(ctx, audit.Event{Type: audit.Refreshed})
	}
	m := New()
	if err := (Transactor{Next: fakeTransactor{runs: 1}, Metrics: m}).Within(context.Background(), record); err != nil {
		t.Fatal(err)
	}
	if got := refreshes(m, "rotated"); got != 1 {
		t.Fatalf("a committed rotation counted %v, want 1", got)
	}
	rollback := errors.New("rolled back")
	_ = Transactor{Next: fakeTransactor{runs: 1, fail: rollback}, Metrics: m}.Within(context.Background(), record)
	if got := refreshes(m, "rotated"); got != 1 {
		t.Errorf("a rolled-back unit counted: rotated = %v, want 1", got)
	}
	// A unit run three times (conflicts) commits once.
	_ = Transactor{Next: fakeTransactor{runs: 3}, Metrics: m}.Within(context.Background(), record)
	if got := refreshes(m, "rotated"); got != 2 {
		t.Errorf("a unit run again counted each run: rotated = %v, want 2", got)
	}
}

func TestAuditLogCountsStoredEvents(t *testing.T) {
	m := New()
	stored := AuditLog{AuditLog: &fakeAudit{}, Metrics: m}
	failing := AuditLog{AuditLog: &fakeAudit{fail: errors.New("down")}, Metrics: m}
	_ = stored.Record(context.Background(), audit.Event{Type: audit.LoginLocked})
	_ = failing.Record(context.Background(), audit.Event{Type: audit.LoginLocked})
	_ = stored.Record(context.Background(), audit.Event{Type: audit.LoginFailed})
	_ = stored.Record(context.Background(), audit.Event{Type: audit.Signup})
	if got := testutil.ToFloat64(m.auth.lockouts); got != 1 {
		t.Errorf("lockouts = %v, want 1 (the failed write counts nothing)", got)
	}
	if got := testutil.ToFloat64(m.auth.logins.WithLabelValues("failed")); got != 1 {
		t.Errorf("failed logins = %v, want 1", got)
	}
}

type refreshStub struct{ err error }

func (r refreshStub) Handle(context.Context, inbound.RefreshCommand) (inbound.TokenPair, error) {
	return inbound.TokenPair{}, r.err
}

func TestObservedRefreshFailures(t *testing.T) {
	m := New()
	for _, err := range []error{
		session.ErrExpired, session.ErrRevoked, outbound.ErrRefreshTokenInvalid,
		outbound.ErrUnavailable, nil,
	} {
		var uc inbound.Refresh = Observed[inbound.RefreshCommand, inbound.TokenPair](refreshStub{err}, func(_ inbound.RefreshCommand, _ inbound.TokenPair, err error) {
			if err != nil {
				m.RefreshFailed(err)
			}
		})
		if _, got := uc.Handle(context.Background(), inbound.RefreshCommand{}); !errors.Is(got, err) {
			t.Errorf("Observed changed the error %v into %v", err, got)
		}
	}
	if got := refreshes(m, "expired"); got != 2 {
		t.Errorf("expired = %v, want 2 (expired and revoked sessions)", got)
	}
	if got := refreshes(m, "invalid"); got != 1 {
		t.Errorf("invalid = %v, want 1", got)
	}
}

func TestRequestLabelsAreClosedSets(t *testing.T) {
	m := New()
	m.Request("BREW", "", 405, 0)
	m.Request("GET", "/v1/auth/me", 200, 0)
	got, err := testutil.GatherAndCount(m.registry, "authd_http_requests_total")
	if err != nil || got != 2 {
		t.Fatalf("series = %d, %v", got, err)
	}
	want := `
# HELP authd_http_requests_total HTTP requests answered, by method, route template and status.
# TYPE authd_http_requests_total counter
authd_http_requests_total{method="GET",route="/v1/auth/me",status="200"} 1
authd_http_requests_total{method="other",route="unmatched",status="405"} 1
`
	if err := testutil.GatherAndCompare(m.registry, strings.NewReader(want), "authd_http_requests_total"); err != nil {
		t.Error(err)
	}
}

func TestCleanupCountsDeletedRowsBySweeper(t *testing.T) {
	m := New()
	m.CleanedUp(inbound.CleanupCommand{}, inbound.CleanupReport{"sessions": 3, "audit_events": 0}, nil)
	m.CleanedUp(inbound.CleanupCommand{}, inbound.CleanupReport{"sessions": 2}, nil)
	if got := testutil.ToFloat64(m.cleanup.deleted.WithLabelValues("sessions")); got != 5 {
		t.Errorf("sessions deleted = %v, want 5", got)
	}
}

// BenchmarkRequest is the cost the metrics add to every HTTP request.
func BenchmarkRequest(b *testing.B) {
	m := New()
	b.ReportAllocs()
	for b.Loop() {
		m.Request("GET", "/v1/auth/me", 200, 1500*time.Microsecond)
	}
}

// BenchmarkTransactor is the cost the metrics add to a unit of work that
// records one event.
func BenchmarkTransactor(b *testing.B) {
	m := New()
	tx := Transactor{Next: fakeTransactor{runs: 1}, Metrics: m}
	record := func(ctx context.Context, r outbound.Repositories) error {
		return r.Audit.Record(ctx, audit.Event{Type: audit.Refreshed})
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = tx.Within(context.Background(), record)
	}
}
