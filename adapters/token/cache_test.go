package token_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/authd/authd/adapters/system"
	"github.com/authd/authd/adapters/token"
	"github.com/authd/authd/ports/outbound"
)

// countingVerifier verifies "good-N" tokens expiring at exp and refuses
// anything else, counting its calls.
type countingVerifier struct {
	exp   time.Time
	calls int
}

func (v *countingVerifier) Issue(context.Context, outbound.AccessClaims) (string, outbound.AccessClaims, error) {
	return "", outbound.AccessClaims{}, errors.New("not used")
}

func (v *countingVerifier) Verify(_ context.Context, tok string) (outbound.AccessClaims, error) {
	v.calls++
	if !strings.HasPrefix(tok, "good") {
		return outbound.AccessClaims{}, outbound.ErrTokenInvalid
	}
	return outbound.AccessClaims{ExpiresAt: v.exp}, nil
}

// swappableKeys is a key source whose keys a test replaces, as a reload does.
type swappableKeys struct{ set *token.KeySet }

func (k *swappableKeys) KeySet() *token.KeySet { return k.set }

func hmacKeys(t *testing.T, secret string) *token.KeySet {
	t.Helper()
	ks, err := token.NewHMACKeySet([]byte(strings.Repeat(secret, 32)))
	if err != nil {
		t.Fatal(err)
	}
	return ks
}

func TestCacheAnswersAVerifiedTokenUntilItsExp(t *testing.T) {
	clock := system.NewManualClock(time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC))
	next := &countingVerifier{exp: clock.Now().Add(time.Minute)}
	c := token.NewCache(next, &swappableKeys{set: hmacKeys(t, "a")}, clock, 2)
	ctx := context.Background()
	for range 3 {
		if _, err := c.Verify(ctx, "good-1"); err != nil {
			t.Fatal(err)
		}
	}
	if next.calls != 1 {
		t.Fatalf("%d full verifications for one token, want 1", next.calls)
	}
	for range 2 {
		if _, err := c.Verify(ctx, "bad"); !errors.Is(err, outbound.ErrTokenInvalid) {
			t.Fatalf("bad token: %v", err)
		}
	}
	if next.calls != 3 {
		t.Fatalf("a refused token must be verified every time: %d calls, want 3", next.calls)
	}
	clock.Advance(time.Minute)
	next.exp = clock.Now() // the wrapped verifier now says: expired at once
	if _, err := c.Verify(ctx, "good-1"); err != nil || next.calls != 4 {
		t.Fatalf("at exp the token must be verified again: err %v, calls %d", err, next.calls)
	}
	// Bounded: a full cache of live tokens starts over.
	next.exp = clock.Now().Add(time.Hour)
	for _, tok := range []string{"good-a", "good-b", "good-c", "good-a"} {
		if _, err := c.Verify(ctx, tok); err != nil {
			t.Fatal(err)
		}
	}
	if next.calls != 8 {
		t.Fatalf("calls %d, want 8: the third token evicts, so the first is verified again", next.calls)
	}
}

// A reload that changes the keys (a key removed after a compromise, say)
// empties the cache: every token is verified again with the new keys, so
// one signed by a key that went is refused on its next request.
func TestCacheStartsOverWhenTheKeysChange(t *testing.T) {
	clock := system.NewManualClock(time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC))
	next := &countingVerifier{exp: clock.Now().Add(time.Hour)}
	keys := &swappableKeys{set: hmacKeys(t, "a")}
	c := token.NewCache(next, keys, clock, 10)
	ctx := context.Background()
	for range 2 {
		if _, err := c.Verify(ctx, "good-1"); err != nil {
			t.Fatal(err)
		}
	}
	if next.calls != 1 {
		t.Fatalf("%d full verifications, want 1", next.calls)
	}
	keys.set = hmacKeys(t, "b")
	if _, err := c.Verify(ctx, "good-1"); err != nil || next.calls != 2 {
		t.Fatalf("after the keys changed the token must be verified again: err %v, calls %d", err, next.calls)
	}
	if _, err := c.Verify(ctx, "good-1"); err != nil || next.calls != 2 {
		t.Fatalf("verified with the new keys, the token is cached again: err %v, calls %d", err, next.calls)
	}
}
