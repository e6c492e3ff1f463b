package config

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestTooDeep(t *testing.T) {
	t.Parallel()
	r := strings.Repeat
	dotted := func(n int) string { return r("a.", n-1) + "b" }
	for _, tc := range []struct {
		name, text string
		want       int
	}{
		{"flat", "cmd = \"x\"\ndelay = \"1s\"\n[backoff]\nmax = \"1s\"\n[env]\nA = \"1\"\n", 0},
		{"arrays at the limit", "x = " + r("[", maxDepth) + r("]", maxDepth) + "\n", 0},
		{"arrays past it", "\nx = " + r("[", maxDepth+1) + r("]", maxDepth+1) + "\n", 2},
		{"arrays over lines", "x = [\n" + r("[\n", maxDepth) + "1" + r("]", maxDepth+1), maxDepth + 1},
		{"many closed arrays", "x = [" + r("[[1], [2]], ", 1000) + "]\n", 0},
		{"dotted key at the limit", dotted(maxDepth) + " = 1\n", 0},
		{"dotted key past it", "# c\n" + dotted(maxDepth+1) + " = 1\n", 2},
		{"header past it", "[" + dotted(maxDepth+1) + "]\n", 1},
		{"array of tables past it", "[[" + dotted(maxDepth+1) + "]]\n", 1},
		{"header plus key past it", "[" + dotted(maxDepth-2) + "]\n\nc.d.e = 1\n", 3},
		{"next header resets", "[" + dotted(maxDepth-1) + "]\n[x]\nc.d.e = 1\n", 0},
		{"inline tables past it", "x = " + r("{a = ", maxDepth) + "1" + r("}", maxDepth) + "\n", 1},
		{"inline tables with dotted keys", "x = {" + r("a.b.c = {", maxDepth/3+1) + "}" + r("}", maxDepth/3+1) + "\n", 1},
		{"inline tables side by side", "x = {" + r("a = {b = 1}, ", 100) + "c = 1}\n", 0},
		{"brackets in strings", `x = "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"{{{{{{{{{{{{{{{{{{{{{{"` + "\n", 0},
		{"brackets in literal strings", "x = '" + r("[", 100) + "'\n", 0},
		{"brackets in comments", "x = 1 # " + r("{", 100) + "\n# " + r("[", 100) + "\n", 0},
		{"brackets in multi-line strings", "x = \"\"\"\n" + r("[", 100) + "\n\\\"\"\"" + r("{", 100) + "\"\"\"\"\ny = '''\n" + r("[", 100) + "'''''\n", 0},
		{"line counted through a multi-line string", "x = '''\n\n\n'''\n" + dotted(maxDepth+1) + " = 1\n", 5},
		{"quoted key parts", `"a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r" = 1` + "\n", 0},
		{"unclosed string", "x = \"" + r("[", 100) + "\n" + "y = 1\n", 0},
	} {
		if got := tooDeep(tc.text); got != tc.want {
			t.Errorf("%s: tooDeep = %d, want %d", tc.name, got, tc.want)
		}
	}
}

// TestHugeNestingIsRefusedCheaply: the shapes that took the decoder (or the
// line index) gigabytes, or overflowed its stack, are refused with a line
// number, in one pass and little memory. Not parallel: it measures the
// allocations of its own goroutine's work with nothing else running.
func TestHugeNestingIsRefusedCheaply(t *testing.T) {
	const size = 1<<20 - 16 // just under the size cap
	r := strings.Repeat
	dir := t.TempDir()
	for _, tc := range []struct{ name, text string }{
		{"dotted key", r("a.", size/2) + "b = 1\n"},
		{"arrays", "x = " + r("[", size)},
		{"inline tables", "x = " + r("{a=", size/3)},
		{"table header", "[" + r("a.", size/2) + "]\n"},
	} {
		p := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".toml")
		if err := os.WriteFile(p, []byte(tc.text), 0o644); err != nil {
			t.Fatal(err)
		}
		allocated := measure(func() {
			_, err := Load(p, Default())
			if err == nil || !strings.Contains(err.Error(), ":1: nested more than") {
				t.Errorf("%s: got %v, want a nesting error on line 1", tc.name, err)
			}
		})
		if allocated > 16<<20 {
			t.Errorf("%s: loading allocated %d MB, want a few", tc.name, allocated>>20)
		}
	}
}

// TestIndexLinesIsLinear: a dotted key of 100,000 parts (200 KB) used to
// cost the line index tens of gigabytes (each prefix written out).
func TestIndexLinesIsLinear(t *testing.T) {
	const parts = 100_000
	text := "\n" + strings.Repeat("a.", parts-1) + "b = 1\n"
	var idx lineIndex
	allocated := measure(func() { idx = indexLines(text) })
	if allocated > 64<<20 {
		t.Errorf("indexing allocated %d MB, want it linear in the text (a few MB)", allocated>>20)
	}
	path := append(strings.Split(strings.Repeat("a.", parts-1), ".")[:parts-1], "b")
	if got := idx.line(path...); got != 2 {
		t.Errorf("line(a.….b) = %d, want 2", got)
	}
	if got := idx.keyAt(2); len(got) != len(text)-len("\n = 1\n") {
		t.Errorf("keyAt(2) has %d bytes, want the whole key", len(got))
	}
}

// measure returns the bytes f allocated.
func measure(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
