package wiring

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"
	"go.uber.org/fx"
	"go.uber.org/zap"

	"github.com/authd/authd/adapters/compose"
	"github.com/authd/authd/adapters/gormstore"
	"github.com/authd/authd/adapters/httpapi"
	"github.com/authd/authd/adapters/redisstore"
	"github.com/authd/authd/config"
	"github.com/authd/authd/ports/outbound"
)

// drainInterval is how often each instance moves the audit events left in
// Redis into the audit table. Events normally arrive with their commit;
// the drainer only catches up after a failed import or a crash.
const drainInterval = time.Second

// RedisSessions binds the session ports to Redis, in place of the
// database's: the session repository, the principal lookup (session from
// Redis, then user from SQL), the transactor (compose.Transactor over the
// SQL one) and readiness, which needs Redis too. Users, the audit log and
// everything else stay in SQL. The audit events committed in Redis are
// moved into the audit table by a drainer that runs with the application.
var RedisSessions = fx.Module("redis-sessions",
	fx.Provide(
		newRedisSessionStore,
		func(store *redisstore.SessionStore) outbound.SessionRepository { return store.Sessions() },
		func(store *redisstore.SessionStore, db *gormstore.DB) outbound.PrincipalLookup {
			return compose.PrincipalLookup{Sessions: store.Sessions(), Users: db.Users()}
		},
		func(store *redisstore.SessionStore, db *gormstore.DB) outbound.Transactor {
			return compose.Transactor{Main: db.Transactor(), Sessions: store}
		},
		func(store *redisstore.SessionStore, db *gormstore.DB) httpapi.ReadyFunc {
			return func(ctx context.Context) error {
				if err := db.Ready(ctx); err != nil {
					return err
				}
				return store.Ready(ctx)
			}
		},
	),
	fx.Invoke(runAuditDrainer),
)

// go-redis's own log lines are silenced before anything runs (the logger is
// a global that its clients read): it writes one to stderr for every failed
// dial, so an outage would be logged per request. The Redis adapters report
// outages themselves, once a minute.
func init() { redis.SetLogger(droppedLines{}) }

func newRedisSessionStore(lc fx.Lifecycle, cfg *config.Config, db *gormstore.DB, log *zap.Logger) (*redisstore.SessionStore, error) {
	store, err := redisstore.NewURL(cfg.Sessions.RedisURL, redisstore.Options{Importer: db.Audit(), Log: log})
	if err != nil {
		return nil, err
	}
	lc.Append(fx.StopHook(store.Close))
	return store, nil
}

// runAuditDrainer runs the store's drainer while the application runs. On
// stop it waits for the loop to end, then drains once more, so that a clean
// shutdown leaves in Redis no event the database could take.
func runAuditDrainer(lc fx.Lifecycle, store *redisstore.SessionStore, log *zap.Logger) {
	// Appended first, so run last: fx stops in the reverse order.
	lc.Append(fx.StopHook(func(stop context.Context) {
		if _, err := store.Drain(stop); err != nil {
			log.Warn("audit events left in redis at shutdown; the next instance to start moves them", zap.Error(err))
		}
	}))
	runWhileStarted(lc, "audit drainer", func(ctx context.Context) { store.RunDrainer(ctx, drainInterval) })
}

// droppedLines is a go-redis logger that writes nothing.
type droppedLines struct{}

func (droppedLines) Printf(context.Context, string, ...any) {}
