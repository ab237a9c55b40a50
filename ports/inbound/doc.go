// Package inbound declares the use cases authd offers, one interface each,
// with their command and result types and the errors they return. Driving
// adapters (HTTP, command line) talk only to these.
package inbound
