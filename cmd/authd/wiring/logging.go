package wiring

import (
	"fmt"

	"go.uber.org/fx"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/authd/authd/config"
)

// Logging provides the one *zap.Logger everything else is given, and logs
// the effective configuration, secrets masked, once at startup.
var Logging = fx.Module("logging",
	fx.Provide(NewLogger),
	fx.Invoke(logEffectiveConfig),
)

// NewLogger builds a structured logger at the configured level and format.
func NewLogger(cfg *config.Config, lc fx.Lifecycle) (*zap.Logger, error) {
	level, err := zapcore.ParseLevel(string(cfg.Log.Level))
	if err != nil {
		return nil, fmt.Errorf("config: log.level: %w", err)
	}
	zc := zap.NewProductionConfig()
	if cfg.Log.Format == "console" {
		zc = zap.NewDevelopmentConfig()
	}
	zc.Level = zap.NewAtomicLevelAt(level)
	zc.Sampling = nil // never drop access-log lines
	zc.DisableStacktrace = true
	log, err := zc.Build()
	if err != nil {
		return nil, err
	}
	lc.Append(fx.StopHook(func() { _ = log.Sync() }))
	return log, nil
}

func logEffectiveConfig(cfg *config.Config, log *zap.Logger) {
	log.Info("effective configuration", zap.Any("config", cfg.Masked()))
}
