package httpapi

import (
	"errors"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/authd/authd/domain/identity"
	"github.com/authd/authd/domain/onetime"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
)

const (
	providerURL = "https://idp.example/authorize?state=s"
	frontEnd    = "https://app.example.com/cb"
)

// addSignInFakes adds the sign-in use cases: a started flow with its
// binding, a callback answering a login code, the token pair, one identity.
func (f *fakes) addSignInFakes(t testing.TB, pair inbound.TokenPair) {
	start := inbound.FlowStart{URL: providerURL, Binding: "the-binding", Outcome: "started"}
	f.startSignIn = addFake[inbound.StartSignInCommand](f, "StartSignIn", start)
	f.startLink = addFake[inbound.StartLinkCommand](f, "StartLink", start)
	f.completeSignIn = addFake[inbound.CompleteSignInCommand](f, "CompleteSignIn",
		inbound.SignInResult{RedirectURL: frontEnd + "#code=one-time", Outcome: "login", Provider: "google"})
	f.exchangeLoginCode = addFake[inbound.ExchangeLoginCodeCommand](f, "ExchangeLoginCode", pair)
	i, err := identity.Link(mustID(t, identity.ParseID, "0190a1b2-0000-7000-8000-0000000000aa"), mustID(t, user.ParseID, testUserID),
		identity.Claims{Provider: "google", Subject: "secret-subject", Email: "ada@gmail.example"}, testCreated)
	if err != nil {
		t.Fatal(err)
	}
	f.listIdentities = addFake[inbound.ListIdentitiesQuery](f, "ListIdentities", []*identity.Identity{i})
	f.unlinkIdentity = addCommandFake[inbound.UnlinkIdentityCommand](f, "UnlinkIdentity")
}

func checkFlowCookie(t *testing.T, rec interface{ Result() *http.Response }, name, value string, maxAge int, secure bool) {
	t.Helper()
	var got *http.Cookie
	for _, c := range rec.Result().Cookies() {
		if c.Name == name {
			got = c
		}
	}
	if got == nil {
		t.Fatalf("no %s cookie set", name)
	}
	if got.Value != value || got.Path != "/v1/auth/oidc" || got.MaxAge != maxAge || !got.HttpOnly ||
		got.Secure != secure || got.SameSite != http.SameSiteLaxMode {
		t.Fatalf("cookie %+v", got)
	}
}

func TestAuthorizeRedirectsToTheProviderWithTheFlowCookie(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	rec := hs.do(jsonRequest(http.MethodGet, "/v1/auth/oidc/google/authorize?redirect_to="+frontEnd+"%3Fx%3D1", ""))
	if rec.Code != http.StatusFound || rec.Header().Get("Location") != providerURL || rec.Body.Len() != 0 {
		t.Fatalf("status %d, Location %q, body %q", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	checkFlowCookie(t, rec, "__Secure-authd_oidc", "the-binding", 600, true)
	if cmd := hs.f.startSignIn.last(); cmd.Provider != "google" || cmd.RedirectTo != frontEnd+"?x=1" {
		t.Fatalf("command %+v", cmd)
	}
	if rec.Header().Get("Cache-Control") != "no-store" || rec.Header().Get("Referrer-Policy") != "no-referrer" {
		t.Fatal("the redirect must not be cached nor leak a Referer")
	}

	insecure := newHarness(t, Options{RefreshTransport: "body", CookieSecure: false})
	rec = insecure.do(jsonRequest(http.MethodGet, "/v1/auth/oidc/google/authorize?redirect_to="+frontEnd, ""))
	checkFlowCookie(t, rec, "authd_oidc", "the-binding", 600, false)
}

func TestAuthorizeWithoutAFlowSetsNoCookie(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	hs.f.startSignIn.result = inbound.FlowStart{URL: frontEnd + "#error=provider_error", Outcome: "provider_error"}
	rec := hs.do(jsonRequest(http.MethodGet, "/v1/auth/oidc/google/authorize?redirect_to="+frontEnd, ""))
	if rec.Code != http.StatusFound || rec.Header().Get("Location") != frontEnd+"#error=provider_error" || len(rec.Result().Cookies()) != 0 {
		t.Fatalf("status %d, Location %q, cookies %v", rec.Code, rec.Header().Get("Location"), rec.Result().Cookies())
	}
}

func TestAuthorizeRefusals(t *testing.T) {
	// Missing, or given twice (which one would the flow return to?).
	for _, q := range []string{"", "?redirect_to=" + frontEnd + "&redirect_to=" + frontEnd} {
		hs := newHarness(t, bodyOpts())
		rec := hs.do(jsonRequest(http.MethodGet, "/v1/auth/oidc/google/authorize"+q, ""))
		expectProblem(t, rec, http.StatusBadRequest, "redirect_not_allowed")
		if hs.f.called("StartSignIn") {
			t.Errorf("%q: the use case ran", q)
		}
	}
	for err, want := range map[error]struct {
		status int
		code   string
	}{
		identity.ErrRedirectNotAllowed: {400, "redirect_not_allowed"},
		inbound.ErrUnknownProvider:     {404, "not_found"},
	} {
		hs := newHarness(t, bodyOpts())
		hs.f.startSignIn.err = err
		rec := hs.do(jsonRequest(http.MethodGet, "/v1/auth/oidc/nope/authorize?redirect_to=https://evil.example/", ""))
		expectProblem(t, rec, want.status, want.code)
		if len(rec.Result().Cookies()) != 0 {
			t.Errorf("%v: a cookie was set", err)
		}
	}
}

func TestCallbackHandsOverTheProvidersAnswerAndTheCookie(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	r := jsonRequest(http.MethodGet, "/v1/auth/oidc/google/callback?state=st&code=co&scope=openid", "")
	r.AddCookie(&http.Cookie{Name: "__Secure-authd_oidc", Value: "the-binding"})
	rec := hs.do(r)
	if rec.Code != http.StatusFound || rec.Header().Get("Location") != frontEnd+"#code=one-time" || rec.Body.Len() != 0 {
		t.Fatalf("status %d, Location %q, body %q", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	checkFlowCookie(t, rec, "__Secure-authd_oidc", "", -1, true)
	cmd := hs.f.completeSignIn.last()
	if cmd.Provider != "google" || cmd.State != "st" || cmd.Code != "co" || cmd.ProviderError != "" || cmd.Binding != "the-binding" {
		t.Fatalf("command %+v", cmd)
	}

	r = jsonRequest(http.MethodGet, "/v1/auth/oidc/google/callback?state=st&error=access_denied", "")
	hs.do(r)
	if cmd := hs.f.completeSignIn.last(); cmd.ProviderError != "access_denied" || cmd.Code != "" || cmd.Binding != "" {
		t.Fatalf("command %+v", cmd)
	}
}

func TestCallbackWithoutAUsableState(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	rec := hs.do(jsonRequest(http.MethodGet, "/v1/auth/oidc/google/callback?code=co", ""))
	expectProblem(t, rec, http.StatusBadRequest, "state_invalid")
	if hs.f.called("CompleteSignIn") {
		t.Fatal("the use case ran without a state")
	}
	hs.f.completeSignIn.err = inbound.ErrStateInvalid
	rec = hs.do(jsonRequest(http.MethodGet, "/v1/auth/oidc/google/callback?state=spent&code=co", ""))
	expectProblem(t, rec, http.StatusBadRequest, "state_invalid")
	checkFlowCookie(t, rec, "__Secure-authd_oidc", "", -1, true)
}

func TestExchangeAnswersATokenResponseInTheConfiguredTransport(t *testing.T) {
	hs := newHarness(t, Options{RefreshTransport: "cookie", CookieSecure: true})
	rec := hs.post("/v1/auth/oidc/exchange", `{"code":"one-time"}`)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	body := jsonObject(t, rec)
	if _, has := body["refreshToken"]; has || body["accessToken"] != "new.access.jwt" || body["tokenType"] != "Bearer" {
		t.Fatalf("body %v", body)
	}
	if c := cookieNamed(rec, "__Secure-authd_refresh"); c == nil || c.Value != "opaque-refresh-token" || c.SameSite != http.SameSiteStrictMode {
		t.Fatalf("refresh cookie %+v", c)
	}
	if hs.f.exchangeLoginCode.last().Code != "one-time" {
		t.Fatal("code not passed")
	}
	// A foreign Origin is refused while the cookie transport is on.
	r := jsonRequest(http.MethodPost, "/v1/auth/oidc/exchange", `{"code":"one-time"}`)
	r.Header.Set("Origin", "https://evil.example")
	expectProblem(t, hs.do(r), http.StatusForbidden, "origin_not_allowed")

	body = jsonObject(t, newHarness(t, bodyOpts()).post("/v1/auth/oidc/exchange", `{"code":"one-time"}`))
	if body["refreshToken"] != "opaque-refresh-token" {
		t.Fatalf("body transport: %v", body)
	}
}

func TestExchangeRefusals(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	expectProblem(t, hs.post("/v1/auth/oidc/exchange", `{}`), http.StatusBadRequest, "validation_failed")
	expectProblem(t, hs.post("/v1/auth/oidc/exchange", `{"code":"x","extra":1}`), http.StatusBadRequest, "invalid_json")
	hs.f.exchangeLoginCode.err = onetime.ErrInvalid
	expectProblem(t, hs.post("/v1/auth/oidc/exchange", `{"code":"spent"}`), http.StatusBadRequest, "verification_invalid")
	hs.f.exchangeLoginCode.err = user.ErrDisabled
	expectProblem(t, hs.post("/v1/auth/oidc/exchange", `{"code":"x"}`), http.StatusUnauthorized, "user_disabled")
}

func TestLinkAnswersTheAuthorizeURLAndSetsTheFlowCookie(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	expectProblem(t, hs.post("/v1/auth/oidc/google/link", `{"redirectTo":"`+frontEnd+`"}`), http.StatusUnauthorized, "unauthorized")
	rec := hs.authed(http.MethodPost, "/v1/auth/oidc/google/link", `{"redirectTo":"`+frontEnd+`"}`)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if body := jsonObject(t, rec); !slices.Equal(keysOf(body), []string{"authorizeUrl"}) || body["authorizeUrl"] != providerURL {
		t.Fatalf("body %v", body)
	}
	checkFlowCookie(t, rec, "__Secure-authd_oidc", "the-binding", 600, true)
	if cmd := hs.f.startLink.last(); cmd.Provider != "google" || cmd.RedirectTo != frontEnd || cmd.Principal.User.ID().String() != testUserID {
		t.Fatalf("command %+v", cmd)
	}
	expectProblem(t, hs.authed(http.MethodPost, "/v1/auth/oidc/google/link", `{}`), http.StatusBadRequest, "validation_failed")
}

func TestIdentitiesListAndUnlink(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	rec := hs.authed(http.MethodGet, "/v1/auth/identities", "")
	list, ok := jsonObject(t, rec)["identities"].([]any)
	if rec.Code != http.StatusOK || !ok || len(list) != 1 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	got := list[0].(map[string]any)
	if !slices.Equal(keysOf(got), sorted("id", "provider", "email", "createdAt")) || got["provider"] != "google" ||
		got["email"] != "ada@gmail.example" || got["createdAt"] != testCreated.Format(time.RFC3339) {
		t.Fatalf("identity %v", got)
	}

	id := "0190a1b2-0000-7000-8000-0000000000aa"
	if rec := hs.authed(http.MethodDelete, "/v1/auth/identities/"+id, ""); rec.Code != http.StatusNoContent {
		t.Fatalf("unlink: %d %s", rec.Code, rec.Body)
	}
	if cmd := hs.f.unlinkIdentity.last(); cmd.IdentityID.String() != id || cmd.Principal.User.ID().String() != testUserID {
		t.Fatalf("command %+v", cmd)
	}
	expectProblem(t, hs.authed(http.MethodDelete, "/v1/auth/identities/not-a-uuid", ""), http.StatusNotFound, "not_found")
	hs.f.unlinkIdentity.err = identity.ErrLastSignInMethod
	expectProblem(t, hs.authed(http.MethodDelete, "/v1/auth/identities/"+id, ""), http.StatusConflict, "last_sign_in_method")
	hs.f.unlinkIdentity.err = identity.ErrNotFound
	expectProblem(t, hs.authed(http.MethodDelete, "/v1/auth/identities/"+id, ""), http.StatusNotFound, "not_found")
	hs.f.unlinkIdentity.err = errors.New("db down")
	expectProblem(t, hs.authed(http.MethodDelete, "/v1/auth/identities/"+id, ""), http.StatusInternalServerError, "internal")
}
