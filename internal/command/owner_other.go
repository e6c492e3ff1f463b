//go:build !unix

package command

import "io/fs"

// ownerOf reports no owner: Windows files have ACLs, not a uid.
func ownerOf(fs.FileInfo) (int, bool) { return 0, false }
