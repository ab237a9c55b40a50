package archtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
)

// ModuleRoot returns the directory and path of the module holding the
// current working directory.
func ModuleRoot() (dir, module string, err error) {
	gomod, err := goCmd("", "env", "GOMOD")
	if err != nil {
		return "", "", err
	}
	gomod = strings.TrimSpace(gomod)
	if gomod == "" || gomod == "/dev/null" {
		return "", "", errors.New("not inside a Go module")
	}
	dir = filepath.Dir(gomod)
	module, err = goCmd(dir, "list", "-m")
	if err != nil {
		return "", "", err
	}
	return dir, strings.TrimSpace(module), nil
}

// ListPackages runs `go list -json ./...` in dir and returns every package
// of the module. It passes -e so that a package
// which does not build yet is still listed with its imports: compiling is
// the compiler's job, this listing only feeds the dependency rule.
func ListPackages(dir string) ([]Package, error) {
	out, err := goCmd(dir, "list", "-e", "-json=ImportPath,Imports,Deps", "./...")
	if err != nil {
		return nil, err
	}
	var pkgs []Package
	dec := json.NewDecoder(strings.NewReader(out))
	for {
		var p Package
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			return pkgs, nil
		} else if err != nil {
			return nil, fmt.Errorf("decode go list output: %w", err)
		}
		pkgs = append(pkgs, p)
	}
}

func goCmd(dir string, args ...string) (string, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String(), nil
}
