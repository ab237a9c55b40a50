package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/authd/authd/ports/inbound"
)

type oidcMetrics struct {
	signIns *prometheus.CounterVec
}

func newOIDCMetrics(r prometheus.Registerer) oidcMetrics {
	m := oidcMetrics{
		signIns: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "oidc", Name: "callbacks_total",
			Help: "Provider sign-in and link flows that came back, by provider and outcome (login, signup, linked_by_email, linked, or the #error= code).",
		}, []string{"provider", "outcome"}),
	}
	r.MustRegister(m.signIns)
	return m
}

// SignInCompleted counts a provider's callback (an observer of the
// inbound.CompleteSignIn use case). The provider comes from the flow's
// stored state, so it is one of the configured ones: a callback with no
// usable state has no trusted provider and is not counted here (the
// request metrics count its 400).
func (m *Metrics) SignInCompleted(_ inbound.CompleteSignInCommand, r inbound.SignInResult, err error) {
	if err != nil || r.Provider == "" || r.Outcome == "" {
		return
	}
	m.oidc.signIns.WithLabelValues(r.Provider, r.Outcome).Inc()
}
