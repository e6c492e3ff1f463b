package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/reload-dev/reload/config"
	"github.com/reload-dev/reload/internal/command"
)

// cmdline is reload's command line read the way nodemon reads it.
type cmdline struct {
	// args is for urfave/cli, which stops at the first word that is not a
	// flag: argv[0], every reload flag with its value, then "--" and the
	// app's words (its script or program, and their arguments).
	args []string
	// interp are options for the interpreter, written before the script:
	// reload --inspect index.js runs node --inspect index.js.
	interp []string
}

// flagKind is how a reload flag reads the words after it.
type flagKind int

const (
	switchFlag   flagKind = iota + 1 // --on-crash, --on-crash=false
	valueFlag                        // --watch lib, --watch=lib
	optionalFlag                     // --poll, --poll 2s, --poll 1000
)

// flagSpec is what splitArgs knows of reload's flags.
type flagSpec struct {
	kinds map[string]flagKind // every name and alias, without dashes
	names []string            // the same, in --help order, for hints
}

// specOf reads the kinds off the generated flags, so no second list of
// reload's flags exists. "--poll" alone means the default interval, as
// SPEC §2 writes it ("--poll [DUR]"): urfave/cli has no optional values.
func specOf(fs []cli.Flag) flagSpec {
	spec := flagSpec{kinds: map[string]flagKind{}}
	for _, f := range append(fs, cli.HelpFlag, cli.VersionFlag) {
		kind := valueFlag
		if _, ok := f.(*cli.BoolFlag); ok {
			kind = switchFlag
		}
		for _, n := range f.Names() {
			spec.kinds[n] = kind
			spec.names = append(spec.names, n)
		}
	}
	spec.kinds["poll"] = optionalFlag
	return spec
}

// splitArgs reads args as nodemon does. Before the app's first word, every
// flag is reload's or the interpreter's (node's: --inspect, -r X, …);
// any other is an error with a "did you mean". After that word, reload's
// own flags are still reload's, and every other word is the app's, until
// "--", after which everything is the app's. A "--" before any app word
// keeps its old meaning: the command follows. One of ownCommands as the
// first word is reload's subcommand, and its words are left to it.
func splitArgs(args []string, spec flagSpec) (cmdline, error) {
	if len(args) == 0 {
		return cmdline{}, nil
	}
	out := []string{args[0]}
	var interp, app []string
	i := 1
	for ; i < len(args) && app == nil; i++ {
		a := args[i]
		switch {
		case a == "--":
			app = append([]string{}, args[i+1:]...)
			i = len(args)
		case !isFlag(a):
			if slices.Contains(ownCommands, a) && len(interp) == 0 {
				return cmdline{args: append(out, args[i:]...)}, nil
			}
			app = []string{a}
		default:
			words, n, err := reloadFlag(args, i, spec, false)
			if err != nil {
				return cmdline{}, err
			}
			if n == 0 {
				known, takesNext := command.NodeFlag(a)
				if !known {
					return cmdline{}, unknownFlag(a, spec)
				}
				n = 1
				if takesNext {
					if i+1 >= len(args) {
						return cmdline{}, needsValue(a)
					}
					n = 2
				}
				words, interp = nil, append(interp, args[i:i+n]...)
			}
			out = append(out, words...)
			i += n - 1
		}
	}
	for ; i < len(args); i++ {
		if args[i] == "--" {
			app = append(app, args[i+1:]...)
			break
		}
		words, n, err := reloadFlag(args, i, spec, true)
		if err != nil {
			return cmdline{}, err
		}
		if n == 0 {
			app = append(app, args[i])
			continue
		}
		out = append(out, words...)
		i += n - 1
	}
	if len(app) > 0 {
		out = append(append(out, "--"), app...)
	}
	return cmdline{args: out, interp: interp}, nil
}

// ownCommands are the subcommands whose words are their own (init --force,
// completion bash, man). version and help take none.
var ownCommands = []string{"init", "completion", "man"}

// isFlag reports whether a looks like a flag ("-x", "--name"), not a word.
func isFlag(a string) bool { return len(a) > 1 && a[0] == '-' }

// reloadFlag reads the reload flag at args[i], if it is one: the words to
// hand to urfave/cli and how many of args they took (0: not reload's).
// strict takes only the spellings nodemon users write after a script,
// "--name" and "-x"; before it, urfave/cli's "-name" and "--x" count too.
func reloadFlag(args []string, i int, spec flagSpec, strict bool) ([]string, int, error) {
	a := args[i]
	dashes := 1
	if strings.HasPrefix(a, "--") {
		dashes = 2
	}
	name, _, hasValue := strings.Cut(a[dashes:], "=")
	kind := spec.kinds[name]
	if kind == 0 || (strict && (dashes == 2) != (len(name) > 1)) {
		return nil, 0, nil
	}
	next := ""
	if i+1 < len(args) {
		next = args[i+1]
	}
	switch {
	case hasValue || kind == switchFlag:
		return args[i : i+1], 1, nil
	case kind == optionalFlag:
		if isInterval(next) {
			return args[i : i+2], 2, nil
		}
		return []string{a + "=" + config.DefaultPoll.String()}, 1, nil
	case i+1 >= len(args):
		return nil, 0, needsValue(a)
	}
	return args[i : i+2], 2, nil
}

// isInterval reports whether s can be --poll's value: a duration, or a
// bare number (milliseconds, as nodemon's --polling-interval).
func isInterval(s string) bool {
	if _, err := config.ParseDuration(s); err == nil {
		return true
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

func needsValue(flag string) error {
	return fmt.Errorf("%s needs a value; see reload --help", flag)
}

// unknownFlag is the error for a flag before the script that is neither
// reload's nor node's, naming the closest of those when one is near.
func unknownFlag(a string, spec flagSpec) error {
	typed, _, _ := strings.Cut(a, "=")
	if s := suggest(strings.TrimLeft(typed, "-"), spec); s != "" {
		return fmt.Errorf("unknown flag %s; did you mean %s?", typed, s)
	}
	return fmt.Errorf("unknown flag %s; see reload --help", typed)
}

// suggest returns the long flag, reload's first, then node's, nearest to
// name (without dashes) by edit distance, at most 2; "" if none is. Names
// shorter than 3 letters are too short to guess at.
func suggest(name string, spec flagSpec) string {
	if len(name) < 3 {
		return ""
	}
	names := append([]string(nil), spec.names...)
	for _, n := range command.NodeFlagNames() {
		names = append(names, strings.TrimPrefix(n, "--"))
	}
	best, bestD := "", 3
	for _, n := range names { // the first of equals wins: ties go the same way each time
		if len(n) < 2 {
			continue
		}
		if d := config.EditDistance(name, n); d < bestD {
			best, bestD = n, d
		}
	}
	if best == "" {
		return ""
	}
	return "--" + best
}
