// Package childproc runs the throwaway servers of the test helpers (pgtest,
// redistest) as child processes of the test binary: started in a directory
// of their own, polled until ready, stopped at the end, and, on Linux,
// killed by the kernel if the test binary dies first. Directories left by
// killed test binaries are swept up by the next run.
package childproc

// Tail returns the last n bytes of b (all of b when it is shorter): the
// end of a server log is where the reason it failed is.
func Tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}
