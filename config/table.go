package config

import "strings"

// Markers around the generated configuration table in README.md.
const (
	tableStart = "<!-- config-table:start: generated from config/settings.go; AUTHD_UPDATE_README=1 go test ./config rewrites it -->"
	tableEnd   = "<!-- config-table:end -->"
)

// markdownTable renders the README's configuration table from the
// declarations: one row per key, in declaration order.
func markdownTable() string {
	var b strings.Builder
	b.WriteString("| key | default | meaning |\n|---|---|---|\n")
	for _, s := range readmeSettings() {
		b.WriteString("| `" + s.key + "` | " + s.defaultCell() + " | " + s.meaningCell() + " |\n")
	}
	return b.String()
}

// defaultCell shows the default as written, or says what it stands for.
func (s setting) defaultCell() string {
	switch s.def {
	case "":
		return "empty"
	case numCPU, eightPerCPU:
		return s.def
	}
	return "`" + s.def + "`"
}

// meaningCell is the meaning, preceded for an enumerated setting by the
// accepted values.
func (s setting) meaningCell() string {
	meaning := strings.ReplaceAll(s.meaning, "|", `\|`)
	if len(s.bind.choices) == 0 {
		return meaning
	}
	choices := "`" + strings.Join(s.bind.choices, "` \\| `") + "`"
	if meaning == "" {
		return choices
	}
	return choices + ": " + meaning
}

// readmeSettings are the rows of the README's table: every fixed key, then
// the keys of a provider, with "<name>" standing for its name.
func readmeSettings() []setting {
	return append((&Config{}).settings(), (&OIDCProvider{}).settings("<name>")...)
}
