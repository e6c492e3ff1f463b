//go:build linux && (amd64 || arm64)

package watcher

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// fstatat stats cname, a NUL-terminated name inside the directory open as
// dirfd, without following a symlink. It hands the kernel the name where
// getdents left it, already terminated, where unix.Fstatat would copy it
// into a new C string: polling a big tree then allocates nothing per file.
// Stat_t is the kernel's struct stat on these architectures.
func fstatat(dirfd int, cname []byte, st *unix.Stat_t) error {
	for {
		_, _, errno := unix.Syscall6(unix.SYS_NEWFSTATAT, uintptr(dirfd), uintptr(unsafe.Pointer(&cname[0])),
			uintptr(unsafe.Pointer(st)), unix.AT_SYMLINK_NOFOLLOW, 0, 0)
		switch errno {
		case 0:
			return nil
		case unix.EINTR:
			continue
		}
		return errno
	}
}
