package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Find looks for .reload.toml in startDir and then each parent. It stops
// after checking the first folder that holds .git (the repository root) or
// the folder home, and never goes above either; when startDir is not under
// home it stops at the filesystem root. It returns the absolute path, or ""
// and nil when there is none.
func Find(startDir, home string) (string, error) {
	return search(startDir, home, FileName, func(dir string) (string, error) {
		p := filepath.Join(dir, FileName)
		found, err := exists(p)
		if !found {
			p = ""
		}
		return p, err
	})
}

// search calls look on startDir and then each parent, with Find's stop
// rules, until look returns a path or an error. name is what is looked
// for, for errors.
func search(startDir, home, name string, look func(dir string) (string, error)) (string, error) {
	dir, err := filepath.Abs(startDir)
	if err != nil {
		return "", fmt.Errorf("find %s: %w", name, err)
	}
	// Compare home by identity as well as by name: a home reached through a
	// symlink (macOS /var vs /private/var) must still stop the search.
	var homeInfo fs.FileInfo
	if home != "" {
		if home, err = filepath.Abs(home); err == nil {
			homeInfo, _ = os.Stat(home)
		}
	}
	for {
		p, err := look(dir)
		if err != nil {
			return "", fmt.Errorf("find %s: %w", name, err)
		}
		if p != "" {
			return p, nil
		}
		if isGit, err := exists(filepath.Join(dir, ".git")); err != nil {
			return "", fmt.Errorf("find %s: %w", name, err)
		} else if isGit || isHome(dir, home, homeInfo) {
			return "", nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}

// exists reports whether p names anything (.git may be a file in worktrees).
func exists(p string) (bool, error) {
	_, err := os.Lstat(p)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	}
	return false, err
}

func isHome(dir, home string, homeInfo fs.FileInfo) bool {
	if home == "" {
		return false
	}
	if dir == filepath.Clean(home) {
		return true
	}
	if homeInfo == nil {
		return false
	}
	info, err := os.Stat(dir)
	return err == nil && os.SameFile(info, homeInfo)
}
