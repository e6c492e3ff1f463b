package watcher

import (
	"os"
	"syscall"
)

// touched reports whether a Chmod-only event on p was a touch: setting the
// times to now writes mtime and ctime with the same clock reading, while a
// chmod moves only ctime.
func touched(p string) bool {
	fi, err := os.Lstat(p)
	if err != nil || !fi.Mode().IsRegular() {
		return false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && st.Mtimespec == st.Ctimespec
}
