package command

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// nodeBins returns the node_modules/.bin folders that npm run puts first on
// PATH, nearest first: from dir (where reload runs), then from root (the
// project root), each folder upward to the first that holds .git, or to
// home. It returns nil unless dir or root has a package.json.
//
// dir's and root's own folders are listed even before npm install creates
// them, so a shell command finds a tool installed later. A folder further
// up is listed only if it exists and is owned by the user running reload,
// by the owner of dir, or by root (uid 0): someone else's
// /tmp/node_modules/.bin must not shadow node (SPEC §6).
func nodeBins(dir, root, home string) []string {
	if !npmProject(dir, root) {
		return nil
	}
	var bins []string
	seen := map[string]bool{}
	for _, start := range []string{dir, root} {
		start = filepath.Clean(start)
		for d := start; ; {
			bin := filepath.Join(d, "node_modules", ".bin")
			if !seen[bin] && (d == start || trusted(bin, dir)) {
				bins = append(bins, bin)
			}
			seen[bin] = true
			parent := filepath.Dir(d)
			if d == filepath.Clean(home) || exists(filepath.Join(d, ".git")) || parent == d {
				break
			}
			d = parent
		}
	}
	return bins
}

// trusted reports whether bin is a folder that reload may put on the app's
// PATH: see nodeBins.
func trusted(bin, dir string) bool {
	fi, err := os.Stat(bin)
	if err != nil || !fi.IsDir() {
		return false
	}
	uid, ok := ownerOf(fi)
	if !ok {
		return true // no owners to compare here (Windows): as npm run does
	}
	if uid == 0 || uid == os.Getuid() {
		return true
	}
	di, err := os.Stat(dir)
	if err != nil {
		return false
	}
	dirUID, _ := ownerOf(di)
	return uid == dirUID
}

func isFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// PathList is the app's PATH: bins first, then path (reload's own, or the
// one the user's [env] sets).
func PathList(bins []string, path string) string {
	if len(bins) == 0 {
		return path
	}
	list := strings.Join(bins, string(os.PathListSeparator))
	if path == "" {
		return list
	}
	return list + string(os.PathListSeparator) + path
}

// LookPath finds the program name in the folders of pathList, as os/exec
// would in reload's own PATH. It is needed because os/exec resolves a bare
// name against reload's PATH even when cmd.Env gives the app another one.
// Relative folders are skipped: os/exec refuses what they find (ErrDot).
// A name with a folder in it is not looked up.
func LookPath(name, pathList string) (string, bool) {
	if name == "" || filepath.Base(name) != name {
		return "", false
	}
	for _, dir := range filepath.SplitList(pathList) {
		if !filepath.IsAbs(dir) {
			continue
		}
		// exec.LookPath checks a path with a folder in it directly: the
		// executable bits on Unix, PATHEXT (tsx.cmd) on Windows.
		if p, err := exec.LookPath(filepath.Join(dir, name)); err == nil {
			return p, true
		}
	}
	return "", false
}

// ExecArgv is p's argv with its program found in the app's PATH (pathList),
// for the runner to exec. A shell string, a program with a folder in it, or
// one not found there is left as it is (not found: os/exec then fails, and
// the runner names the program and p.NotFoundHint).
func (p Plan) ExecArgv(pathList string) []string {
	if p.Shell != "" || len(p.Argv) == 0 {
		return p.Argv
	}
	path, ok := LookPath(p.Argv[0], pathList)
	if !ok {
		return p.Argv
	}
	return append([]string{path}, p.Argv[1:]...)
}
