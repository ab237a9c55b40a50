package refreshtoken

import (
	"bytes"
	"encoding/base64"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/ports/outbound"
)

var sid = mustID("01890a5d-ac96-774b-bcce-b302099a8057")

func mustID(s string) session.ID {
	id, err := session.ParseID(s)
	if err != nil {
		panic(err)
	}
	return id
}

func newCodec(t testing.TB, fill byte) *Codec {
	t.Helper()
	c, err := New(bytes.Repeat([]byte{fill}, KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestRoundTrip(t *testing.T) {
	c := newCodec(t, 1)
	for _, gen := range []session.Generation{0, 1, 2, 1 << 32, math.MaxUint64} {
		for _, id := range []session.ID{sid, mustID("00000000-0000-0000-0000-000000000000"), mustID("ffffffff-ffff-ffff-ffff-ffffffffffff")} {
			tok := c.Encode(id, gen)
			gotID, gotGen, err := c.Decode(tok)
			if err != nil || gotID != id || gotGen != gen {
				t.Fatalf("Decode(Encode(%s, %d)) = %s, %d, %v", id, gen, gotID, gotGen, err)
			}
		}
	}
}

func TestTokenShape(t *testing.T) {
	tok := newCodec(t, 1).Encode(sid, 7)
	if len(tok) != 76 {
		t.Fatalf("len = %d, want 76", len(tok))
	}
	if strings.ContainsAny(tok, "+/=.") {
		t.Fatalf("token %q is not unpadded base64url, or looks like a JWT", tok)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(tok)
	if macBits := (len(raw) - payloadLen) * 8; macBits < 256 {
		t.Fatalf("MAC has %d bits, want at least 256", macBits)
	}
	if raw[0] != 1 || !bytes.Equal(raw[17:25], []byte{0, 0, 0, 0, 0, 0, 0, 7}) {
		t.Fatalf("layout: version %d, generation bytes %x", raw[0], raw[17:25])
	}
}

// The reuse-grace rule needs the same generation to give the same token,
// from any codec holding the key (another instance, a restart).
func TestDeterministic(t *testing.T) {
	a, b := newCodec(t, 1), newCodec(t, 1)
	if a.Encode(sid, 5) != b.Encode(sid, 5) {
		t.Fatal("same key, session and generation gave different tokens")
	}
	if a.Encode(sid, 5) == a.Encode(sid, 6) {
		t.Fatal("different generations gave the same token")
	}
	if a.Encode(sid, 5) == a.Encode(mustID("01890a5d-ac96-774b-bcce-b302099a8058"), 5) {
		t.Fatal("different sessions gave the same token")
	}
}

func TestTamperingWithAnyByteFails(t *testing.T) {
	c := newCodec(t, 1)
	raw, _ := base64.RawURLEncoding.DecodeString(c.Encode(sid, 9))
	for i := range raw {
		for _, bit := range []byte{0x01, 0x80} {
			changed := bytes.Clone(raw)
			changed[i] ^= bit
			if _, _, err := c.Decode(base64.RawURLEncoding.EncodeToString(changed)); !errors.Is(err, outbound.ErrRefreshTokenInvalid) {
				t.Fatalf("byte %d bit %#x flipped: Decode = %v", i, bit, err)
			}
		}
	}
}

func TestWrongKeyFails(t *testing.T) {
	tok := newCodec(t, 1).Encode(sid, 3)
	if _, _, err := newCodec(t, 2).Decode(tok); !errors.Is(err, outbound.ErrRefreshTokenInvalid) {
		t.Fatalf("Decode under another key = %v", err)
	}
}

func TestGarbageFails(t *testing.T) {
	c := newCodec(t, 1)
	good := c.Encode(sid, 3)
	for name, tok := range map[string]string{
		"empty":              "",
		"very long":          strings.Repeat(good, 1000),
		"one char short":     good[:len(good)-1],
		"one char more":      good + "A",
		"padded":             good + "==",
		"standard alphabet":  strings.NewReplacer("-", "+", "_", "/").Replace(strings.Repeat("-_", 38)),
		"not base64":         strings.Repeat("!", len(good)),
		"spaces":             strings.Repeat(" ", len(good)),
		"a JWT":              "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJlc2ln",
		"right length zeros": strings.Repeat("A", len(good)),
		"unknown version":    reversion(good, 2),
	} {
		if _, _, err := c.Decode(tok); !errors.Is(err, outbound.ErrRefreshTokenInvalid) {
			t.Errorf("%s: Decode = %v, want ErrRefreshTokenInvalid", name, err)
		}
	}
}

func reversion(tok string, v byte) string {
	raw, _ := base64.RawURLEncoding.DecodeString(tok)
	raw[0] = v
	return base64.RawURLEncoding.EncodeToString(raw)
}

func TestNewRefusesShortKey(t *testing.T) {
	for _, n := range []int{0, 16, 31, 33} {
		if _, err := New(make([]byte, n)); err == nil {
			t.Errorf("New accepted a %d-byte key", n)
		}
	}
}

func TestNewCopiesTheKey(t *testing.T) {
	key := bytes.Repeat([]byte{1}, KeySize)
	c, _ := New(key)
	tok := c.Encode(sid, 1)
	key[0] = 99
	if _, _, err := c.Decode(tok); err != nil {
		t.Fatalf("changing the caller's slice changed the codec: %v", err)
	}
}
