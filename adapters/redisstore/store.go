package redisstore

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"
	"go.uber.org/zap"

	"github.com/authd/authd/ports/outbound"
)

const (
	// defaultCallTimeout bounds each call to Redis: a session lookup that
	// cannot be answered in a second is answered 503 rather than stalling
	// the request.
	defaultCallTimeout = time.Second
	// defaultPoolSize is the connection pool of a URL without pool_size.
	defaultPoolSize = 64
	// handOffTimeout bounds the import of a unit's events right after its
	// commit; what it does not finish, the drainer does.
	handOffTimeout = 2 * time.Second
)

// Options configure a SessionStore.
type Options struct {
	// Importer takes committed audit events into the audit log (the SQL
	// one). Required: events are never dropped.
	Importer outbound.AuditImporter
	// Log receives outage and recovery lines, at most one a minute of each
	// kind (nil: none).
	Log *zap.Logger
	// CallTimeout bounds each call to Redis (0: one second).
	CallTimeout time.Duration
}

// SessionStore keeps sessions in Redis; see the package documentation.
type SessionStore struct {
	client   *redis.Client
	owned    bool // Close closes the client only when NewURL made it
	importer outbound.AuditImporter
	timeout  time.Duration
	health   *health
	log      *zap.Logger
	// drainWarn spaces the lines of a drain that keeps failing.
	drainWarn everyMinute
	// kick wakes the drainer when a hand-off failed, so that the events
	// it left in the stream do not wait a whole drain interval.
	kick chan struct{}
}

var _ outbound.SessionStore = (*SessionStore)(nil)

// New returns a store on client. It does not contact Redis: a Redis that is
// down at start is reported by the first call and by Ready. Give the client
// ContextTimeoutEnabled, as NewURL does, so that the deadlines hold.
func New(client *redis.Client, opts Options) (*SessionStore, error) {
	if client == nil {
		return nil, errors.New("redisstore: nil redis client")
	}
	if opts.Importer == nil {
		return nil, errors.New("redisstore: an audit importer is required")
	}
	log := opts.Log
	if log == nil {
		log = zap.NewNop()
	}
	timeout := opts.CallTimeout
	if timeout <= 0 {
		timeout = defaultCallTimeout
	}
	return &SessionStore{
		client: client, importer: opts.Importer, timeout: timeout,
		health: newHealth(log), log: log,
		kick: make(chan struct{}, 1),
	}, nil
}

// NewURL returns a store on a client for rawURL (redis://, rediss:// or
// unix://, as go-redis parses it, pool_size and the other options
// included; the pool holds 64 connections unless pool_size says).
// Errors never repeat the URL, which may hold a password.
func NewURL(rawURL string, opts Options) (*SessionStore, error) {
	copts, err := redis.ParseURL(rawURL)
	if err != nil {
		if _, isURL := errors.AsType[*url.Error](err); isURL {
			// net/url quotes the whole URL, password included.
			return nil, errors.New("redisstore: the redis URL is not a valid URL")
		}
		return nil, fmt.Errorf("redisstore: the redis URL is invalid: %w", err)
	}
	copts.ContextTimeoutEnabled = true
	if copts.PoolSize == 0 {
		// A unit holds a connection from its first read to its EXEC,
		// across database round trips: as many as there are database
		// transactions at once (20 on PostgreSQL), and the plain reads of
		// authenticated requests need theirs besides.
		copts.PoolSize = defaultPoolSize
	}
	// Maintenance notifications (a Redis Enterprise feature) are off: in
	// their default "auto" mode every new connection first tries a command
	// Redis answers with an error, and that fallback changes the shared
	// options under a lock a Conn does not share with its Client.
	copts.MaintNotificationsConfig = &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}
	// No command is retried: a unit's WATCH lives on its connection, and
	// a failed call is answered 503 at once rather than after retries
	// against a Redis that is down. Connections a restarted Redis dropped
	// are noticed when taken from the pool, and go-redis keeps dialling in
	// the background after a run of failures, so recovery needs nothing.
	copts.MaxRetries = -1
	if copts.DialerRetries == 0 {
		copts.DialerRetries = 1
	}
	if copts.DialerRetryTimeout == 0 {
		copts.DialerRetryTimeout = 10 * time.Millisecond
	}
	s, err := New(redis.NewClient(copts), opts)
	if err != nil {
		return nil, err
	}
	s.owned = true
	return s, nil
}

// Close closes the client if NewURL made it.
func (s *SessionStore) Close() error {
	if !s.owned {
		return nil
	}
	return s.client.Close()
}

// Begin opens a unit of work. It does not contact Redis: the unit takes a
// connection of its own at its first read.
func (s *SessionStore) Begin(ctx context.Context) (outbound.SessionUnit, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return newUnit(s), nil
}

// Sessions returns the repository for use outside a unit of work: reads go
// straight to Redis, and each write is a unit of its own.
func (s *SessionStore) Sessions() outbound.SessionRepository { return direct{s} }

// Ready pings Redis: the readiness probe of a server whose sessions live
// here.
func (s *SessionStore) Ready(ctx context.Context) error {
	return s.call(ctx, "ping", func(ctx context.Context) error { return s.client.Ping(ctx).Err() })
}

// call runs fn under the store's deadline and turns its failure into
// outbound.ErrUnavailable (or ErrSessionConflict for an aborted EXEC);
// redis.Nil, a missing key, passes through. A failure of a call whose
// caller gave up (a client that went away) says nothing about Redis and is
// not counted as an outage.
func (s *SessionStore) call(ctx context.Context, op string, fn func(ctx context.Context) error) error {
	cctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	err := fn(cctx)
	switch {
	case err == nil, errors.Is(err, redis.Nil):
		s.health.answered()
		return err
	case errors.Is(err, redis.TxFailedErr):
		s.health.answered()
		return outbound.ErrSessionConflict
	}
	if ctx.Err() == nil {
		s.health.failed(err)
	}
	// go-redis errors name the address, never the URL's password.
	return fmt.Errorf("redisstore: %s: %w: %w", op, outbound.ErrUnavailable, err)
}
