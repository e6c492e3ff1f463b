package config

// Key describes one .reload.toml key: its flag, its default as written in
// TOML, and one line of help. Keys is the single table that `reload init`,
// the flag help and the README are built from, so they cannot drift.
type Key struct {
	Name    string // dotted TOML key, e.g. "backoff.max"
	Flag    string // the flag that sets it ("--delay"), or "" if it has none
	Default string // the default as TOML source ("\"50ms\"", "true"); "" when there is none
	Help    string // one sentence for flag help and the template's comment

	kind kind // what the file must hold; checked before decoding for clear messages
}

// kind is the TOML shape a key accepts.
type kind int

const (
	kindString    kind = iota // "text"
	kindBool                  // true / false
	kindInt                   // 3
	kindDuration              // "500ms"
	kindCommand               // "sh string" or ["argv", "..."]
	kindStrings               // ["a", "b"], or one plain string
	kindList                  // ["js", "json"] or "js,json"
	kindTable                 // [backoff]
	kindStringMap             // [env], [exec_map]: string values
)

// Keys lists every .reload.toml key in SPEC §2 order.
var Keys = []Key{
	{"cmd", "--exec", "", "What to run: a string runs through the shell (sh -c, cmd /C on Windows), an array runs as argv. Inferred from the script argument, package.json or go.mod when unset.", kindCommand},
	{"build", "--build", `""`, "Runs through the shell before each start; on failure the running app is kept and the error shown. Empty: no build step.", kindString},
	{"watch", "--watch", `["."]`, "Folders to watch, relative to the project root (the folder holding this file).", kindStrings},
	{"ext", "--ext", "", `Extensions to watch, as ["js", "json"] or "js,json". Unset: from the interpreter (node: js,mjs,cjs,json,ts), else every file; [] means every file.`, kindList},
	{"ignore", "--ignore", `[]`, "Extra doublestar globs to ignore, relative to the project root. .git, node_modules, editor temp files and friends are always ignored.", kindStrings},
	{"gitignore", "--no-gitignore", "true", "Honour .gitignore files and .git/info/exclude.", kindBool},
	{"delay", "--delay", `"50ms"`, "Quiet period after the last change before restarting; changes within it make one restart.", kindDuration},
	{"on_change", "--no-watch", "true", "Restart when a watched file changes.", kindBool},
	{"on_crash", "--on-crash", "false", "Restart after a crash (non-zero exit, or a signal reload did not send), with backoff.", kindBool},
	{"on_exit", "--on-exit", "false", "Restart after a clean exit (status 0) too.", kindBool},
	{"signal", "--signal", `"SIGTERM"`, "Signal sent to the app's process group to stop it.", kindString},
	{"stop_timeout", "--stop-timeout", `"5s"`, "How long the whole process group gets to exit after the stop signal, before SIGKILL.", kindDuration},
	{"backoff", "", "", "Delay between crash restarts: it doubles from initial up to max, and resets once the app has run reset_after.", kindTable},
	{"backoff.initial", "", `"100ms"`, "First crash-restart delay.", kindDuration},
	{"backoff.max", "--backoff-max", `"10s"`, "Longest crash-restart delay.", kindDuration},
	{"backoff.reset_after", "", `"5s"`, "Uptime after which the delay goes back to initial.", kindDuration},
	{"backoff.max_crashes", "--max-crashes", "0", "Consecutive crashes before giving up; 0 never gives up.", kindInt},
	{"env", "--env", "", "Variables added to the app's environment.", kindStringMap},
	{"clear", "--clear", "false", "Clear the screen before each restart.", kindBool},
	{"poll", "--poll", `"0s"`, `Poll with stat at this interval instead of using file events; "0s" is off (network file systems are polled anyway).`, kindDuration},
	{"restartable", "--restartable", `"rs"`, `When stdin is a terminal, typing this line restarts the app; "" gives the app the terminal itself (readline, raw mode).`, kindString},
	{"log", "--quiet, --verbose", `"info"`, `How much reload says: "quiet", "info" or "verbose" (names every change and decision).`, kindString},
	{"exec_map", "", "", "Interpreter for a script argument, by extension.", kindStringMap},
	{"proxy", "--proxy", "", "A reverse proxy in front of the app: while it restarts, requests wait instead of failing; a crash or failed build shows an error page; HTML pages reload by themselves when the app is back.", kindTable},
	{"proxy.listen", "--proxy", `""`, `Where the proxy listens: "8080" (on 127.0.0.1), "127.0.0.1:8080", or ":8080" (every interface). Empty: no proxy.`, kindString},
	{"proxy.target", "--proxy", `""`, `The app's address: "3000" (on localhost) or "127.0.0.1:3000". Required with listen.`, kindString},
	{"proxy.wait", "--proxy-wait", `"10s"`, "How long a request waits for the restarting app to accept connections before it gets an error page.", kindDuration},
	{"proxy.live_reload", "--no-live-reload", "true", "Add a small script to HTML pages that reloads them when the app is back after a restart.", kindBool},
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
