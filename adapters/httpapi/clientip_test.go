package httpapi

import (
	"fmt"
	"net"
	"net/http"
	"strings"
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
			if got := hs.f.login.last().Client.IP; got != tc.want {
				t.Errorf("client IP = %q, want %q", got, tc.want)
			}
			if got := hs.logs.FilterMessage("request").All()[0].ContextMap()["client_ip"]; got != tc.want {
				t.Errorf("logged client IP = %v, want %q", got, tc.want)
			}
		})
	}
}

// fuzzProxies are the trusted proxies of FuzzClientIP.
var fuzzProxies = []string{"10.0.0.0/8", "2001:db8:ffff::/48", "192.0.2.1"}

// FuzzClientIP sends random X-Forwarded-For values from trusted and
// untrusted peers. From an untrusted peer the client IP is always the peer.
// From a trusted peer it is the peer or an address taken from the header:
// the right-most hop that is not a trusted proxy, with only well-formed
// trusted proxies to its right, or the left-most hop when every hop is a
// trusted proxy. Never garbage, never a proxy hiding an untrusted hop.
func FuzzClientIP(f *testing.F) {
	for _, xff := range []string{
		"", "198.51.100.7", "1.2.3.4, 198.51.100.7", "1.2.3.4, 198.51.100.7, 10.0.0.9", "10.0.0.1, 10.0.0.2",
		"garbage", "1.2.3.4, garbage, 10.0.0.9", "::ffff:10.0.0.1", "2001:db8:ffff::1, 2001:db8::7", " , ,",
		"fe80::1%eth0", "1.2.3.4\n, 5.6.7.8", "01.2.3.4", "192.0.2.1,192.0.2.1", "[2001:db8::1]:80",
	} {
		for kind := range uint8(4) {
			f.Add(xff, kind, uint8(7))
		}
	}
	trusted := parseCIDRs(f, fuzzProxies)
	f.Fuzz(func(t *testing.T, xff string, kind, host uint8) {
		peer, peerIP := fuzzPeer(kind, host)
		opts := bodyOpts()
		opts.TrustedProxies = fuzzProxies
		hs := newHarness(t, opts)
		r := jsonRequest(http.MethodPost, "/v1/auth/login", `{"email":"a@b.c","password":"p"}`)
		r.RemoteAddr = peer
		r.Header["X-Forwarded-For"] = []string{xff}
		if rec := hs.do(r); rec.Code != http.StatusOK {
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		got := hs.f.login.last().Client.IP
		if got == peerIP {
			return
		}
		if !isTrusted(trusted, peerIP) {
			t.Fatalf("untrusted peer %s: client IP %q taken from %q", peerIP, got, xff)
		}
		ip := net.ParseIP(got)
		if ip == nil || strings.ContainsAny(got, " ,\t\r\n") {
			t.Fatalf("client IP %q is not an IP (header %q)", got, xff)
		}
		if !chosenHop(trusted, strings.Split(xff, ","), got) {
			t.Fatalf("client IP %q is not the right-most untrusted hop of %q", got, xff)
		}
	})
}

// fuzzPeer picks a trusted or untrusted IPv4 or IPv6 peer.
func fuzzPeer(kind, host uint8) (remoteAddr, ip string) {
	switch kind % 4 {
	case 0:
		ip = fmt.Sprintf("10.0.0.%d", host)
	case 1:
		ip = fmt.Sprintf("2001:db8:ffff::%x", host)
	case 2:
		ip = fmt.Sprintf("203.0.113.%d", host)
	default:
		ip = fmt.Sprintf("2001:db8:1::%x", host)
	}
	return net.JoinHostPort(ip, "4242"), net.ParseIP(ip).String()
}

// chosenHop reports whether got is hops[i] for some i such that every hop
// right of i is a well-formed trusted proxy, and got is either untrusted or
// the left-most hop.
func chosenHop(trusted []*net.IPNet, hops []string, got string) bool {
	for i := len(hops) - 1; i >= 0; i-- {
		hop := strings.TrimSpace(hops[i])
		if hop == got && (i == 0 || !isTrusted(trusted, hop)) {
			return true
		}
		if net.ParseIP(hop) == nil || !isTrusted(trusted, hop) {
			return false
		}
	}
	return false
}

func isTrusted(trusted []*net.IPNet, s string) bool {
	ip := net.ParseIP(s)
	for _, n := range trusted {
		if ip != nil && n.Contains(ip) {
			return true
		}
	}
	return false
}

func parseCIDRs(tb testing.TB, list []string) []*net.IPNet {
	var out []*net.IPNet
	for _, s := range list {
		if !strings.Contains(s, "/") {
			s += "/32"
		}
		_, n, err := net.ParseCIDR(s)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, n)
	}
	return out
}
