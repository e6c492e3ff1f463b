//go:build !unix

package safefile

import (
	"io/fs"
	"os"
)

// open opens path for reading. Without follow a symlink is refused; there
// is no O_NOFOLLOW here, so the check comes first.
func open(path string, follow bool) (*os.File, error) {
	if !follow {
		if fi, err := os.Lstat(path); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
			return nil, &fs.PathError{Op: "open", Path: path, Err: ErrSymlink}
		}
	}
	return os.Open(path)
}
