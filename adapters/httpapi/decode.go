package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/authd/authd/domain/validation"
)

// bodyPolicy says whether an endpoint accepts a request without a body
// (refresh and logout, whose token may travel in a cookie).
type bodyPolicy int

const (
	bodyRequired bodyPolicy = iota
	bodyOptional
)

// readJSON reads the request body under the size limit and decodes it
// strictly into dst, a pointer to a struct with json tags. An empty body
// leaves dst untouched when the policy allows it.
func readJSON(r *http.Request, w http.ResponseWriter, limit int64, dst any, policy bodyPolicy) error {
	// A declared body (Content-Length > 0, or -1 for chunked) must be JSON;
	// checking before reading spares us reading what we will refuse.
	if r.ContentLength != 0 && !isJSONMediaType(r.Header.Get("Content-Type")) {
		return errUnsupportedMediaType
	}
	if r.ContentLength > limit {
		return errPayloadTooLarge
	}
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		if _, tooLarge := errors.AsType[*http.MaxBytesError](err); tooLarge {
			return errPayloadTooLarge
		}
		return &invalidJSONError{reason: "the body could not be read"}
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		if policy == bodyOptional {
			return nil
		}
		return &invalidJSONError{reason: "a JSON object body is required"}
	}
	// A chunked body of unknown length is only known to exist now.
	if !isJSONMediaType(r.Header.Get("Content-Type")) {
		return errUnsupportedMediaType
	}
	return decodeStrict(raw, dst)
}

// isJSONMediaType accepts application/json with any parameters
// (charset=utf-8, for instance).
func isJSONMediaType(header string) bool {
	mt, _, err := mime.ParseMediaType(header)
	return err == nil && mt == "application/json"
}

// decodeStrict decodes raw into dst, refusing what encoding/json would let
// through silently: invalid UTF-8 (replaced by U+FFFD), lone surrogate
// escapes (likewise), keys that differ in case from the field name (folded),
// duplicate keys (last one wins) and trailing data. A value of the wrong
// JSON type is a validation error naming the field.
func decodeStrict(raw []byte, dst any) error {
	if !utf8.Valid(raw) {
		return &invalidJSONError{reason: "the body is not valid UTF-8"}
	}
	// json.Valid also refuses trailing data after the first value.
	if !json.Valid(raw) {
		return &invalidJSONError{reason: "the body is malformed JSON or has trailing data"}
	}
	if hasLoneSurrogate(raw) {
		return &invalidJSONError{reason: "the body contains an invalid Unicode escape"}
	}
	if err := checkKeys(raw, jsonFieldNames(dst)); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		if te, ok := errors.AsType[*json.UnmarshalTypeError](err); ok && te.Field != "" {
			return validation.Invalid(te.Field, "must be "+jsonKindName(te.Type))
		}
		// Unreachable after the checks above; never echo the decoder's text.
		return &invalidJSONError{reason: "the body does not match the expected object"}
	}
	return nil
}

// checkKeys requires a top-level object whose keys are all known, exactly
// as spelled, and each present once.
func checkKeys(raw []byte, known map[string]bool) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return &invalidJSONError{reason: "the body must be a JSON object"}
	}
	seen := make(map[string]bool, len(known))
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return &invalidJSONError{reason: "the body is malformed JSON"}
		}
		key, _ := tok.(string)
		if !known[key] {
			return &invalidJSONError{reason: "unknown field " + quoteShort(key)}
		}
		if seen[key] {
			return &invalidJSONError{reason: "duplicate field " + quoteShort(key)}
		}
		seen[key] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return &invalidJSONError{reason: "the body is malformed JSON"}
		}
	}
	return nil
}

// jsonFieldNames lists the json names of the struct dst points to.
func jsonFieldNames(dst any) map[string]bool {
	t := reflect.TypeOf(dst)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	names := make(map[string]bool, t.NumField())
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		names[name] = true
	}
	return names
}

// hasLoneSurrogate reports a \uD800-\uDFFF escape that is not part of a
// valid high+low pair. raw must already be valid JSON, so every backslash
// sits inside a string and starts an escape.
func hasLoneSurrogate(raw []byte) bool {
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' {
			continue
		}
		if raw[i+1] != 'u' {
			i++ // a two-byte escape such as \" or \\
			continue
		}
		r := hex4(raw[i+2 : i+6])
		switch {
		case r >= 0xDC00 && r <= 0xDFFF:
			return true
		case r >= 0xD800 && r <= 0xDBFF:
			next := i + 6
			if next+6 > len(raw) || raw[next] != '\\' || raw[next+1] != 'u' {
				return true
			}
			if lo := hex4(raw[next+2 : next+6]); lo < 0xDC00 || lo > 0xDFFF {
				return true
			}
			i = next + 5
		default:
			i += 5
		}
	}
	return false
}

func hex4(b []byte) rune {
	n, _ := strconv.ParseUint(string(b), 16, 32)
	return rune(n)
}

// jsonKindName describes the JSON type a Go field expects.
func jsonKindName(t reflect.Type) string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return "of another type"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return "of another type"
}

// quoteShort quotes a client-supplied key for a problem detail, cut so that
// a huge key cannot bloat the answer.
func quoteShort(s string) string {
	const max = 64
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return strconv.Quote(s)
}
