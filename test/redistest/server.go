package redistest

import "testing"

// Server is a redis-server of one test's own, for tests that take the
// server away from under a client and bring it back (outages). It is
// removed when the test ends. It always runs redis-server locally, even
// when AUTHD_TEST_REDIS_URL is set, since an external server cannot be
// stopped.
type Server struct {
	t  testing.TB
	in *instance
}

// Start starts an empty server on a free loopback port.
func Start(t testing.TB) *Server {
	t.Helper()
	return start(t)
}

// StartDurable starts an empty server that keeps its data across Stop and
// Restart, as a production Redis with an append-only file does: every
// write is in the file before it is answered, so a kill loses nothing.
func StartDurable(t testing.TB) *Server {
	t.Helper()
	return start(t, "--appendonly", "yes", "--appendfsync", "always")
}

func start(t testing.TB, args ...string) *Server {
	t.Helper()
	in, err := newInstance(args...)
	if err != nil {
		t.Fatalf("redistest: this test needs Redis: %v", err)
	}
	t.Cleanup(func() {
		if err := in.remove(); err != nil {
			t.Errorf("redistest: remove server: %v", err)
		}
	})
	return &Server{t: t, in: in}
}

// URL returns the server's redis://127.0.0.1:PORT/0 URL. The port stays
// the same across Stop and Restart, so clients find the server again.
func (s *Server) URL() string { return s.in.url().String() }

// Stop kills the server, as a crash would: clients get connection errors
// until Restart. Stopping a stopped server does nothing.
func (s *Server) Stop() { s.in.halt() }

// Restart starts the server again on the same port, stopping it first if
// it runs. A server of Start comes back empty; one of StartDurable with
// everything it had acknowledged.
func (s *Server) Restart() {
	s.t.Helper()
	s.in.halt()
	if err := s.in.run(); err != nil {
		s.t.Fatalf("redistest: restart server: %v", err)
	}
}
