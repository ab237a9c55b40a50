// Package mailtemplate renders authd's mail from templates embedded in the
// binary, each of which an operator may override with a file of the same
// name in mail.templates_dir. Every purpose has three files: its subject
// (<purpose>.subject.txt), its text body (<purpose>.txt, text/template)
// and its HTML body (<purpose>.html, html/template, which escapes every
// value for its context).
package mailtemplate

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/authd/authd/ports/outbound"
)

//go:embed templates/*
var embedded embed.FS

// Renderer holds the parsed templates of every purpose.
type Renderer struct {
	byPurpose map[outbound.MailPurpose]set
}

type set struct {
	subject *texttemplate.Template
	text    *texttemplate.Template
	html    *htmltemplate.Template
}

var _ outbound.MailRenderer = (*Renderer)(nil)

// Data is what a template sees.
type Data struct {
	// To is the recipient's address.
	To string
	// Link is <link base>#token=<token>; Code the 6-digit code. Both are
	// empty for a notice, Code also for an email change.
	Link string
	Code string
	// NewEmail is the new address of an email change.
	NewEmail string
	// ExpiresAt is when the link and code stop working, and Expires the
	// same as text ("Mon, 02 Jan 2006 15:04 UTC").
	ExpiresAt time.Time
	Expires   string
}

// New parses the embedded templates, each replaced by the file of the same
// name in dir when dir is set and holds one. A template that does not
// parse, or an unreadable dir, fails here, at startup.
func New(dir string) (*Renderer, error) {
	if dir != "" {
		if info, err := os.Stat(dir); err != nil || !info.IsDir() {
			return nil, fmt.Errorf("mailtemplate: templates dir %s is not a readable directory", dir)
		}
	}
	r := &Renderer{byPurpose: map[outbound.MailPurpose]set{}}
	for _, p := range outbound.MailPurposes {
		var s set
		var err error
		name := string(p)
		if s.subject, err = parseText(dir, name+".subject.txt"); err != nil {
			return nil, err
		}
		if s.text, err = parseText(dir, name+".txt"); err != nil {
			return nil, err
		}
		if s.html, err = parseHTML(dir, name+".html"); err != nil {
			return nil, err
		}
		r.byPurpose[p] = s
	}
	return r, nil
}

// source reads a template: the override when dir holds it, else the
// embedded one.
func source(dir, name string) (string, error) {
	if dir != "" {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err == nil {
			return string(b), nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("mailtemplate: read %s: %w", name, err)
		}
	}
	b, err := embedded.ReadFile("templates/" + name)
	if err != nil {
		return "", fmt.Errorf("mailtemplate: no template %s: %w", name, err)
	}
	return string(b), nil
}

func parseText(dir, name string) (*texttemplate.Template, error) {
	src, err := source(dir, name)
	if err != nil {
		return nil, err
	}
	t, err := texttemplate.New(name).Option("missingkey=error").Parse(src)
	if err != nil {
		return nil, fmt.Errorf("mailtemplate: %w", err)
	}
	return t, nil
}

func parseHTML(dir, name string) (*htmltemplate.Template, error) {
	src, err := source(dir, name)
	if err != nil {
		return nil, err
	}
	t, err := htmltemplate.New(name).Option("missingkey=error").Parse(src)
	if err != nil {
		return nil, fmt.Errorf("mailtemplate: %w", err)
	}
	return t, nil
}

// Render fills the purpose's templates. The subject is one line: line
// breaks a template may produce are folded into spaces, so no value can
// start a header of its own.
func (r *Renderer) Render(p outbound.MailPurpose, to string, c outbound.MailContent) (outbound.RenderedMail, error) {
	s, ok := r.byPurpose[p]
	if !ok {
		return outbound.RenderedMail{}, fmt.Errorf("mailtemplate: no templates for purpose %q", p)
	}
	d := Data{To: to, Link: c.Link, Code: c.Code, NewEmail: c.NewEmail, ExpiresAt: c.ExpiresAt}
	if !c.ExpiresAt.IsZero() {
		d.Expires = c.ExpiresAt.UTC().Format("Mon, 02 Jan 2006 15:04 UTC")
	}
	var subject, text, html bytes.Buffer
	if err := s.subject.Execute(&subject, d); err != nil {
		return outbound.RenderedMail{}, fmt.Errorf("mailtemplate: %s subject: %w", p, err)
	}
	if err := s.text.Execute(&text, d); err != nil {
		return outbound.RenderedMail{}, fmt.Errorf("mailtemplate: %s text: %w", p, err)
	}
	if err := s.html.Execute(&html, d); err != nil {
		return outbound.RenderedMail{}, fmt.Errorf("mailtemplate: %s html: %w", p, err)
	}
	return outbound.RenderedMail{
		Subject: strings.Join(strings.Fields(subject.String()), " "),
		Text:    text.String(),
		HTML:    html.String(),
	}, nil
}
