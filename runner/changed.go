package runner

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/reload-dev/reload/internal/changed"

	"github.com/reload-dev/reload/internal/status"
)

// changes keeps RELOAD_CHANGED_FILE: RELOAD_CHANGED cannot tell the file
// "a:b.js" from the two files "a" and "b.js", and is cut at maxChangedEnv.
// The file holds every changed path of the current start, each ended by a
// NUL byte (as find -print0 writes them). It lives in a folder only reload's
// user can enter, made when Run begins and removed when it returns.
type changes struct {
	dir    string // "" when the folder could not be made: the variable is left out
	log    *status.Printer
	warned bool
}

// newChanges makes the private folder; failing that, it warns and the app
// gets no RELOAD_CHANGED_FILE.
func newChanges(log *status.Printer) *changes {
	dir, err := os.MkdirTemp("", "reload-") // mode 0700
	if err != nil {
		log.Warnf("cannot make a folder for RELOAD_CHANGED_FILE, so the app goes without it: %v", err)
		dir = ""
	}
	return &changes{dir: dir, log: log}
}

// close removes the folder and the file in it.
func (c *changes) close() {
	if c.dir != "" {
		_ = os.RemoveAll(c.dir)
	}
}

// write replaces the file with paths and returns its path, or "" when there
// is no file. It is replaced by a rename, so a reader sees one whole list.
func (c *changes) write(paths []string) string {
	if c.dir == "" {
		return ""
	}
	file := filepath.Join(c.dir, "changed")
	if err := changed.WriteList(file, paths); err != nil {
		if !c.warned {
			c.warned = true
			c.log.Warnf("cannot write RELOAD_CHANGED_FILE, so the app goes without it: %v", err)
		}
		return ""
	}
	return file
}

// withChanges completes env (from appEnv) with RELOAD_CHANGED_FILE (when
// file is not "") and, when RELOAD_CHANGED holds only some of changed,
// RELOAD_CHANGED_TRUNCATED with their total count. Values of both inherited
// from a reload above this one are dropped.
func withChanges(env []string, file string, changed []string) []string {
	out := make([]string, 0, len(env)+2)
	for _, kv := range env {
		if !strings.HasPrefix(kv, "RELOAD_CHANGED_FILE=") && !strings.HasPrefix(kv, "RELOAD_CHANGED_TRUNCATED=") {
			out = append(out, kv)
		}
	}
	if file != "" {
		out = append(out, "RELOAD_CHANGED_FILE="+file)
	}
	if joined := len(changed) - 1; joined >= 0 {
		for _, p := range changed {
			joined += len(p)
		}
		if joined > maxChangedEnv { // joinPaths keeps whole paths while they fit
			out = append(out, "RELOAD_CHANGED_TRUNCATED="+strconv.Itoa(len(changed)))
		}
	}
	return out
}
