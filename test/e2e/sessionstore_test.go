package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/authd/authd/config"
	"github.com/authd/authd/test/redistest"
)

// The session store of the test servers. By default sessions live in the
// database, as configured out of the box; with AUTHD_E2E_SESSIONS_STORE=redis
// every server the harness starts keeps them in a Redis of its own test
// (one database of a throwaway redis-server per test, shared by the servers
// of a cluster), so the whole suite runs a second time on the Redis store:
//
//	AUTHD_E2E_SESSIONS_STORE=redis go test -race -count=1 ./test/e2e/...
const (
	envE2ESessionsStore = "AUTHD_E2E_SESSIONS_STORE"
	envSessionsStore    = "AUTHD_SESSIONS_STORE"
	envSessionsRedisURL = "AUTHD_SESSIONS_REDIS_URL"
)

// sessionStoreEnv is the configuration that puts a test's sessions where
// AUTHD_E2E_SESSIONS_STORE says: nothing for the database, a fresh Redis
// database for redis.
func sessionStoreEnv(t testing.TB) map[string]string {
	t.Helper()
	switch store := os.Getenv(envE2ESessionsStore); store {
	case "", string(config.SessionStoreSQL):
		return nil
	case string(config.SessionStoreRedis):
		return map[string]string{envSessionsStore: store, envSessionsRedisURL: redistest.NewURL(t)}
	default:
		t.Fatalf("%s=%q: want sql or redis", envE2ESessionsStore, store)
		return nil
	}
}

// sessionStores remembers the session store of each database a test's
// servers share, keyed by test and database URL.
var sessionStores sync.Map

// sharedSessionStoreEnv is sessionStoreEnv, the same for every server of a
// test that shares one database: instances that share users must share
// their sessions too, as they would in production.
func sharedSessionStoreEnv(t testing.TB, databaseURL string) map[string]string {
	t.Helper()
	key := t.Name() + "\x00" + databaseURL
	if env, ok := sessionStores.Load(key); ok {
		return env.(map[string]string)
	}
	env := sessionStoreEnv(t)
	actual, loaded := sessionStores.LoadOrStore(key, env)
	if !loaded {
		t.Cleanup(func() { sessionStores.Delete(key) })
	}
	return actual.(map[string]string)
}

// storedSession is what a test may check of a stored session, read from
// whichever store the server uses, as an operator would.
type storedSession struct {
	ID         string
	Generation int
	Revoked    bool
}

// storedSessions returns every session the server's store holds, in id order.
func (s *server) storedSessions(t *testing.T) []storedSession {
	t.Helper()
	var out []storedSession
	if s.Config.Sessions.Store != config.SessionStoreRedis {
		rows := queryStrings(t, s.openDB(t), `SELECT id::text || ' ' || generation || ' ' || (revoked_at IS NOT NULL)::text FROM sessions`)
		for _, row := range rows {
			var st storedSession
			var revoked string
			if _, err := fmt.Sscan(row, &st.ID, &st.Generation, &revoked); err != nil {
				t.Fatalf("session row %q: %v", row, err)
			}
			st.Revoked = revoked == "true"
			out = append(out, st)
		}
	} else {
		c := s.redis(t)
		for key, value := range redisStrings(t, c, "authd:session:*") {
			var rec struct {
				ID         string  `json:"id"`
				Generation int     `json:"generation"`
				RevokedAt  *string `json:"revoked_at"`
			}
			if err := json.Unmarshal([]byte(value), &rec); err != nil {
				t.Fatalf("%s does not decode: %v", key, err)
			}
			out = append(out, storedSession{ID: rec.ID, Generation: rec.Generation, Revoked: rec.RevokedAt != nil})
		}
	}
	slices.SortFunc(out, func(a, b storedSession) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// sessionStoreDump is everything the server's session store holds outside
// the database, as text: every Redis key and value. Empty when sessions
// live in the database (its dump covers them).
func (s *server) sessionStoreDump(t *testing.T) string {
	t.Helper()
	if s.Config.Sessions.Store != config.SessionStoreRedis {
		return ""
	}
	c := s.redis(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	keys, err := c.Keys(ctx, "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	var dump strings.Builder
	for _, key := range keys {
		dump.WriteString(key + "\n")
		switch typ := c.Type(ctx, key).Val(); typ {
		case "string":
			dump.WriteString(c.Get(ctx, key).Val() + "\n")
		case "zset":
			dump.WriteString(strings.Join(c.ZRange(ctx, key, 0, -1).Val(), "\n") + "\n")
		case "stream":
			for _, m := range c.XRange(ctx, key, "-", "+").Val() {
				dump.WriteString(fmt.Sprint(m.Values) + "\n")
			}
		default:
			t.Fatalf("the session store holds a %s at %s, which the dump does not read", typ, key)
		}
	}
	return dump.String()
}

// redis connects to the server's session Redis, as an operator would.
func (s *server) redis(t *testing.T) *redis.Client {
	t.Helper()
	opts, err := redis.ParseURL(s.Config.Sessions.RedisURL)
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(opts)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// redisStrings returns the string keys matching pattern with their values.
func redisStrings(t *testing.T, c *redis.Client, pattern string) map[string]string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	keys, err := c.Keys(ctx, pattern).Result()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, key := range keys {
		v, err := c.Get(ctx, key).Result()
		if err != nil {
			t.Fatalf("GET %s: %v", key, err)
		}
		out[key] = v
	}
	return out
}
