//go:build linux

package watcher

import "golang.org/x/sys/unix"

// remoteFS names the file system p lies on if it is one whose changes made
// elsewhere send no inotify events, else "".
func remoteFS(p string) string {
	var st unix.Statfs_t
	if err := unix.Statfs(p, &st); err != nil {
		return "" // the walk that follows reports what is wrong with p
	}
	return fsName(uint32(st.Type))
}

// fsName names a statfs f_type magic number (linux/magic.h) of a network or
// virtual file system, or returns "".
func fsName(magic uint32) string {
	switch magic {
	case 0x6969:
		return "NFS"
	case 0x517b:
		return "SMB"
	case 0xff534d42:
		return "CIFS"
	case 0xfe534d42:
		return "SMB2"
	case 0x01021997:
		return "9p (WSL's Windows drives, some container mounts)"
	case 0x65735546:
		return "FUSE (sshfs, rclone, container file sharing)"
	case 0x5346414f, 0x6b414653:
		return "AFS"
	case 0x00c36400:
		return "CephFS"
	}
	return ""
}
