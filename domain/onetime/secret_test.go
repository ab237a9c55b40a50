package onetime_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/authd/authd/domain/ident"
	"github.com/authd/authd/domain/onetime"
	"github.com/authd/authd/domain/user"
)

var t0 = time.Date(2031, 3, 4, 5, 6, 7, 0, time.UTC)

func hasher(t *testing.T) onetime.Hasher {
	t.Helper()
	h, err := onetime.NewHasher([]byte(strings.Repeat("k", 32)))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func id(n byte) ident.UUID {
	var u ident.UUID
	u[6], u[8], u[15] = 0x70, 0x80, n
	return u
}

func issue(t *testing.T, h onetime.Hasher, n byte, purpose onetime.Purpose) onetime.Issued {
	t.Helper()
	email, err := user.ParseEmail("ada@example.com")
	if err != nil {
		t.Fatal(err)
	}
	is, err := onetime.Issue(h, onetime.ID(id(n)), user.ID(id(100)), purpose, email, t0, 30*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	return is
}

func wrongCode(c onetime.Code) onetime.Code {
	d := []byte(c.Reveal())
	d[0] = '0' + (d[0]-'0'+1)%10
	w, _ := onetime.ParseCode(string(d))
	return w
}

func wantInvalid(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, onetime.ErrInvalid) {
		t.Fatalf("%s: err = %v, want ErrInvalid", what, err)
	}
}

func TestIssueMakesAStrongTokenAndASixDigitCode(t *testing.T) {
	h := hasher(t)
	a, b := issue(t, h, 1, onetime.ResetPassword), issue(t, h, 2, onetime.ResetPassword)
	if len(a.Token.Reveal()) != onetime.TokenLength || a.Token.Reveal() == b.Token.Reveal() {
		t.Fatalf("tokens %q and %q", a.Token.Reveal(), b.Token.Reveal())
	}
	if _, err := onetime.ParseToken(a.Token.Reveal()); err != nil {
		t.Fatalf("an issued token does not parse: %v", err)
	}
	if _, err := onetime.ParseCode(a.Code.Reveal()); err != nil {
		t.Fatalf("an issued code %q does not parse: %v", a.Code.Reveal(), err)
	}
	if got := a.Secret.ExpiresAt(); !got.Equal(t0.Add(30 * time.Minute)) {
		t.Fatalf("expires at %v", got)
	}
	// The secret keeps digests, never the token or the code.
	snap := fmt.Sprintf("%#v", a.Secret.Snapshot())
	if strings.Contains(snap, a.Token.Reveal()) || fmt.Sprint(a.Token) != "[REDACTED]" || fmt.Sprint(a.Code) != "[REDACTED]" {
		t.Fatalf("a token or code shows in clear: %s", snap)
	}
}

func TestCodesAreSpreadOverAllSixDigits(t *testing.T) {
	seen := map[byte]bool{}
	for range 200 {
		c, err := onetime.NewCode()
		if err != nil {
			t.Fatal(err)
		}
		seen[c.Reveal()[0]] = true
	}
	if len(seen) < 8 { // 200 draws miss a leading digit with probability < 10^-8
		t.Fatalf("leading digits seen: %v", seen)
	}
}

func TestTokenUseIsSingleUse(t *testing.T) {
	h := hasher(t)
	is := issue(t, h, 1, onetime.ResetPassword)
	if err := is.Secret.UseToken(h, is.Token, onetime.ResetPassword, t0.Add(time.Minute)); err != nil {
		t.Fatalf("first use: %v", err)
	}
	if is.Secret.Pending() || is.Secret.EndReason() != onetime.Used {
		t.Fatalf("after use: pending=%v reason=%q", is.Secret.Pending(), is.Secret.EndReason())
	}
	wantInvalid(t, "second use", is.Secret.UseToken(h, is.Token, onetime.ResetPassword, t0.Add(2*time.Minute)))
}

func TestTokenAndCodeDieTogether(t *testing.T) {
	h := hasher(t)
	byToken := issue(t, h, 1, onetime.VerifyEmail)
	if err := byToken.Secret.UseToken(h, byToken.Token, onetime.VerifyEmail, t0); err != nil {
		t.Fatal(err)
	}
	wantInvalid(t, "code after the token", byToken.Secret.UseCode(h, byToken.Code, onetime.VerifyEmail, t0))

	byCode := issue(t, h, 2, onetime.VerifyEmail)
	if err := byCode.Secret.UseCode(h, byCode.Code, onetime.VerifyEmail, t0); err != nil {
		t.Fatal(err)
	}
	wantInvalid(t, "token after the code", byCode.Secret.UseToken(h, byCode.Token, onetime.VerifyEmail, t0))
}

func TestExpiry(t *testing.T) {
	h := hasher(t)
	is := issue(t, h, 1, onetime.ResetPassword)
	end := is.Secret.ExpiresAt()
	wantInvalid(t, "token at expiry", is.Secret.UseToken(h, is.Token, onetime.ResetPassword, end))
	wantInvalid(t, "code after expiry", is.Secret.UseCode(h, is.Code, onetime.ResetPassword, end.Add(time.Second)))
	if is.Secret.Failures() != 0 {
		t.Fatalf("an expired secret counted %d failures", is.Secret.Failures())
	}
	if !is.Secret.Finished(end) || is.Secret.Finished(end.Add(-time.Nanosecond)) {
		t.Fatal("Finished does not follow the expiry")
	}
	if err := is.Secret.UseToken(h, is.Token, onetime.ResetPassword, end.Add(-time.Nanosecond)); err != nil {
		t.Fatalf("just before expiry: %v", err)
	}
}

func TestFiveWrongCodesKillTheSecret(t *testing.T) {
	h := hasher(t)
	is := issue(t, h, 1, onetime.ResetPassword)
	bad := wrongCode(is.Code)
	for i := 1; i < onetime.MaxCodeFailures; i++ {
		wantInvalid(t, "wrong code", is.Secret.CheckCode(h, bad, onetime.ResetPassword, t0))
		if !is.Secret.Pending() || is.Secret.Failures() != i {
			t.Fatalf("after %d wrong codes: pending=%v failures=%d", i, is.Secret.Pending(), is.Secret.Failures())
		}
	}
	// A right code before the fifth failure still works, without spending.
	if err := is.Secret.CheckCode(h, is.Code, onetime.ResetPassword, t0); err != nil || !is.Secret.Pending() {
		t.Fatalf("right code after 4 failures: %v, pending=%v", err, is.Secret.Pending())
	}
	wantInvalid(t, "fifth wrong code", is.Secret.CheckCode(h, bad, onetime.ResetPassword, t0))
	if is.Secret.Pending() || is.Secret.EndReason() != onetime.TooManyFailures {
		t.Fatalf("after 5 wrong codes: pending=%v reason=%q", is.Secret.Pending(), is.Secret.EndReason())
	}
	wantInvalid(t, "right code after death", is.Secret.UseCode(h, is.Code, onetime.ResetPassword, t0))
	wantInvalid(t, "token after death", is.Secret.UseToken(h, is.Token, onetime.ResetPassword, t0))
}

func TestWrongPurposeNeitherSpendsNorCounts(t *testing.T) {
	h := hasher(t)
	is := issue(t, h, 1, onetime.VerifyEmail)
	wantInvalid(t, "token for a reset", is.Secret.UseToken(h, is.Token, onetime.ResetPassword, t0))
	wantInvalid(t, "code for a reset", is.Secret.UseCode(h, is.Code, onetime.ResetPassword, t0))
	if !is.Secret.Pending() || is.Secret.Failures() != 0 {
		t.Fatalf("pending=%v failures=%d", is.Secret.Pending(), is.Secret.Failures())
	}
	change := issue(t, h, 2, onetime.ChangeEmail)
	wantInvalid(t, "code of an email change", change.Secret.UseCode(h, change.Code, onetime.ChangeEmail, t0))
	if err := change.Secret.UseToken(h, change.Token, onetime.ChangeEmail, t0); err != nil {
		t.Fatalf("token of an email change: %v", err)
	}
}

func TestAnotherSecretsTokenOrCodeIsRefused(t *testing.T) {
	h := hasher(t)
	a, b := issue(t, h, 1, onetime.ResetPassword), issue(t, h, 2, onetime.ResetPassword)
	wantInvalid(t, "b's token on a", a.Secret.UseToken(h, b.Token, onetime.ResetPassword, t0))
	other, err := onetime.NewHasher([]byte(strings.Repeat("x", 32)))
	if err != nil {
		t.Fatal(err)
	}
	wantInvalid(t, "a's token under another key", a.Secret.UseToken(other, a.Token, onetime.ResetPassword, t0))
	if a.Code.Reveal() != b.Code.Reveal() {
		wantInvalid(t, "b's code on a", a.Secret.CheckCode(h, b.Code, onetime.ResetPassword, t0))
	}
	wantInvalid(t, "zero token", a.Secret.UseToken(h, onetime.Token{}, onetime.ResetPassword, t0))
}

func TestNewerKillsOlder(t *testing.T) {
	h := hasher(t)
	older, newer := issue(t, h, 1, onetime.ResetPassword), issue(t, h, 2, onetime.ResetPassword)
	otherPurpose := issue(t, h, 3, onetime.VerifyEmail)
	if !older.Secret.SupersededBy(newer.Secret) {
		t.Fatal("a newer secret of the same user and purpose does not supersede the older")
	}
	if otherPurpose.Secret.SupersededBy(newer.Secret) || newer.Secret.SupersededBy(newer.Secret) {
		t.Fatal("a secret of another purpose, or the secret itself, is superseded")
	}
	if !older.Secret.Supersede(t0) || older.Secret.Supersede(t0) {
		t.Fatal("Supersede must report true once, for a pending secret")
	}
	if older.Secret.EndReason() != onetime.Superseded {
		t.Fatalf("reason %q", older.Secret.EndReason())
	}
	wantInvalid(t, "superseded token", older.Secret.UseToken(h, older.Token, onetime.ResetPassword, t0))
	wantInvalid(t, "superseded code", older.Secret.UseCode(h, older.Code, onetime.ResetPassword, t0))
	if older.Secret.SupersededBy(newer.Secret) {
		t.Fatal("an ended secret is superseded again")
	}
	if err := newer.Secret.UseToken(h, newer.Token, onetime.ResetPassword, t0); err != nil {
		t.Fatalf("the newer secret: %v", err)
	}
}

func TestSnapshotRoundTrip(t *testing.T) {
	h := hasher(t)
	is := issue(t, h, 1, onetime.ResetPassword)
	_ = is.Secret.CheckCode(h, wrongCode(is.Code), onetime.ResetPassword, t0)
	is.Secret.Supersede(t0.Add(time.Second))
	back, err := onetime.Rehydrate(is.Secret.Snapshot())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Snapshot(), is.Secret.Snapshot()) {
		t.Fatalf("round trip:\n%#v\n%#v", back.Snapshot(), is.Secret.Snapshot())
	}
	broken := is.Secret.Snapshot()
	broken.EndReason = ""
	if _, err := onetime.Rehydrate(broken); err == nil {
		t.Fatal("an ended secret without a reason was accepted")
	}
}

func TestHasherNeedsAKey(t *testing.T) {
	if _, err := onetime.NewHasher(make([]byte, 31)); err == nil {
		t.Fatal("a 31-byte key was accepted")
	}
}

func TestParse(t *testing.T) {
	good := strings.Repeat("A", 42) + "B" // "B" has non-zero unused low bits: not canonical
	for _, s := range []string{"", "abc", strings.Repeat("A", 44), strings.Repeat("A", 42) + "=", good, strings.Repeat("+", 43)} {
		if _, err := onetime.ParseToken(s); err == nil {
			t.Errorf("ParseToken(%q) accepted", s)
		}
	}
	if _, err := onetime.ParseToken(strings.Repeat("A", 43)); err != nil {
		t.Errorf("ParseToken of 43 A: %v", err)
	}
	for _, s := range []string{"", "12345", "1234567", "12345a", " 12345", "１２３４５６", "-12345"} {
		if _, err := onetime.ParseCode(s); err == nil {
			t.Errorf("ParseCode(%q) accepted", s)
		}
	}
	if c, err := onetime.ParseCode("007123"); err != nil || c.Reveal() != "007123" {
		t.Errorf("ParseCode(007123) = %q, %v", c.Reveal(), err)
	}
}
