package argon2id_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/authd/authd/adapters/argon2id"
	"github.com/authd/authd/domain/user"
)

// BenchmarkCeiling measures the argon2id ceiling of this machine: password
// checks per second at the default parameters (those of the
// configuration's defaults) with one hashing slot per CPU, all of them
// busy. A login costs one check, so this is the most logins per second
// any configuration of authd can answer here; the load run compares
// authd's login throughput with it.
//
//	go test -run '^$' -bench Ceiling -benchtime 5s ./adapters/argon2id
func BenchmarkCeiling(b *testing.B) {
	slots := runtime.NumCPU()
	h, err := argon2id.New(argon2id.DefaultParams(), slots, time.Minute)
	if err != nil {
		b.Fatal(err)
	}
	p, err := user.PasswordAttempt("correct horse battery staple")
	if err != nil {
		b.Fatal(err)
	}
	stored, err := h.Hash(context.Background(), p)
	if err != nil {
		b.Fatal(err)
	}
	b.SetParallelism(1) // GOMAXPROCS goroutines: one per slot
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if ok, _, err := h.Verify(context.Background(), p, stored); err != nil || !ok {
				b.Errorf("verify: %v %v", ok, err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "hashes/s")
}
