//go:build linux && !(amd64 || arm64)

package watcher

import "golang.org/x/sys/unix"

// fstatat stats cname, a NUL-terminated name inside the directory open as
// dirfd, without following a symlink.
func fstatat(dirfd int, cname []byte, st *unix.Stat_t) error {
	for {
		err := unix.Fstatat(dirfd, string(cname[:len(cname)-1]), st, unix.AT_SYMLINK_NOFOLLOW)
		if err != unix.EINTR {
			return err
		}
	}
}
