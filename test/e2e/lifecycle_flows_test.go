package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/authd/authd/adapters/refreshtoken"
	"github.com/authd/authd/adapters/token"
)

func TestVerificationByLinkAndByCode(t *testing.T) {
	t.Parallel()
	mail := startMailServer(t)
	s := startServer(t, mailEnv(mail, nil), trusting(mail))

	// Optional mode: signup signs in and mails a verification.
	a := s.signup(t, "ada@example.com")
	if a.User.EmailVerified {
		t.Fatal("a new account is verified")
	}
	m := awaitMail(t, mail, "ada@example.com", subjectVerify, 1)
	if !m.TLS || m.AuthUser != "authd" || m.From != "no-reply@auth.example.com" || m.ContentType != "multipart/alternative" {
		t.Fatalf("tls=%v auth=%q from=%q type=%q", m.TLS, m.AuthUser, m.From, m.ContentType)
	}
	if !strings.HasPrefix(m.Link, appURL+"/verify-email#token=") || m.Token == "" || m.Code == "" ||
		!strings.Contains(m.HTML, `href="`+appURL+"/verify-email#token="+m.Token+`"`) || !strings.Contains(m.HTML, m.Code) {
		t.Fatalf("link %q token %q code %q\nhtml %s", m.Link, m.Token, m.Code, m.HTML)
	}
	u := s.post(t, "/v1/auth/verify-email", map[string]any{"token": m.Token}).userOf(t, http.StatusOK)
	if !u.EmailVerified || u.ID != a.User.ID {
		t.Fatalf("after verifying: %+v", u)
	}
	// Token and code die together.
	s.post(t, "/v1/auth/verify-email", map[string]any{"email": "ada@example.com", "code": m.Code}).
		wantProblem(t, http.StatusBadRequest, "verification_invalid")
	if !s.meUser(t, a.AccessToken).EmailVerified {
		t.Fatal("/me does not show the verification")
	}

	// Asking again by hand, and verifying with the code.
	b := s.signup(t, "bob@example.com")
	first := awaitMail(t, mail, "bob@example.com", subjectVerify, 1)
	s.post(t, "/v1/auth/verify-email/send", map[string]any{"email": "Bob@Example.com"}).wantStatus(t, http.StatusAccepted)
	second := awaitMail(t, mail, "bob@example.com", subjectVerify, 2)
	s.post(t, "/v1/auth/verify-email", map[string]any{"token": first.Token}).
		wantProblem(t, http.StatusBadRequest, "verification_invalid") // the newer one killed it
	u = s.post(t, "/v1/auth/verify-email", map[string]any{"email": "bob@example.com", "code": second.Code}).userOf(t, http.StatusOK)
	if !u.EmailVerified || u.ID != b.User.ID {
		t.Fatalf("after verifying by code: %+v", u)
	}
}

func TestFiveWrongCodesKillTheSecret(t *testing.T) {
	t.Parallel()
	mail := startMailServer(t)
	s := startServer(t, mailEnv(mail, nil), trusting(mail))
	s.signup(t, "ada@example.com")
	m := awaitMail(t, mail, "ada@example.com", subjectVerify, 1)
	wrong := []byte(m.Code)
	wrong[5] = '0' + (wrong[5]-'0'+1)%10
	for range 5 {
		s.post(t, "/v1/auth/verify-email", map[string]any{"email": "ada@example.com", "code": string(wrong)}).
			wantProblem(t, http.StatusBadRequest, "verification_invalid")
	}
	for _, body := range []map[string]any{{"email": "ada@example.com", "code": m.Code}, {"token": m.Token}} {
		s.post(t, "/v1/auth/verify-email", body).wantProblem(t, http.StatusBadRequest, "verification_invalid")
	}
}

func TestPasswordResetByCodeAndByLink(t *testing.T) {
	t.Parallel()
	mail := startMailServer(t)
	s := startServer(t, mailEnv(mail, map[string]string{"AUTHD_AUTH_EMAIL_VERIFICATION": "off"}), trusting(mail))
	a := s.signup(t, "ada@example.com")
	other := s.login(t, a.Email, a.Password)

	s.post(t, "/v1/auth/password/forgot", map[string]any{"email": "ada@example.com"}).wantStatus(t, http.StatusAccepted)
	m := awaitMail(t, mail, "ada@example.com", subjectReset, 1)
	if !strings.HasPrefix(m.Link, appURL+"/reset-password#token=") {
		t.Fatalf("link %q", m.Link)
	}
	// The password rules apply, and a refused password spends nothing.
	p := s.post(t, "/v1/auth/password/reset", map[string]any{"email": "ada@example.com", "code": m.Code, "newPassword": "short"}).
		wantProblem(t, http.StatusBadRequest, "validation_failed")
	if f := p.fields(); len(f) != 1 || f[0] != "newPassword" {
		t.Fatalf("fields %v", f)
	}
	const first = "reset-Password-one-11"
	s.post(t, "/v1/auth/password/reset", map[string]any{"email": "ada@example.com", "code": m.Code, "newPassword": first}).
		wantStatus(t, http.StatusNoContent)
	// Every session of the account ended; the email is now verified.
	s.wantRefused(t, a.AccessToken, "session_revoked")
	s.wantRefused(t, other.AccessToken, "session_revoked")
	s.refresh(t, other.RefreshToken).wantProblem(t, http.StatusUnauthorized, "session_revoked")
	s.do(t, http.MethodPost, "/v1/auth/login", map[string]any{"email": a.Email, "password": a.Password}).
		wantProblem(t, http.StatusUnauthorized, "invalid_credentials")
	in := s.login(t, a.Email, first)
	if !in.User.EmailVerified {
		t.Fatal("a reset did not verify the address")
	}
	s.post(t, "/v1/auth/password/reset", map[string]any{"token": m.Token, "newPassword": "another-Password-22"}).
		wantProblem(t, http.StatusBadRequest, "verification_invalid")

	// The link form.
	s.post(t, "/v1/auth/password/forgot", map[string]any{"email": "ada@example.com"}).wantStatus(t, http.StatusAccepted)
	m2 := awaitMail(t, mail, "ada@example.com", subjectReset, 2)
	s.post(t, "/v1/auth/password/reset", map[string]any{"token": m2.Token, "newPassword": "reset-Password-two-22"}).
		wantStatus(t, http.StatusNoContent)
	s.wantRefused(t, in.AccessToken, "session_revoked")
	s.login(t, a.Email, "reset-Password-two-22")
	// A reset token is no verification token.
	s.post(t, "/v1/auth/verify-email", map[string]any{"token": m2.Token}).wantProblem(t, http.StatusBadRequest, "verification_invalid")
}

func TestEmailChange(t *testing.T) {
	t.Parallel()
	mail := startMailServer(t)
	s := startServer(t, mailEnv(mail, map[string]string{"AUTHD_AUTH_EMAIL_VERIFICATION": "off"}), trusting(mail))
	a := s.signup(t, "ada@example.com")
	s.signup(t, "grace@example.com")
	other := s.login(t, a.Email, a.Password)
	change := func(newEmail, password string) response {
		return s.post(t, "/v1/auth/email", map[string]any{"newEmail": newEmail, "currentPassword": password}, bearer(a.AccessToken))
	}
	change("new@example.com", "wrong-Password-77").wantProblem(t, http.StatusUnauthorized, "invalid_credentials")
	change("GRACE@example.com", a.Password).wantProblem(t, http.StatusConflict, "email_taken")
	change("ada@example.com", a.Password).wantProblem(t, http.StatusBadRequest, "validation_failed")
	change("Ada.New@Example.com", a.Password).wantStatus(t, http.StatusAccepted)

	confirm := awaitMail(t, mail, "ada.new@example.com", subjectConfirm, 1)
	notice := awaitMail(t, mail, "ada@example.com", subjectChangeAsked, 1)
	if !strings.HasPrefix(confirm.Link, appURL+"/confirm-email#token=") || confirm.Code != "" ||
		!strings.Contains(notice.Text, "ada.new@example.com") || notice.Token != "" {
		t.Fatalf("confirmation %q code %q; notice %q", confirm.Link, confirm.Code, notice.Text)
	}
	if s.meUser(t, a.AccessToken).Email != "ada@example.com" {
		t.Fatal("the address changed before the confirmation")
	}
	u := s.post(t, "/v1/auth/email/confirm", map[string]any{"token": confirm.Token}).userOf(t, http.StatusOK)
	if u.Email != "ada.new@example.com" || !u.EmailVerified {
		t.Fatalf("after the confirmation: %+v", u)
	}
	done := awaitMail(t, mail, "ada@example.com", subjectChanged, 1)
	if !strings.Contains(done.Text, "ada.new@example.com") {
		t.Fatalf("notice of the change: %q", done.Text)
	}
	// Other sessions stay; the new address signs in, the old does not.
	if s.meUser(t, other.AccessToken).Email != "ada.new@example.com" {
		t.Fatal("another session ended or sees the old address")
	}
	s.login(t, "ada.new@example.com", a.Password)
	s.do(t, http.MethodPost, "/v1/auth/login", map[string]any{"email": "ada@example.com", "password": a.Password}).
		wantProblem(t, http.StatusUnauthorized, "invalid_credentials")
	s.post(t, "/v1/auth/email/confirm", map[string]any{"token": confirm.Token}).wantProblem(t, http.StatusBadRequest, "verification_invalid")
}

func TestRequiredVerification(t *testing.T) {
	t.Parallel()
	mail := startMailServer(t)
	s := startServer(t, mailEnv(mail, map[string]string{"AUTHD_AUTH_EMAIL_VERIFICATION": "required"}), trusting(mail))
	r := s.post(t, "/v1/auth/signup", signupBody("ada@example.com"))
	u := r.userOf(t, http.StatusCreated)
	if obj := r.object(t); len(obj) != 1 || r.Header.Get("Set-Cookie") != "" {
		t.Fatalf("required signup answered %s with cookies %q", r.Body, r.Header.Get("Set-Cookie"))
	}
	if u.EmailVerified {
		t.Fatal("verified at signup")
	}
	s.post(t, "/v1/auth/login", map[string]any{"email": "ada@example.com", "password": defaultPassword}).
		wantProblem(t, http.StatusForbidden, "email_not_verified")
	s.post(t, "/v1/auth/login", map[string]any{"email": "ada@example.com", "password": "wrong-Password-77"}).
		wantProblem(t, http.StatusUnauthorized, "invalid_credentials")
	m := awaitMail(t, mail, "ada@example.com", subjectVerify, 1)
	s.post(t, "/v1/auth/verify-email", map[string]any{"email": "ada@example.com", "code": m.Code}).userOf(t, http.StatusOK)
	if in := s.login(t, "ada@example.com", defaultPassword); !in.User.EmailVerified {
		t.Fatal("login after verifying shows an unverified user")
	}
}

func TestProfileUpdate(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	a := s.signup(t, "ada@example.com")
	u := s.do(t, http.MethodPatch, "/v1/auth/me", map[string]any{"fullName": "  Ada King "}, bearer(a.AccessToken)).userOf(t, http.StatusOK)
	if u.FullName != "Ada King" || s.meUser(t, a.AccessToken).FullName != "Ada King" {
		t.Fatalf("after the update: %+v", u)
	}
	s.do(t, http.MethodPatch, "/v1/auth/me", map[string]any{"fullName": "x", "role": "admin"}, bearer(a.AccessToken)).
		wantProblem(t, http.StatusBadRequest, "invalid_json")
	s.do(t, http.MethodPatch, "/v1/auth/me", map[string]any{"fullName": ""}, bearer(a.AccessToken)).
		wantProblem(t, http.StatusBadRequest, "validation_failed")
	s.do(t, http.MethodPatch, "/v1/auth/me", map[string]any{"fullName": "x"}).wantProblem(t, http.StatusUnauthorized, "unauthorized")
}

func TestMailIsRefusedWhenOffInProduction(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, err := token.GenerateKey(dir, "EdDSA"); err != nil {
		t.Fatal(err)
	}
	if _, err := refreshtoken.LoadOrCreateKey(dir, true); err != nil {
		t.Fatal(err)
	}
	s := startServer(t, map[string]string{"AUTHD_ENV": "production", envKeysDir: dir})
	for _, path := range []string{"/v1/auth/password/forgot", "/v1/auth/verify-email/send"} {
		r := s.post(t, path, map[string]any{"email": "ada@example.com"})
		r.wantProblem(t, http.StatusServiceUnavailable, "mail_disabled")
	}
	// Signup still works (optional mode mails nothing then).
	s.signup(t, "ada@example.com")
}
