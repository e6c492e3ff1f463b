package config

import (
	"strings"

	"github.com/BurntSushi/toml"
)

// lineIndex maps each key path written in a TOML file to the line (from 1)
// where it first appears. BurntSushi/toml keeps key positions private and
// reports them only for UnmarshalText failures, so unknown keys, type errors
// and Validate find their line by scanning the text. It is a reader for the
// common shapes (tables, dotted keys, inline tables, multi-line strings and
// arrays), not a TOML parser: the file has already parsed when it is used.
//
// It is a tree of key parts, so its size and the time to build it are
// linear in the text: a map from each dotted prefix written out would cost
// the square of a key's length (a.a.a…b = 1: 10 KB of text took 0.5 GB).
// The zero value is an empty index.
type lineIndex struct {
	nodes []keyNode       // nodes[0] is the root, the file itself
	kids  map[keyEdge]int // (parent, part) → child, an index into nodes
}

// keyNode is one key part; its path is its parents' parts, then name.
type keyNode struct {
	parent, depth, line int
	name                string
}

type keyEdge struct {
	parent int
	name   string
}

// indexLines scans text; see lineIndex.
func indexLines(text string) lineIndex {
	idx := lineIndex{nodes: []keyNode{{}}, kids: map[keyEdge]int{}}
	var table []string
	open := "" // delimiter of a multi-line string still open
	depth := 0 // brackets and braces of a value still open
	for i, line := range strings.Split(text, "\n") {
		n := i + 1
		if open != "" {
			j := strings.Index(line, open)
			if j < 0 {
				continue
			}
			open, depth = scanValue(line[j+3:], depth)
			continue
		}
		if depth > 0 {
			open, depth = scanValue(line, depth)
			continue
		}
		t := strings.TrimSpace(line)
		switch {
		case t == "" || t[0] == '#':
			continue
		case t[0] == '[':
			name := strings.TrimLeft(t, "[")
			if end := indexUnquoted(name, ']'); end >= 0 {
				name = name[:end]
			}
			table = splitKey(name)
			idx.add(0, table, n)
			continue
		}
		eq := indexUnquoted(t, '=')
		if eq < 0 {
			continue
		}
		idx.add(idx.add(0, table, n), splitKey(t[:eq]), n)
		open, depth = scanValue(t[eq+1:], 0)
	}
	return idx
}

// add records path below the node at, and each of its parents, keeping the
// first line seen. It returns the node of the whole path.
func (idx *lineIndex) add(at int, path []string, n int) int {
	for _, part := range path {
		e := keyEdge{at, part}
		child, ok := idx.kids[e]
		if !ok {
			child = len(idx.nodes)
			idx.nodes = append(idx.nodes, keyNode{parent: at, depth: idx.nodes[at].depth + 1, line: n, name: part})
			idx.kids[e] = child
		}
		at = child
	}
	return at
}

// line returns where path is written; for a key inside an inline table
// (backoff = {max = "1s"}) that is its parent's line. 0 means not found.
func (idx lineIndex) line(path ...string) int {
	n, at := 0, 0
	for _, part := range path {
		child, ok := idx.kids[keyEdge{at, part}]
		if !ok {
			break
		}
		at, n = child, idx.nodes[child].line
	}
	return n
}

// keyAt returns the deepest key written on line n, or "".
func (idx lineIndex) keyAt(n int) string {
	best := 0
	for i, k := range idx.nodes {
		if i > 0 && k.line == n && k.depth > idx.nodes[best].depth {
			best = i
		}
	}
	if best == 0 {
		return ""
	}
	key := make(toml.Key, idx.nodes[best].depth)
	for i := best; i != 0; i = idx.nodes[i].parent {
		key[idx.nodes[i].depth-1] = idx.nodes[i].name
	}
	return key.String()
}

// scanValue reads the rest of a line holding a value and returns the
// multi-line string delimiter left open, if any, and the bracket depth.
func scanValue(s string, depth int) (open string, _ int) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '#':
			return "", depth
		case '[', '{':
			depth++
		case ']', '}':
			depth--
		case '"', '\'':
			if strings.HasPrefix(s[i:], `"""`) || strings.HasPrefix(s[i:], "'''") {
				delim := s[i : i+3]
				j := strings.Index(s[i+3:], delim)
				if j < 0 {
					return delim, depth
				}
				i += 3 + j + 2
				continue
			}
			i = skipString(s, i)
		}
	}
	return "", max(depth, 0)
}

// skipString returns the index of the quote closing the string opened at i.
func skipString(s string, i int) int {
	q := s[i]
	for j := i + 1; j < len(s); j++ {
		switch {
		case s[j] == '\\' && q == '"':
			j++
		case s[j] == q:
			return j
		}
	}
	return len(s)
}

// indexUnquoted finds c outside quoted key parts.
func indexUnquoted(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case c:
			return i
		case '"', '\'':
			i = skipString(s, i)
		}
	}
	return -1
}

// splitKey splits a dotted key ("a . \"b.c\"") into its unquoted parts.
func splitKey(s string) []string {
	var parts []string
	for {
		dot := indexUnquoted(s, '.')
		part := s
		if dot >= 0 {
			part = s[:dot]
		}
		part = strings.TrimSpace(part)
		if len(part) >= 2 && (part[0] == '"' || part[0] == '\'') && part[len(part)-1] == part[0] {
			part = part[1 : len(part)-1]
		}
		parts = append(parts, part)
		if dot < 0 {
			return parts
		}
		s = s[dot+1:]
	}
}
