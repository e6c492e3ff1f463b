package config

import (
	"reflect"
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    time.Duration
		wantErr string
	}{
		{"50ms", 50 * time.Millisecond, ""},
		{"1m30s", 90 * time.Second, ""},
		{" 2s ", 2 * time.Second, ""},
		{"0", 0, ""},
		{"-1s", -time.Second, ""}, // parsed; Validate rejects it with the key's line
		{"100", 0, `"100" has no unit; write "100s" (or "100ms")`},
		{"1.5", 0, `"1.5" has no unit; write "1.5s" (or "1.5ms")`},
		{"fast", 0, `"fast" is not a duration; write it like "500ms" or "2s"`},
		{"", 0, `"" is not a duration; write it like "500ms" or "2s"`},
		{"5 s", 0, `"5 s" is not a duration; write it like "500ms" or "2s"`},
	}
	for _, tt := range tests {
		got, err := ParseDuration(tt.in)
		var msg string
		if err != nil {
			msg = err.Error()
		}
		if got != tt.want || msg != tt.wantErr {
			t.Errorf("ParseDuration(%q) = %v, %q; want %v, %q", tt.in, got, msg, tt.want, tt.wantErr)
		}
		var d Duration
		if err := d.UnmarshalText([]byte(tt.in)); (err == nil) != (tt.wantErr == "") || d.Duration != tt.want {
			t.Errorf("UnmarshalText(%q) = %v, %v", tt.in, d, err)
		}
	}
}

func TestDurationMarshalTextRoundTrips(t *testing.T) {
	t.Parallel()
	for _, d := range []time.Duration{0, 50 * time.Millisecond, 90 * time.Second} {
		b, err := Duration{d}.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Duration
		if err := back.UnmarshalText(b); err != nil || back.Duration != d {
			t.Errorf("%v → %q → %v, %v", d, b, back, err)
		}
	}
}

func TestCommandUnmarshalTOML(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   any
		want Command
		ok   bool
	}{
		{"npm run dev", Command{Shell: "npm run dev"}, true},
		{[]any{"node", "index.js"}, Command{Argv: []string{"node", "index.js"}}, true},
		{"  ", Command{}, false},
		{[]any{}, Command{}, false},
		{[]any{"node", int64(1)}, Command{}, false},
		{int64(1), Command{}, false},
		{map[string]any{}, Command{}, false},
	}
	for _, tt := range tests {
		// Start with both fields set: a decode must replace both.
		c := Command{Shell: "old", Argv: []string{"old"}}
		err := c.UnmarshalTOML(tt.in)
		if (err == nil) != tt.ok || (tt.ok && !reflect.DeepEqual(c, tt.want)) {
			t.Errorf("UnmarshalTOML(%#v) = %+v, %v; want %+v ok=%v", tt.in, c, err, tt.want, tt.ok)
		}
	}
}

func TestListUnmarshalTOML(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   any
		want List
		ok   bool
	}{
		{"js,json", List{"js", "json"}, true},
		{" .JS , json ,", List{"js", "json"}, true},
		{"", List{}, true},
		{[]any{"js", ".Json"}, List{"js", "json"}, true},
		{[]any{}, List{}, true},
		{[]any{""}, List{""}, true}, // kept, so Validate can name the empty entry
		{[]any{"js", true}, nil, false},
		{int64(3), nil, false},
	}
	for _, tt := range tests {
		var l List
		err := l.UnmarshalTOML(tt.in)
		if (err == nil) != tt.ok || (tt.ok && !reflect.DeepEqual(l, tt.want)) {
			t.Errorf("UnmarshalTOML(%#v) = %#v, %v; want %#v ok=%v", tt.in, l, err, tt.want, tt.ok)
		}
	}
	for in, want := range map[string]List{
		"ts, .MTS":   {"ts", "mts"},
		"js json":    {"js", "json"}, // nodemon's -e "js json"
		".js,  .txt": {"js", "txt"},
		" , ":        {},
	} {
		if got := ParseExt(in); !reflect.DeepEqual(got, want) {
			t.Errorf("ParseExt(%q) = %q; want %q", in, got, want)
		}
	}
}
