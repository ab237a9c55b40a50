package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// unmatchedRoute is the route label of a request no route matched; raw
// paths never become labels.
const unmatchedRoute = "unmatched"

// requestBuckets span a bearer check (a millisecond) to a login queued
// behind password hashing (seconds).
var requestBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

type httpMetrics struct {
	requests    *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	rateLimited *prometheus.CounterVec
}

func newHTTPMetrics(r prometheus.Registerer) httpMetrics {
	labels := []string{"method", "route", "status"}
	m := httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "http", Name: "requests_total",
			Help: "HTTP requests answered, by method, route template and status.",
		}, labels),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Subsystem: "http", Name: "request_duration_seconds",
			Help:    "Time from a request's arrival to its answer, by method, route template and status.",
			Buckets: requestBuckets,
		}, labels),
		rateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "ratelimit_rejections_total",
			Help: "Requests refused with 429 rate_limited, by per-IP quota.",
		}, []string{"quota"}),
	}
	r.MustRegister(m.requests, m.duration, m.rateLimited)
	return m
}

// Request counts one answered request (httpapi.Observer). route is the
// matched route template ("/v1/auth/sessions/:id"), empty when none matched.
func (m *Metrics) Request(method, route string, status int, elapsed time.Duration) {
	if route == "" {
		route = unmatchedRoute
	}
	method, code := knownMethod(method), strconv.Itoa(status)
	m.http.requests.WithLabelValues(method, route, code).Inc()
	m.http.duration.WithLabelValues(method, route, code).Observe(elapsed.Seconds())
}

// RateLimited counts one request refused by a per-IP quota
// (httpapi.Observer).
func (m *Metrics) RateLimited(quota string) {
	m.http.rateLimited.WithLabelValues(quota).Inc()
}

// knownMethod keeps the method label a closed set: a client can send any
// token as a method.
func knownMethod(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut,
		http.MethodPatch, http.MethodDelete, http.MethodOptions:
		return method
	}
	return "other"
}
