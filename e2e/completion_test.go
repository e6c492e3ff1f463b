//go:build unix

package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// helpFlags are the flag names `reload --help` lists ("--on-crash", "-x").
func helpFlags(t *testing.T, dir string) []string {
	t.Helper()
	out, err := runOutput(dir, "--help")
	if err != nil {
		t.Fatal(err)
	}
	name := regexp.MustCompile(`--?[A-Za-z][A-Za-z0-9-]*`)
	var names []string
	for _, line := range strings.Split(out, "\n") {
		if !strings.HasPrefix(line, "   -") {
			continue
		}
		col, _, _ := strings.Cut(strings.TrimSpace(line), "  ") // the names, before the help
		for _, n := range name.FindAllString(col, -1) {
			if !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
	}
	if len(names) < 40 {
		t.Fatalf("only %d flags in --help: %q", len(names), names)
	}
	return names
}

// bashComplete presses Tab after words in bash with reload's completion
// script loaded, and returns what bash offers.
func bashComplete(t *testing.T, dir, script string, words ...string) []string {
	t.Helper()
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = "'" + w + "'"
	}
	prog := `source "$1"
COMP_WORDS=(` + strings.Join(quoted, " ") + `)
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
_reload_bash_autocomplete
printf '%s\n' "${COMPREPLY[@]}"`
	cmd := exec.Command("bash", "--norc", "--noprofile", "-c", prog, "bash", script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(reloadBin)+":"+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("bash completion of %q: %v\n%s", words, err, out)
	}
	return strings.Fields(string(out))
}

// TestCompletionBash presses Tab in bash: every flag --help lists is
// offered after "-", subcommands and shells by name, and file names after
// the script or "--". No completion request ever starts the app.
func TestCompletionBash(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed")
	}
	dir := t.TempDir()
	out, err := runOutput(dir, "completion", "bash")
	if err != nil {
		t.Fatal(err)
	}
	script := writeFile(t, dir, "reload.bash", out)
	writeFile(t, dir, "app.sh", "touch started\n")

	offered := bashComplete(t, dir, script, "reload", "-")
	for _, f := range helpFlags(t, dir) {
		if !slices.Contains(offered, f) {
			t.Errorf("reload -<Tab> does not offer %s", f)
		}
	}
	if slices.Contains(offered, "--spawn") {
		t.Error("reload -<Tab> offers the hidden --spawn")
	}
	for _, tc := range []struct {
		words []string
		want  []string // nil: nothing, so bash completes file names
	}{
		{[]string{"reload", "--on-cr"}, []string{"--on-crash"}},
		{[]string{"reload", "app.sh", "--no-w"}, []string{"--no-watch"}},
		{[]string{"reload", "comp"}, []string{"completion"}},
		{[]string{"reload", "completion", ""}, []string{"bash", "zsh", "fish"}},
		{[]string{"reload", "init", "--f"}, []string{"--force", "--from"}},
		{[]string{"reload", "app.sh", ""}, nil},
		{[]string{"reload", "--", "sh", "app.sh", ""}, nil},
		{[]string{"reload", "--on-crash", "app.sh", "-x", ""}, nil},
	} {
		if got := bashComplete(t, dir, script, tc.words...); !slices.Equal(got, tc.want) {
			t.Errorf("%q<Tab>: got %q; want %q", tc.words, got, tc.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "started")); err == nil {
		t.Fatal("a completion request started the app")
	}
}

// TestCompletionZshAndFish: the scripts parse, and fish, which is given
// every flag, offers each one --help lists.
func TestCompletionZshAndFish(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, shell := range []string{"zsh", "fish"} {
		out, err := runOutput(dir, "completion", shell)
		if err != nil {
			t.Fatal(err)
		}
		script := writeFile(t, dir, "reload."+shell, out)
		if _, err := exec.LookPath(shell); err != nil {
			t.Logf("%s is not installed: its script is not checked", shell)
			continue
		}
		if out, err := exec.Command(shell, "-n", script).CombinedOutput(); err != nil {
			t.Fatalf("%s -n: %v\n%s", shell, err, out)
		}
		if shell != "fish" {
			continue
		}
		cmd := exec.Command("fish", "--no-config", "-c", `source $argv[1]; complete -C "reload -"`, script)
		cmd.Dir = dir
		got, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("fish complete: %v\n%s", err, got)
		}
		var offered []string
		for _, line := range strings.Split(string(got), "\n") {
			name, _, _ := strings.Cut(line, "\t")
			offered = append(offered, name)
		}
		for _, f := range helpFlags(t, dir) {
			if !slices.Contains(offered, f) {
				t.Errorf("fish: reload -<Tab> does not offer %s", f)
			}
		}
	}
	if st, stderr := runReload(t, dir, "completion", "tcsh"); st != 2 || !strings.Contains(stderr, "bash, zsh and fish") {
		t.Errorf("reload completion tcsh: exit %d: %s; want 2 naming the shells", st, stderr)
	}
}

// TestManRenders: `reload man` is a page man shows, with every flag.
func TestManRenders(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	page, err := runOutput(dir, "man")
	if err != nil {
		t.Fatal(err)
	}
	path := writeFile(t, dir, "reload.1", page)
	if _, err := exec.LookPath("man"); err != nil {
		t.Skip("man is not installed")
	}
	cmd := exec.Command("man", "-l", path)
	cmd.Env = append(os.Environ(), "MANPAGER=cat", "PAGER=cat", "MANWIDTH=100", "LC_ALL=C")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("man -l: %v", err)
	}
	for _, f := range helpFlags(t, dir) {
		if !strings.Contains(string(out), f) {
			t.Errorf("the man page lacks %s", f)
		}
	}
}
