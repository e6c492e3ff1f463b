package command

import (
	"fmt"
	"path/filepath"
	"strings"
)

// Gated is how a warm start (--warm, internal/warm) runs a plan: node,
// with reload's gate preloaded before anything else node loads.
type Gated struct {
	Argv []string // node --require <preload> [node flags] [script] [args]
	// EnvFiles are the files --env-file and --env-file-if-exists name, as
	// written (relative to the app's folder): node reads them at boot,
	// before the gate, so a change to one needs a cold start.
	EnvFiles []string
}

// Gate returns p's argv with --require preload right after the node
// program, ahead of the user's own -r and --import (which node runs after
// it, so after the gate). Only node started directly can be gated: a
// shell string, or any other program (tsx starts a node of its own,
// python and the rest have no --require), is an error saying why.
func (p Plan) Gate(preload string) (Gated, error) {
	if p.Shell != "" {
		return Gated{}, fmt.Errorf("the command is a shell string, which starts node out of reload's reach; " +
			"give the script (reload index.js) or cmd as an array (cmd = [\"node\", \"index.js\"])")
	}
	if len(p.Argv) == 0 {
		return Gated{}, fmt.Errorf("no command")
	}
	if !isNode(p.Argv[0]) {
		return Gated{}, fmt.Errorf("only node can start ahead, and this command runs %s", filepath.Base(p.Argv[0]))
	}
	argv := make([]string, 0, len(p.Argv)+2)
	argv = append(argv, p.Argv[0], "--require", preload)
	argv = append(argv, p.Argv[1:]...)
	return Gated{Argv: argv, EnvFiles: envFiles(p.Argv[1:])}, nil
}

// isNode reports whether program is node itself.
func isNode(program string) bool {
	switch strings.TrimSuffix(strings.ToLower(filepath.Base(program)), ".exe") {
	case "node", "nodejs":
		return true
	}
	return false
}

// envFiles lists the files the --env-file options among node's flags
// (those before the script) name.
func envFiles(args []string) []string {
	var files []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" || !strings.HasPrefix(a, "-") || a == "-" {
			break // the script (or stdin): the rest is the app's
		}
		known, takesNext := NodeFlag(a)
		name, value, _ := strings.Cut(a, "=")
		if known && takesNext && i+1 < len(args) {
			i++
			value = args[i]
		}
		switch strings.ReplaceAll(name, "_", "-") {
		case "--env-file", "--env-file-if-exists":
			if value != "" {
				files = append(files, value)
			}
		}
	}
	return files
}
