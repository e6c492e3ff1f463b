package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

func TestCompletionArgs(t *testing.T) {
	t.Parallel()
	spec := specOf(flags())
	commands := []string{"init", "completion", "man", "version", "help", "h"}
	for _, tc := range []struct {
		typed string // the words before completeFlag
		want  string // "" for nothing to offer (the shell completes file names)
	}{
		{"", "reload"},
		{"-", "reload"},
		{"--on-cr", "reload"},
		{"--watch lib", "reload"},
		{"--watch=lib --on-crash", "reload"},
		{"init", "reload init"},
		{"init --f", "reload init"},
		{"-q completion", "reload completion"},
		{"--watch init", "reload"}, // init is --watch's value here
		{"index.js", ""},           // the app's arguments, or file names
		{"index.js --port", "reload"},
		{"--on-crash index.js --wat", "reload"},
		{"--", ""},
		{"-- node index.js --wat", ""},
		{"index.js -- --wat", ""},
	} {
		args := append(append([]string{"reload"}, strings.Fields(tc.typed)...), completeFlag)
		got, ok := completionArgs(args, spec, commands)
		switch {
		case tc.want == "" && ok:
			t.Errorf("%q: got %q; want nothing offered", tc.typed, got)
		case tc.want != "" && !reflect.DeepEqual(got, append(strings.Fields(tc.want), completeFlag)):
			t.Errorf("%q: got %q, %v; want %q", tc.typed, got, ok, tc.want)
		}
	}
}

// The tests that call newApp do not run in parallel: it sets
// cli.VersionFlag, a global that specOf reads.

// visibleNames are the names of every flag --help lists.
func visibleNames(t *testing.T) []string {
	t.Helper()
	app := newApp(io.Discard)
	app.Setup() // adds --help and --version, as a run does
	var names []string
	for _, f := range app.VisibleFlags() {
		names = append(names, f.Names()...)
	}
	if len(names) < 40 {
		t.Fatalf("only %d flag names: %q", len(names), names)
	}
	return names
}

// script is reload's completion script for shell, written to a file.
func script(t *testing.T, shell string) string {
	t.Helper()
	app := newApp(io.Discard)
	app.Setup()
	var buf bytes.Buffer
	if err := writeCompletion(app, shell, &buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "reload."+shell)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCompletionScriptsParse: each shell accepts its script. bash and zsh
// ask reload itself for flags (the e2e tests press Tab in bash); fish's
// lists them.
func TestCompletionScriptsParse(t *testing.T) {
	for _, shell := range shells {
		t.Run(shell, func(t *testing.T) {
			path := script(t, shell)
			if _, err := exec.LookPath(shell); err != nil {
				t.Skipf("%s is not installed", shell)
			}
			if out, err := exec.Command(shell, "-n", path).CombinedOutput(); err != nil {
				t.Fatalf("%s -n: %v\n%s", shell, err, out)
			}
		})
	}
}

func TestFishCompletionNamesEveryFlag(t *testing.T) {
	data, err := os.ReadFile(script(t, "fish"))
	if err != nil {
		t.Fatal(err)
	}
	fish := string(data)
	for _, n := range visibleNames(t) {
		want := " -l " + n + " "
		if len(n) == 1 {
			want = " -s " + n + " "
		}
		if !strings.Contains(fish, want) {
			t.Errorf("the fish script lacks %q", strings.TrimSpace(want))
		}
	}
	for _, hidden := range []string{"spawn", "no-update-notifier"} {
		if strings.Contains(fish, " -l "+hidden+" ") {
			t.Errorf("the fish script offers the hidden --%s", hidden)
		}
	}
	if fishLongAlias.MatchString(fish) {
		t.Errorf("a long name is left as a fish short option: %s", fishLongAlias.FindString(fish))
	}
}

func TestCompletionUnknownShell(t *testing.T) {
	err := writeCompletion(newApp(io.Discard), "csh", io.Discard)
	var exit cli.ExitCoder
	if !errors.As(err, &exit) || exit.ExitCode() != exitUsage || !strings.Contains(err.Error(), "bash, zsh and fish") {
		t.Fatalf("got %v; want a usage error naming the shells", err)
	}
}

// TestManPage: the page names every flag, and man renders it without a
// warning where man is installed.
func TestManPage(t *testing.T) {
	app := newApp(io.Discard)
	app.Setup()
	page, err := manPage(app)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range visibleNames(t) {
		dashes := "--"
		if len(n) == 1 {
			dashes = "-"
		}
		if !strings.Contains(page, dashes+n) {
			t.Errorf("the man page lacks %s", dashes+n)
		}
	}
	if !strings.HasPrefix(page, ".nh\n.TH reload 1") {
		t.Errorf("not a section 1 page: %.40q", page)
	}
	man, err := exec.LookPath("man")
	if err != nil {
		t.Skip("man is not installed")
	}
	path := filepath.Join(t.TempDir(), "reload.1")
	if err := os.WriteFile(path, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(man, "--warnings", "-l", path)
	cmd.Env = append(os.Environ(), "MANPAGER=cat", "PAGER=cat", "MANWIDTH=100", "LC_ALL=C")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		t.Fatalf("man -l: %v\n%s", err, stderr.String())
	}
	for _, want := range []string{"NAME", "reload - run an app", "--on-crash", "RELOAD_CHANGED_FILE", "COMMANDS"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("the rendered page lacks %q", want)
		}
	}
}
