// Command authd runs the authentication server and its operator commands.
package main

import (
	"fmt"
	"os"
)

func main() {
	if err := newRootCommand().Execute(); err != nil {
		// Errors reaching here are already free of secrets: configuration
		// errors name keys, never values.
		fmt.Fprintln(os.Stderr, "authd:", err)
		os.Exit(1)
	}
}
