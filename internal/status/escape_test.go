package status

import (
	"errors"
	"regexp"
	"strings"
	"testing"
)

// sgr matches the colour sequences reload itself writes (fatih/color).
var sgr = regexp.MustCompile(`\x1b\[[0-9;]*m`)

func TestEscape(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"src/app.js", "src/app.js"},
		{"", ""},
		{`C:\src\app.js`, `C:\src\app.js`},
		{"café/日本語/🙂.js", "café/日本語/🙂.js"},
		{"a\nb", `a\nb`},
		{"\x1b]0;pwned\x07.js", `\x1b]0;pwned\a.js`},
		{"\x1b[31mred", `\x1b[31mred`},
		{"tab\there\r\b\f\v", `tab\there\r\b\f\v`},
		{"nul\x00del\x7f", `nul\x00del\x7f`},
		{"c1 \u0085 \u009b", `c1 \u0085 \u009b`},
		{"raw \x9b byte \xff", `raw \x9b byte \xff`},
		{"bidi \u202egnp.js", `bidi \u202egnp.js`},
		{"line\u2028sep", `line\u2028sep`},
		{"é\n", `é\n`},
		{"keeps \ufffd", "keeps \ufffd"},
	} {
		if got := Escape(tc.in); got != tc.want {
			t.Errorf("Escape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestPrinterEscapesArgumentsOnly: a file name cannot put a control byte on
// the terminal or a second line in the output, while reload's own colour
// and the verbs of its format strings still work.
func TestPrinterEscapesArgumentsOnly(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	p := New(&b, true, Verbose)
	name := "\x1b]0;pwned\x07\n[reload] forged.js"
	p.Infof("restarting: %s changed", name)
	p.Warnf("cannot read %s: %v", name, errors.New("bad\x1b[2J"))
	p.Debugf("%q %d %5s|", name, 42, "ab")
	if n := len(sgr.FindAllString(b.String(), -1)); n != 6 {
		t.Errorf("want reload's own colour on and off for each line, got %d SGR sequences: %q", n, b.String())
	}
	out := sgr.ReplaceAllString(b.String(), "")
	if strings.ContainsAny(out, "\x1b\x07\r") {
		t.Errorf("control bytes from an argument reached the output: %q", out)
	}
	if lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n"); len(lines) != 3 {
		t.Fatalf("want 3 lines, got %d:\n%s", len(lines), out)
	}
	for _, want := range []string{
		`restarting: \x1b]0;pwned\a\n[reload] forged.js changed`,
		`cannot read \x1b]0;pwned\a\n[reload] forged.js: bad\x1b[2J`,
		`"\x1b]0;pwned\a\n[reload] forged.js" 42    ab|`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%q", want, out)
		}
	}
}
