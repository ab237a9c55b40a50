package wiring

import (
	"context"
	"errors"
	"net"
	"net/http"

	"github.com/gin-gonic/gin"
	"go.uber.org/fx"
	"go.uber.org/zap"

	"github.com/authd/authd/adapters/httpapi"
	"github.com/authd/authd/config"
	"github.com/authd/authd/ports/outbound"
)

// HTTP serves the API. It depends on ports only: the use cases and probes
// httpapi declares (filled from the graph), and the rate limiter. The
// listener is opened synchronously in OnStart, so a taken port fails
// startup, and the server drains in OnStop.
var HTTP = fx.Module("http",
	fx.Provide(filled[httpapi.UseCases](), filled[httpapi.Probes](), newHandler, newServer),
	fx.Invoke(func(*Server) {}),
)

// Server is the running HTTP server; Addr is the bound address once the
// application has started (useful with port 0 in tests).
type Server struct {
	srv  *http.Server
	addr string
}

// Addr returns the address the server listens on.
func (s *Server) Addr() string { return s.addr }

// httpHooks are what other modules plug into the HTTP adapter, each
// optional: the metrics' observer, tracing's middleware.
type httpHooks struct {
	fx.In
	Observer   httpapi.Observer  `optional:"true"`
	Middleware []gin.HandlerFunc `group:"http.middleware"`
}

func newHandler(cfg *config.Config, uc httpapi.UseCases, probes httpapi.Probes, limiter outbound.RateLimiter, emails outbound.EmailNormalizer,
	log *zap.Logger, hooks httpHooks) (http.Handler, error) {
	proxies := make([]string, len(cfg.HTTP.TrustedProxies))
	for i, p := range cfg.HTTP.TrustedProxies {
		proxies[i] = p.String()
	}
	return httpapi.NewHandler(
		httpapi.Options{
			Env:              string(cfg.Env),
			BodyLimit:        cfg.HTTP.BodyLimit,
			AllowedOrigins:   cfg.CORS.AllowedOrigins,
			TrustedProxies:   proxies,
			RefreshTransport: string(cfg.Auth.RefreshTokenTransport),
			CookieSecure:     cfg.Cookie.Secure,
			RateLimits: httpapi.RateLimits{
				Enabled: cfg.RateLimit.Enabled,
				Limiter: limiter,
				Login:   quota("login", cfg.RateLimit.LoginPerIP),
				Signup:  quota("signup", cfg.RateLimit.SignupPerIP),
				Refresh: quota("refresh", cfg.RateLimit.RefreshPerIP),
				Default: quota("default", cfg.RateLimit.DefaultPerIP),
				Mail:    quota("mail", cfg.RateLimit.MailPerIP),
			},
			MailLimits: httpapi.MailLimits{
				Limiter:   limiter,
				Emails:    emails,
				Burst:     quota("address_burst", cfg.RateLimit.MailPerAddressBurst),
				Sustained: quota("address", cfg.RateLimit.MailPerAddress),
			},
			Observer:   hooks.Observer,
			JWKSMaxAge: cfg.JWT.JWKSMaxAge,
			Middleware: hooks.Middleware,
		},
		uc, probes, log,
	)
}

func newServer(lc fx.Lifecycle, cfg *config.Config, h http.Handler, log *zap.Logger) *Server {
	s := &Server{srv: httpapi.NewServer(cfg.HTTP.Addr, h)}
	lc.Append(fx.Hook{
		OnStart: func(ctx context.Context) error {
			ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", cfg.HTTP.Addr)
			if err != nil {
				return err
			}
			s.addr = ln.Addr().String()
			log.Info("listening", zap.String("addr", s.addr))
			go func() {
				if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
					log.Error("http server stopped", zap.Error(err))
				}
			}()
			return nil
		},
		// Shutdown closes the listener and waits for the requests in
		// flight, at most http.shutdown_timeout; then whatever is left is
		// cut off, so a stuck request cannot hold the process.
		OnStop: func(ctx context.Context) error {
			ctx, cancel := context.WithTimeout(ctx, cfg.HTTP.ShutdownTimeout)
			defer cancel()
			if err := s.srv.Shutdown(ctx); err != nil {
				log.Warn("requests still in flight at the shutdown timeout were cut off",
					zap.Duration("timeout", cfg.HTTP.ShutdownTimeout))
				return s.srv.Close()
			}
			return nil
		},
	})
	return s
}
