package e2e

import (
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	collectortrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"
)

// otlpReceiver is an OTLP/HTTP trace receiver: it decodes each export as
// the protocol's protobuf message and keeps the spans.
type otlpReceiver struct {
	*httptest.Server
	mu    sync.Mutex
	spans []*tracepb.Span
}

func newOTLPReceiver(t *testing.T) *otlpReceiver {
	t.Helper()
	r := &otlpReceiver{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, err := io.ReadAll(req.Body)
		var export collectortrace.ExportTraceServiceRequest
		if err != nil || req.URL.Path != "/v1/traces" || proto.Unmarshal(body, &export) != nil {
			http.Error(w, "not an OTLP trace export", http.StatusBadRequest)
			return
		}
		r.mu.Lock()
		for _, rs := range export.GetResourceSpans() {
			for _, ss := range rs.GetScopeSpans() {
				r.spans = append(r.spans, ss.GetSpans()...)
			}
		}
		r.mu.Unlock()
		reply, _ := proto.Marshal(&collectortrace.ExportTraceServiceResponse{})
		w.Header().Set("Content-Type", "application/x-protobuf")
		_, _ = w.Write(reply)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *otlpReceiver) received() []*tracepb.Span {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*tracepb.Span(nil), r.spans...)
}

// The SDK batches spans; a short delay makes the test quick. These tests
// set the process environment, so they do not run in parallel.
func fastSpanExport(t *testing.T) { t.Setenv("OTEL_BSP_SCHEDULE_DELAY", "50") }

func TestTracingExportsRequestAndSQLSpans(t *testing.T) {
	fastSpanExport(t)
	collector := newOTLPReceiver(t)
	s := startServer(t, map[string]string{"AUTHD_TRACING_OTLP_ENDPOINT": collector.URL})
	a := s.signup(t, "traced@example.com")
	const traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
	s.do(t, http.MethodGet, "/v1/auth/me", nil, bearer(a.AccessToken), header("traceparent", "00-"+traceID+"-00f067aa0ba902b7-01")).wantStatus(t, http.StatusOK)

	var me *tracepb.Span
	var sql []*tracepb.Span
	waitFor(t, 10*time.Second, "the spans of GET /v1/auth/me and its SQL", func() bool {
		me, sql = nil, nil
		for _, span := range collector.received() {
			if hex.EncodeToString(span.GetTraceId()) != traceID {
				continue
			}
			if strings.Contains(span.GetName(), "/v1/auth/me") {
				me = span
			} else if strings.HasPrefix(span.GetName(), "gorm.") {
				sql = append(sql, span)
			}
		}
		return me != nil && len(sql) > 0
	})
	for _, span := range sql {
		if string(span.GetParentSpanId()) != string(me.GetSpanId()) {
			t.Errorf("SQL span %s is not a child of the request's span", span.GetName())
		}
	}
	for _, span := range collector.received() {
		for _, attr := range span.GetAttributes() {
			if v := attr.GetValue().GetStringValue(); strings.Contains(v, "$argon2id$") || strings.Contains(v, a.AccessToken) {
				t.Errorf("span %s attribute %s holds a secret", span.GetName(), attr.GetKey())
			}
		}
	}
}

// Without tracing.otlp_endpoint nothing is exported, even with the SDK's
// own environment variables pointing at a collector: authd builds no
// exporter at all.
func TestTracingIsOffByDefault(t *testing.T) {
	fastSpanExport(t)
	collector := newOTLPReceiver(t)
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", collector.URL)
	t.Setenv("OTEL_TRACES_EXPORTER", "otlp")
	s := startServer(t, nil)
	a := s.signup(t, "untraced@example.com")
	s.meUser(t, a.AccessToken)
	time.Sleep(500 * time.Millisecond) // ten export intervals
	if spans := collector.received(); len(spans) != 0 {
		t.Fatalf("%d spans were exported with tracing off", len(spans))
	}
}
