// Package safefile reads the small settings files reload finds in a tree it
// does not control (.reload.toml, .gitignore, .git/info/exclude), where a
// FIFO would hang a plain read forever and a symlink to /dev/zero, or a
// huge file, would exhaust memory.
package safefile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
)

// MaxSize is the largest file Read accepts (1 MiB). Settings files are a few
// kilobytes; the cap bounds what a hostile one can cost.
const MaxSize = 1 << 20

// The reasons Read refuses a file, for errors.Is. Their text completes
// "<path> is …".
var (
	ErrNotRegular = errors.New("not a regular file")
	ErrTooLarge   = errors.New("larger than 1 MiB")
	ErrSymlink    = errors.New("a symlink, which is not followed")
)

// Read returns the contents of the regular file at path, and its FileInfo
// taken from the open file, so it describes exactly what was read (its
// owner, for one). It opens without blocking (a FIFO cannot stall it) and
// refuses anything that is not a regular file, or is larger than MaxSize.
// With follow false a symlink is refused too, as git refuses a symlinked
// .gitignore. Errors are *fs.PathError; refusals wrap the errors above.
func Read(path string, follow bool) ([]byte, fs.FileInfo, error) {
	f, err := open(path, follow)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	refuse := func(err error) ([]byte, fs.FileInfo, error) {
		return nil, fi, &fs.PathError{Op: "read", Path: path, Err: err}
	}
	if !fi.Mode().IsRegular() {
		return refuse(fmt.Errorf("%w (it is %s)", ErrNotRegular, kind(fi.Mode())))
	}
	if fi.Size() > MaxSize {
		return refuse(ErrTooLarge)
	}
	// The size can grow after the stat, and some regular files (in /proc)
	// report 0: the limit on the read itself is what bounds memory.
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, fi, err
	}
	if len(data) > MaxSize {
		return refuse(ErrTooLarge)
	}
	return data, fi, nil
}

// kind names a file type that is not a regular file.
func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSymlink != 0:
		return "a symlink"
	}
	return "not a plain file"
}
