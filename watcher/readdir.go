package watcher

import "hash/maphash"

// kind is what a directory entry is, as far as watching cares.
type kind uint8

const (
	kindUnknown kind = iota // not known without a stat; never passed to callers of list
	kindFile                // a regular file, or anything else that is neither a folder nor a link
	kindDir
	kindLink // a symlink: never followed, reported like a file
)

// entry is one directory entry as dirReader.list reports it.
type entry struct {
	kind kind
	sum  uint64 // with stat: changes when the entry is replaced, written or touched; not when chmodded
	ino  uint64 // a directory's inode number where the listing gives it for free (Linux), else 0
}

// seed makes fingerprints differ between runs, which costs nothing and keeps
// them from being anything but a comparison.
var seed = maphash.MakeSeed()

// fingerprint folds what a stat says about a file into one number, so a
// polled tree costs 24 bytes per file plus its name. Two states colliding is
// a 1 in 2^64 chance of one missed change.
func fingerprint(k kind, ino uint64, size, mtime int64) uint64 {
	var b [25]byte
	put := func(at int, v uint64) {
		for i := range 8 {
			b[at+i] = byte(v >> (8 * i))
		}
	}
	put(0, ino)
	put(8, uint64(size))
	put(16, uint64(mtime))
	b[24] = byte(k)
	return maphash.Bytes(seed, b[:])&^3 | uint64(k) // the low bits keep the kind, so a sum never equals a folder's
}

func isDot(name []byte) bool {
	return len(name) == 1 && name[0] == '.' || len(name) == 2 && name[0] == '.' && name[1] == '.'
}
