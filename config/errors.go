package config

import (
	"errors"
	"fmt"
	"strings"
)

// Error is one problem with a setting. Load and Validate return either one
// *Error or an errors.Join of them, so errors.As(err, new(*config.Error))
// tells a config mistake (exit status 2) from an internal failure. Each
// line of err.Error() is one problem:
//
//	.reload.toml:7: key "delay": "100" has no unit; write "100s" (or "100ms")
type Error struct {
	File string // the config file as given to Load or Validate; "" for flags
	Line int    // from 1; 0 when unknown
	Key  string // dotted key ("backoff.max"); may be ""
	Flag string // named instead of Key when the value came from a flag ("--signal")
	Msg  string // what is wrong, then the fix

	err error // the underlying error, if any (e.g. from reading the file)
}

// Error gives the one-line form: file:line: key "name": message.
func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
		}
		b.WriteString(": ")
	}
	switch {
	case e.Flag != "":
		b.WriteString(e.Flag + ": ")
	case e.Key != "":
		fmt.Fprintf(&b, "key %q: ", e.Key)
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns the underlying error, such as fs.ErrNotExist.
func (e *Error) Unwrap() error { return e.err }

// join keeps a single problem as a bare *Error.
func join(errs []error) error {
	if len(errs) == 1 {
		return errs[0]
	}
	return errors.Join(errs...)
}
