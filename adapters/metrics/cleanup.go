package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/authd/authd/ports/inbound"
)

type cleanupMetrics struct {
	deleted *prometheus.CounterVec
}

func newCleanupMetrics(r prometheus.Registerer) cleanupMetrics {
	m := cleanupMetrics{
		deleted: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "cleanup", Name: "deleted_rows_total",
			Help: "Rows the cleanup deleted, by sweeper (sessions, audit_events, ...).",
		}, []string{"sweeper"}),
	}
	r.MustRegister(m.deleted)
	return m
}

// CleanedUp counts what one cleanup run deleted (an observer of the
// inbound.Cleanup use case).
func (m *Metrics) CleanedUp(_ inbound.CleanupCommand, report inbound.CleanupReport, _ error) {
	for sweeper, n := range report {
		m.cleanup.deleted.WithLabelValues(sweeper).Add(float64(n))
	}
}
