//go:build !unix

package config

import "io/fs"

// owner reports no owner: Windows files have an owner SID, not a uid, and
// a folder other users write to there is the exception; ownership is not
// checked.
func owner(fs.FileInfo) (uid int, ok bool) { return 0, false }
