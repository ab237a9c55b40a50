package e2e

import (
	"bytes"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
)

// pgProxy relays TCP between authd and PostgreSQL, and can lose the answer
// to the next COMMIT: it forwards the COMMIT to the server, which commits,
// then cuts the connection before the server's answer reaches authd, as a
// network that fails at the wrong moment would.
type pgProxy struct {
	ln       net.Listener
	target   string
	loseNext atomic.Bool
	lost     chan struct{} // receives once per answer lost

	mu    sync.Mutex
	conns []net.Conn
}

func newPGProxy(t *testing.T, target string) *pgProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &pgProxy{ln: ln, target: target, lost: make(chan struct{}, 8)}
	t.Cleanup(func() {
		_ = ln.Close()
		p.mu.Lock()
		defer p.mu.Unlock()
		for _, c := range p.conns {
			_ = c.Close()
		}
	})
	go p.accept()
	return p
}

func (p *pgProxy) addr() string { return p.ln.Addr().String() }

func (p *pgProxy) accept() {
	for {
		client, err := p.ln.Accept()
		if err != nil {
			return
		}
		server, err := net.Dial("tcp", p.target)
		if err != nil {
			_ = client.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, client, server)
		p.mu.Unlock()
		var cut atomic.Bool
		go p.relayClient(client, server, &cut)
		go func() {
			buf := make([]byte, 32<<10)
			for {
				n, err := server.Read(buf)
				if n > 0 && !cut.Load() {
					if _, werr := client.Write(buf[:n]); werr != nil {
						return
					}
				}
				if err != nil || cut.Load() {
					_ = client.Close()
					return
				}
			}
		}()
	}
}

// relayClient forwards authd's bytes; when the answer to a rotation's
// COMMIT is to be lost, it marks the connection cut as it forwards the
// COMMIT, so that nothing the server sends after it reaches authd, and
// closes authd's end.
func (p *pgProxy) relayClient(client, server net.Conn, cut *atomic.Bool) {
	buf := make([]byte, 32<<10)
	// rotating is true once the transaction open on this connection has
	// locked or updated a session: only the COMMIT of a rotation is lost,
	// never one of the background work (mail, cleanup) that shares the
	// pool. It starts over at every BEGIN, so that a statement outside a
	// transaction (a cleanup's DELETE ... FOR UPDATE) marks nothing.
	rotating := false
	for {
		n, err := client.Read(buf)
		if n > 0 {
			lower := bytes.ToLower(buf[:n])
			if bytes.Contains(lower, []byte("begin")) {
				rotating = false
			}
			if bytes.Contains(lower, []byte("update")) && bytes.Contains(lower, []byte("sessions")) &&
				!bytes.Contains(lower, []byte("delete")) {
				rotating = true
			}
			commit := bytes.Contains(lower, []byte("commit")) && rotating
			if commit {
				rotating = false
			}
			if commit && p.loseNext.CompareAndSwap(true, false) {
				// Told first: either relay may close authd's end from here
				// on, and the test, woken by authd's answer, must find it.
				p.lost <- struct{}{}
				cut.Store(true)
				_, _ = server.Write(buf[:n])
				_ = client.Close()
				// The server's end stays open until it has answered,
				// so the COMMIT is not aborted by a hang-up.
				_, _ = io.Copy(io.Discard, server)
				return
			}
			if _, werr := server.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			_ = server.Close()
			return
		}
	}
}
