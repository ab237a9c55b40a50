// Package bench measures authd's hot use cases on a real PostgreSQL: the
// refresh (one transaction: lock, user check, rotation, audit event) and
// the bearer check behind every protected request (token verification and
// the live session and user, read on every request). They run the
// production adapters (gormstore on PostgreSQL, EdDSA tokens, derived
// refresh tokens) without HTTP, so they show what the use case and the
// database cost.
//
//	go test -run '^$' -bench . -benchtime 5s ./test/bench
package bench

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/authd/authd/adapters/argon2id"
	"github.com/authd/authd/adapters/gormstore"
	"github.com/authd/authd/adapters/idn"
	"github.com/authd/authd/adapters/refreshtoken"
	"github.com/authd/authd/adapters/system"
	"github.com/authd/authd/adapters/token"
	"github.com/authd/authd/application"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
	"github.com/authd/authd/test/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// app is the use cases under test on one fresh PostgreSQL database.
type app struct {
	signup  *application.Signup
	refresh *application.Refresh
	auth    *application.Authenticate
}

func newApp(b *testing.B, cacheTokens bool) *app {
	b.Helper()
	ctx := context.Background()
	db, err := gormstore.Open(ctx, pgtest.NewDatabaseURL(b), zap.NewNop())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = db.Close() })
	if err := db.Migrate(ctx, "up"); err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	keys, err := token.LoadKeySet(dir, "EdDSA", true)
	if err != nil {
		b.Fatal(err)
	}
	clock, ids := system.Clock{}, system.UUIDv7{}
	var access outbound.AccessTokens
	access, err = token.NewIssuer(token.Config{Algorithm: "EdDSA", Issuer: "authd", Audience: "authd", TTL: 15 * time.Minute, Leeway: 30 * time.Second}, keys, clock, ids)
	if err != nil {
		b.Fatal(err)
	}
	if cacheTokens {
		access = token.NewCache(access, keys, clock, 10000)
	}
	key, err := refreshtoken.LoadOrCreateKey(dir, true)
	if err != nil {
		b.Fatal(err)
	}
	refresh, err := refreshtoken.New(key)
	if err != nil {
		b.Fatal(err)
	}
	// Cheap hashing: the benchmarks measure refresh and the bearer check.
	hasher, err := argon2id.New(argon2id.Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32}, 4, time.Minute)
	if err != nil {
		b.Fatal(err)
	}
	rules := application.SessionRules{Policy: session.DefaultPolicy(), MaxPerUser: 1000}
	return &app{
		signup: application.NewSignup(db.Users(), db.Transactor(), hasher, access, refresh, clock, ids, rules,
			user.PasswordPolicy{MinLength: 8, Blocklist: noBlocklist{}}, idn.New(), nil, application.VerificationOff),
		refresh: application.NewRefresh(db.Transactor(), access, refresh, clock, ids, rules),
		auth:    application.NewAuthenticate(access, db.Principals(), clock),
	}
}

type noBlocklist struct{}

func (noBlocklist) Contains(string) bool { return false }

var accounts atomic.Int64

// sessions signs up one user per goroutine RunParallel will start and
// hands their tokens out, one to each, before the timer starts.
func (a *app) sessions(b *testing.B) <-chan inbound.TokenPair {
	b.Helper()
	n := runtime.GOMAXPROCS(0)
	out := make(chan inbound.TokenPair, n)
	for range n {
		pair, err := a.signup.Handle(context.Background(), inbound.SignupCommand{
			Email: fmt.Sprintf("bench%d@example.com", accounts.Add(1)), Password: "correct horse battery staple", FullName: "Bench",
		})
		if err != nil {
			b.Fatal(err)
		}
		out <- pair
	}
	return out
}

// BenchmarkRefresh rotates refresh tokens, each goroutine along its own
// chain, as many clients refreshing at once do.
func BenchmarkRefresh(b *testing.B) {
	a := newApp(b, false)
	pairs := a.sessions(b)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		tok := (<-pairs).RefreshToken
		for pb.Next() {
			pair, err := a.refresh.Handle(context.Background(), inbound.RefreshCommand{RefreshToken: tok})
			if err != nil {
				b.Error(err)
				return
			}
			tok = pair.RefreshToken
		}
	})
}

// BenchmarkBearerCheck authenticates access tokens, with the cache of
// verified tokens (the default) and without: the session and user are read
// from the database on every check either way.
func BenchmarkBearerCheck(b *testing.B) {
	for _, cached := range []bool{true, false} {
		b.Run(fmt.Sprintf("token_cache=%v", cached), func(b *testing.B) {
			a := newApp(b, cached)
			pairs := a.sessions(b)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				tok := (<-pairs).AccessToken
				for pb.Next() {
					if _, err := a.auth.Handle(context.Background(), inbound.AuthenticateCommand{BearerToken: tok}); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
