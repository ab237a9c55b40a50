package wiring

import (
	"context"
	"runtime/debug"

	"github.com/gin-gonic/gin"
	"go.uber.org/fx"

	"github.com/authd/authd/adapters/gormstore"
	"github.com/authd/authd/adapters/tracing"
	"github.com/authd/authd/config"
)

// Tracing exports OpenTelemetry spans of every request and SQL statement to
// tracing.otlp_endpoint. Without an endpoint it adds nothing: no provider,
// no exporter, no middleware, no plugin.
func Tracing(cfg *config.Config) fx.Option {
	if cfg.Tracing.OTLPEndpoint == "" {
		return fx.Options()
	}
	return fx.Module("tracing",
		fx.Provide(
			newTracing,
			fx.Annotate(func(t *tracing.Tracing) gin.HandlerFunc { return t.Gin() }, fx.ResultTags(`group:"http.middleware"`)),
		),
		fx.Invoke(traceStatements),
	)
}

func newTracing(lc fx.Lifecycle, cfg *config.Config) (*tracing.Tracing, error) {
	version := "dev"
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
		version = info.Main.Version
	}
	t, err := tracing.New(cfg.Tracing.OTLPEndpoint, version)
	if err != nil {
		return nil, err
	}
	// Registered before the HTTP server's hook, so it stops after the
	// server has drained and flushes the last requests' spans.
	lc.Append(fx.StopHook(func(ctx context.Context) error { return t.Shutdown(ctx) }))
	return t, nil
}

// storageToTrace is the database, when the storage is one.
type storageToTrace struct {
	fx.In
	DB *gormstore.DB `optional:"true"`
}

func traceStatements(in storageToTrace, t *tracing.Tracing) error {
	if in.DB == nil {
		return nil
	}
	return in.DB.Use(t.GORM())
}
