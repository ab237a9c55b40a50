package identity_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/authd/authd/domain/identity"
	"github.com/authd/authd/domain/user"
)

func start(t *testing.T, link user.ID) *identity.FlowState {
	t.Helper()
	f, err := identity.StartFlow(identity.FlowStart{
		State: "state-secret", Binding: "cookie-secret", Provider: "google",
		Nonce: "n", Verifier: "v", RedirectTo: "https://app.example.com/cb", LinkUser: link,
	}, now)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestAFlowKeepsOnlyHashesOfItsSecrets(t *testing.T) {
	f := start(t, user.ID{})
	s := f.Snapshot()
	for _, v := range []string{string(s.StateHash), string(s.BindingHash)} {
		if strings.Contains(v, "secret") || len(v) != 64 {
			t.Fatalf("stored %q: want a 64-digit hash", v)
		}
	}
	if s.StateHash != identity.HashSecret("state-secret") {
		t.Fatal("the state is not found by the hash of the state parameter")
	}
	back, err := identity.RehydrateFlow(s)
	if err != nil || back.Snapshot() != s {
		t.Fatalf("round trip: %v", err)
	}
}

func TestAFlowIsBoundToItsCookie(t *testing.T) {
	f := start(t, user.ID{})
	if !f.BoundTo("cookie-secret") {
		t.Fatal("the starting cookie does not match")
	}
	for _, other := range []string{"", "cookie-secreT", "state-secret"} {
		if f.BoundTo(other) {
			t.Errorf("cookie %q matched", other)
		}
	}
}

func TestAFlowExpiresAfterTenMinutes(t *testing.T) {
	f := start(t, user.ID{})
	if f.Expired(now.Add(identity.StateLifetime - 1)) {
		t.Fatal("expired early")
	}
	if !f.Expired(now.Add(identity.StateLifetime)) {
		t.Fatal("alive after ten minutes")
	}
}

func TestLinkFlowsNameTheirUser(t *testing.T) {
	if _, ok := start(t, user.ID{}).LinkUser(); ok {
		t.Fatal("a sign-in flow claims to link")
	}
	u := user.ID(newID(9))
	if got, ok := start(t, u).LinkUser(); !ok || got != u {
		t.Fatalf("LinkUser = %v, %v", got, ok)
	}
}

func TestLoginCodesLastSixtySeconds(t *testing.T) {
	c, err := identity.IssueLoginCode("the-code", user.ID(newID(1)), "google", now)
	if err != nil {
		t.Fatal(err)
	}
	if c.Hash != identity.HashSecret("the-code") || c.Expired(now.Add(59_999_999_999)) || !c.Expired(now.Add(identity.LoginCodeLifetime)) {
		t.Fatalf("code %+v", c)
	}
	if _, err := identity.IssueLoginCode("", user.ID(newID(1)), "google", now); err == nil {
		t.Fatal("an empty code was issued")
	}
}

func TestRedirectAllowlist(t *testing.T) {
	l, err := identity.NewRedirectAllowlist([]string{"https://app.example.com/auth/done", "http://localhost:3000/cb"})
	if err != nil {
		t.Fatal(err)
	}
	allowed := []string{
		"https://app.example.com/auth/done",
		"https://APP.example.com:443/auth/done",
		"https://app.example.com/auth/done?next=%2Fsettings",
		"http://localhost:3000/cb",
	}
	for _, raw := range allowed {
		if got, err := l.Allow(raw); err != nil || got != raw {
			t.Errorf("Allow(%q) = %q, %v", raw, got, err)
		}
	}
	refused := []string{
		"", "/auth/done", "//app.example.com/auth/done",
		"http://app.example.com/auth/done",           // scheme
		"https://app.example.com:8443/auth/done",     // port
		"https://app.example.com.evil.com/auth/done", // host
		"https://evil.com/auth/done",
		"https://app.example.com/auth/done/",  // path
		"https://app.example.com/auth/Done",   // path case
		"https://app.example.com/auth/done#x", // fragment
		"https://app.example.com/auth/done#",  // empty fragment
		"https://user@app.example.com/auth/done",
		"https://app.example.com\\@evil.com/auth/done",
		"https://app.example.com/auth/done\n",
		"javascript:alert(1)",
		"http://localhost:3001/cb",
	}
	for _, raw := range refused {
		if _, err := l.Allow(raw); !errors.Is(err, identity.ErrRedirectNotAllowed) {
			t.Errorf("Allow(%q) = %v, want ErrRedirectNotAllowed", raw, err)
		}
	}
	for _, bad := range []string{"https://app.example.com/cb?x=1", "https://app.example.com/cb#x", "app.example.com/cb", "ftp://app.example.com/"} {
		if _, err := identity.NewRedirectAllowlist([]string{bad}); err == nil {
			t.Errorf("allow-list entry %q accepted", bad)
		}
	}
}

func TestFrontEndURLPutsTheResultInTheFragment(t *testing.T) {
	got := identity.FrontEndURL("https://app.example.com/cb?x=1", "error", "access_denied")
	if got != "https://app.example.com/cb?x=1#error=access_denied" {
		t.Fatalf("got %q", got)
	}
}
