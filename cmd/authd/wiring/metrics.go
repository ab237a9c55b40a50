package wiring

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/collectors"
	"go.uber.org/fx"
	"go.uber.org/zap"

	"github.com/authd/authd/adapters/argon2id"
	"github.com/authd/authd/adapters/gormstore"
	"github.com/authd/authd/adapters/httpapi"
	"github.com/authd/authd/adapters/metrics"
	"github.com/authd/authd/config"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// Metrics serves Prometheus metrics on metrics.addr, a listener apart from
// the API; with metrics.addr empty it adds nothing at all. It counts the
// use cases from outside (see package metrics): decorators of the
// transactor and the audit log count outcomes that are audit events, a
// decorator of the refresh use case counts refusals that are not, and
// hooks of the HTTP adapter and the hasher report what only they know.
// A later feature adds its metrics here: one more decorator or collector.
func Metrics(cfg *config.Config) fx.Option {
	if cfg.Metrics.Addr == "" {
		return fx.Options()
	}
	return fx.Options(
		fx.Module("metrics",
			fx.Provide(
				metrics.New,
				func(m *metrics.Metrics) httpapi.Observer { return m },
				newMetricsServer,
			),
			fx.Invoke(func(*MetricsServer) {}, registerPoolStats, watchOutbox),
		),
		// Decorations at the root reach the use cases in their module.
		fx.Decorate(
			func(tx outbound.Transactor, m *metrics.Metrics) outbound.Transactor {
				return metrics.Transactor{Next: tx, Metrics: m}
			},
			func(log outbound.AuditLog, m *metrics.Metrics) outbound.AuditLog {
				return metrics.AuditLog{AuditLog: log, Metrics: m}
			},
			func(uc inbound.Refresh, m *metrics.Metrics) inbound.Refresh {
				return metrics.Observed(uc, func(_ inbound.RefreshCommand, _ inbound.TokenPair, err error) {
					if err != nil {
						m.RefreshFailed(err)
					}
				})
			},
			func(uc inbound.Cleanup, m *metrics.Metrics) inbound.Cleanup {
				return metrics.Observed(uc, m.CleanedUp)
			},
			func(uc inbound.CompleteSignIn, m *metrics.Metrics) inbound.CompleteSignIn {
				return metrics.Observed(uc, m.SignInCompleted)
			},
			func(o outbound.MailObserver, m *metrics.Metrics) outbound.MailObserver {
				return metrics.MailObserver{Next: o, Metrics: m}
			},
			observeHashing,
		),
	)
}

// observeHashing hands the hasher's queue to the metrics before any use
// case holds it.
func observeHashing(h outbound.PasswordHasher, m *metrics.Metrics) (outbound.PasswordHasher, error) {
	if a, ok := h.(*argon2id.Hasher); ok {
		a.OnWait = m.HashWait
		if err := m.HashesInFlight(a.InFlight); err != nil {
			return nil, err
		}
	}
	return h, nil
}

// poolStats is the database, when the storage is one (not in memory).
type poolStats struct {
	fx.In
	DB *gormstore.DB `optional:"true"`
}

// registerPoolStats exports the connection pool's sql.DBStats under the
// standard go_sql_* names.
func registerPoolStats(in poolStats, m *metrics.Metrics) error {
	if in.DB == nil {
		return nil
	}
	return m.Register(collectors.NewDBStatsCollector(in.DB.Pool(), "authd"))
}

// watchOutbox exports the outbox's depth and the age of its oldest pending
// message, read when scraped.
func watchOutbox(outbox outbound.Outbox, clock outbound.Clock, m *metrics.Metrics) error {
	return m.WatchOutbox(outbox.Stats, clock.Now)
}

// MetricsServer is the running metrics listener; Addr is its bound address
// once the application has started.
type MetricsServer struct {
	srv  *http.Server
	addr string
}

// Addr returns the address the metrics listener is bound to.
func (s *MetricsServer) Addr() string { return s.addr }

func newMetricsServer(lc fx.Lifecycle, cfg *config.Config, m *metrics.Metrics, log *zap.Logger) *MetricsServer {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	s := &MetricsServer{srv: &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}}
	lc.Append(fx.Hook{
		OnStart: func(ctx context.Context) error {
			ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", cfg.Metrics.Addr)
			if err != nil {
				return err
			}
			s.addr = ln.Addr().String()
			log.Info("metrics listening", zap.String("addr", s.addr))
			go func() {
				if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
					log.Error("metrics server stopped", zap.Error(err))
				}
			}()
			return nil
		},
		OnStop: func(ctx context.Context) error { return s.srv.Shutdown(ctx) },
	})
	return s
}
