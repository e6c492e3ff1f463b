//go:build linux

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// saveKind is one way an editor saves.
type saveKind int

const (
	saveInPlace saveKind = iota // value.js rewritten in place
	saveAtomic                  // a temp file written, then renamed over value.js
	saveAll                     // 4 other loaded files, then value.js, 2 ms apart
	saveStorm                   // opt.Storm files the app does not load, then value.js
	numKinds
)

func (k saveKind) String() string {
	return [...]string{"single in-place save", "atomic save (temp file + rename)", "save-all (5 files, 2 ms apart)", "storm"}[k]
}

// parts are the files besides value.js that the app loads and save-all writes.
var parts = []string{"p1.js", "p2.js", "p3.js", "p4.js"}

// project is one tool's small app.
type project struct {
	Root  string
	Storm []string // files the app does not load, relative to Root
}

// genProject writes the app (index.js loading value.js and parts) and
// storm files in folders of 50 under storm/.
func genProject(root, startLog string, storm int) (project, error) {
	p := project{Root: root}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return p, err
	}
	if err := writeApp(root, startLog, parts); err != nil {
		return p, err
	}
	for _, f := range parts {
		if err := os.WriteFile(filepath.Join(root, f), valueSource(0), 0o644); err != nil {
			return p, err
		}
	}
	for i := range storm {
		dir := filepath.Join("storm", fmt.Sprintf("d%03d", i/50))
		if i%50 == 0 {
			if err := os.MkdirAll(filepath.Join(root, dir), 0o755); err != nil {
				return p, err
			}
		}
		rel := filepath.Join(dir, fmt.Sprintf("f%05d.js", i))
		if err := os.WriteFile(filepath.Join(root, rel), []byte("// 0\n"), 0o644); err != nil {
			return p, err
		}
		p.Storm = append(p.Storm, rel)
	}
	return p, nil
}

// save writes value n the way kind says, and returns when its last write
// began: nothing can serve n before it.
func (p project) save(kind saveKind, n int) (time.Time, error) {
	value := filepath.Join(p.Root, "value.js")
	switch kind {
	case saveAtomic:
		t0 := time.Now()
		tmp := filepath.Join(p.Root, ".value.js.tmp") // hidden, and not .js: no tool watches it
		if err := os.WriteFile(tmp, valueSource(n), 0o644); err != nil {
			return t0, err
		}
		return t0, os.Rename(tmp, value)
	case saveAll:
		for _, f := range parts {
			if err := os.WriteFile(filepath.Join(p.Root, f), valueSource(n), 0o644); err != nil {
				return time.Time{}, err
			}
			time.Sleep(2 * time.Millisecond)
		}
	case saveStorm:
		for _, f := range p.Storm {
			if err := write(filepath.Join(p.Root, f), n); err != nil {
				return time.Time{}, err
			}
		}
	}
	t0 := time.Now()
	return t0, os.WriteFile(value, valueSource(n), 0o644)
}
