package config

import (
	"maps"
	"strings"
	"testing"
)

func prodEnv(extra map[string]string) map[string]string {
	vars := map[string]string{"AUTHD_ENV": "production", "AUTHD_DATABASE_URL": pgURL}
	maps.Copy(vars, extra)
	return vars
}

func TestMailTransportFollowsTheEnvironmentAndSMTPURL(t *testing.T) {
	for _, tc := range []struct {
		vars map[string]string
		want MailTransport
	}{
		{map[string]string{}, MailLog},
		{map[string]string{"AUTHD_ENV": "test"}, MailLog},
		{map[string]string{"AUTHD_MAIL_SMTP_URL": "smtp://127.0.0.1:25?starttls=off", "AUTHD_MAIL_FROM": "a@example.com"}, MailSMTP},
		{prodEnv(nil), MailOff},
		{prodEnv(map[string]string{
			"AUTHD_MAIL_SMTP_URL": "smtps://mail.example.com", "AUTHD_MAIL_FROM": "a@example.com", "AUTHD_APP_URL": "https://app.example.com",
		}), MailSMTP},
	} {
		if got := mustLoad(t, "", tc.vars).MailTransport(); got != tc.want {
			t.Errorf("%v: transport %q, want %q", tc.vars, got, tc.want)
		}
	}
}

func TestLinksExpandAppURL(t *testing.T) {
	links := mustLoad(t, "", nil).ResolvedLinks()
	if links != (Links{
		VerifyEmail: "http://localhost:3000/verify-email", ResetPassword: "http://localhost:3000/reset-password",
		ConfirmEmailChange: "http://localhost:3000/confirm-email",
	}) {
		t.Fatalf("default links %+v", links)
	}
	cfg := mustLoad(t, "", map[string]string{"AUTHD_APP_URL": "https://example.com/app/", "AUTHD_LINKS_RESET_PASSWORD": "https://id.example.com/reset"})
	links = cfg.ResolvedLinks()
	if links.VerifyEmail != "https://example.com/app/verify-email" || links.ResetPassword != "https://id.example.com/reset" {
		t.Fatalf("links %+v", links)
	}
	if mustLoad(t, "", nil).MailFrom() == "" {
		t.Fatal("the log mailer has no sender")
	}
}

func TestMailRulesBetweenSettings(t *testing.T) {
	smtp := map[string]string{"AUTHD_MAIL_SMTP_URL": "smtp://u:hunter2@mail.example.com", "AUTHD_MAIL_FROM": "a@example.com"}
	for name, tc := range map[string]struct {
		vars map[string]string
		key  string
	}{
		"smtp without a sender":       {map[string]string{"AUTHD_MAIL_SMTP_URL": "smtp://mail.example.com"}, "mail.from"},
		"sender not an address":       {map[string]string{"AUTHD_MAIL_FROM": "authd"}, "mail.from"},
		"required without mail":       {prodEnv(map[string]string{"AUTHD_AUTH_EMAIL_VERIFICATION": "required"}), "auth.email_verification"},
		"production smtp without app": {prodEnv(smtp), "app.url"},
		"app url with a fragment":     {map[string]string{"AUTHD_APP_URL": "https://app.example.com/#x"}, "app.url"},
		"app url not http":            {map[string]string{"AUTHD_APP_URL": "ftp://app.example.com"}, "app.url"},
		"link with a fragment":        {map[string]string{"AUTHD_LINKS_VERIFY_EMAIL": "https://a.example.com/v#token="}, "links.verify_email"},
		"link relative":               {map[string]string{"AUTHD_LINKS_RESET_PASSWORD": "/reset"}, "links.reset_password"},
		"link empty":                  {map[string]string{"AUTHD_LINKS_CONFIRM_EMAIL_CHANGE": " "}, "links.confirm_email_change"},
		"smtp url scheme":             {map[string]string{"AUTHD_MAIL_SMTP_URL": "http://u:hunter2@mail.example.com"}, "mail.smtp_url"},
		"smtp url parameter":          {map[string]string{"AUTHD_MAIL_SMTP_URL": "smtp://u:hunter2@h?tls=yes"}, "mail.smtp_url"},
		"smtp url starttls value":     {map[string]string{"AUTHD_MAIL_SMTP_URL": "smtp://u:hunter2@h?starttls=maybe"}, "mail.smtp_url"},
		"smtps with starttls":         {map[string]string{"AUTHD_MAIL_SMTP_URL": "smtps://u:hunter2@h?starttls=off"}, "mail.smtp_url"},
		"max attempts zero":           {map[string]string{"AUTHD_MAIL_MAX_ATTEMPTS": "0"}, "mail.max_attempts"},
		"verification mode misspelt":  {map[string]string{"AUTHD_AUTH_EMAIL_VERIFICATION": "Required"}, "auth.email_verification"},
		"reset ttl without a unit":    {map[string]string{"AUTHD_AUTH_RESET_TTL": "30"}, "auth.reset_ttl"},
		"address budget not a rate":   {map[string]string{"AUTHD_RATELIMIT_MAIL_PER_ADDRESS": "5"}, "ratelimit.mail_per_address"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := LoadFrom("", env(tc.vars))
			if err == nil || !strings.HasPrefix(err.Error(), "config: "+tc.key+": ") {
				t.Fatalf("err = %v, want one naming %s", err, tc.key)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Fatalf("the error shows the SMTP password: %v", err)
			}
		})
	}
	// Production with SMTP and a front end is fine, and the password is
	// masked in the startup dump.
	cfg := mustLoad(t, "", prodEnv(map[string]string{
		"AUTHD_MAIL_SMTP_URL": "smtp://u:hunter2@mail.example.com", "AUTHD_MAIL_FROM": "a@example.com",
		"AUTHD_APP_URL": "https://app.example.com", "AUTHD_AUTH_EMAIL_VERIFICATION": "required",
	}))
	if got := cfg.Masked()["mail.smtp_url"]; got != "smtp://u:***@mail.example.com" {
		t.Fatalf("masked smtp url %v", got)
	}
}
