// Package inbound declares the use cases authd offers, with their command,
// query and result types and the errors they add. Every use case has the
// same shape, a Handler or a CommandHandler: one Handle method taking one
// command. Driving adapters (HTTP, the command line, background workers)
// talk only to these.
//
// Errors a use case returns are of three kinds, each declared once where its
// meaning lives: the domain's facts (user.ErrNotFound, session.ErrEnded, a
// *validation.Error, ...), the meanings declared here (ErrInvalidCredentials,
// ErrForbidden, ...), and facts about a dependency or a presented credential
// that the outbound ports declare and the use cases pass on unchanged
// (outbound.ErrTokenExpired, outbound.ErrOverloaded, ...). Anything else is
// an internal error.
package inbound

import "context"

// Handler is a use case that answers a command (or query) with a result.
type Handler[C, R any] interface {
	Handle(ctx context.Context, cmd C) (R, error)
}

// CommandHandler is a use case whose only answer is success or an error.
type CommandHandler[C any] interface {
	Handle(ctx context.Context, cmd C) error
}
