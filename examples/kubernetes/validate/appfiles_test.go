package validate

import (
	"io/fs"
	"path/filepath"
	"testing"
)

// appFiles lists the example app's files, slash-separated and relative to
// app/: each one is copied into the image at /app/<path>, and every sync rule
// must land an edited file at that same place.
func appFiles(t *testing.T) []string {
	t.Helper()
	dir := filepath.Join(example, "app")
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		files = append(files, filepath.ToSlash(rel))
		return err
	})
	if err != nil || len(files) < 2 {
		t.Fatalf("the app's files: %q, %v", files, err)
	}
	return files
}

// appRoot is where the image and the Deployment put the app.
const appRoot = "/app"
