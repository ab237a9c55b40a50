package e2e

import (
	"bytes"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// sameAnswer compares what a client can see of two answers: status, body
// and headers, less those that differ per request by design.
func sameAnswer(t *testing.T, a, b response) {
	t.Helper()
	if a.Status != b.Status || !bytes.Equal(a.Body, b.Body) {
		t.Fatalf("answers differ: %d %s vs %d %s", a.Status, a.Body, b.Status, b.Body)
	}
	perRequest := []string{"X-Request-Id", "Date", "Ratelimit"}
	for name := range a.Header {
		if !slices.Contains(perRequest, name) && strings.Join(a.Header[name], ",") != strings.Join(b.Header[name], ",") {
			t.Fatalf("header %s differs: %q vs %q", name, a.Header[name], b.Header[name])
		}
	}
	if len(a.Header) != len(b.Header) {
		t.Fatalf("headers differ: %v vs %v", a.Header, b.Header)
	}
}

func TestRequestsForMailAnswerAlikeForEveryAddress(t *testing.T) {
	t.Parallel()
	mail := startMailServer(t)
	s := startServer(t, mailEnv(mail, map[string]string{"AUTHD_AUTH_EMAIL_VERIFICATION": "off"}), trusting(mail))
	s.signup(t, "ada@example.com")
	verified := s.signup(t, "vera@example.com")
	s.post(t, "/v1/auth/password/forgot", map[string]any{"email": "vera@example.com"}).wantStatus(t, http.StatusAccepted)
	m := awaitMail(t, mail, "vera@example.com", subjectReset, 1)
	s.post(t, "/v1/auth/password/reset", map[string]any{"token": m.Token, "newPassword": verified.Password + "x"}).wantStatus(t, http.StatusNoContent)
	before := len(mail.Messages())

	for _, path := range []string{"/v1/auth/password/forgot", "/v1/auth/verify-email/send"} {
		known := s.post(t, path, map[string]any{"email": "ada@example.com"})
		unknown := s.post(t, path, map[string]any{"email": "nobody@example.com"})
		known.wantStatus(t, http.StatusAccepted)
		sameAnswer(t, known, unknown)
	}
	// A verified address asking for a verification answers the same too.
	sameAnswer(t,
		s.post(t, "/v1/auth/verify-email/send", map[string]any{"email": "vera@example.com"}),
		s.post(t, "/v1/auth/verify-email/send", map[string]any{"email": "nobody2@example.com"}))
	awaitMail(t, mail, "ada@example.com", subjectVerify, 1)
	awaitMail(t, mail, "ada@example.com", subjectReset, 1)
	time.Sleep(500 * time.Millisecond) // anything else would have been sent by now
	if got := len(mail.Messages()) - before; got != 2 {
		t.Fatalf("%d mails, want 2 (only the account that exists and needs it gets one)", got)
	}
}

func TestMailLimitsPerAddressAndPerIP(t *testing.T) {
	t.Parallel()
	mail := startMailServer(t)
	clock := newClock()
	env := limitedEnv(map[string]string{
		"AUTHD_RATELIMIT_MAIL_PER_IP":            "9/1h",
		"AUTHD_RATELIMIT_MAIL_PER_ADDRESS_BURST": "1/1m",
		"AUTHD_RATELIMIT_MAIL_PER_ADDRESS":       "2/1h",
		"AUTHD_AUTH_EMAIL_VERIFICATION":          "off",
	})
	s := startServer(t, mailEnv(mail, env), trusting(mail), withClock(clock))
	s.signup(t, "ada@example.com")
	forgot := func(email string) response {
		return s.post(t, "/v1/auth/password/forgot", map[string]any{"email": email})
	}

	// One per address per minute, counted whether or not an account exists.
	for _, email := range []string{"ada@example.com", "nobody@example.com"} {
		first := forgot(email)
		first.wantStatus(t, http.StatusAccepted)
		if got := first.Header.Get("RateLimit-Policy"); got != `"mail";q=9;w=3600, "address_burst";q=1;w=60, "address";q=2;w=3600` {
			t.Fatalf("RateLimit-Policy %q", got)
		}
		again := forgot(strings.ToUpper(email))
		again.wantProblem(t, http.StatusTooManyRequests, "rate_limited")
		if n := again.retryAfterSeconds(t); n > 60 {
			t.Fatalf("Retry-After %d beyond the minute", n)
		}
	}
	// The same mailbox in fullwidth letters is the same address, as the
	// account it names: it spends the same budget.
	forgot("\uff41\uff44\uff41@example.com").wantProblem(t, http.StatusTooManyRequests, "rate_limited")
	// Another purpose has its own budget.
	s.post(t, "/v1/auth/verify-email/send", map[string]any{"email": "ada@example.com"}).wantStatus(t, http.StatusAccepted)

	// After the minute, the second of two an hour; then the hour is spent.
	clock.Advance(61 * time.Second)
	forgot("ada@example.com").wantStatus(t, http.StatusAccepted)
	clock.Advance(61 * time.Second)
	r := forgot("ada@example.com")
	r.wantProblem(t, http.StatusTooManyRequests, "rate_limited")
	if n := r.retryAfterSeconds(t); n < 60*55 {
		t.Fatalf("Retry-After %d, want the rest of the hour", n)
	}
	awaitMail(t, mail, "ada@example.com", subjectReset, 2)
	awaitMail(t, mail, "ada@example.com", subjectVerify, 1)

	// The per-IP quota the three unauthenticated mail routes share: 9 per
	// hour from this client, refused requests included (8 so far).
	s.post(t, "/v1/auth/email/confirm", map[string]any{"token": "x"}).wantProblem(t, http.StatusBadRequest, "verification_invalid")
	r = s.post(t, "/v1/auth/email/confirm", map[string]any{"token": "x"})
	r.wantProblem(t, http.StatusTooManyRequests, "rate_limited")
	if r.Header.Get("RateLimit-Policy") != `"mail";q=9;w=3600` {
		t.Fatalf("RateLimit-Policy %q", r.Header.Get("RateLimit-Policy"))
	}
	if got := len(mail.Messages()); got != 3 {
		t.Fatalf("%d mails, want the 2 resets and the verification", got)
	}
}
