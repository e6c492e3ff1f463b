package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDocsLinks: every relative link in README.md, ARCHITECTURE.md and
// docs/*.md names a file that exists and, with a #fragment, a heading in it.
func TestDocsLinks(t *testing.T) {
	t.Parallel()
	// Pages written on other branches; their links are checked once they
	// are here.
	pending := map[string]bool{"docs/benchmarks.md": true, "docs/kubernetes.md": true}
	pages, err := filepath.Glob("docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	pages = append(pages, "README.md", "ARCHITECTURE.md")
	link := regexp.MustCompile(`\]\(([^)\s]+)\)`)
	for _, page := range pages {
		data, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range link.FindAllStringSubmatch(string(data), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			file, frag, _ := strings.Cut(target, "#")
			path := page
			if file != "" {
				path = filepath.ToSlash(filepath.Join(filepath.Dir(page), file))
			}
			text, err := os.ReadFile(path)
			switch {
			case err != nil && pending[path]:
				t.Logf("%s: %s is not here yet", page, path)
				continue
			case err != nil:
				t.Errorf("%s: link to %s: %v", page, target, err)
				continue
			}
			if frag != "" && strings.HasSuffix(path, ".md") && !anchors(string(text))[frag] {
				t.Errorf("%s: link to %s: no heading #%s in %s", page, target, frag, path)
			}
		}
	}
}

// anchors are the ids GitHub gives the headings of a Markdown page:
// lower case, punctuation dropped, spaces as hyphens.
func anchors(md string) map[string]bool {
	ids := map[string]bool{}
	inCode := false
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "```") {
			inCode = !inCode
		}
		if inCode || !strings.HasPrefix(line, "#") {
			continue
		}
		var b strings.Builder
		for _, r := range strings.ToLower(strings.TrimSpace(strings.TrimLeft(line, "#"))) {
			switch {
			case r == ' ':
				b.WriteRune('-')
			case r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127:
				b.WriteRune(r)
			}
		}
		ids[b.String()] = true
	}
	return ids
}
