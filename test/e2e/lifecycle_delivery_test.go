package e2e

import (
	"database/sql"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authd/authd/test/pgtest"
)

// outboxCount counts the outbox's mails (not the requests for mail it
// also carries) in a status, straight from the database.
func outboxCount(t *testing.T, db *sql.DB, status string) int {
	t.Helper()
	n, err := strconv.Atoi(queryStrings(t, db,
		`SELECT COUNT(*) FROM mail_outbox WHERE status = $1 AND purpose NOT LIKE 'request%'`, status)[0])
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestMailSurvivesAnSMTPOutage(t *testing.T) {
	t.Parallel()
	mail := startMailServer(t)
	clock := newClock()
	s := startServer(t, mailEnv(mail, map[string]string{"AUTHD_AUTH_EMAIL_VERIFICATION": "off"}), trusting(mail), withClock(clock))
	s.signup(t, "ada@example.com")
	db := s.openDB(t)

	mail.Stop()
	s.post(t, "/v1/auth/password/forgot", map[string]any{"email": "ada@example.com"}).wantStatus(t, http.StatusAccepted)
	// The first attempt fails; the message waits for its retry, 30 s on.
	waitFor(t, mailWait, "a failed first attempt", func() bool {
		return len(queryStrings(t, db, `SELECT id FROM mail_outbox WHERE status = 'pending' AND attempts = 1 AND last_error <> ''`)) == 1
	})
	mail.Restart(t)
	time.Sleep(1500 * time.Millisecond) // a poll or more: nothing is due yet
	if n := len(mail.Messages()); n != 0 {
		t.Fatalf("%d messages before the retry was due", n)
	}
	clock.Advance(31 * time.Second)
	m := awaitMail(t, mail, "ada@example.com", subjectReset, 1)
	// The delivered mail works.
	s.post(t, "/v1/auth/password/reset", map[string]any{"token": m.Token, "newPassword": "after-the-Outage-42"}).
		wantStatus(t, http.StatusNoContent)
	waitFor(t, mailWait, "the message to be settled as sent", func() bool { return outboxCount(t, db, "sent") == 1 })
	// Nothing is sent twice, however long one waits.
	clock.Advance(time.Hour)
	time.Sleep(1500 * time.Millisecond)
	if n := len(mail.Messages()); n != 1 {
		t.Fatalf("%d messages after the outage, want exactly 1", n)
	}
}

func TestAMessagePendingAtShutdownIsDeliveredAfterRestart(t *testing.T) {
	t.Parallel()
	mail := startMailServer(t)
	env := mailEnv(mail, map[string]string{
		"AUTHD_AUTH_EMAIL_VERIFICATION": "off", envDatabaseURL: pgtest.NewDatabaseURL(t), envKeysDir: t.TempDir(),
	})
	clock := newClock()
	first := startInstance(t, env, nil, trusting(mail), withClock(clock))
	first.signup(t, "ada@example.com")
	db := first.openDB(t)
	mail.Stop()
	first.post(t, "/v1/auth/password/forgot", map[string]any{"email": "ada@example.com"}).wantStatus(t, http.StatusAccepted)
	waitFor(t, mailWait, "a failed first attempt", func() bool {
		return len(queryStrings(t, db, `SELECT id FROM mail_outbox WHERE status = 'pending' AND attempts = 1`)) == 1
	})
	first.stop()

	mail.Restart(t)
	later := newClock()
	later.Set(clock.Now().Add(31 * time.Second))
	second := startInstance(t, env, nil, trusting(mail), withClock(later))
	m := awaitMail(t, mail, "ada@example.com", subjectReset, 1)
	second.post(t, "/v1/auth/password/reset", map[string]any{"token": m.Token, "newPassword": "after-the-Restart-42"}).
		wantStatus(t, http.StatusNoContent)
	if n := len(mail.Messages()); n != 1 {
		t.Fatalf("%d messages, want 1", n)
	}
}

func TestTwoInstancesDeliverABurstExactlyOnce(t *testing.T) {
	t.Parallel()
	const n = 200
	mail := startMailServer(t)
	servers := startCluster(t, 2, mailEnv(mail, map[string]string{"AUTHD_AUTH_EMAIL_VERIFICATION": "off"}), trusting(mail))
	db := servers[0].openDB(t)
	// The accounts go straight into the database (copies of one signed up):
	// the burst is about mail.
	servers[0].signup(t, "seed@example.com")
	for i := range n {
		execOne(t, db, `INSERT INTO users (id, email, full_name, role, password_hash, created_at, updated_at)
			SELECT gen_random_uuid(), $1, 'Burst', 'user', password_hash, now(), now() FROM users WHERE email = 'seed@example.com'`,
			fmt.Sprintf("burst%03d@example.com", i))
	}

	var wg sync.WaitGroup
	statuses := make([]int, n)
	for i := range n {
		s := servers[i%2]
		wg.Go(func() {
			res, err := s.client.Post(s.URL+"/v1/auth/password/forgot", "application/json",
				strings.NewReader(fmt.Sprintf(`{"email":"burst%03d@example.com"}`, i)))
			if err != nil {
				return
			}
			res.Body.Close()
			statuses[i] = res.StatusCode
		})
	}
	wg.Wait()
	for i, st := range statuses {
		if st != http.StatusAccepted {
			t.Fatalf("request %d answered %d", i, st)
		}
	}
	mail.WaitFor(t, n, 60*time.Second)
	time.Sleep(1500 * time.Millisecond) // a duplicate would show by now
	got := mail.Messages()
	if len(got) != n {
		t.Fatalf("%d messages for %d requests", len(got), n)
	}
	to, ids := map[string]int{}, map[string]int{}
	for _, m := range got {
		to[m.To[0]]++
		ids[m.Header.Get("Message-Id")]++
	}
	for i := range n {
		if addr := fmt.Sprintf("burst%03d@example.com", i); to[addr] != 1 {
			t.Fatalf("%s got %d messages", addr, to[addr])
		}
	}
	if len(ids) != n {
		t.Fatalf("%d distinct Message-IDs for %d messages", len(ids), n)
	}
	waitFor(t, mailWait, "every message settled as sent", func() bool { return outboxCount(t, db, "sent") == n })
}
