// Package application holds the use cases of authd, one file each. A use
// case is a struct built from the outbound ports it uses, passed to its
// constructor one by one, with one Handle method that takes a command and
// returns a result (the shapes of package inbound). It owns the
// transaction, the meaning of errors and the authorisation decision.
// Nothing here imports a framework.
package application
