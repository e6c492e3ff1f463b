package main

import (
	"reflect"
	"strings"
	"testing"

	"github.com/reload-dev/reload/config"
)

// TestSplitArgs: nodemon command lines, and what reload makes of them: the
// words urfave/cli gets (reload's flags, then "--" and the app's words) and
// the options for the interpreter.
func TestSplitArgs(t *testing.T) {
	t.Parallel()
	spec := specOf(flags())
	for _, tc := range []struct {
		in      string
		args    string // what urfave/cli parses, after "reload"
		interp  string
		wantErr string
	}{
		// reload's flags are reload's wherever they stand before "--"
		{"index.js", "-- index.js", "", ""},
		{"index.js --watch lib", "--watch lib -- index.js", "", ""},
		{"index.js --port 3000", "-- index.js --port 3000", "", ""},
		{"index.js --port 3000 --watch lib -e js,json", "--watch lib -e js,json -- index.js --port 3000", "", ""},
		{"-w lib index.js -p 8 -V", "-w lib -V -- index.js -p 8", "", ""},
		{"index.js --watch=lib --on-crash=false", "--watch=lib --on-crash=false -- index.js", "", ""},
		{"index.js -d 2 -- --watch lib -- x", "-d 2 -- index.js --watch lib -- x", "", ""},
		{"index.js -- -v", "-- index.js -v", "", ""},
		{"index.js -watch lib", "-- index.js -watch lib", "", ""}, // after the script, only --long and -x are reload's
		{"index.js --w lib", "-- index.js --w lib", "", ""},
		{"-watch lib index.js", "-watch lib -- index.js", "", ""}, // before it, urfave/cli's spellings
		{"index.js -d --poll", "-d --poll -- index.js", "", ""},   // -d takes the next word, whatever it is
		{"-e", "", "", "-e needs a value; see reload --help"},
		{"index.js --watch", "", "", "--watch needs a value; see reload --help"},

		// "--" before any app word: the command follows, untouched
		{"-- go run . --watch lib", "-- go run . --watch lib", "", ""},
		{"-q -- node --inspect x.js", "-q -- node --inspect x.js", "", ""},
		{"--", "", "", ""},
		{"", "", "", ""},

		// nodemon's spellings are reload's flags
		{"-L -I -V -C --exitcrash --spawn --no-update-notifier --no-colors --dump app.js", "-L -I -V -C --exitcrash --spawn --no-update-notifier --no-colors --dump -- app.js", "", ""},
		{"app.js -P 1000 --cwd sub --no-colours", "-P 1000 --cwd sub --no-colours -- app.js", "", ""},

		// --poll takes a duration or a number, never the command
		{"--poll app.js", "--poll=500ms -- app.js", "", ""},
		{"--poll 1000 app.js", "--poll 1000 -- app.js", "", ""},
		{"--poll 2s app.js", "--poll 2s -- app.js", "", ""},
		{"--poll=1s app.js", "--poll=1s -- app.js", "", ""},
		{"--poll", "--poll=500ms", "", ""},
		{"app.js --poll", "--poll=500ms -- app.js", "", ""},
		{"app.js --poll 250", "--poll 250 -- app.js", "", ""},
		{"--poll -- go run .", "--poll=500ms -- go run .", "", ""},

		// node's options before the script go to the interpreter
		{"--inspect index.js", "-- index.js", "--inspect", ""},
		{"--inspect=9230 --inspect-brk index.js --inspect", "-- index.js --inspect", "--inspect=9230 --inspect-brk", ""},
		{"-r dotenv/config --import tsx --env-file .env index.js", "-- index.js", "-r dotenv/config --import tsx --env-file .env", ""},
		{"--require=x --loader ts-node/esm --experimental-loader y index.js", "-- index.js", "--require=x --loader ts-node/esm --experimental-loader y", ""},
		{"--enable-source-maps --no-warnings --trace-warnings --max-old-space-size=4096 --expose-gc index.js", "-- index.js",
			"--enable-source-maps --no-warnings --trace-warnings --max-old-space-size=4096 --expose-gc", ""},
		{"--conditions dev -C index.js", "-C -- index.js", "--conditions dev", ""}, // -C is nodemon's --on-change-only
		{"--inspect -w lib index.js", "-w lib -- index.js", "--inspect", ""},
		{"--inspect", "", "--inspect", ""}, // package.json main, if any, decides
		{"-r", "", "", "-r needs a value; see reload --help"},

		// anything else before the script is an error with a hint
		{"--inspct index.js", "", "", "unknown flag --inspct; did you mean --inspect?"},
		{"--inspct=9230 index.js", "", "", "unknown flag --inspct; did you mean --inspect?"},
		{"-inspect index.js", "", "", "unknown flag -inspect; did you mean --inspect?"},
		{"--wach lib index.js", "", "", "unknown flag --wach; did you mean --watch?"},
		{"--on-crsh index.js", "", "", "unknown flag --on-crsh; did you mean --on-crash?"},
		{"--enable-sourcemaps index.js", "", "", "unknown flag --enable-sourcemaps; did you mean --enable-source-maps?"},
		{"--exit-crash index.js", "", "", "unknown flag --exit-crash; did you mean --exitcrash?"},
		{"--frobnicate index.js", "", "", "unknown flag --frobnicate; see reload --help"},
		{"-Z index.js", "", "", "unknown flag -Z; see reload --help"},

		// init keeps its own flags
		{"init --force", "init --force", "", ""},
		{"-q init", "-q init", "", ""},
		{"completion bash", "completion bash", "", ""},
		{"man -h", "man -h", "", ""},
	} {
		in := append([]string{"reload"}, strings.Fields(tc.in)...)
		got, err := splitArgs(in, spec)
		if tc.wantErr != "" {
			if err == nil || err.Error() != tc.wantErr {
				t.Errorf("%q: error %v; want %q", tc.in, err, tc.wantErr)
			}
			continue
		}
		want := append([]string{"reload"}, strings.Fields(tc.args)...)
		if err != nil || !reflect.DeepEqual(got.args, want) || strings.Join(got.interp, " ") != tc.interp {
			t.Errorf("%q: got %q interp %q, %v; want %q interp %q", tc.in, got.args, got.interp, err, want, tc.interp)
		}
	}
}

// TestSplitArgsKeepsWords: words with spaces reach the app as they were.
func TestSplitArgsKeepsWords(t *testing.T) {
	t.Parallel()
	got, err := splitArgs([]string{"reload", "app.js", "-e", "js json", "a b", "--", ""}, specOf(flags()))
	want := []string{"reload", "-e", "js json", "--", "app.js", "a b", ""}
	if err != nil || !reflect.DeepEqual(got.args, want) {
		t.Errorf("got %q, %v; want %q", got.args, err, want)
	}
}

func TestEditDistance(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		a, b string
		want int
	}{{"", "", 0}, {"inspct", "inspect", 1}, {"wach", "watch", 1}, {"abc", "", 3}, {"kitten", "sitting", 3}} {
		if got := config.EditDistance(tc.a, tc.b); got != tc.want {
			t.Errorf("config.EditDistance(%q, %q) = %d; want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
