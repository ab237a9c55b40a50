package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// waitBuckets span no wait at all to password.max_wait and beyond.
var waitBuckets = []float64{.0005, .001, .005, .01, .05, .1, .25, .5, 1, 2, 5}

type hashMetrics struct {
	wait prometheus.Histogram
}

func newHashMetrics(r prometheus.Registerer) hashMetrics {
	m := hashMetrics{
		wait: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: namespace, Subsystem: "password_hash", Name: "queue_wait_seconds",
			Help:    "Time a password hash or verification waited for a hashing slot.",
			Buckets: waitBuckets,
		}),
	}
	r.MustRegister(m.wait)
	return m
}

// HashWait records one wait for a hashing slot (argon2id.Hasher.OnWait).
func (m *Metrics) HashWait(d time.Duration) { m.hashing.wait.Observe(d.Seconds()) }

// HashesInFlight exports, when scraped, how many hashes run at once.
func (m *Metrics) HashesInFlight(inFlight func() int) error {
	return m.Register(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Namespace: namespace, Subsystem: "password_hash", Name: "in_flight",
		Help: "Password hashes being computed now.",
	}, func() float64 { return float64(inFlight()) }))
}
