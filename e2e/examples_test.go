//go:build unix

package e2e

import (
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// freePort asks the kernel for a free loopback port.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// copyDir copies an example into a temp dir, so the test never writes into the repo.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// getUntil polls url until its body contains want, within the deadline.
func getUntil(t *testing.T, url, want string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second) // go run compiles on first start
	client := &http.Client{Timeout: 2 * time.Second}
	var last string
	for time.Now().Before(deadline) {
		resp, err := client.Get(url)
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			last = string(body)
			if strings.Contains(last, want) {
				return
			}
		} else {
			last = err.Error()
		}
		time.Sleep(50 * time.Millisecond) // polling a server with a deadline
	}
	t.Fatalf("%s never answered %q; last: %s", url, want, last)
}

// TestExamples runs each example as its README section says (`reload` in its
// folder), edits its message and sees the new one served.
func TestExamples(t *testing.T) {
	t.Parallel()
	for _, ex := range []struct{ dir, tool, file string }{
		{"node", "node", "index.js"},
		{"python", "python3", "app.py"},
		{"go", "go", "main.go"},
	} {
		t.Run(ex.dir, func(t *testing.T) {
			t.Parallel()
			if _, err := exec.LookPath(ex.tool); err != nil {
				t.Skipf("%s is not installed here", ex.tool)
			}
			dir := copyDir(t, filepath.Join("..", "examples", ex.dir))
			port := strconv.Itoa(freePort(t))
			p := startReload(t, dir, "--env", "PORT="+port)
			url := "http://127.0.0.1:" + port + "/"
			getUntil(t, url, "Hello from reload!")
			src := filepath.Join(dir, ex.file)
			data, err := os.ReadFile(src)
			if err != nil {
				t.Fatal(err)
			}
			writeFile(t, dir, ex.file, strings.Replace(string(data), "Hello from reload!", "Edited and reloaded!", 1))
			getUntil(t, url, "Edited and reloaded!")
			waitFor(t, p.errs, ex.file+" changed")
		})
	}
}
