package e2e

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestNoSecretInAnyLogLineWithSMTP runs every flow that mails a secret,
// successes and failures, with SMTP configured and every log line kept at
// debug level, then looks for each token and code that went out in every
// line.
func TestNoSecretInAnyLogLineWithSMTP(t *testing.T) {
	t.Parallel()
	mail := startMailServer(t)
	logs := &logCapture{}
	s := startInstance(t, mailEnv(mail, map[string]string{"AUTHD_LOG_LEVEL": "debug"}), logs, trusting(mail))

	a := s.signup(t, "ada@example.com")
	verify := awaitMail(t, mail, "ada@example.com", subjectVerify, 1)
	s.post(t, "/v1/auth/verify-email", map[string]any{"token": verify.Token + "x"}).wantProblem(t, http.StatusBadRequest, "verification_invalid")
	s.post(t, "/v1/auth/verify-email", map[string]any{"token": verify.Token}).wantStatus(t, http.StatusOK)
	s.post(t, "/v1/auth/verify-email", map[string]any{"token": verify.Token}).wantProblem(t, http.StatusBadRequest, "verification_invalid")

	s.post(t, "/v1/auth/password/forgot", map[string]any{"email": "ada@example.com"}).wantStatus(t, http.StatusAccepted)
	reset := awaitMail(t, mail, "ada@example.com", subjectReset, 1)
	s.post(t, "/v1/auth/password/reset", map[string]any{"email": "ada@example.com", "code": "000000", "newPassword": "a-Fresh-password-1"})
	s.post(t, "/v1/auth/password/reset", map[string]any{"email": "ada@example.com", "code": reset.Code, "newPassword": "short"}).
		wantProblem(t, http.StatusBadRequest, "validation_failed")
	s.post(t, "/v1/auth/password/reset", map[string]any{"email": "ada@example.com", "code": reset.Code, "newPassword": "a-Fresh-password-1"}).
		wantStatus(t, http.StatusNoContent)

	in := s.login(t, a.Email, "a-Fresh-password-1")
	s.post(t, "/v1/auth/email", map[string]any{"newEmail": "ada2@example.com", "currentPassword": "a-Fresh-password-1"}, bearer(in.AccessToken)).
		wantStatus(t, http.StatusAccepted)
	confirm := awaitMail(t, mail, "ada2@example.com", subjectConfirm, 1)
	s.post(t, "/v1/auth/email/confirm", map[string]any{"token": confirm.Token}).wantStatus(t, http.StatusOK)
	awaitMail(t, mail, "ada@example.com", subjectChanged, 1)
	s.stop() // flush everything the sender had to say

	secrets := []string{verify.Token, reset.Token, confirm.Token}
	codes := []string{verify.Code, reset.Code}
	lines := logs.lines()
	if len(lines) < 10 {
		t.Fatalf("only %d log lines were captured", len(lines))
	}
	for i, line := range lines {
		if !json.Valid([]byte(line)) {
			t.Fatalf("line %d is not one JSON object: %q", i, line)
		}
		for _, tok := range secrets {
			if strings.Contains(line, tok) {
				t.Fatalf("a token is in the log: %s", line)
			}
		}
		for _, code := range codes {
			if regexp.MustCompile(`(^|[^0-9A-Za-z.])` + code + `([^0-9A-Za-z]|$)`).MatchString(line) {
				t.Fatalf("a code is in the log: %s", line)
			}
		}
		if strings.Contains(line, "log mailer") || strings.Contains(line, "#token=") {
			t.Fatalf("a mail's content is in the log: %s", line)
		}
	}
}

// TestTheLogMailerWritesOneLinePerMessage: without SMTP, outside
// production, each message is one structured log line with its
// recipient, purpose, link and code, and those work.
func TestTheLogMailerWritesOneLinePerMessage(t *testing.T) {
	t.Parallel()
	logs := &logCapture{}
	s := startInstance(t, map[string]string{"AUTHD_APP_URL": appURL}, logs)
	s.signup(t, "ada@example.com")
	var line map[string]any
	waitFor(t, mailWait, "the log mailer's line", func() bool {
		for _, l := range logs.lines() {
			if strings.Contains(l, `"mail (log mailer, not sent)"`) {
				line = map[string]any{}
				return json.Unmarshal([]byte(l), &line) == nil
			}
		}
		return false
	})
	link, _ := line["link"].(string)
	code, _ := line["code"].(string)
	if line["to"] != "ada@example.com" || line["purpose"] != "verify_email" || !strings.HasPrefix(link, appURL+"/verify-email#token=") ||
		!regexp.MustCompile(`^[0-9]{6}$`).MatchString(code) {
		t.Fatalf("log mailer line %v", line)
	}
	s.post(t, "/v1/auth/verify-email", map[string]any{"email": "ada@example.com", "code": code}).wantStatus(t, http.StatusOK)
}
