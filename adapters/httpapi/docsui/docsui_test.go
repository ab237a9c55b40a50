package docsui

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// The vendored files are what scripts/vendor-docs-ui.sh fetches: the
// version recorded beside them is the one the script pins.
func TestVendoredVersionIsThePinnedOne(t *testing.T) {
	script, err := os.ReadFile("../../../scripts/vendor-docs-ui.sh")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^VERSION="([0-9.]+)"$`).FindSubmatch(script)
	if m == nil {
		t.Fatal("the script pins no VERSION")
	}
	if got, want := strings.TrimSpace(string(mustRead("assets/VERSION"))), "swagger-ui-dist "+string(m[1]); got != want {
		t.Errorf("assets/VERSION says %q, the script pins %q: run scripts/vendor-docs-ui.sh", got, want)
	}
}

func TestLicencesShipWithTheBundle(t *testing.T) {
	if lic := string(mustRead("assets/LICENSE")); !strings.Contains(lic, "Apache License") {
		t.Error("assets/LICENSE is not Swagger UI's Apache licence")
	}
	for _, name := range []string{"LICENSE", "NOTICE", "swagger-ui-bundle.js.LICENSE.txt"} {
		if _, ok := Lookup(name); !ok {
			t.Errorf("%s is not served", name)
		}
	}
}

func TestEveryAssetIsEmbedded(t *testing.T) {
	for _, name := range Names() {
		a, ok := Lookup(name)
		if !ok || len(a.Body) == 0 || a.ContentType == "" {
			t.Errorf("asset %s: ok %v, %d bytes, type %q", name, ok, len(a.Body), a.ContentType)
		}
	}
	if len(Page()) == 0 {
		t.Error("empty page")
	}
}
