package metrics

import (
	"context"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/authd/authd/ports/outbound"
)

// Mail outcomes of the contract's Operations section.
const (
	mailDelivered = "delivered"
	mailDeferred  = "deferred"
	mailFailed    = "failed"
)

type mailMetrics struct {
	messages *prometheus.CounterVec
	delay    *prometheus.HistogramVec
}

func newMailMetrics(r prometheus.Registerer) mailMetrics {
	m := mailMetrics{
		messages: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "mail", Name: "attempts_total",
			Help: "Mail delivery attempts by purpose and outcome: delivered, deferred (to be retried), failed (given up, kept as failed).",
		}, []string{"purpose", "outcome"}),
		delay: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Subsystem: "mail", Name: "delivery_delay_seconds",
			Help:    "Time from a message's enqueueing to its delivery, by purpose.",
			Buckets: []float64{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800},
		}, []string{"purpose"}),
	}
	r.MustRegister(m.messages, m.delay)
	return m
}

// MailObserver counts the sender's outcomes and passes them on to Next
// (the log). Requests for mail (request_*) are the sender's own work, not
// mail, and are not counted.
type MailObserver struct {
	Next    outbound.MailObserver
	Metrics *Metrics
}

var _ outbound.MailObserver = MailObserver{}

func countable(p outbound.MailPurpose) bool { return !strings.HasPrefix(string(p), "request_") }

// MailSent counts a delivery and its delay.
func (o MailObserver) MailSent(p outbound.MailPurpose, attempt int, age time.Duration) {
	if countable(p) {
		o.Metrics.mail.messages.WithLabelValues(string(p), mailDelivered).Inc()
		o.Metrics.mail.delay.WithLabelValues(string(p)).Observe(age.Seconds())
	}
	o.Next.MailSent(p, attempt, age)
}

// MailDeferred counts an attempt that will be retried.
func (o MailObserver) MailDeferred(p outbound.MailPurpose, attempt int, err error) {
	if countable(p) {
		o.Metrics.mail.messages.WithLabelValues(string(p), mailDeferred).Inc()
	}
	o.Next.MailDeferred(p, attempt, err)
}

// MailFailed counts a message given up.
func (o MailObserver) MailFailed(p outbound.MailPurpose, attempts int, err error) {
	if countable(p) {
		o.Metrics.mail.messages.WithLabelValues(string(p), mailFailed).Inc()
	}
	o.Next.MailFailed(p, attempts, err)
}

// outboxCollector reads the outbox when scraped: how many messages wait,
// how many failed, and how long the oldest pending one has waited. One
// query answers all three; a scrape that cannot read the outbox within its
// deadline exports nothing rather than stale numbers.
type outboxCollector struct {
	stats   func(context.Context) (outbound.OutboxStats, error)
	now     func() time.Time
	pending *prometheus.Desc
	failed  *prometheus.Desc
	oldest  *prometheus.Desc
}

// outboxScrapeTimeout bounds the query of one scrape.
const outboxScrapeTimeout = 2 * time.Second

// WatchOutbox registers the outbox gauges: authd_mail_outbox_pending,
// authd_mail_outbox_failed and authd_mail_outbox_oldest_pending_age_seconds.
func (m *Metrics) WatchOutbox(stats func(context.Context) (outbound.OutboxStats, error), now func() time.Time) error {
	name := func(n string) string { return prometheus.BuildFQName(namespace, "mail", n) }
	return m.Register(&outboxCollector{
		stats: stats, now: now,
		pending: prometheus.NewDesc(name("outbox_pending"), "Messages (and requests for mail) waiting in the outbox.", nil, nil),
		failed:  prometheus.NewDesc(name("outbox_failed"), "Messages given up after their last attempt, kept in the outbox.", nil, nil),
		oldest:  prometheus.NewDesc(name("outbox_oldest_pending_age_seconds"), "How long the oldest pending message has waited; 0 when none waits.", nil, nil),
	})
}

func (c *outboxCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.pending
	ch <- c.failed
	ch <- c.oldest
}

func (c *outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), outboxScrapeTimeout)
	defer cancel()
	s, err := c.stats(ctx)
	if err != nil {
		return
	}
	age := 0.0
	if !s.OldestPending.IsZero() {
		age = max(c.now().Sub(s.OldestPending).Seconds(), 0)
	}
	ch <- prometheus.MustNewConstMetric(c.pending, prometheus.GaugeValue, float64(s.Pending))
	ch <- prometheus.MustNewConstMetric(c.failed, prometheus.GaugeValue, float64(s.Failed))
	ch <- prometheus.MustNewConstMetric(c.oldest, prometheus.GaugeValue, age)
}
