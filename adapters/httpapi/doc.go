// Package httpapi is the driving HTTP adapter of authd: a gin router that
// decodes requests strictly, calls the use cases declared in ports/inbound,
// and answers with the JSON shapes and RFC 9457 problem details of the API
// contract. It holds no business rules: handlers check only that required
// fields are present and of the right JSON type, and every error becomes a
// status and a stable code through the single table in errors.go.
package httpapi
