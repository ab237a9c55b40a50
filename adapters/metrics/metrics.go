package metrics

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// namespace prefixes every metric authd defines (the standard collectors
// keep their go_, process_ and go_sql_ names, which dashboards expect).
const namespace = "authd"

// Metrics is the registry and every metric authd exports. It is safe for
// concurrent use.
type Metrics struct {
	registry *prometheus.Registry
	http     httpMetrics
	auth     authMetrics
	hashing  hashMetrics
	cleanup  cleanupMetrics
	mail     mailMetrics
	oidc     oidcMetrics
}

// New makes a registry with the Go runtime and process collectors and
// authd's own metrics.
func New() *Metrics {
	r := prometheus.NewRegistry()
	r.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return &Metrics{
		registry: r,
		http:     newHTTPMetrics(r),
		auth:     newAuthMetrics(r),
		hashing:  newHashMetrics(r),
		cleanup:  newCleanupMetrics(r),
		mail:     newMailMetrics(r),
		oidc:     newOIDCMetrics(r),
	}
}

// Register adds a collector that reads its values when scraped (the
// database pool, a queue's depth).
func (m *Metrics) Register(c prometheus.Collector) error { return m.registry.Register(c) }

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry})
}
