package ident_test

import (
	"testing"

	"github.com/authd/authd/domain/ident"
)

func TestParseRoundTripsTheCanonicalForm(t *testing.T) {
	const canonical = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"
	for _, in := range []string{canonical, "0190A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B"} {
		u, err := ident.Parse(in)
		if err != nil {
			t.Fatalf("Parse(%q): %v", in, err)
		}
		if got := u.String(); got != canonical {
			t.Errorf("Parse(%q).String() = %q, want %q", in, got, canonical)
		}
	}
}

func TestParseRefusesOtherForms(t *testing.T) {
	for _, in := range []string{
		"",
		"0190a1b2c3d47e5f8a9b0c1d2e3f4a5b",
		"{0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b}",
		"urn:uuid:0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
		"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5g",
		"0190a1b2-c3d4-7e5f-8a9b_0c1d2e3f4a5b",
		"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5",
	} {
		if _, err := ident.Parse(in); err == nil {
			t.Errorf("Parse(%q) accepted a non-canonical UUID", in)
		}
	}
}

func TestCompareIsByteOrder(t *testing.T) {
	a, _ := ident.Parse("00000000-0000-7000-8000-000000000001")
	b, _ := ident.Parse("00000000-0000-7000-8000-000000000002")
	if a.Compare(b) >= 0 || b.Compare(a) <= 0 || a.Compare(a) != 0 {
		t.Fatal("Compare does not order by bytes")
	}
	if !(ident.UUID{}).IsZero() || a.IsZero() {
		t.Fatal("IsZero is wrong")
	}
}
