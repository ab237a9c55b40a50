package application_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authd/authd/adapters/memory"
	"github.com/authd/authd/application"
	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

var t0 = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)

// harness wires every use case to the memory adapters and small fakes for
// the crypto ports, with a clock the test controls.
type harness struct {
	store  *memory.Store
	clock  *memory.Clock
	hasher *fakeHasher
	deps   application.Deps

	signup   *application.Signup
	login    *application.Login
	refresh  *application.Refresh
	logout   *application.Logout
	auth     *application.Authenticate
	sessions *application.SessionManagement
	password *application.ChangePassword
}

func newHarness(t *testing.T, tweak ...func(*application.Settings)) *harness {
	t.Helper()
	store := memory.NewStore()
	clock := memory.NewClock(t0)
	hasher := &fakeHasher{version: 2}
	settings := application.Settings{
		Sessions:           session.Policy{IdleTimeout: 7 * 24 * time.Hour, MaxLifetime: 30 * 24 * time.Hour, ReuseGrace: 10 * time.Second},
		MaxSessionsPerUser: 3,
		PasswordPolicy:     user.PasswordPolicy{MinLength: 8, Blocklist: blocklist{"password", "123456789"}},
		Lockout:            outbound.Quota{Name: "lockout", Limit: 10, Window: 15 * time.Minute},
		AuditRetention:     90 * 24 * time.Hour,
	}
	for _, f := range tweak {
		f(&settings)
	}
	d := application.Deps{
		Users: store.Users(), Sessions: store.Sessions(), Principals: store.Principals(), Tx: store.Transactor(),
		Hasher: hasher, AccessTokens: &fakeAccess{clock: clock, ttl: 15 * time.Minute}, RefreshTokens: fakeRefresh{},
		Clock: clock, IDs: &memory.IDs{}, Audit: store.Audit(), Limiter: newFakeLimiter(clock), Settings: settings,
	}
	return &harness{
		store: store, clock: clock, hasher: hasher, deps: d,
		signup: application.NewSignup(d), login: application.NewLogin(d), refresh: application.NewRefresh(d),
		logout: application.NewLogout(d), auth: application.NewAuthenticate(d),
		sessions: application.NewSessionManagement(d), password: application.NewChangePassword(d),
	}
}

const goodPassword = "correct horse battery staple"

func (h *harness) mustSignup(t *testing.T, email string) inbound.TokenPair {
	t.Helper()
	pair, err := h.signup.Signup(context.Background(), inbound.SignupCommand{Email: email, Password: goodPassword, FullName: "Ada Lovelace"})
	if err != nil {
		t.Fatalf("signup %s: %v", email, err)
	}
	return pair
}

func (h *harness) mustLogin(t *testing.T, email string) inbound.TokenPair {
	t.Helper()
	pair, err := h.login.Login(context.Background(), inbound.LoginCommand{Email: email, Password: goodPassword})
	if err != nil {
		t.Fatalf("login %s: %v", email, err)
	}
	return pair
}

func (h *harness) principal(t *testing.T, pair inbound.TokenPair) inbound.Principal {
	t.Helper()
	p, err := h.auth.Authenticate(context.Background(), pair.AccessToken)
	if err != nil {
		t.Fatalf("authenticate: %v", err)
	}
	return p
}

type blocklist []string

func (b blocklist) Contains(p string) bool {
	for _, s := range b {
		if strings.EqualFold(s, p) {
			return true
		}
	}
	return false
}

// fakeHasher stands in for argon2id: a tagged SHA-256 whose version number
// plays the part of the cost parameters. It counts verifications so tests
// can check that every login path pays one.
type fakeHasher struct {
	version  int
	verifies atomic.Int64
	fail     error
}

func (f *fakeHasher) Hash(_ context.Context, p user.Password) (user.PasswordHash, error) {
	if f.fail != nil {
		return user.PasswordHash{}, f.fail
	}
	sum := sha256.Sum256([]byte(p.Reveal()))
	return user.NewPasswordHash(fmt.Sprintf("$fake$v=%d$%s", f.version, hex.EncodeToString(sum[:])))
}

func (f *fakeHasher) Verify(_ context.Context, p user.Password, h user.PasswordHash) (bool, bool, error) {
	f.verifies.Add(1)
	if f.fail != nil {
		return false, false, f.fail
	}
	parts := strings.Split(h.PHC(), "$")
	if len(parts) != 4 {
		return false, false, fmt.Errorf("bad hash")
	}
	sum := sha256.Sum256([]byte(p.Reveal()))
	return parts[3] == hex.EncodeToString(sum[:]), parts[2] != fmt.Sprintf("v=%d", f.version), nil
}

// fakeAccess issues readable unsigned tokens "at|user|session|role|exp".
type fakeAccess struct {
	clock *memory.Clock
	ttl   time.Duration
}

func (f *fakeAccess) Issue(_ context.Context, c outbound.AccessClaims) (string, outbound.AccessClaims, error) {
	c.IssuedAt = f.clock.Now()
	c.ExpiresAt = c.IssuedAt.Add(f.ttl)
	return strings.Join([]string{"at", string(c.UserID), string(c.SessionID), string(c.Role), strconv.FormatInt(c.ExpiresAt.Unix(), 10)}, "|"), c, nil
}

func (f *fakeAccess) Verify(_ context.Context, token string) (outbound.AccessClaims, error) {
	p := strings.Split(token, "|")
	if len(p) != 5 || p[0] != "at" {
		return outbound.AccessClaims{}, outbound.ErrTokenInvalid
	}
	exp, err := strconv.ParseInt(p[4], 10, 64)
	if err != nil {
		return outbound.AccessClaims{}, outbound.ErrTokenInvalid
	}
	if !f.clock.Now().Before(time.Unix(exp, 0)) {
		return outbound.AccessClaims{}, outbound.ErrTokenExpired
	}
	return outbound.AccessClaims{UserID: user.ID(p[1]), SessionID: session.ID(p[2]), Role: user.Role(p[3])}, nil
}

// fakeRefresh derives "rt|session|generation": deterministic, like the
// real HMAC codec, which is all the use cases rely on.
type fakeRefresh struct{}

func (fakeRefresh) Encode(id session.ID, g session.Generation) string {
	return fmt.Sprintf("rt|%s|%d", id, g)
}

func (fakeRefresh) Decode(token string) (session.ID, session.Generation, error) {
	p := strings.Split(token, "|")
	if len(p) != 3 || p[0] != "rt" {
		return "", 0, outbound.ErrRefreshTokenInvalid
	}
	g, err := strconv.ParseUint(p[2], 10, 64)
	if err != nil {
		return "", 0, outbound.ErrRefreshTokenInvalid
	}
	return session.ID(p[1]), session.Generation(g), nil
}

// fakeLimiter is a fixed-window counter on the test clock: the semantics
// of the RateLimiter port without a real store.
type fakeLimiter struct {
	clock  *memory.Clock
	mu     sync.Mutex
	counts map[string]int
	starts map[string]time.Time
}

func newFakeLimiter(clock *memory.Clock) *fakeLimiter {
	return &fakeLimiter{clock: clock, counts: map[string]int{}, starts: map[string]time.Time{}}
}

func (f *fakeLimiter) usage(q outbound.Quota, key string, hit bool) outbound.Usage {
	f.mu.Lock()
	defer f.mu.Unlock()
	k, now := q.Name+"|"+key, f.clock.Now()
	if start, ok := f.starts[k]; !ok || !now.Before(start.Add(q.Window)) {
		f.starts[k], f.counts[k] = now, 0
	}
	if hit {
		f.counts[k]++
	}
	n := f.counts[k]
	exceeded := n > q.Limit || (!hit && n >= q.Limit)
	return outbound.Usage{Limit: q.Limit, Remaining: max(q.Limit-n, 0), ResetIn: f.starts[k].Add(q.Window).Sub(now), Exceeded: exceeded}
}

func (f *fakeLimiter) Hit(_ context.Context, q outbound.Quota, key string) (outbound.Usage, error) {
	return f.usage(q, key, true), nil
}

func (f *fakeLimiter) Peek(_ context.Context, q outbound.Quota, key string) (outbound.Usage, error) {
	return f.usage(q, key, false), nil
}

// events returns the audit trail, oldest first.
func (h *harness) events(t *testing.T) []audit.Event {
	t.Helper()
	list, err := h.store.Audit().List(context.Background(), outbound.AuditQuery{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(list)
	return list
}

// eventTypes returns the types of the audit trail, oldest first.
func (h *harness) eventTypes(t *testing.T) []audit.Type {
	var out []audit.Type
	for _, e := range h.events(t) {
		out = append(out, e.Type)
	}
	return out
}
