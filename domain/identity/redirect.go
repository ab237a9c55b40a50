package identity

import (
	"errors"
	"net/url"
	"strings"
)

// ErrRedirectNotAllowed means a front-end URL is not one a flow may
// return to.
var ErrRedirectNotAllowed = errors.New("identity: redirect not allowed")

// RedirectAllowlist holds the front-end URLs a flow may return to. A
// candidate must equal one of them in scheme, host, port and path; it may
// add a query string but never a fragment (the flow's result goes there),
// and never user information.
type RedirectAllowlist struct {
	entries map[redirectKey]bool
}

// redirectKey is the part of a URL the allow-list compares.
type redirectKey struct{ scheme, host, port, path string }

// NewRedirectAllowlist checks every entry (an absolute http or https URL
// without query, fragment or user information).
func NewRedirectAllowlist(urls []string) (RedirectAllowlist, error) {
	l := RedirectAllowlist{entries: map[redirectKey]bool{}}
	for _, raw := range urls {
		u, key, err := parseRedirect(raw)
		if err != nil || u.RawQuery != "" || u.ForceQuery {
			return RedirectAllowlist{}, errors.New("identity: an allowed redirect must be an absolute http(s) URL without query, fragment or user information")
		}
		l.entries[key] = true
	}
	return l, nil
}

// Allow returns raw when a flow may return to it, else
// ErrRedirectNotAllowed.
func (l RedirectAllowlist) Allow(raw string) (string, error) {
	_, key, err := parseRedirect(raw)
	if err != nil || !l.entries[key] {
		return "", ErrRedirectNotAllowed
	}
	return raw, nil
}

// parseRedirect reads an absolute http(s) URL and its comparison key. It
// refuses what browsers and servers might read differently: fragments,
// user information, backslashes, control characters and white space.
func parseRedirect(raw string) (*url.URL, redirectKey, error) {
	bad := errors.New("not an acceptable redirect")
	if raw == "" || len(raw) > 2048 || strings.ContainsAny(raw, "#\\ \t\r\n") || strings.ContainsFunc(raw, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return nil, redirectKey{}, bad
	}
	u, err := url.Parse(raw)
	if err != nil || u.Opaque != "" || u.User != nil || u.Host == "" || u.Fragment != "" {
		return nil, redirectKey{}, bad
	}
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	switch {
	case scheme == "https" && port == "":
		port = "443"
	case scheme == "http" && port == "":
		port = "80"
	case scheme != "http" && scheme != "https":
		return nil, redirectKey{}, bad
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	return u, redirectKey{scheme: scheme, host: strings.ToLower(u.Hostname()), port: port, path: path}, nil
}

// FrontEndURL is redirectTo with the flow's result in its fragment, as
// key=value ("code", "linked" or "error"). The fragment never reaches a
// server: not the front end's, not a Referer.
func FrontEndURL(redirectTo, key, value string) string {
	return redirectTo + "#" + key + "=" + url.QueryEscape(value)
}
