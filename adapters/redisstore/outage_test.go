package redisstore_test

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/authd/authd/adapters/memory"
	"github.com/authd/authd/adapters/redisstore"
	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
	"github.com/authd/authd/test/redistest"
)

// Redis going away makes every operation outbound.ErrUnavailable (never a
// not-found, which would read as "logged out", nor a success), logged once
// however many calls fail; when it comes back the same store works again,
// with the sessions a durable Redis kept, and says so once.
func TestAnUnreachableRedisIsUnavailableAndComesBack(t *testing.T) {
	srv := redistest.StartDurable(t)
	core, logs := observer.New(zapcore.InfoLevel)
	store, err := redisstore.NewURL(srv.URL(), redisstore.Options{
		Importer: memory.NewStore().Audit(), Log: zap.New(core), CallTimeout: 500 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	ctx := t.Context()
	ids := &memory.IDs{}
	s, err := session.Start(session.ID(ids.NewID()), memoryUser(ids), time.Now(), policy, "ua", "ip")
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Sessions().Add(ctx, s); err != nil {
		t.Fatal(err)
	}

	srv.Stop()
	for range 20 {
		_, err := store.Sessions().Get(ctx, s.ID())
		wantUnavailable(t, "Get", err)
	}
	_, err = store.Sessions().ListActive(ctx, s.UserID(), time.Now())
	wantUnavailable(t, "ListActive", err)
	_, err = store.Sessions().Update(ctx, s.ID(), func(*session.Session) error { return nil })
	wantUnavailable(t, "Update", err)
	unit, err := store.Begin(ctx)
	if err != nil {
		t.Fatalf("Begin contacts Redis: %v", err)
	}
	wantUnavailable(t, "Commit", unit.Commit(ctx, []audit.Event{{ID: audit.ID(ids.NewID()), Type: audit.Logout, At: time.Now()}}))
	wantUnavailable(t, "Ready", store.Ready(ctx))
	if n := logs.FilterLevelExact(zapcore.WarnLevel).Len(); n != 1 {
		t.Errorf("the outage was logged %d times, want once", n)
	}

	srv.Restart()
	// go-redis stops dialling after a run of failures and probes the
	// server once a second in the background: recovery takes that long.
	var got *session.Session
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		got, err = store.Sessions().Get(ctx, s.ID())
		if !errors.Is(err, outbound.ErrUnavailable) || time.Now().After(deadline) {
			break
		}
	}
	if err != nil || got.ID() != s.ID() {
		t.Fatalf("after Redis came back: Get = %v, %v; want the session it kept", got, err)
	}
	if err := store.Ready(ctx); err != nil {
		t.Fatalf("Ready after Redis came back: %v", err)
	}
	if n := logs.FilterMessageSnippet("reachable again").Len(); n != 1 {
		t.Errorf("the recovery was logged %d times, want once", n)
	}
}

// A Redis that accepts connections and never answers cannot hold a request:
// each call ends at its deadline, outbound.ErrUnavailable, even when the
// caller's context has none.
func TestACallToAHungRedisEndsAtItsDeadline(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { _ = c.Close() }) // hold it open, say nothing
		}
	}()
	store, err := redisstore.NewURL("redis://"+ln.Addr().String()+"/0", redisstore.Options{
		Importer: memory.NewStore().Audit(), CallTimeout: 200 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	ids := &memory.IDs{}

	done := make(chan struct{})
	go func() {
		defer close(done)
		ctx := context.Background() // no deadline of its own
		_, err := store.Sessions().Get(ctx, session.ID(ids.NewID()))
		wantUnavailable(t, "Get", err)
		_, err = store.Sessions().Update(ctx, session.ID(ids.NewID()), func(*session.Session) error { return nil })
		wantUnavailable(t, "Update", err)
		wantUnavailable(t, "Ready", store.Ready(ctx))
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("calls to a Redis that never answers did not return")
	}
}

func wantUnavailable(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, outbound.ErrUnavailable) {
		t.Errorf("%s with Redis unreachable: err = %v, want outbound.ErrUnavailable", what, err)
	}
}

func memoryUser(ids *memory.IDs) user.ID { return user.ID(ids.NewID()) }
