package e2e

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/authd/authd/test/oidctest"
)

// noLeaks checks every Location any browser was sent to, and every log
// line, against every token authd and the providers issued and the
// providers' client secrets.
func (w *oidcWorld) noLeaks(t *testing.T, atLeast int) {
	t.Helper()
	w.s.mu.Lock()
	secrets := append([]string(nil), w.s.issued...)
	w.s.mu.Unlock()
	secrets = append(secrets, w.idp.Issued()...)
	secrets = append(secrets, w.late.Issued()...)
	if len(secrets) < atLeast {
		t.Fatalf("only %d tokens were issued: the flows above did not run", len(secrets))
	}
	secrets = append(secrets, w.providerSecrets...)
	var locations []string
	for _, b := range w.browsers {
		b.mu.Lock()
		locations = append(locations, b.locations...)
		b.mu.Unlock()
	}
	var lines []string
	for _, e := range w.s.logs.All() {
		fields, _ := json.Marshal(e.ContextMap())
		lines = append(lines, e.Message+" "+string(fields))
	}
	if len(locations) == 0 || len(lines) == 0 {
		t.Fatalf("%d locations and %d log lines: nothing to check", len(locations), len(lines))
	}
	for _, secret := range secrets {
		for _, loc := range locations {
			if strings.Contains(loc, secret) {
				t.Errorf("a token reached a Location header: %.60s…", loc)
			}
		}
		for _, line := range lines {
			if strings.Contains(line, secret) {
				t.Errorf("a token reached a log line: %.120s…", line)
			}
		}
	}
	for _, loc := range locations {
		for _, name := range []string{"access_token", "id_token", "refresh_token", "accessToken", "refreshToken"} {
			if strings.Contains(loc, name) {
				t.Errorf("Location %q names %s", loc, name)
			}
		}
	}
}

// TestSignInHonoursTheCookieTransport: with refresh tokens in the cookie
// only, the exchange sets it and leaves it out of the body, and the
// cookie then refreshes the session.
func TestSignInHonoursTheCookieTransport(t *testing.T) {
	for _, dialect := range storeDialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			w := newOIDCWorld(t, dialect, map[string]string{"AUTHD_AUTH_REFRESH_TOKEN_TRANSPORT": "cookie"})
			b := w.browser(t)
			w.idp.Next(person("c-1", "cookie@example.com", true))
			k, code := b.signIn(t, w.s, "test")
			if k != "code" {
				t.Fatalf("ended with #%s", k)
			}
			r := b.exchange(t, w.s, code)
			tr := r.tokens(t, http.StatusOK)
			if tr.RefreshToken != "" || r.cookie("__Secure-authd_refresh") == nil {
				t.Fatalf("body refresh token %q, cookie %v", tr.RefreshToken, r.cookie("__Secure-authd_refresh"))
			}
			refreshed := b.hop(t, http.MethodPost, w.s.URL+"/v1/auth/refresh", nil)
			w.s.record(refreshed)
			if refreshed.Status != http.StatusOK {
				t.Fatalf("refresh with the cookie: %d %s", refreshed.Status, refreshed.Body)
			}
			w.noLeaks(t, 5)
		})
	}
}

// TestAHangingProviderHoldsUpOnlyItsOwnFlow: while a provider hangs on a
// discovery, authd keeps answering, other providers' flows included.
func TestAHangingProviderHoldsUpOnlyItsOwnFlow(t *testing.T) {
	for _, dialect := range storeDialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			idp, slow := oidctest.Start(t), oidctest.Start(t)
			slow.SetMode(oidctest.Hang)
			s := startOIDC(t, dialect,
				providerYAML("test", idp.Issuer(), idp.ClientID(), idp.ClientSecret(), true, true)+
					providerYAML("slow", slow.Issuer(), slow.ClientID(), slow.ClientSecret(), true, true),
				map[string]string{"AUTHD_OIDC_TIMEOUT": "60s"})
			done := make(chan string, 1)
			go func() {
				// No t.Fatal off the test's goroutine: the outcome is sent.
				done <- navigateQuietly(newBrowser(t, s.URL).client, s.URL+"/v1/auth/oidc/slow/authorize?redirect_to="+url.QueryEscape(frontEnd))
			}()
			<-slow.Hanging() // authd is now waiting on the slow provider
			s.do(t, http.MethodGet, "/healthz", nil).wantStatus(t, http.StatusOK)
			idp.Next(person("h-1", "h@example.com", true))
			if got := newBrowser(t, s.URL).signInOK(t, s, "test"); got.User.Email != "h@example.com" {
				t.Fatalf("signed in as %s", got.User.Email)
			}
			select {
			case r := <-done:
				t.Fatalf("the slow flow ended (%s) before the provider answered", r)
			default:
			}
			slow.Stop() // the provider drops the connection
			if r := <-done; r != frontEnd+"#error=provider_error" {
				t.Fatalf("the slow flow ended at %q", r)
			}
		})
	}
}

// navigateQuietly follows redirects from rawURL to the front end and
// returns where it ended, or what went wrong.
func navigateQuietly(client *http.Client, rawURL string) string {
	for range 10 {
		res, err := client.Get(rawURL)
		if err != nil {
			return "error: " + err.Error()
		}
		res.Body.Close()
		loc := res.Header.Get("Location")
		if res.StatusCode != http.StatusFound || strings.HasPrefix(loc, frontEnd) {
			return loc
		}
		rawURL = loc
	}
	return "too many redirects"
}
