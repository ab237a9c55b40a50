package httpapi

import (
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/authd/authd/domain/onetime"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// lifecycleRoute is one endpoint of the account lifecycle with a valid
// body, the use case it calls and its success status.
type lifecycleRoute struct {
	method, path, body, useCase string
	authed                      bool
	status                      int
}

var lifecycleRoutes = []lifecycleRoute{
	{http.MethodPost, "/v1/auth/verify-email/send", `{"email":"ada@example.com"}`, "SendVerification", false, 202},
	{http.MethodPost, "/v1/auth/verify-email", `{"email":"ada@example.com","code":"123456"}`, "VerifyEmail", false, 200},
	{http.MethodPost, "/v1/auth/password/forgot", `{"email":"ada@example.com"}`, "ForgotPassword", false, 202},
	{http.MethodPost, "/v1/auth/password/reset", `{"token":"t","newPassword":"a long new one"}`, "ResetPassword", false, 204},
	{http.MethodPost, "/v1/auth/email", `{"newEmail":"new@example.com","currentPassword":"pw"}`, "RequestEmailChange", true, 202},
	{http.MethodPost, "/v1/auth/email/confirm", `{"token":"t"}`, "ConfirmEmailChange", false, 200},
	{http.MethodPatch, "/v1/auth/me", `{"fullName":"Ada King"}`, "UpdateProfile", true, 200},
}

func (hs *harness) send(r lifecycleRoute, body string) *httptest.ResponseRecorder {
	if r.authed {
		return hs.authed(r.method, r.path, body)
	}
	return hs.do(jsonRequest(r.method, r.path, body))
}

func TestLifecycleRoutesAnswerAndPassTheirCommands(t *testing.T) {
	for _, r := range lifecycleRoutes {
		t.Run(r.path, func(t *testing.T) {
			hs := newHarness(t, bodyOpts())
			rec := hs.send(r, r.body)
			if rec.Code != r.status {
				t.Fatalf("status %d, want %d (body %s)", rec.Code, r.status, rec.Body)
			}
			if r.status == 200 {
				if keys := keysOf(jsonObject(t, rec)); !reflect.DeepEqual(keys, []string{"user"}) {
					t.Fatalf("body members %v, want [user]", keys)
				}
			} else if rec.Body.Len() != 0 {
				t.Fatalf("a %d answer has a body: %s", r.status, rec.Body)
			}
			if got := hs.f.calls(); len(got) == 0 || got[len(got)-1] != r.useCase {
				t.Fatalf("calls %v, want %s last", got, r.useCase)
			}
			if rec.Header().Get("Cache-Control") != "no-store" {
				t.Fatal("no Cache-Control: no-store")
			}
		})
	}
	hs := newHarness(t, bodyOpts())
	hs.post("/v1/auth/verify-email", `{"token":"tok"}`)
	hs.post("/v1/auth/password/reset", `{"email":"a@example.com","code":"000111","newPassword":"np"}`)
	hs.authed(http.MethodPost, "/v1/auth/email", `{"newEmail":"n@example.com","currentPassword":"cur"}`)
	hs.authed(http.MethodPatch, "/v1/auth/me", `{"fullName":"Grace"}`)
	if got := hs.f.sent("VerifyEmail", "Proof"); got != (inbound.SecretProof{Token: "tok"}) {
		t.Fatalf("verify proof %+v", got)
	}
	if got := hs.f.sent("ResetPassword", "Proof"); got != (inbound.SecretProof{Email: "a@example.com", Code: "000111"}) || hs.f.sent("ResetPassword", "NewPassword") != "np" {
		t.Fatalf("reset proof %+v", got)
	}
	if hs.f.sent("RequestEmailChange", "NewEmail") != "n@example.com" || hs.f.sent("RequestEmailChange", "CurrentPassword") != "cur" ||
		hs.f.principalSent("RequestEmailChange").User == nil {
		t.Fatal("the email change lost a member or its principal")
	}
	if hs.f.sent("UpdateProfile", "FullName") != "Grace" {
		t.Fatal("the profile update lost its name")
	}
}

func TestLifecycleRoutesDecodeStrictly(t *testing.T) {
	for _, r := range lifecycleRoutes {
		t.Run(r.path, func(t *testing.T) {
			hs := newHarness(t, bodyOpts())
			unknown := strings.Replace(r.body, "{", `{"extra":1,`, 1)
			expectProblem(t, hs.send(r, unknown), 400, "invalid_json")
			folded := strings.Replace(r.body, `{"`, `{"X`, 1)
			expectProblem(t, hs.send(r, folded), 400, "invalid_json")
			expectProblem(t, hs.send(r, r.body+"{}"), 400, "invalid_json")
			first := strings.SplitN(strings.TrimPrefix(r.body, `{"`), `"`, 2)[0]
			p := expectProblem(t, hs.send(r, `{"`+first+`":42}`), 400, "validation_failed")
			if p.Errors[0].Field != first {
				t.Fatalf("wrong type reported for %q", p.Errors[0].Field)
			}
			req := jsonRequest(r.method, r.path, r.body)
			req.Header.Set("Content-Type", "text/plain")
			if r.authed {
				req.Header.Set("Authorization", "Bearer "+goodToken)
			}
			expectProblem(t, hs.do(req), 415, "unsupported_media_type")
			if hs.f.called(r.useCase) {
				t.Fatal("the use case ran for a refused body")
			}
		})
	}
}

func TestLifecycleRequiredMembersAndAuthentication(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	for path, field := range map[string]string{
		"/v1/auth/verify-email/send": "email", "/v1/auth/password/forgot": "email", "/v1/auth/email/confirm": "token",
	} {
		p := expectProblem(t, hs.post(path, `{}`), 400, "validation_failed")
		if p.Errors[0].Field != field {
			t.Fatalf("%s: missing %q reported as %v", path, field, p.Errors)
		}
	}
	p := expectProblem(t, hs.authed(http.MethodPost, "/v1/auth/email", `{}`), 400, "validation_failed")
	if len(p.Errors) != 2 {
		t.Fatalf("missing members %v, want newEmail and currentPassword", p.Errors)
	}
	expectProblem(t, hs.authed(http.MethodPatch, "/v1/auth/me", `{"fullName":null}`), 400, "validation_failed")
	for _, called := range []string{"SendVerification", "ForgotPassword", "ConfirmEmailChange", "RequestEmailChange", "UpdateProfile"} {
		if hs.f.called(called) {
			t.Fatalf("%s ran without its members", called)
		}
	}
	expectProblem(t, hs.do(jsonRequest(http.MethodPatch, "/v1/auth/me", `{"fullName":"x"}`)), 401, "unauthorized")
	expectProblem(t, hs.post("/v1/auth/email", `{"newEmail":"a@b.c","currentPassword":"x"}`), 401, "unauthorized")
	rec := hs.do(jsonRequest(http.MethodGet, "/v1/auth/password/forgot", ""))
	expectProblem(t, rec, 405, "method_not_allowed")
	if rec.Header().Get("Allow") != "POST" {
		t.Fatalf("Allow %q", rec.Header().Get("Allow"))
	}
}

func TestLifecycleErrors(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	hs.f.verifyEmail.err = onetime.ErrInvalid
	expectProblem(t, hs.post("/v1/auth/verify-email", `{"token":"x"}`), 400, "verification_invalid")
	hs.f.forgotPassword.err = outbound.ErrMailDisabled
	rec := hs.post("/v1/auth/password/forgot", `{"email":"ada@example.com"}`)
	expectProblem(t, rec, 503, "mail_disabled")
	if rec.Header().Get("Retry-After") != "" {
		t.Fatal("mail_disabled invites a retry, which cannot help")
	}
	hs.f.login.err = inbound.ErrEmailNotVerified
	expectProblem(t, hs.post("/v1/auth/login", `{"email":"ada@example.com","password":"pw"}`), 403, "email_not_verified")
}

func TestPendingSignupAnswersTheUserWithoutTokensOrCookie(t *testing.T) {
	hs := newHarness(t, Options{RefreshTransport: "both", CookieSecure: true})
	pair := hs.f.signup.result
	hs.f.signup.result = inbound.TokenPair{User: pair.User, Pending: true}
	rec := hs.post("/v1/auth/signup", `{"email":"ada@example.com","password":"correct horse","fullName":"Ada"}`)
	if rec.Code != 201 {
		t.Fatalf("status %d (%s)", rec.Code, rec.Body)
	}
	if keys := keysOf(jsonObject(t, rec)); !reflect.DeepEqual(keys, []string{"user"}) {
		t.Fatalf("members %v, want only user", keys)
	}
	if len(rec.Result().Cookies()) != 0 {
		t.Fatalf("cookies %v", rec.Result().Cookies())
	}
}

func mailLimitedOpts(l *fakeLimiter) Options {
	o := limitedOpts(l)
	o.RateLimits.Mail = outbound.Quota{Limit: 10, Window: time.Hour}
	o.MailLimits = MailLimits{
		Limiter: l, Burst: outbound.Quota{Limit: 1, Window: time.Minute}, Sustained: outbound.Quota{Limit: 5, Window: time.Hour},
	}
	return o
}

func TestMailRoutesShareTheMailQuotaAndCountEachAddress(t *testing.T) {
	l := newFakeLimiter()
	hs := newHarness(t, mailLimitedOpts(l))
	first := hs.post("/v1/auth/password/forgot", `{"email":"ada@example.com"}`)
	if first.Code != 202 {
		t.Fatalf("status %d", first.Code)
	}
	if got := first.Header().Get("RateLimit-Policy"); got != `"mail";q=10;w=3600, "address_burst";q=1;w=60, "address";q=5;w=3600` {
		t.Fatalf("RateLimit-Policy %q", got)
	}
	if got := first.Header().Get("RateLimit"); got != `"mail";r=9;t=42, "address_burst";r=0;t=42, "address";r=4;t=42` {
		t.Fatalf("RateLimit %q", got)
	}
	// The same address, written differently, the same purpose: refused.
	second := hs.post("/v1/auth/password/forgot", `{"email":" ADA@Example.com"}`)
	expectProblem(t, second, 429, "rate_limited")
	if second.Header().Get("Retry-After") != "42" || hs.f.forgotPassword.calls() != 1 {
		t.Fatalf("Retry-After %q, calls %d", second.Header().Get("Retry-After"), hs.f.forgotPassword.calls())
	}
	// The refused request spent nothing of the longer budget.
	if got := second.Header().Get("RateLimit"); !strings.HasSuffix(got, `"address";r=4;t=42`) {
		t.Fatalf("RateLimit after a refusal %q", got)
	}
	// Another purpose, another address: their own budgets.
	if rec := hs.post("/v1/auth/verify-email/send", `{"email":"ada@example.com"}`); rec.Code != 202 {
		t.Fatalf("verification for the same address: %d", rec.Code)
	}
	if rec := hs.post("/v1/auth/password/forgot", `{"email":"bob@example.com"}`); rec.Code != 202 {
		t.Fatalf("another address: %d", rec.Code)
	}
	// An address that does not parse is not counted; the use case refuses it.
	before := l.hitCount()
	hs.post("/v1/auth/password/forgot", `{"email":"not an address"}`)
	if l.hitCount() != before+1 { // the per-IP quota only
		t.Fatalf("an invalid address was counted: %d hits", l.hitCount()-before)
	}
	if got := l.lastHit(t).quota.Name; got != "mail" {
		t.Fatalf("last hit %q", got)
	}
	// The email change counts the new address, after authentication.
	hs.authed(http.MethodPost, "/v1/auth/email", `{"newEmail":"new@example.com","currentPassword":"pw"}`)
	if hit := l.lastHit(t); hit.key != "address:change_email:new@example.com" {
		t.Fatalf("email change counted %q", hit.key)
	}
	if rec := hs.post("/v1/auth/email/confirm", `{"token":"t"}`); !strings.HasPrefix(rec.Header().Get("RateLimit-Policy"), `"mail";`) {
		t.Fatalf("email/confirm spends %q", rec.Header().Get("RateLimit-Policy"))
	}
}

func TestMailLimitsAreCheckedAtStartup(t *testing.T) {
	l := newFakeLimiter()
	bad := mailLimitedOpts(l)
	bad.MailLimits.Burst.Name = "login"
	if _, err := NewHandler(bad, newFakes(t).useCases(), okProbes(), nil); err == nil {
		t.Fatal("a misnamed mail limit was accepted")
	}
	bad = mailLimitedOpts(l)
	bad.RateLimits.Mail.Window = 0
	if _, err := NewHandler(bad, newFakes(t).useCases(), okProbes(), nil); err == nil {
		t.Fatal("a mail quota without a window was accepted")
	}
}
