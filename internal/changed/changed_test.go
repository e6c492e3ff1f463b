package changed

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWriteList(t *testing.T) {
	file := filepath.Join(t.TempDir(), "changed")
	if err := WriteList(file, []string{"a:b.js", "c d.js"}); err != nil {
		t.Fatal(err)
	}
	if err := WriteList(file, []string{"a:b.js", "new\nline.js"}); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "a:b.js\x00new\nline.js\x00" {
		t.Fatalf("file holds %q", got)
	}
	if _, err := os.Stat(file + ".new"); !os.IsNotExist(err) {
		t.Fatalf("the temp file stayed: %v", err)
	}
}

func TestJoinPaths(t *testing.T) {
	sep := string(os.PathListSeparator)
	if got := JoinPaths([]string{"aaa", "bbb", "ccc"}, 7); got != "aaa"+sep+"bbb" {
		t.Errorf("capped at 7 = %q; want whole paths only", got)
	}
	if got := JoinPaths([]string{"toolong"}, 3); got != "" {
		t.Errorf("one path over the cap = %q; want empty", got)
	}
}
