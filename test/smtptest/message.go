package smtptest

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"time"
)

// Message is one message the server accepted, as a receiving server saw it.
type Message struct {
	From string
	To   []string
	// Raw is the message as transmitted after DATA.
	Raw []byte
	// Header is its parsed header; Subject its decoded subject.
	Header  mail.Header
	Subject string
	// ContentType is the top-level media type (multipart/alternative).
	ContentType string
	// Text and HTML are the decoded bodies of the two alternatives.
	Text string
	HTML string
	// TLS is whether the session was encrypted (STARTTLS or implicit).
	TLS bool
	// AuthUser is who authenticated, or "".
	AuthUser string
	// At is when the server accepted the message.
	At time.Time
}

// parse fills the header and bodies from Raw. A message it cannot parse
// keeps only Raw: tests then fail on the missing parts.
func (m *Message) parse() {
	msg, err := mail.ReadMessage(bytes.NewReader(m.Raw))
	if err != nil {
		return
	}
	m.Header = msg.Header
	dec := new(mime.WordDecoder)
	if s, err := dec.DecodeHeader(msg.Header.Get("Subject")); err == nil {
		m.Subject = s
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		return
	}
	m.ContentType = mt
	if !strings.HasPrefix(mt, "multipart/") {
		m.Text = decodePart(msg.Body, msg.Header.Get("Content-Transfer-Encoding"))
		return
	}
	r := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := r.NextRawPart()
		if err != nil {
			return
		}
		body := decodePart(p, p.Header.Get("Content-Transfer-Encoding"))
		switch ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type")); ct {
		case "text/plain":
			m.Text = body
		case "text/html":
			m.HTML = body
		}
	}
}

func decodePart(r io.Reader, encoding string) string {
	switch strings.ToLower(encoding) {
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, &newlineStripper{r: r})
	}
	b, _ := io.ReadAll(r)
	return string(b)
}

// newlineStripper drops CR and LF, which base64 bodies carry every 76
// characters.
type newlineStripper struct{ r io.Reader }

func (s *newlineStripper) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	out := p[:0]
	for _, c := range p[:n] {
		if c != '\r' && c != '\n' {
			out = append(out, c)
		}
	}
	return len(out), err
}
