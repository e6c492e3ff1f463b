package config

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// checkKeys reports, in file order, every key the file sets that reload
// does not know and every value of the wrong TOML type. Names must match
// exactly: BurntSushi matches struct fields case-insensitively, so
// md.Undecoded() would let "Delay" through. Values whose type decides their
// meaning (cmd, ext, watch, ignore) are left to their UnmarshalTOML, and
// durations' text to UnmarshalText, which report the exact line.
func checkKeys(file string, md toml.MetaData, raw map[string]any, lines lineIndex) []error {
	var errs []error
	explained := map[string]bool{} // keys whose children need no message of their own
	for _, k := range md.Keys() {
		if under(k, explained) {
			continue
		}
		name := k.String()
		msg := ""
		if len(k) == 2 && (k[0] == "env" || k[0] == "exec_map" || k[0] == "hooks") {
			msg = checkKind(name, kindString, value(raw, k))
		} else if key, ok := Lookup(name); ok {
			msg = checkKind(name, key.kind(), value(raw, k))
		} else {
			msg = unknownKey(k)
		}
		if msg != "" {
			explained[name] = true
			errs = append(errs, &Error{File: file, Line: lines.line(k...), Key: name, Msg: msg})
		}
	}
	return errs
}

// under reports whether k or a parent of it has already been explained
// (an array of tables lists its key once per element).
func under(k toml.Key, explained map[string]bool) bool {
	for i := 1; i <= len(k); i++ {
		if explained[k[:i].String()] {
			return true
		}
	}
	return false
}

// value finds k in the decoded tree; nil inside arrays of tables.
func value(raw map[string]any, k toml.Key) any {
	var v any = raw
	for _, part := range k {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[part]
	}
	return v
}

// checkKind returns what is wrong with v for the key name of kind kd, or "".
func checkKind(name string, kd kind, v any) string {
	switch kd {
	case kindString:
		switch v := v.(type) {
		case string:
			return ""
		case int64, float64, bool:
			return fmt.Sprintf("%v is not a string; write %q", v, fmt.Sprint(v))
		}
		return "want a string, not " + describe(v)
	case kindBool:
		if _, ok := v.(bool); ok {
			return ""
		}
		if s, ok := v.(string); ok {
			if b, err := strconv.ParseBool(s); err == nil {
				return fmt.Sprintf("%q is a string; write %v without quotes", s, b)
			}
		}
		return "want true or false, not " + describe(v)
	case kindInt:
		if _, ok := v.(int64); ok {
			return ""
		}
		if s, ok := v.(string); ok {
			if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil {
				return fmt.Sprintf("%q is a string; write %d without quotes", s, n)
			}
		}
		return "want a whole number like 3, not " + describe(v)
	case kindDuration:
		switch v := v.(type) {
		case string:
			return "" // UnmarshalText checks the text, with the exact line
		case int64, float64:
			return fmt.Sprintf("%v has no unit; %s", v, unitHint(fmt.Sprint(v)))
		}
		return `want a duration like "500ms" or "2s", not ` + describe(v)
	case kindTable:
		if _, ok := v.(map[string]any); ok {
			return ""
		}
		return fmt.Sprintf("want a [%s] table, not %s", name, describe(v))
	case kindStringMap:
		if _, ok := v.(map[string]any); ok {
			return "" // its entries are checked as keys of their own
		}
		return fmt.Sprintf(`want a [%s] table of names = "strings", not %s`, name, describe(v))
	}
	return ""
}

// unknownKey explains an unknown key and guesses what was meant.
func unknownKey(k toml.Key) string {
	const msg = "no such key"
	if len(k) == 2 && (k[0] == "backoff" || k[0] == "proxy") {
		if _, ok := Lookup(k[1]); ok {
			// TOML puts every key after a [table] line into that table.
			return fmt.Sprintf("%s; %q is a top-level key, so move it above the [%s] table", msg, k[1], k[0])
		}
	}
	if s := suggest(k.String()); s != "" {
		return fmt.Sprintf("%s; did you mean %q?", msg, s)
	}
	switch k[0] {
	case "backoff":
		return msg + "; [backoff] takes initial, max, reset_after and max_crashes"
	case "proxy":
		return msg + "; [proxy] takes listen, target, wait, live_reload and allowed_hosts"
	}
	return msg + `; "reload init" writes a file listing every key`
}

// suggest returns the known key closest to name, or "".
func suggest(name string) string {
	n := strings.ReplaceAll(strings.ToLower(name), "-", "_")
	for _, table := range []string{"backoff.", "proxy."} {
		if _, ok := Lookup(table + n); ok {
			return table + n
		}
	}
	best, bestD := "", 3 // at most two edits away
	for _, k := range Keys {
		if k.Name == n {
			return k.Name
		}
		if d := EditDistance(n, k.Name); d < bestD && len(n) > 2 {
			best, bestD = k.Name, d
		}
	}
	return best
}

// EditDistance is the Levenshtein distance between a and b, for "did you
// mean" hints.
func EditDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
