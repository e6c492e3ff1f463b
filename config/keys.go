package config

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Key describes one .reload.toml key: the flags that set it, its --help
// section and one line of help. Keys is the single table that the flags,
// `reload --help`, `reload init` and validation messages are built from, so
// they cannot drift. A key's type and default are not written here: they
// are those of the Config field the name leads to (see Field), and of that
// field in Default().
type Key struct {
	Name  string // dotted TOML key, e.g. "backoff.max"; also the path to its Config field
	Help  string // one sentence for flag help and the template's comment
	Flags []Flag // the flags that set it; none when only the file does (or its table's flag)
}

// Flag is one command-line flag that sets a key.
type Flag struct {
	Name     string   // without dashes: "delay"
	Aliases  []string // other spellings: "d", and nodemon's ("exitcrash")
	Category string   // the --help section it is listed under
	// Usage is the flag's help; "%s" in it stands for the key's Help, and
	// empty means the key's Help alone.
	Usage string
	// Sets makes the flag a switch that, when given, sets the key to this
	// value (--no-watch sets on_change to false); nil means the flag takes
	// the key's own value (--delay 2s, --on-crash=false).
	Sets any
	// Adds appends the flag's values to the list from the file instead of
	// replacing it.
	Adds bool
	// ZeroText is the default --help shows when the key's default is its
	// type's zero value ("0 (unlimited)"); empty shows none.
	ZeroText string
	// BareUnit is what a bare number given to this duration flag counts
	// in, as nodemon reads it (--delay 2 is 2s, --poll 1000 is 1000ms);
	// 0 makes a bare number an error naming the fix, as in the file.
	BareUnit time.Duration
}

// ParseDuration reads the value of duration flag f: a duration with units,
// or a bare number counted in f.BareUnit when f has one.
func (f Flag) ParseDuration(s string) (time.Duration, error) {
	d, err := ParseDuration(s)
	if err == nil || f.BareUnit == 0 {
		return d, err
	}
	n, ferr := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if ferr != nil || math.IsInf(n, 0) || math.IsNaN(n) || math.Abs(n) > float64(math.MaxInt64)/float64(f.BareUnit) {
		return 0, err
	}
	return time.Duration(n * float64(f.BareUnit)), nil
}

// DefaultPoll is the interval "--poll" given alone polls at.
const DefaultPoll = 500 * time.Millisecond

// The --help sections.
const (
	catCommand  = "command"
	catWatching = "watching"
	catRestarts = "restarts"
	catApp      = "app"
	catOutput   = "output and config"
	catProxy    = "proxy"
)

// Keys lists every .reload.toml key in SPEC §2 order.
var Keys = []Key{
	{"cmd", "What to run: a string runs through the shell (sh -c, cmd /C on Windows), an array runs as argv. Inferred from the script argument, package.json or go.mod when unset.",
		[]Flag{{Name: "exec", Aliases: []string{"x"}, Category: catCommand, Usage: "run this command string through the shell"}}},
	{"build", "Runs through the shell before each start; on failure the running app is kept and the error shown. Empty: no build step.",
		[]Flag{{Name: "build", Aliases: []string{"b"}, Category: catCommand}}},
	{"watch", "Folders (or single files) to watch, relative to the project root (the folder holding this file).",
		[]Flag{{Name: "watch", Aliases: []string{"w"}, Category: catWatching, Usage: "%s (repeat)"}}},
	{"ext", `Extensions to watch, as ["js", "json"] or "js,json". Unset: from the interpreter (node: js,mjs,cjs,json,ts), else every file; [] means every file.`,
		[]Flag{{Name: "ext", Aliases: []string{"e"}, Category: catWatching, Usage: `%s ("js,json")`}}},
	{"ignore", `Extra doublestar globs to ignore, relative to the project root; "dist/" (a trailing slash) is everything in every folder named dist, as in .gitignore. .git, node_modules, editor temp files and friends are always ignored.`,
		[]Flag{{Name: "ignore", Aliases: []string{"i"}, Category: catWatching, Usage: "%s (repeat)", Adds: true}}},
	{"gitignore", "Honour .gitignore files and .git/info/exclude.",
		[]Flag{{Name: "no-gitignore", Category: catWatching, Usage: "do not honour .gitignore files", Sets: false}}},
	{"delay", "Quiet period after the last change before restarting; changes within it make one restart.",
		[]Flag{{Name: "delay", Aliases: []string{"d"}, Category: catWatching, Usage: "%s A bare number is seconds, as nodemon reads it (--delay 2.5).", BareUnit: time.Second}}},
	{"on_change", "Restart when a watched file changes.",
		[]Flag{{Name: "no-watch", Category: catWatching, Usage: "do not restart on file changes (crash supervision only)", Sets: false}}},
	{"on_change_only", "Do not start the app until the first change (nodemon's --on-change-only).",
		[]Flag{{Name: "on-change-only", Aliases: []string{"C"}, Category: catWatching}}},
	{"on_crash", "Restart after a crash (non-zero exit, or a signal reload did not send), with backoff.",
		[]Flag{{Name: "on-crash", Category: catRestarts}}},
	{"on_exit", "Restart after a clean exit (status 0) too.",
		[]Flag{{Name: "on-exit", Category: catRestarts}}},
	{"exit_on_crash", "When the app crashes, exit with its status instead of waiting for a change (nodemon's --exitcrash).",
		[]Flag{{Name: "exit-on-crash", Aliases: []string{"exitcrash"}, Category: catRestarts}}},
	{"signal", "Signal sent to the app's process group to stop it.",
		[]Flag{{Name: "signal", Aliases: []string{"s"}, Category: catRestarts}}},
	{"stop_timeout", "How long the whole process group gets to exit after the stop signal, before SIGKILL.",
		[]Flag{{Name: "stop-timeout", Category: catRestarts}}},
	{"backoff", "Delay between crash restarts: it doubles from initial up to max, and resets once the app has run reset_after.", nil},
	{"backoff.initial", "First crash-restart delay.", nil},
	{"backoff.max", "Longest crash-restart delay.",
		[]Flag{{Name: "backoff-max", Category: catRestarts}}},
	{"backoff.reset_after", "Uptime after which the delay goes back to initial.", nil},
	{"backoff.max_crashes", "Consecutive crashes before giving up; 0 never gives up.",
		[]Flag{{Name: "max-crashes", Category: catRestarts, ZeroText: "0 (unlimited)"}}},
	{"env", "Variables added to the app's environment.",
		[]Flag{{Name: "env", Category: catApp, Usage: "add K=V to the app's environment (repeat)"}}},
	{"clear", "Clear the screen before each restart.",
		[]Flag{{Name: "clear", Category: catApp}}},
	{"poll", `Poll with stat at this interval instead of using file events; "0s" is off (network file systems are polled anyway).`,
		[]Flag{
			// First, so that an interval given with --poll or -P wins over -L.
			{Name: "legacy-watch", Aliases: []string{"L"}, Category: catWatching, Usage: "poll every " + DefaultPoll.String() + " (nodemon's spelling of --poll)", Sets: Duration{DefaultPoll}},
			{Name: "poll", Category: catWatching, Usage: "%s (--poll alone means " + DefaultPoll.String() + "; a bare number is milliseconds)", BareUnit: time.Millisecond},
			{Name: "polling-interval", Aliases: []string{"P"}, Category: catWatching, Usage: "poll every MS milliseconds (nodemon's spelling of --poll MS)", BareUnit: time.Millisecond},
		}},
	{"restartable", `When stdin is a terminal, typing this line restarts the app; "" gives the app the terminal itself (readline, raw mode).`,
		[]Flag{
			{Name: "restartable", Category: catApp},
			{Name: "no-stdin", Aliases: []string{"I"}, Category: catApp, Usage: `give the app the terminal itself (same as restartable = "")`, Sets: ""},
		}},
	{"log", `How much reload says: "quiet", "info" or "verbose" (names every change and decision).`,
		[]Flag{
			{Name: "quiet", Aliases: []string{"q"}, Category: catOutput, Usage: "print only warnings and errors", Sets: LogQuiet},
			{Name: "verbose", Aliases: []string{"v", "V"}, Category: catOutput, Usage: "name every change and decision", Sets: LogVerbose},
		}},
	{"events", `Write one JSON object per line for every step of the app's life to this file or FIFO, or "-" for stdout; see docs/events.md. Empty: off.`,
		[]Flag{{Name: "events", Category: catOutput}}},
	{"hooks", "Shell commands run when something happens to the app: start (every start), restart (a start for a change, rs or a signal), crash, exit (a clean exit) and build_failed. They run in the project root with the app's environment plus RELOAD_EVENT, RELOAD_RESTARTS, RELOAD_CHANGED, RELOAD_APP_PID, RELOAD_EXIT_CODE and RELOAD_SIGNAL; they never delay a restart, and one still running after 30s is stopped.",
		[]Flag{{Name: "hook", Category: catApp, Usage: "NAME=COMMAND: run COMMAND through the shell on NAME, one of start, restart, crash, exit, build_failed (repeat)"}}},
	{"warm", "Start the next node ahead of time, waiting before it loads the app's code, so a restart skips node's boot. Only for node run directly (a script, or cmd as an array); a change to package.json, an --env-file or reload's config starts cold.",
		[]Flag{{Name: "warm", Category: catRestarts}}},
	{"exec_map", "Interpreter for a script argument, by extension.", nil},
	{"proxy", "A reverse proxy in front of the app: while it restarts, requests wait instead of failing; a crash or failed build shows an error page; HTML pages reload by themselves when the app is back.",
		[]Flag{{Name: "proxy", Category: catProxy, Usage: "LISTEN:TARGET, e.g. 8080:3000: %s"}}},
	{"proxy.listen", `Where the proxy listens: "8080" (on 127.0.0.1), "127.0.0.1:8080", or ":8080" (every interface). Empty: no proxy.`, nil},
	{"proxy.target", `The app's address: "3000" (on localhost) or "127.0.0.1:3000". Required with listen.`, nil},
	{"proxy.wait", "How long a request waits for the restarting app to accept connections before it gets an error page.",
		[]Flag{{Name: "proxy-wait", Category: catProxy}}},
	{"proxy.live_reload", "Add a small script to HTML pages that reloads them when the app is back after a restart.",
		[]Flag{{Name: "no-live-reload", Category: catProxy, Usage: "do not add the page-reloading script to HTML pages", Sets: false}}},
	{"proxy.allowed_hosts", `Host names the proxy answers besides localhost, *.localhost, 127.0.0.1 and [::1] when it listens on loopback (others get 403, against DNS rebinding), like ["myapp.test"]; ".myapp.test" allows its subdomains too.`,
		[]Flag{{Name: "proxy-allowed-host", Category: catProxy, Usage: "%s (repeat)", Adds: true}}},
}

// Lookup returns the Key named name ("delay", "backoff.max").
func Lookup(name string) (Key, bool) {
	for _, k := range Keys {
		if k.Name == name {
			return k, true
		}
	}
	return Key{}, false
}
