// Package outbound declares what the use cases need from the outside world:
// storage, tokens, hashing, time and identifiers. Each interface is owned by
// its consumer and kept small; adapters implement them and say so with a
// compile-time assertion next to the type.
package outbound
