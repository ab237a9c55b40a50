package refreshtoken

import (
	"encoding/hex"
	"errors"
)

var errNotUUID = errors.New("not a canonical UUID")

// parseUUID reads the canonical text form of a UUID
// (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, lower-case hex). Only that form is
// accepted so that Decode(Encode(id)) gives back exactly id.
func parseUUID(s string) ([idLen]byte, error) {
	var out [idLen]byte
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return out, errNotUUID
	}
	digits := s[0:8] + s[9:13] + s[14:18] + s[19:23] + s[24:36]
	for i := 0; i < len(digits); i++ {
		if c := digits[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return out, errNotUUID
		}
	}
	if _, err := hex.Decode(out[:], []byte(digits)); err != nil {
		return out, errNotUUID
	}
	return out, nil
}

// formatUUID writes the canonical text form of a UUID.
func formatUUID(b [idLen]byte) string {
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
