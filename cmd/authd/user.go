package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"go.uber.org/fx"
	"golang.org/x/term"

	"github.com/authd/authd/cmd/authd/wiring"
	"github.com/authd/authd/ports/inbound"
)

func newUserCommand(g *globalFlags) *cobra.Command {
	cmd := &cobra.Command{Use: "user", Short: "Manage accounts"}
	var email, fullName, role string
	create := &cobra.Command{
		Use:   "create",
		Short: "Create an account (the password is read from stdin, or prompted for on a terminal)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := g.load()
			if err != nil {
				return err
			}
			password, err := readPassword(cmd.InOrStdin(), cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			var uc inbound.CreateUser
			app := fx.New(wiring.Core(cfg), fx.Populate(&uc), fx.NopLogger)
			if err := app.Start(cmd.Context()); err != nil {
				return err
			}
			defer app.Stop(cmd.Context())
			u, err := uc.Handle(cmd.Context(), inbound.CreateUserCommand{Email: email, FullName: fullName, Role: role, Password: password})
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "created %s %s (%s)\n", u.Role(), u.Email(), u.ID())
			return nil
		},
	}
	create.Flags().StringVar(&email, "email", "", "email address (required)")
	create.Flags().StringVar(&fullName, "full-name", "", "full name (required)")
	create.Flags().StringVar(&role, "role", "user", `role: "user" or "admin"`)
	_ = create.MarkFlagRequired("email")
	_ = create.MarkFlagRequired("full-name")
	cmd.AddCommand(create)
	return cmd
}

// readPassword prompts twice without echo on a terminal; otherwise it reads
// the first line of stdin. Only the line terminator is removed: the password
// itself is never trimmed.
func readPassword(in io.Reader, prompt io.Writer) (string, error) {
	if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(prompt, "Password: ")
		first, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(prompt)
		if err != nil {
			return "", err
		}
		fmt.Fprint(prompt, "Repeat password: ")
		second, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(prompt)
		if err != nil {
			return "", err
		}
		if string(first) != string(second) {
			return "", errors.New("the passwords do not match")
		}
		return string(first), nil
	}
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if line == "" {
		return "", errors.New("no password on stdin")
	}
	return line, nil
}
