package e2e

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/authd/authd/test/oidctest"
)

// oidcWorld is authd with four providers: "test" (a real provider that the
// test can make misbehave), "strict" (the same provider, linking by email
// and sign-up off), "late" (one that goes away mid-flow) and "down"
// (nothing listens at its issuer).
type oidcWorld struct {
	s               *oidcServer
	idp, late       *oidctest.Provider
	browsers        []*browser
	providerSecrets []string
}

func newOIDCWorld(t *testing.T, dialect string, env map[string]string) *oidcWorld {
	t.Helper()
	idp, late := oidctest.Start(t), oidctest.Start(t)
	providers := providerYAML("test", idp.Issuer(), idp.ClientID(), idp.ClientSecret(), true, true) +
		providerYAML("strict", idp.Issuer(), idp.ClientID(), idp.ClientSecret(), false, false) +
		providerYAML("late", late.Issuer(), late.ClientID(), late.ClientSecret(), true, true) +
		providerYAML("down", "http://"+freeAddr(t)+"/oidc", "c", "s", true, true)
	return &oidcWorld{
		s: startOIDC(t, dialect, providers, env), idp: idp, late: late,
		providerSecrets: []string{idp.ClientSecret(), late.ClientSecret()},
	}
}

func (w *oidcWorld) browser(t *testing.T) *browser {
	b := newBrowser(t, w.s.URL)
	w.browsers = append(w.browsers, b)
	return b
}

// TestSignInWithProviders walks every sign-in flow of the contract on each
// database, against a real provider, and then checks that no token ever
// reached a Location header or a log line.
func TestSignInWithProviders(t *testing.T) {
	for _, dialect := range storeDialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			w := newOIDCWorld(t, dialect, nil)
			s, idp := w.s, w.idp
			var newcomer, ada tokenResponse
			var bob account

			t.Run("a new identity signs up without a password", func(t *testing.T) {
				idp.Next(person("new-1", "New.Comer@Example.com", true))
				b := w.browser(t)
				newcomer = b.signInOK(t, s, "test")
				if newcomer.User.Email != "new.comer@example.com" || !newcomer.User.EmailVerified || newcomer.User.Role != "user" || newcomer.RefreshToken == "" {
					t.Fatalf("token response %+v", newcomer)
				}
				if me := s.meUser(t, newcomer.AccessToken); me.ID != newcomer.User.ID {
					t.Fatalf("/me is %s", me.ID)
				}
				ids := s.identities(t, newcomer.AccessToken)
				if len(ids) != 1 || ids[0]["provider"] != "test" || ids[0]["email"] != "new.comer@example.com" {
					t.Fatalf("identities %v", ids)
				}
				// Without a password, a password login is the usual 401.
				s.do(t, http.MethodPost, "/v1/auth/login", map[string]any{"email": "new.comer@example.com", "password": defaultPassword}).
					wantProblem(t, http.StatusUnauthorized, "invalid_credentials")
				s.do(t, http.MethodPost, "/v1/auth/password", map[string]any{"currentPassword": defaultPassword, "newPassword": "a brand new passphrase"},
					bearer(newcomer.AccessToken)).wantProblem(t, http.StatusUnauthorized, "invalid_credentials")
			})

			t.Run("a known identity logs its user in", func(t *testing.T) {
				idp.Next(person("new-1", "someone.else@example.com", false)) // the subject decides
				again := w.browser(t).signInOK(t, s, "test")
				if again.User.ID != newcomer.User.ID || again.AccessToken == newcomer.AccessToken {
					t.Fatalf("signed in as %s, want %s in a new session", again.User.ID, newcomer.User.ID)
				}
			})

			t.Run("a verified email links the existing account", func(t *testing.T) {
				acct := s.signup(t, "ada@example.com")
				idp.Next(person("ada-at-idp", "ADA@example.com", true))
				ada = w.browser(t).signInOK(t, s, "test")
				if ada.User.ID != acct.User.ID {
					t.Fatalf("signed in as %s, want the existing %s", ada.User.ID, acct.User.ID)
				}
				s.login(t, "ada@example.com", defaultPassword) // the password still works
			})

			t.Run("an unverified email is refused", func(t *testing.T) {
				bob = s.signup(t, "bob@example.com")
				idp.Next(person("bob-at-idp", "bob@example.com", false))
				if k, v := w.browser(t).signIn(t, s, "test"); k != "error" || v != "account_exists" {
					t.Fatalf("ended with #%s=%s", k, v)
				}
				if ids := s.identities(t, bob.AccessToken); len(ids) != 0 {
					t.Fatalf("an identity was linked: %v", ids)
				}
			})

			t.Run("a strict provider links nothing by email and signs nobody up", func(t *testing.T) {
				idp.Next(person("bob-strict", "bob@example.com", true))
				if k, v := w.browser(t).signIn(t, s, "strict"); k != "error" || v != "account_exists" {
					t.Fatalf("verified email: ended with #%s=%s", k, v)
				}
				idp.Next(person("stranger", "stranger@example.com", true))
				if k, v := w.browser(t).signIn(t, s, "strict"); k != "error" || v != "access_denied" {
					t.Fatalf("unknown person: ended with #%s=%s", k, v)
				}
			})

			t.Run("linking while signed in, and an identity taken", func(t *testing.T) {
				idp.Next(person("bob-elsewhere", "bob.b@mail.example", false))
				b := w.browser(t)
				if k, v := b.link(t, s, "test", bob.AccessToken); k != "linked" || v != "test" {
					t.Fatalf("ended with #%s=%s", k, v)
				}
				if ids := s.identities(t, bob.AccessToken); len(ids) != 1 || ids[0]["email"] != "bob.b@mail.example" {
					t.Fatalf("identities %v", ids)
				}
				idp.Next(person("new-1", "new.comer@example.com", true)) // the newcomer's
				if k, v := b.link(t, s, "test", bob.AccessToken); k != "error" || v != "identity_taken" {
					t.Fatalf("ended with #%s=%s", k, v)
				}
				// The linked identity now signs Bob in.
				idp.Next(person("bob-elsewhere", "", false))
				if got := w.browser(t).signInOK(t, s, "test"); got.User.ID != bob.User.ID {
					t.Fatalf("signed in as %s, want Bob", got.User.ID)
				}
			})

			t.Run("unlinking keeps a way to sign in", func(t *testing.T) {
				only := s.identities(t, newcomer.AccessToken)[0]["id"].(string)
				s.do(t, http.MethodDelete, "/v1/auth/identities/"+only, nil, bearer(newcomer.AccessToken)).
					wantProblem(t, http.StatusConflict, "last_sign_in_method")
				idp.Next(person("new-1-second", "new.comer@example.com", true))
				if k, v := w.browser(t).link(t, s, "test", newcomer.AccessToken); k != "linked" {
					t.Fatalf("second link ended with #%s=%s", k, v)
				}
				s.do(t, http.MethodDelete, "/v1/auth/identities/"+only, nil, bearer(bob.AccessToken)).
					wantProblem(t, http.StatusNotFound, "not_found")
				s.do(t, http.MethodDelete, "/v1/auth/identities/"+only, nil, bearer(newcomer.AccessToken)).wantStatus(t, http.StatusNoContent)
				if ids := s.identities(t, newcomer.AccessToken); len(ids) != 1 || ids[0]["id"] == only {
					t.Fatalf("identities %v", ids)
				}
				// An account with a password may drop its only identity.
				bobs := s.identities(t, bob.AccessToken)[0]["id"].(string)
				s.do(t, http.MethodDelete, "/v1/auth/identities/"+bobs, nil, bearer(bob.AccessToken)).wantStatus(t, http.StatusNoContent)
			})

			t.Run("a disabled account cannot sign in", func(t *testing.T) {
				idp.Next(person("dis-1", "dis@example.com", true))
				w.browser(t).signInOK(t, s, "test")
				s.exec(t, "UPDATE users SET disabled = true WHERE email = 'dis@example.com'")
				idp.Next(person("dis-1", "dis@example.com", true))
				if k, v := w.browser(t).signIn(t, s, "test"); k != "error" || v != "user_disabled" {
					t.Fatalf("ended with #%s=%s", k, v)
				}
			})

			t.Run("access denied at the provider", func(t *testing.T) {
				idp.SetMode(oidctest.DenyAccess)
				defer idp.SetMode(oidctest.Normal)
				if k, v := w.browser(t).signIn(t, s, "test"); k != "error" || v != "access_denied" {
					t.Fatalf("ended with #%s=%s", k, v)
				}
			})

			t.Run("a state works once and only with its cookie", func(t *testing.T) {
				b := w.browser(t)
				idp.Next(person("new-1", "new.comer@example.com", true))
				start := b.hop(t, http.MethodGet, s.URL+"/v1/auth/oidc/test/authorize?redirect_to="+url.QueryEscape(frontEnd), nil)
				start.wantStatus(t, http.StatusFound)
				c := start.cookie("__Secure-authd_oidc")
				if c == nil || !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteLaxMode || c.Path != "/v1/auth/oidc" || c.MaxAge != 600 {
					t.Fatalf("flow cookie %+v", c)
				}
				callback := b.hop(t, http.MethodGet, start.Header.Get("Location"), nil).Header.Get("Location")
				if !strings.HasPrefix(callback, s.URL+"/v1/auth/oidc/test/callback?") {
					t.Fatalf("the provider sent the browser to %q", callback)
				}
				// Another browser (no cookie) brings the state: refused, and
				// the state is spent.
				r := newBrowser(t, s.URL).hop(t, http.MethodGet, callback, nil)
				if k, v := fragmentOf(t, r.Header.Get("Location")); k != "error" || v != "state_invalid" {
					t.Fatalf("without the cookie: #%s=%s", k, v)
				}
				b.hop(t, http.MethodGet, callback, nil).wantProblem(t, http.StatusBadRequest, "state_invalid")

				// A clean run, then its replay.
				idp.Next(person("new-1", "new.comer@example.com", true))
				start = b.hop(t, http.MethodGet, s.URL+"/v1/auth/oidc/test/authorize?redirect_to="+url.QueryEscape(frontEnd), nil)
				callback = b.hop(t, http.MethodGet, start.Header.Get("Location"), nil).Header.Get("Location")
				if k, _ := fragmentOf(t, b.hop(t, http.MethodGet, callback, nil).Header.Get("Location")); k != "code" {
					t.Fatalf("the clean run ended with #%s", k)
				}
				b.hop(t, http.MethodGet, callback, nil).wantProblem(t, http.StatusBadRequest, "state_invalid")
			})

			t.Run("bad ID tokens", func(t *testing.T) {
				for name, shape := range map[string]func(*oidctest.User){
					"wrong nonce":    func(u *oidctest.User) { u.Token = oidctest.WrongNonce },
					"wrong audience": func(u *oidctest.User) { u.Token = oidctest.WrongAudience },
					"wrong issuer":   func(u *oidctest.User) { u.Token = oidctest.WrongIssuer },
					"expired":        func(u *oidctest.User) { u.Token = oidctest.Expired },
				} {
					u := person("bad-"+strings.ReplaceAll(name, " ", "-"), "bad@example.com", true)
					shape(&u)
					idp.Next(u)
					if k, v := w.browser(t).signIn(t, s, "test"); k != "error" || v != "provider_error" {
						t.Errorf("%s: ended with #%s=%s", name, k, v)
					}
				}
				idp.SetMode(oidctest.BadSignature)
				idp.Next(person("bad-signature", "bad@example.com", true))
				k, v := w.browser(t).signIn(t, s, "test")
				idp.SetMode(oidctest.Normal)
				if k != "error" || v != "provider_error" {
					t.Errorf("bad signature: ended with #%s=%s", k, v)
				}
				// None of them created an account.
				s.do(t, http.MethodPost, "/v1/auth/login", map[string]any{"email": "bad@example.com", "password": defaultPassword}).
					wantProblem(t, http.StatusUnauthorized, "invalid_credentials")
			})

			t.Run("the provider's key rotation is followed", func(t *testing.T) {
				idp.RotateKey(t)
				idp.Next(person("new-1", "new.comer@example.com", true))
				if got := w.browser(t).signInOK(t, s, "test"); got.User.ID != newcomer.User.ID {
					t.Fatalf("signed in as %s", got.User.ID)
				}
			})

			t.Run("an unreachable provider", func(t *testing.T) {
				if k, v := w.browser(t).signIn(t, s, "down"); k != "error" || v != "provider_error" {
					t.Fatalf("down at the start: #%s=%s", k, v)
				}
				// One that goes away between the authorization and the code exchange.
				b := w.browser(t)
				start := b.hop(t, http.MethodGet, s.URL+"/v1/auth/oidc/late/authorize?redirect_to="+url.QueryEscape(frontEnd), nil)
				callback := b.hop(t, http.MethodGet, start.Header.Get("Location"), nil).Header.Get("Location")
				w.late.Stop()
				if k, v := fragmentOf(t, b.hop(t, http.MethodGet, callback, nil).Header.Get("Location")); k != "error" || v != "provider_error" {
					t.Fatalf("down at the callback: #%s=%s", k, v)
				}
				s.do(t, http.MethodGet, "/healthz", nil).wantStatus(t, http.StatusOK)
			})

			t.Run("open redirects are refused", func(t *testing.T) {
				for _, dest := range []string{
					"", "https://evil.example/signed-in", "https://app.example.com.evil.example/signed-in",
					"http://app.example.com/signed-in", "https://app.example.com:8443/signed-in", "https://app.example.com/signed-in/../x",
					"https://app.example.com/other", frontEnd + "#code=planted", "//evil.example/signed-in", "javascript:alert(1)",
					"https://user@app.example.com/signed-in",
				} {
					r := w.browser(t).hop(t, http.MethodGet, s.URL+"/v1/auth/oidc/test/authorize?redirect_to="+url.QueryEscape(dest), nil)
					r.wantProblem(t, http.StatusBadRequest, "redirect_not_allowed")
					if r.Header.Get("Location") != "" || len(r.Header.Values("Set-Cookie")) != 0 {
						t.Errorf("%q: Location %q, cookies %v", dest, r.Header.Get("Location"), r.Header.Values("Set-Cookie"))
					}
				}
				w.browser(t).hop(t, http.MethodPost, s.URL+"/v1/auth/oidc/test/link", map[string]any{"redirectTo": "https://evil.example/"},
					bearer(ada.AccessToken)).wantProblem(t, http.StatusBadRequest, "redirect_not_allowed")
				// A query string on an allowed URL is fine.
				r := w.browser(t).hop(t, http.MethodGet, s.URL+"/v1/auth/oidc/test/authorize?redirect_to="+url.QueryEscape(frontEnd+"?next=/settings"), nil)
				r.wantStatus(t, http.StatusFound)
				s.do(t, http.MethodGet, "/v1/auth/oidc/nope/authorize?redirect_to="+url.QueryEscape(frontEnd), nil).wantProblem(t, http.StatusNotFound, "not_found")
			})

			t.Run("a login code is exchanged once", func(t *testing.T) {
				b := w.browser(t)
				idp.Next(person("new-1", "new.comer@example.com", true))
				k, code := b.signIn(t, s, "test")
				if k != "code" {
					t.Fatalf("ended with #%s", k)
				}
				b.exchange(t, s, code).tokens(t, http.StatusOK)
				b.exchange(t, s, code).wantProblem(t, http.StatusBadRequest, "verification_invalid")
				b.exchange(t, s, "never-issued").wantProblem(t, http.StatusBadRequest, "verification_invalid")
			})

			t.Run("no token in a Location header or a log line", func(t *testing.T) {
				w.noLeaks(t, 20)
			})
		})
	}
}
