package main

import (
	"os"
	"runtime/debug"

	"github.com/authd/authd/config"
)

// memoryBaseline is what authd needs besides its hashing slots: the heap
// of the server, and the goroutine stacks and buffers of the connections
// of a flood (500 waiting logins hold about 20 MiB), with room for the
// collector to work. A limit below what is live makes the collector run
// without pause: at 24 MiB a flood of 500 logins ran at a quarter of the
// hashing ceiling.
const memoryBaseline = 64 << 20

// applyMemoryLimit sets the Go runtime's soft memory limit from the
// configuration, unless GOMEMLIMIT sets it: the baseline plus each hashing
// slot's argon2id memory with a quarter to spare. Every argon2id hash
// allocates its whole memory afresh, so without a limit the collector lets
// the heap grow to twice what is live, and a burst of logins shows as
// twice the resident memory the hashes really need.
func applyMemoryLimit(cfg *config.Config) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	perHash := int64(cfg.Password.Argon2.MemoryKiB) << 10
	debug.SetMemoryLimit(memoryBaseline + int64(cfg.Password.MaxConcurrentHashes)*perHash*5/4)
}
