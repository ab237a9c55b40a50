package metrics

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
)

// The refresh outcomes of the contract.
const (
	refreshRotated       = "rotated"
	refreshGraceHit      = "grace_hit"
	refreshReuseDetected = "reuse_detected"
	refreshExpired       = "expired"
	refreshInvalid       = "invalid"
)

type authMetrics struct {
	logins    *prometheus.CounterVec
	refreshes *prometheus.CounterVec
	lockouts  prometheus.Counter
}

func newAuthMetrics(r prometheus.Registerer) authMetrics {
	m := authMetrics{
		logins: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "logins_total",
			Help: "Password logins that were checked, by outcome (succeeded, failed).",
		}, []string{"outcome"}),
		refreshes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "refreshes_total",
			Help: "Refresh-token presentations by outcome: rotated, grace_hit, reuse_detected, expired (the session had ended), invalid (not a token of a live account).",
		}, []string{"outcome"}),
		lockouts: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: namespace, Name: "lockouts_total",
			Help: "Login attempts refused because the email is locked out after too many failures.",
		}),
	}
	// Every outcome is exported from the start, at zero, so that a rate()
	// over it works before the first occurrence.
	for _, o := range []string{"succeeded", "failed"} {
		m.logins.WithLabelValues(o)
	}
	for _, o := range []string{refreshRotated, refreshGraceHit, refreshReuseDetected, refreshExpired, refreshInvalid} {
		m.refreshes.WithLabelValues(o)
	}
	r.MustRegister(m.logins, m.refreshes, m.lockouts)
	return m
}

// AuditEvent counts an event that has been stored (and committed, when it
// belonged to a unit of work). Events of other types count nothing.
func (m *Metrics) AuditEvent(t audit.Type) {
	switch t {
	case audit.LoginSucceeded:
		m.auth.logins.WithLabelValues("succeeded").Inc()
	case audit.LoginFailed:
		m.auth.logins.WithLabelValues("failed").Inc()
	case audit.LoginLocked:
		m.auth.lockouts.Inc()
	case audit.Refreshed:
		m.auth.refreshes.WithLabelValues(refreshRotated).Inc()
	case audit.RefreshGraceHit:
		m.auth.refreshes.WithLabelValues(refreshGraceHit).Inc()
	case audit.RefreshReuseDetected:
		m.auth.refreshes.WithLabelValues(refreshReuseDetected).Inc()
	}
}

// RefreshFailed counts a refresh refused without an audit event: the
// session had ended (expired, revoked or logged out) or the token was not
// one of a live account (not ours, its session gone, its user disabled).
// Failures of a dependency are not an outcome of the token: the HTTP
// metrics count them as 5xx.
func (m *Metrics) RefreshFailed(err error) {
	switch {
	case errors.Is(err, session.ErrEnded):
		m.auth.refreshes.WithLabelValues(refreshExpired).Inc()
	case errors.Is(err, outbound.ErrRefreshTokenInvalid), errors.Is(err, user.ErrDisabled):
		m.auth.refreshes.WithLabelValues(refreshInvalid).Inc()
	}
}
