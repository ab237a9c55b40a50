package application

import "fmt"

// hashFailed names the hasher in an error for the log. outbound.ErrOverloaded
// still matches through it, and becomes 503 at the edge; anything else is
// an internal error.
func hashFailed(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("password hasher: %w", err)
}
