// Package changed writes the paths that caused a start the two ways the app
// (and a hook) gets them: RELOAD_CHANGED, joined and capped, and the file
// RELOAD_CHANGED_FILE names, complete.
package changed

import (
	"os"
	"strings"
)

// MaxEnv caps RELOAD_CHANGED: Linux refuses any single environment string
// over 128 KiB (E2BIG), and 10,000 changed paths would pass that.
const MaxEnv = 64 << 10

// JoinPaths joins paths with the OS path-list separator, keeping only whole
// paths that fit in limit bytes.
func JoinPaths(paths []string, limit int) string {
	var b []byte
	for _, p := range paths {
		if len(b) > 0 {
			if len(b)+1+len(p) > limit {
				break
			}
			b = append(b, os.PathListSeparator)
		} else if len(p) > limit {
			break
		}
		b = append(b, p...)
	}
	return string(b)
}

// WriteList replaces file with paths, each ended by a NUL byte (as find
// -print0 writes them). It writes a new file and renames it over the old
// one, so a reader sees one whole list.
func WriteList(file string, paths []string) error {
	var b strings.Builder
	for _, p := range paths {
		b.WriteString(p)
		b.WriteByte(0)
	}
	tmp := file + ".new"
	if err := os.WriteFile(tmp, []byte(b.String()), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, file)
}
