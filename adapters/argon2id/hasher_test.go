package argon2id

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/authd/authd/domain/user"
)

// small keeps tests fast; the benchmark uses the defaults.
var small = Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32}

var ctx = context.Background()

func newHasher(t *testing.T, p Params, limit int, maxWait time.Duration) *Hasher {
	t.Helper()
	h, err := New(p, limit, maxWait)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func password(t testing.TB, s string) user.Password {
	t.Helper()
	p, err := user.PasswordAttempt(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func mustHash(t testing.TB, s string) user.PasswordHash {
	t.Helper()
	h, err := user.NewPasswordHash(s)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestHashVerifyRoundTrip(t *testing.T) {
	h := newHasher(t, small, 2, 0)
	for _, pw := range []string{"correct horse battery staple", "", "nul\x00inside", "ünïcødé 密码 🔑", strings.Repeat("x", 128)} {
		hash, err := h.Hash(ctx, password(t, pw))
		if err != nil {
			t.Fatalf("Hash: %v", err)
		}
		match, rehash, err := h.Verify(ctx, password(t, pw), hash)
		if err != nil || !match || rehash {
			t.Fatalf("Verify(%q) = %v, %v, %v; want match, no rehash", pw, match, rehash, err)
		}
	}
}

func TestHashIsPHCWithFreshSalt(t *testing.T) {
	h := newHasher(t, DefaultParams(), 1, 0)
	a, err := h.Hash(ctx, password(t, "same password"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := h.Hash(ctx, password(t, "same password"))
	phcPattern := regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)
	if !phcPattern.MatchString(a.PHC()) {
		t.Fatalf("hash %q is not the expected PHC form", a.PHC())
	}
	if a.PHC() == b.PHC() {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
}

func TestWrongPasswordDoesNotMatch(t *testing.T) {
	h := newHasher(t, small, 1, 0)
	hash, _ := h.Hash(ctx, password(t, "right password"))
	for _, wrong := range []string{"right passwore", "Right password", "right password ", ""} {
		match, _, err := h.Verify(ctx, password(t, wrong), hash)
		if err != nil || match {
			t.Fatalf("Verify(%q) = %v, %v; want no match, no error", wrong, match, err)
		}
	}
}

// Test vector from the Argon2 reference implementation (phc-winner-argon2,
// src/test.c): an independent encoder agrees with ours.
func TestVerifiesReferenceVector(t *testing.T) {
	ref := mustHash(t, "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4")
	h := newHasher(t, small, 1, 0)
	match, rehash, err := h.Verify(ctx, password(t, "password"), ref)
	if err != nil || !match || !rehash {
		t.Fatalf("Verify = %v, %v, %v; want match and rehash (other params)", match, rehash, err)
	}
	if match, _, _ := h.Verify(ctx, password(t, "passwore"), ref); match {
		t.Fatal("reference hash matched the wrong password")
	}
}

func TestNeedsRehashWhenParamsChange(t *testing.T) {
	old := newHasher(t, small, 1, 0)
	hash, _ := old.Hash(ctx, password(t, "pw"))
	changes := map[string]func(*Params){
		"memory":      func(p *Params) { p.MemoryKiB = 128 },
		"iterations":  func(p *Params) { p.Iterations = 2 },
		"parallelism": func(p *Params) { p.Parallelism = 2 },
		"salt length": func(p *Params) { p.SaltLen = 32 },
		"key length":  func(p *Params) { p.KeyLen = 64 },
	}
	for name, change := range changes {
		p := small
		change(&p)
		match, rehash, err := newHasher(t, p, 1, 0).Verify(ctx, password(t, "pw"), hash)
		if err != nil || !match || !rehash {
			t.Errorf("%s changed: Verify = %v, %v, %v; want match and rehash", name, match, rehash, err)
		}
	}
}

func TestMalformedHashesAreRejected(t *testing.T) {
	h := newHasher(t, small, 1, 0)
	good := "$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHRzYWx0$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"
	if _, _, err := h.Verify(ctx, password(t, "x"), mustHash(t, good)); err != nil {
		t.Fatalf("control: %v", err)
	}
	cases := map[string]string{
		"empty after $":           "$",
		"argon2i":                 strings.Replace(good, "argon2id", "argon2i", 1),
		"bcrypt":                  "$2a$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ012",
		"version 16":              strings.Replace(good, "v=19", "v=16", 1),
		"no version":              "$argon2id$m=64,t=1,p=1$c29tZXNhbHRzYWx0$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
		"params out of order":     strings.Replace(good, "m=64,t=1,p=1", "t=1,m=64,p=1", 1),
		"missing param":           strings.Replace(good, "m=64,t=1,p=1", "m=64,t=1", 1),
		"extra param":             strings.Replace(good, "p=1", "p=1,k=2", 1),
		"leading zero":            strings.Replace(good, "m=64", "m=064", 1),
		"plus sign":               strings.Replace(good, "t=1", "t=+1", 1),
		"negative":                strings.Replace(good, "t=1", "t=-1", 1),
		"memory 4 GiB":            strings.Replace(good, "m=64", "m=4194304", 1),
		"memory overflows":        strings.Replace(good, "m=64", "m=99999999999999999999", 1),
		"memory under 8 per lane": strings.Replace(good, "m=64,t=1,p=1", "m=15,t=1,p=2", 1),
		"zero iterations":         strings.Replace(good, "t=1", "t=0", 1),
		"iterations 1000":         strings.Replace(good, "t=1", "t=1000", 1),
		"zero parallelism":        strings.Replace(good, "p=1", "p=0", 1),
		"parallelism 255":         strings.Replace(good, "p=1", "p=255", 1),
		"padded salt":             strings.Replace(good, "c29tZXNhbHRzYWx0", "c29tZXNhbHQ=", 1),
		"url alphabet":            strings.Replace(good, "CTFh", "CT_h", 1),
		"salt too short":          strings.Replace(good, "c29tZXNhbHRzYWx0", "c29tZQ", 1),
		"hash too short":          strings.Replace(good, "CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc", "CTFhFdXPJO1aFaMaO6Mm5c", 1),
		"hash too long":           good + strings.Repeat("A", 200),
		"trailing field":          good + "$",
		"missing hash":            strings.TrimSuffix(good, "$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"),
		"huge":                    "$argon2id$v=19$" + strings.Repeat("m", 1<<20),
	}
	for name, s := range cases {
		t.Run(name, func(t *testing.T) {
			match, rehash, err := h.Verify(ctx, password(t, "x"), mustHash(t, s))
			if !errors.Is(err, ErrMalformedHash) || match || rehash {
				t.Fatalf("Verify = %v, %v, %v; want ErrMalformedHash", match, rehash, err)
			}
			if len(s) > 20 && strings.Contains(err.Error(), s) {
				t.Fatal("error message quotes the stored hash")
			}
		})
	}
	// The zero PasswordHash (no hash at all) is malformed too.
	if _, _, err := h.Verify(ctx, password(t, "x"), user.PasswordHash{}); !errors.Is(err, ErrMalformedHash) {
		t.Fatalf("zero hash: %v", err)
	}
}

func TestNewValidates(t *testing.T) {
	bad := map[string]Params{
		"short salt":      {MemoryKiB: 64, Iterations: 1, Parallelism: 1, SaltLen: 8, KeyLen: 32},
		"short key":       {MemoryKiB: 64, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 8},
		"no memory":       {Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32},
		"too much memory": {MemoryKiB: MaxMemoryKiB + 1, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32},
		"no iterations":   {MemoryKiB: 64, Parallelism: 1, SaltLen: 16, KeyLen: 32},
		"no parallelism":  {MemoryKiB: 64, Iterations: 1, SaltLen: 16, KeyLen: 32},
	}
	for name, p := range bad {
		if _, err := New(p, 1, 0); err == nil {
			t.Errorf("%s: New accepted %+v", name, p)
		}
	}
	if _, err := New(small, 1, -time.Second); err == nil {
		t.Error("New accepted a negative wait")
	}
	h, err := New(DefaultParams(), 0, 0)
	if err != nil || cap(h.slots) < 1 {
		t.Fatalf("New with 0 slots: %v, %d slots; want one per CPU", err, cap(h.slots))
	}
}
