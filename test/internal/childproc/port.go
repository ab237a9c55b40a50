package childproc

import "net"

// FreePort returns a loopback TCP port that was free a moment ago. Another
// process can take it before the server binds it: callers retry.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
