package e2e

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authd/authd/test/smtptest"
)

// Load runs of the mail flows, measured and reported, never asserted:
//
//	go test -run '^$' -bench Mail -benchtime 1x ./test/e2e/
//
// Each starts PostgreSQL, authd and a local SMTP server (plain SMTP on
// 127.0.0.1, so the numbers are authd's, not TLS handshakes').

// seedUsers adds n accounts prefix0000@example.com... straight into the
// database, copies of one signed-up account: the runs are about mail.
func seedUsers(b *testing.B, s *server, prefix string, n int) {
	b.Helper()
	seed := prefix + "-seed@example.com"
	s.signup(b, seed)
	execSQL(b, s.openDB(b), `INSERT INTO users (id, email, full_name, role, password_hash, created_at, updated_at)
		SELECT gen_random_uuid(), $1 || lpad(g::text, 4, '0') || '@example.com', 'Load', 'user', u.password_hash, now(), now()
		FROM generate_series(0, $2 - 1) g, users u WHERE u.email = $3`, prefix, n, seed)
}

// address is the i-th seeded address of prefix.
func address(prefix string, i int) string { return fmt.Sprintf("%s%04d@example.com", prefix, i) }

// sscanAddress reads the number back out of a seeded address.
func sscanAddress(addr string, i *int) (int, error) {
	at := strings.IndexByte(addr, '@')
	if at < 4 {
		return 0, fmt.Errorf("not a seeded address: %s", addr)
	}
	return fmt.Sscanf(addr[at-4:at], "%04d", i)
}

// ms returns the q-quantile of durations, in milliseconds.
func ms(d []time.Duration, q float64) float64 {
	s := slices.Clone(d)
	slices.Sort(s)
	return float64(s[int(q*float64(len(s)-1))].Microseconds()) / 1000
}

// forgot posts one password/forgot and returns when it was sent and how
// long the answer took.
func forgot(b *testing.B, s *server, email string) (time.Time, time.Duration) {
	start := time.Now()
	res, err := s.client.Post(s.URL+"/v1/auth/password/forgot", "application/json", strings.NewReader(`{"email":"`+email+`"}`))
	took := time.Since(start)
	if err != nil {
		b.Error(err)
		return start, took
	}
	res.Body.Close()
	if res.StatusCode != http.StatusAccepted {
		b.Errorf("forgot answered %d", res.StatusCode)
	}
	return start, took
}

func loadServer(b *testing.B) (*server, *smtptest.Server) {
	b.Helper()
	mail := smtptest.Start(b, smtptest.Options{})
	s := startInstance(b, mailEnv(mail, map[string]string{
		"AUTHD_MAIL_SMTP_URL": mail.URL("starttls=off"), "AUTHD_AUTH_EMAIL_VERIFICATION": "off",
	}), nil)
	return s.server, mail
}

// BenchmarkMailForgotKnownVsUnknown: 200 requests for addresses with an
// account and 200 for addresses without, interleaved, one at a time.
// Either way the request does one unit of work that records the request
// in the audit trail; for an account it also writes the secret and the
// outbox row in the same commit. No SMTP exchange happens in a request.
func BenchmarkMailForgotKnownVsUnknown(b *testing.B) {
	const n = 200
	s, mail := loadServer(b)
	seedUsers(b, s, "known", n)
	for range b.N {
		// A warm-up pair, so both kinds start on warm connections.
		forgot(b, s, address("known", 0))
		forgot(b, s, "warmup@example.com")
		var known, unknown []time.Duration
		for i := range n {
			_, k := forgot(b, s, address("known", i))
			_, u := forgot(b, s, address("nobody", i))
			known, unknown = append(known, k), append(unknown, u)
		}
		b.ReportMetric(ms(known, 0.5), "known-p50-ms")
		b.ReportMetric(ms(known, 0.9), "known-p90-ms")
		b.ReportMetric(ms(unknown, 0.5), "unknown-p50-ms")
		b.ReportMetric(ms(unknown, 0.9), "unknown-p90-ms")
		mail.WaitFor(b, n+1, time.Minute)
	}
}

// BenchmarkMailUnderConcurrentForgot: 50 clients at once send forgot
// requests for distinct accounts as fast as they are answered, 50 in all
// (one each) and 1000 in all; it reports the rate of requests answered and
// of mails delivered to the SMTP server, and the delay from each request's
// start to its message's arrival.
func BenchmarkMailUnderConcurrentForgot(b *testing.B) {
	for _, n := range []int{50, 1000} {
		b.Run(fmt.Sprintf("requests=%d", n), func(b *testing.B) { concurrentForgot(b, 50, n) })
	}
}

func concurrentForgot(b *testing.B, clients, n int) {
	s, mail := loadServer(b)
	seedUsers(b, s, "load", n)
	for range b.N {
		sent := make([]time.Time, n)
		next := make(chan int)
		var wg sync.WaitGroup
		begin := time.Now()
		for range clients {
			wg.Go(func() {
				for i := range next {
					sent[i], _ = forgot(b, s, address("load", i))
				}
			})
		}
		for i := range n {
			next <- i
		}
		close(next)
		wg.Wait()
		answered := time.Since(begin)
		got := mail.WaitFor(b, n, 5*time.Minute)
		var delays []time.Duration
		last := begin
		for _, m := range got {
			var i int
			if _, err := sscanAddress(m.To[0], &i); err != nil {
				continue
			}
			delays = append(delays, m.At.Sub(sent[i]))
			if m.At.After(last) {
				last = m.At
			}
		}
		b.ReportMetric(float64(n)/answered.Seconds(), "requests/s")
		b.ReportMetric(float64(len(delays))/last.Sub(begin).Seconds(), "mails/s")
		b.ReportMetric(ms(delays, 0.5), "delay-p50-ms")
		b.ReportMetric(ms(delays, 0.99), "delay-p99-ms")
	}
}

// BenchmarkMailBacklogDrain: 1000 messages wait in the outbox (the SMTP
// server was down); once it is back, how fast does one instance empty it?
func BenchmarkMailBacklogDrain(b *testing.B) {
	const n = 1000
	mail := smtptest.Start(b, smtptest.Options{})
	clock := newClock()
	inst := startInstance(b, mailEnv(mail, map[string]string{
		"AUTHD_MAIL_SMTP_URL": mail.URL("starttls=off"), "AUTHD_AUTH_EMAIL_VERIFICATION": "off",
	}), nil, withClock(clock))
	s := inst.server
	seedUsers(b, s, "drain", n)
	for range b.N {
		mail.Stop()
		var wg sync.WaitGroup
		next := make(chan int)
		for range 20 {
			wg.Go(func() {
				for i := range next {
					forgot(b, s, address("drain", i))
				}
			})
		}
		for i := range n {
			next <- i
		}
		close(next)
		wg.Wait()
		db := s.openDB(b)
		// Wait until every request is fulfilled and every mail's first
		// attempt has failed: all of them now wait for the retry.
		for len(queryStrings(b, db, `SELECT id FROM mail_outbox WHERE status = 'pending'
				AND (purpose LIKE 'request%' OR attempts = 0) LIMIT 1`)) > 0 {
			time.Sleep(50 * time.Millisecond)
		}
		mail.Restart(b)
		begin := time.Now()
		clock.Advance(31 * time.Second)
		got := mail.WaitFor(b, n, 5*time.Minute)
		b.ReportMetric(float64(n)/got[n-1].At.Sub(begin).Seconds(), "mails/s")
	}
}
