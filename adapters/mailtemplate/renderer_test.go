package mailtemplate_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authd/authd/adapters/mailtemplate"
	"github.com/authd/authd/ports/outbound"
)

var content = outbound.MailContent{
	Link: "https://app.example.com/reset-password#token=abcDEF_-123", Code: "042137",
	ExpiresAt: time.Date(2031, 3, 4, 5, 6, 0, 0, time.UTC),
}

func TestEveryPurposeRendersFromTheEmbeddedTemplates(t *testing.T) {
	r, err := mailtemplate.New("")
	if err != nil {
		t.Fatal(err)
	}
	subjects := map[string]bool{}
	for _, p := range outbound.MailPurposes {
		c := content
		c.NewEmail = "new@example.com"
		m, err := r.Render(p, "ada@example.com", c)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if m.Subject == "" || strings.Contains(m.Subject, "\n") || subjects[m.Subject] {
			t.Fatalf("%s: subject %q (each purpose has its own one-line subject)", p, m.Subject)
		}
		subjects[m.Subject] = true
		if !strings.Contains(m.Text, "ada@example.com") || !strings.Contains(m.HTML, "ada@example.com") || !strings.Contains(m.HTML, "<html>") {
			t.Fatalf("%s: bodies do not name the recipient:\n%s\n%s", p, m.Text, m.HTML)
		}
	}
	m, err := r.Render(outbound.MailResetPassword, "ada@example.com", content)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{content.Link, content.Code, "Tue, 04 Mar 2031 05:06 UTC"} {
		if !strings.Contains(m.Text, want) || !strings.Contains(m.HTML, want) {
			t.Fatalf("the reset mail lacks %q:\n%s\n%s", want, m.Text, m.HTML)
		}
	}
	if m.Subject != "Reset your password" {
		t.Fatalf("subject %q", m.Subject)
	}
}

func TestTheHTMLBodyEscapesValues(t *testing.T) {
	r, err := mailtemplate.New("")
	if err != nil {
		t.Fatal(err)
	}
	m, err := r.Render(outbound.MailEmailChanged, `"><script>x</script>@example.com`, outbound.MailContent{NewEmail: "<b>n</b>@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(m.HTML, "<script>") || strings.Contains(m.HTML, "<b>n</b>") {
		t.Fatalf("unescaped value in HTML:\n%s", m.HTML)
	}
}

func TestTemplatesAreOverriddenFromTheDirectory(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "reset_password.subject.txt", "Password help\nBcc: evil@example.com")
	write(t, dir, "reset_password.txt", "Code {{.Code}} at {{.Link}}")
	r, err := mailtemplate.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	m, err := r.Render(outbound.MailResetPassword, "ada@example.com", content)
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "Password help Bcc: evil@example.com" || m.Text != "Code 042137 at "+content.Link {
		t.Fatalf("overridden: subject %q text %q", m.Subject, m.Text)
	}
	if !strings.Contains(m.HTML, "Reset my password") {
		t.Fatal("the HTML body that was not overridden is gone")
	}
}

func TestBadTemplatesFailAtStartup(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "verify_email.html", "{{.Link")
	if _, err := mailtemplate.New(dir); err == nil {
		t.Fatal("a template that does not parse was accepted")
	}
	if _, err := mailtemplate.New(filepath.Join(dir, "missing")); err == nil {
		t.Fatal("a missing templates dir was accepted")
	}
	bad := t.TempDir()
	write(t, bad, "email_changed.txt", "{{.Nope}}")
	r, err := mailtemplate.New(bad)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Render(outbound.MailEmailChanged, "a@example.com", outbound.MailContent{}); err == nil {
		t.Fatal("a template naming an unknown field rendered")
	}
}

func write(t *testing.T, dir, name, body string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}
