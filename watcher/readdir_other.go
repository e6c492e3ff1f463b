//go:build !linux

package watcher

import (
	"errors"
	"io"
	"io/fs"
	"os"
)

// dirReader lists directories with os.File.ReadDir, which gives each entry's
// type without a stat on most systems. Linux has an allocation-free reader
// (readdir_linux.go); elsewhere the event backends cost far more than this.
type dirReader struct{}

// list calls fn for every entry of the directory path, in the order the file
// system keeps them. With stat set, e.sum fingerprints each non-directory
// entry by size, modification time and type (no inode: it is not portable).
// Symlinks are never followed below path. An entry gone before it could be
// looked at is left out.
func (r *dirReader) list(path string, stat bool, fn func(name []byte, e entry)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	for {
		es, err := f.ReadDir(256)
		for _, de := range es {
			e := entry{kind: kindFile}
			switch t := de.Type(); {
			case t.IsDir():
				e.kind = kindDir
			case t&fs.ModeSymlink != 0:
				e.kind = kindLink
			}
			if stat && e.kind != kindDir {
				fi, err := de.Info()
				if err != nil {
					continue // gone since the listing
				}
				e.sum = fingerprint(e.kind, 0, fi.Size(), fi.ModTime().UnixNano())
			} else if e.kind == kindDir {
				e.sum = uint64(kindDir)
			}
			fn([]byte(de.Name()), e)
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
