package config

import (
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
)

// Trust decides whether a config file found by the upward search (Find) may
// be used: the search can reach folders other users write to (/tmp, a
// shared checkout), and a config file runs its cmd. A file given with
// --config was chosen by the user and needs no Trust.
type Trust struct {
	// StartDir is the folder reload was started in. Its owner is trusted as
	// well as the user running reload, so root in a container can use a
	// bind-mounted project that belongs to the host's user.
	StartDir string
	// Dirs are folders whose config file is trusted whoever owns it
	// (RELOAD_TRUSTED_DIRS).
	Dirs []string
}

// LoadFound is Load for a file that Find returned. It refuses the file, as a
// config error naming its owner and how to trust it, unless its owner (and,
// for a symlink, the link's owner too) is the user running reload or the
// owner of t.StartDir, or its folder is one of t.Dirs. The owner is read
// from the file as opened, so it cannot be swapped after the check. Where
// files have no owner uid (Windows) there is no check.
func LoadFound(path string, base Config, t Trust) (Config, error) {
	return load(path, base, func(fi fs.FileInfo) error { return t.check(path, fi) })
}

// check returns an *Error when the file at path, opened as fi, is not trusted.
func (t Trust) check(path string, fi fs.FileInfo) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	if t.listed(filepath.Dir(abs)) {
		return nil
	}
	ok := []int{os.Geteuid()}
	if st, err := os.Stat(t.StartDir); err == nil {
		if uid, known := owner(st); known {
			ok = append(ok, uid)
		}
	}
	infos := []fs.FileInfo{fi}
	if li, err := os.Lstat(path); err == nil && li.Mode()&fs.ModeSymlink != 0 {
		infos = append(infos, li) // whoever placed the link chose which file is read
	}
	for i, info := range infos {
		uid, known := owner(info)
		if !known || slices.Contains(ok, uid) {
			continue
		}
		what := "belongs to"
		if i > 0 {
			what = "is a symlink that belongs to"
		}
		return &Error{File: path, Msg: fmt.Sprintf("%s %s, not to you or to the owner of %s, so it is not used (its cmd would run as you); "+
			"if you trust it, pass --config %s, or add %s to RELOAD_TRUSTED_DIRS", what, describeUID(uid), t.StartDir, path, filepath.Dir(abs))}
	}
	return nil
}

// listed reports whether dir is one of t.Dirs, by name or by identity.
func (t Trust) listed(dir string) bool {
	var info fs.FileInfo
	for _, d := range t.Dirs {
		if d == "" {
			continue
		}
		if a, err := filepath.Abs(d); err == nil && a == dir {
			return true
		}
		if info == nil {
			var err error
			if info, err = os.Stat(dir); err != nil {
				return false
			}
		}
		if di, err := os.Stat(d); err == nil && os.SameFile(di, info) {
			return true
		}
	}
	return false
}

// describeUID names a user: "uid 1000 (alice)", or "uid 1000" when unknown.
func describeUID(uid int) string {
	s := "uid " + strconv.Itoa(uid)
	if u, err := user.LookupId(strconv.Itoa(uid)); err == nil && u.Username != "" {
		s += " (" + u.Username + ")"
	}
	return s
}
