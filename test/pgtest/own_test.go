//go:build unix

package pgtest

import (
	"context"
	"testing"
	"time"
)

func TestClusterStopsStartsAndStalls(t *testing.T) {
	pc := NewCluster(t)
	db := open(t, pc.URL())
	db.SetMaxOpenConns(1)
	ping := func(timeout time.Duration) error {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		_, err := db.ExecContext(ctx, "SELECT 1")
		return err
	}
	if err := ping(10 * time.Second); err != nil {
		t.Fatalf("fresh cluster: %v", err)
	}
	if _, err := db.Exec("CREATE TABLE kept (x int); INSERT INTO kept VALUES (7)"); err != nil {
		t.Fatal(err)
	}

	pc.Stop()
	if err := ping(2 * time.Second); err == nil {
		t.Fatal("a stopped cluster answered")
	}
	pc.Start()
	var x int
	if err := db.QueryRow("SELECT x FROM kept").Scan(&x); err != nil || x != 7 {
		t.Fatalf("after restart: x=%d, %v; want the data kept", x, err)
	}

	pc.Stall()
	begin := time.Now()
	if err := ping(300 * time.Millisecond); err == nil {
		t.Fatal("a stalled cluster answered")
	}
	if waited := time.Since(begin); waited > 5*time.Second {
		t.Fatalf("the query's deadline did not end the wait: %v", waited)
	}
	pc.Resume()
	if err := ping(10 * time.Second); err != nil {
		t.Fatalf("after resume: %v", err)
	}
}
