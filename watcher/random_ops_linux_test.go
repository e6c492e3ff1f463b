package watcher

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// The names the operations draw from: few, so they collide often (a file
// written twice, a folder renamed onto a name used before).
var (
	dirNames  = []string{"d0", "d1", "d1-2", "d2", "d3"} // "d1-2" sorts between "d1" and "d1/…"
	fileNames = []string{"f0.js", "f1.js", "f2.go", "g.txt", ".env"}
)

// step does one random operation and updates the model.
func (m *model) step() {
	files := slices.Sorted(maps.Keys(m.files)) // sorted: a seed replays exactly
	dirs := slices.Sorted(maps.Keys(m.dirs))
	n := m.rnd.IntN(100)
	switch {
	case len(files) == 0 || n < 12:
		m.create(m.pickDir(dirs) + m.pick(fileNames))
	case n < 27:
		m.write(m.pick(files))
	case n < 37:
		m.atomicSave(m.pick(files))
	case n < 44:
		m.touch(m.pick(files))
	case n < 54:
		m.mkdirDeep(m.pickDir(dirs))
	case n < 64 && len(dirs) > 0:
		m.renameDir(m.pick(dirs), dirs)
	case n < 72:
		m.remove(m.pick(files))
	case n < 77 && len(dirs) > 0:
		m.removeDir(m.pick(dirs))
	case n < 82 && len(dirs) > 0:
		d := m.pick(dirs)
		m.removeDir(d)
		m.mkdirs(d)
		m.create(d + "/" + m.pick(fileNames))
	default:
		m.writeIgnored(m.pickDir(dirs))
	}
}

func (m *model) pick(s []string) string { return s[m.rnd.IntN(len(s))] }

// pickDir returns a watched folder as a prefix: "" (the root) or "dir/".
func (m *model) pickDir(dirs []string) string {
	if len(dirs) == 0 || m.rnd.IntN(4) == 0 {
		return ""
	}
	return m.pick(dirs) + "/"
}

func (m *model) abs(rel string) string { return filepath.Join(m.root, filepath.FromSlash(rel)) }

func (m *model) did(format string, args ...any) {
	m.ops = append(m.ops, fmt.Sprintf(format, args...))
	m.history = append(m.history, m.ops[len(m.ops)-1])
}

// touch marks rel and its ancestors as named by this round.
func (m *model) mark(rel string) {
	for ; rel != ""; rel = parentRel(rel) {
		m.touched[rel] = true
	}
}

func (m *model) mkdirs(rel string) {
	if err := os.MkdirAll(m.abs(rel), 0o755); err != nil {
		m.t.Fatal(err)
	}
	for d := rel; d != ""; d = parentRel(d) {
		m.dirs[d] = true
	}
	m.mark(rel)
}

// create writes rel anew, or over what is there when it is a file; a name
// taken by a folder is left alone.
func (m *model) create(rel string) {
	if m.dirs[rel] {
		return
	}
	m.version++
	if err := os.WriteFile(m.abs(rel), []byte(fmt.Sprint(m.version)), 0o644); err != nil {
		m.t.Fatal(err)
	}
	m.files[rel] = m.version
	m.mark(rel)
	m.did("create %s", rel)
}

func (m *model) write(rel string) {
	f, err := os.OpenFile(m.abs(rel), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		m.t.Fatal(err)
	}
	m.version++
	if _, err := fmt.Fprint(f, m.version); err != nil {
		m.t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		m.t.Fatal(err)
	}
	m.files[rel] = m.version
	m.mark(rel)
	m.did("write %s", rel)
}

// atomicSave writes a temp file next to rel and renames it over rel, as
// editors do. The temp name passes every filter, so only the folding of
// created-and-gone paths keeps it out of the batch; the check allows it
// anyway, as a writer stalled past the quiet period would show it.
func (m *model) atomicSave(rel string) {
	tmp := fmt.Sprintf("%s.save%d", rel, m.version)
	m.version++
	if err := os.WriteFile(m.abs(tmp), []byte(fmt.Sprint(m.version)), 0o644); err != nil {
		m.t.Fatal(err)
	}
	if err := os.Rename(m.abs(tmp), m.abs(rel)); err != nil {
		m.t.Fatal(err)
	}
	m.files[rel] = m.version
	m.replaced[rel] = true
	m.mark(rel)
	m.mark(tmp)
	m.did("atomic save %s (via %s)", rel, tmp)
}

func (m *model) touch(rel string) {
	touch(m.t, m.abs(rel))
	m.version++
	m.files[rel] = m.version
	m.mark(rel)
	m.did("touch %s", rel)
}

// mkdirDeep makes one to three new folders below dir and writes a file in
// the deepest at once.
func (m *model) mkdirDeep(dir string) {
	rel := strings.TrimSuffix(dir, "/")
	for k := 1 + m.rnd.IntN(3); k > 0 && strings.Count(rel, "/") < 5; k-- {
		rel = strings.TrimPrefix(rel+"/"+m.pick(dirNames), "/")
		if _, isFile := m.files[rel]; isFile {
			return
		}
	}
	m.mkdirs(rel)
	m.did("mkdir -p %s", rel)
	m.create(rel + "/" + m.pick(fileNames))
}

// renameDir moves a folder to a new name under another watched folder (or
// the root), never into itself, never onto a name in use.
func (m *model) renameDir(from string, dirs []string) {
	to := strings.TrimPrefix(m.pickDir(dirs)+m.pick(dirNames), "/")
	if to == from || strings.HasPrefix(to, from+"/") || m.dirs[to] || m.isFile(to) || m.isFile(parentRel(to)) {
		return
	}
	if err := os.Rename(m.abs(from), m.abs(to)); err != nil {
		m.t.Fatal(err)
	}
	moved := func(p string) (string, bool) {
		if p == from || strings.HasPrefix(p, from+"/") {
			return to + p[len(from):], true
		}
		return "", false
	}
	for _, d := range slices.Sorted(maps.Keys(m.dirs)) {
		if n, ok := moved(d); ok {
			delete(m.dirs, d)
			m.dirs[n] = true
			m.removed[d] = true
			m.mark(d)
			m.mark(n)
		}
	}
	for _, f := range slices.Sorted(maps.Keys(m.files)) {
		if n, ok := moved(f); ok {
			m.files[n] = m.files[f]
			delete(m.files, f)
			m.mark(f)
			m.mark(n)
		}
	}
	m.did("rename %s → %s", from, to)
}

func (m *model) isFile(rel string) bool {
	_, ok := m.files[rel]
	return ok
}

func (m *model) remove(rel string) {
	if err := os.Remove(m.abs(rel)); err != nil {
		m.t.Fatal(err)
	}
	delete(m.files, rel)
	m.mark(rel)
	m.did("rm %s", rel)
}

func (m *model) removeDir(rel string) {
	if err := os.RemoveAll(m.abs(rel)); err != nil {
		m.t.Fatal(err)
	}
	under := func(p string) bool { return p == rel || strings.HasPrefix(p, rel+"/") }
	for d := range m.dirs {
		if under(d) {
			delete(m.dirs, d)
			m.removed[d] = true
			m.mark(d)
		}
	}
	for f := range m.files {
		if under(f) {
			delete(m.files, f)
			m.mark(f)
		}
	}
	m.did("rm -r %s", rel)
}

// writeIgnored writes where no batch may look: ignored folders (built-in,
// gitignored, a user glob), made deep on the way, and ignored file names.
func (m *model) writeIgnored(dir string) {
	var rel string
	switch m.rnd.IntN(6) {
	case 0:
		rel = fmt.Sprintf("%snode_modules/pkg%d/index.js", dir, m.rnd.IntN(3))
	case 1:
		rel = fmt.Sprintf("dist/c%d/bundle.js", m.rnd.IntN(3)) // dist/** is anchored at the root
	case 2:
		rel = fmt.Sprintf("%sbuild/out%d.js", dir, m.rnd.IntN(3))
	case 3:
		rel = dir + "debug.log"
	case 4:
		rel = dir + "cache.tmp"
	default:
		rel = dir + ".f0.js.swp"
	}
	if err := os.MkdirAll(filepath.Dir(m.abs(rel)), 0o755); err != nil {
		m.t.Fatal(err)
	}
	m.version++
	if err := os.WriteFile(m.abs(rel), []byte(fmt.Sprint(m.version)), 0o644); err != nil {
		m.t.Fatal(err)
	}
	m.did("write ignored %s", rel)
}
