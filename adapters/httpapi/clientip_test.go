package httpapi

import (
	"net/http"
	"testing"
)

// TestClientIP: X-Forwarded-For is believed only from a trusted peer, and
// then only up to the right-most hop that is not itself a trusted proxy.
func TestClientIP(t *testing.T) {
	cases := []struct {
		name    string
		trusted []string
		peer    string
		xff     string
		want    string
	}{
		{"no proxies, spoofed header", nil, "203.0.113.9:5000", "1.2.3.4", "203.0.113.9"},
		{"untrusted peer, spoofed header", []string{"10.0.0.0/8"}, "203.0.113.9:5000", "1.2.3.4, 10.0.0.1", "203.0.113.9"},
		{"trusted peer", []string{"10.0.0.0/8"}, "10.0.0.5:5000", "198.51.100.7", "198.51.100.7"},
		{"trusted peer, client spoofs a prefix", []string{"10.0.0.0/8"}, "10.0.0.5:5000", "1.2.3.4, 198.51.100.7", "198.51.100.7"},
		{"trusted chain", []string{"10.0.0.0/8"}, "10.0.0.5:5000", "1.2.3.4, 198.51.100.7, 10.0.0.9", "198.51.100.7"},
		{"trusted single IP", []string{"10.0.0.5"}, "10.0.0.5:5000", "198.51.100.7", "198.51.100.7"},
		{"trusted peer, garbage header", []string{"10.0.0.0/8"}, "10.0.0.5:5000", "not-an-ip", "10.0.0.5"},
		{"ipv6 peer", nil, "[2001:db8::1]:5000", "1.2.3.4", "2001:db8::1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opts := bodyOpts()
			opts.TrustedProxies = tc.trusted
			hs := newHarness(t, opts)
			r := jsonRequest(http.MethodPost, "/v1/auth/login", `{"email":"a@b.c","password":"p"}`)
			r.RemoteAddr = tc.peer
			r.Header.Set("X-Forwarded-For", tc.xff)
			r.Header.Set("X-Real-IP", "5.6.7.8") // never consulted
			hs.do(r)
			if got := hs.f.loginCmd.Client.IP; got != tc.want {
				t.Errorf("client IP = %q, want %q", got, tc.want)
			}
			if got := hs.logs.FilterMessage("request").All()[0].ContextMap()["client_ip"]; got != tc.want {
				t.Errorf("logged client IP = %v, want %q", got, tc.want)
			}
		})
	}
}
