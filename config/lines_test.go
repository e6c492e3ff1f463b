package config

import "testing"

func TestIndexLines(t *testing.T) {
	t.Parallel()
	const text = `# delay = "commented"
build = """
delay = "inside a multi-line string"
"""
watch = [
  "src",  # ext = "in a comment"
  "x = [",
]
"delay" = "1s"
cmd = ["a # not a comment", "b"]
backoff.max_crashes = 3
env = { "MY.VAR" = "1" }

[backoff]
initial = "1s"   # reset_after = "x"
'max' = "9s"

[[servers]]
name = "a"
[exec_map]
ts = 'deno run'
`
	idx := indexLines(text)
	tests := []struct {
		path []string
		want int
	}{
		{[]string{"build"}, 2},
		{[]string{"watch"}, 5},
		{[]string{"ext"}, 0},
		{[]string{"delay"}, 9},
		{[]string{"cmd"}, 10},
		{[]string{"backoff", "max_crashes"}, 11},
		{[]string{"backoff"}, 11}, // first mention, as a dotted key
		{[]string{"env"}, 12},
		{[]string{"env", "MY.VAR"}, 12}, // inside an inline table: the parent's line
		{[]string{"backoff", "initial"}, 15},
		{[]string{"backoff", "reset_after"}, 11}, // not written: its table's first line
		{[]string{"backoff", "max"}, 16},
		{[]string{"servers"}, 18},
		{[]string{"servers", "name"}, 19},
		{[]string{"exec_map", "ts"}, 21},
		{[]string{"signal"}, 0},
	}
	for _, tt := range tests {
		if got := idx.line(tt.path...); got != tt.want {
			t.Errorf("line(%q) = %d, want %d", tt.path, got, tt.want)
		}
	}
	if got := idx.keyAt(16); got != "backoff.max" {
		t.Errorf("keyAt(16) = %q, want backoff.max", got)
	}
}
