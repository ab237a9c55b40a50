package contract

import (
	"sync"
	"testing"
	"time"

	"github.com/authd/authd/ports/outbound"
)

// FailureStore is a LoginFailures adapter with its sweeper, as each
// adapter provides them.
type FailureStore interface {
	outbound.LoginFailures
	outbound.Sweeper
}

// RunLoginFailures checks the failed sign-in counter: fixed windows that
// open at the first failure, exact counts under concurrency, and a sweeper
// that removes closed windows only.
func RunLoginFailures(t *testing.T, newStores NewStores) {
	const window = 15 * time.Minute
	runAll(t, newStores, []test{
		{"the first failure opens a window the next ones count in", func(f *fixture) {
			w, err := f.LoginFailures.Fail(f.ctx, "email:ada@example.com", t0, window)
			f.must(err)
			if w.Failures != 1 || !w.Ends.Equal(t0.Add(window).Truncate(time.Microsecond)) {
				f.Fatalf("first failure: %+v, want 1 ending at %v", w, t0.Add(window))
			}
			w, err = f.LoginFailures.Fail(f.ctx, "email:ada@example.com", t0.Add(time.Minute), window)
			f.must(err)
			if w.Failures != 2 || !w.Ends.Equal(t0.Add(window).Truncate(time.Microsecond)) {
				f.Fatalf("second failure: %+v, want 2 in the same window", w)
			}
			got, err := f.LoginFailures.Window(f.ctx, "email:ada@example.com", t0.Add(window-time.Second))
			f.must(err)
			if got != w {
				f.Fatalf("Window = %+v, want %+v", got, w)
			}
		}},
		{"a closed window counts no more and the next failure opens a new one", func(f *fixture) {
			for range 3 {
				_, err := f.LoginFailures.Fail(f.ctx, "k", t0, window)
				f.must(err)
			}
			got, err := f.LoginFailures.Window(f.ctx, "k", t0.Add(window))
			f.must(err)
			if got != (outbound.FailureWindow{}) {
				f.Fatalf("Window at its end = %+v, want none", got)
			}
			w, err := f.LoginFailures.Fail(f.ctx, "k", t0.Add(window), window)
			f.must(err)
			if w.Failures != 1 || !w.Ends.Equal(t0.Add(2*window).Truncate(time.Microsecond)) {
				f.Fatalf("failure after the window: %+v, want a new window of 1", w)
			}
		}},
		{"keys are counted apart and an unknown key has no window", func(f *fixture) {
			_, err := f.LoginFailures.Fail(f.ctx, "a", t0, window)
			f.must(err)
			got, err := f.LoginFailures.Window(f.ctx, "b", t0)
			f.must(err)
			if got != (outbound.FailureWindow{}) {
				f.Fatalf("Window of another key = %+v", got)
			}
		}},
		{"concurrent failures each count once", func(f *fixture) {
			const n = 20
			var wg sync.WaitGroup
			errs := make(chan error, n)
			for i := range n {
				wg.Go(func() {
					_, err := f.LoginFailures.Fail(f.ctx, "race", t0.Add(time.Duration(i)*time.Millisecond), window)
					errs <- err
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				f.must(err)
			}
			got, err := f.LoginFailures.Window(f.ctx, "race", t0.Add(time.Second))
			f.must(err)
			if got.Failures != n {
				f.Fatalf("%d concurrent failures counted as %d", n, got.Failures)
			}
		}},
		{"the sweeper removes closed windows only, at most limit at a time", func(f *fixture) {
			for i, key := range []string{"old1", "old2", "old3"} {
				_, err := f.LoginFailures.Fail(f.ctx, key, t0.Add(time.Duration(i)*time.Second), window)
				f.must(err)
			}
			_, err := f.LoginFailures.Fail(f.ctx, "live", t0.Add(10*time.Minute), window)
			f.must(err)
			now := t0.Add(window + time.Hour)
			if n, err := f.LoginFailures.Sweep(f.ctx, now, 2); err != nil || n != 2 {
				f.Fatalf("first sweep: %d, %v; want 2", n, err)
			}
			if n, err := f.LoginFailures.Sweep(f.ctx, t0.Add(window+5*time.Minute), 10); err != nil || n != 1 {
				f.Fatalf("second sweep: %d, %v; want the 1 closed window left", n, err)
			}
			got, err := f.LoginFailures.Window(f.ctx, "live", t0.Add(window+5*time.Minute))
			f.must(err)
			if got.Failures != 1 {
				f.Fatalf("the open window was swept: %+v", got)
			}
			// The old keys start afresh.
			w, err := f.LoginFailures.Fail(f.ctx, "old1", t0.Add(window+5*time.Minute), window)
			f.must(err)
			if w.Failures != 1 {
				f.Fatalf("swept key counts %d, want 1", w.Failures)
			}
			if f.LoginFailures.Name() == "" {
				f.Fatal("the sweeper has no name")
			}
		}},
	})
}
