//go:build linux

package watcher

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io/fs"

	"golang.org/x/sys/unix"
)

// dirReader lists directories with getdents(2) into one reused buffer and
// decides on names and d_type alone, so walking a tree allocates for the
// directories it keeps, never for each file. Not safe for concurrent use:
// each goroutine that lists has its own.
type dirReader struct{ buf []byte }

// list calls fn for every entry of the directory path except "." and "..",
// in the order the file system keeps them. name is valid only during the
// call. With stat set, e.sum fingerprints each non-directory entry (the
// polling backend's compare), else only e.kind is filled. Symlinks are never
// followed, path itself included. An entry gone before it could be looked at
// is left out.
func (r *dirReader) list(path string, stat bool, fn func(name []byte, e entry)) error {
	if r.buf == nil {
		r.buf = make([]byte, 32<<10) // about 700 entries per call: one or two calls for most folders
	}
	fd, err := openDir(path)
	if err != nil {
		return &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer unix.Close(fd)
	for {
		n, err := unix.Getdents(fd, r.buf)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return &fs.PathError{Op: "readdirent", Path: path, Err: err}
		}
		if n <= 0 {
			return nil
		}
		for b := r.buf[:n]; len(b) >= 19; {
			// struct linux_dirent64: ino u64, off s64, reclen u16, type u8, name NUL-terminated
			ino := binary.NativeEndian.Uint64(b[0:8])
			reclen := int(binary.NativeEndian.Uint16(b[16:18]))
			if reclen < 19 || reclen > len(b) {
				return &fs.PathError{Op: "readdirent", Path: path, Err: errors.New("malformed directory entry")}
			}
			typ, raw := b[18], b[19:reclen]
			b = b[reclen:]
			nul := bytes.IndexByte(raw, 0)
			if nul < 0 || ino == 0 || isDot(raw[:nul]) {
				continue
			}
			name := raw[:nul]
			e := entry{kind: kindOf(typ)}
			if e.kind == kindUnknown || (stat && e.kind != kindDir) {
				var st unix.Stat_t
				if err := fstatat(fd, raw[:nul+1], &st); err != nil {
					continue // gone since the listing (or unreadable): as if it were not there
				}
				e = entryOf(&st)
			} else if e.kind == kindDir {
				e.sum = uint64(kindDir) | ino<<2 // a directory's own times move with its entries: only its identity counts
			}
			if e.kind == kindDir {
				e.ino = ino
			}
			fn(name, e)
		}
	}
}

// openDir opens a directory for listing without following a symlink: a
// folder swapped for a link to its ancestor must not send a walk round a loop.
func openDir(path string) (int, error) {
	for {
		fd, err := unix.Open(path, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
		if err != unix.EINTR {
			return fd, err
		}
	}
}

func kindOf(dtype byte) kind {
	switch dtype {
	case unix.DT_DIR:
		return kindDir
	case unix.DT_LNK:
		return kindLink
	case unix.DT_UNKNOWN:
		return kindUnknown // some file systems (XFS without ftype, some FUSE) do not say
	}
	return kindFile
}

// entryOf fingerprints a stat result: identity, size and modification time
// (never the permission bits: a chmod alone is no change), and the kind.
func entryOf(st *unix.Stat_t) entry {
	k := kindFile
	switch st.Mode & unix.S_IFMT {
	case unix.S_IFDIR:
		return entry{kind: kindDir, sum: uint64(kindDir) | uint64(st.Ino)<<2, ino: uint64(st.Ino)}
	case unix.S_IFLNK:
		k = kindLink
	}
	return entry{kind: k, sum: fingerprint(k, uint64(st.Ino), st.Size, st.Mtim.Nano())}
}
