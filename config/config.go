// Package config holds reload's settings: the defaults, the .reload.toml
// file, and the checks that turn a bad value into a message naming the fix.
package config

import "time"

// FileName is the config file reload looks for.
const FileName = ".reload.toml"

// Config is every setting reload has. It is plain data: main fills it from
// Default(), then the file, then the flags the user set.
type Config struct {
	Cmd          Command           `toml:"cmd"`
	Build        string            `toml:"build"`
	Watch        []string          `toml:"watch"`
	Ext          List              `toml:"ext"`
	Ignore       []string          `toml:"ignore"`
	Gitignore    bool              `toml:"gitignore"`
	Delay        Duration          `toml:"delay"`
	OnChange     bool              `toml:"on_change"`
	OnChangeOnly bool              `toml:"on_change_only"`
	OnCrash      bool              `toml:"on_crash"`
	OnExit       bool              `toml:"on_exit"`
	ExitOnCrash  bool              `toml:"exit_on_crash"`
	Signal       string            `toml:"signal"`
	StopTimeout  Duration          `toml:"stop_timeout"`
	Backoff      Backoff           `toml:"backoff"`
	Env          map[string]string `toml:"env"`
	Clear        bool              `toml:"clear"`
	Poll         Duration          `toml:"poll"`
	Restartable  string            `toml:"restartable"`
	Log          string            `toml:"log"`
	Events       string            `toml:"events"`
	Hooks        map[string]string `toml:"hooks"`
	Warm         bool              `toml:"warm"`
	ExecMap      map[string]string `toml:"exec_map"`
	Proxy        Proxy             `toml:"proxy"`
}

// Proxy is the [proxy] table: a reverse proxy in front of the app that holds
// requests while it restarts and reloads the browser when it is back.
// Listen and Target are empty when there is no proxy; Validate writes them
// as host:port.
type Proxy struct {
	Listen     string   `toml:"listen"`
	Target     string   `toml:"target"`
	Wait       Duration `toml:"wait"`
	LiveReload bool     `toml:"live_reload"`
	// AllowedHosts are the host names the proxy answers besides loopback
	// ones when it listens on loopback; see proxy.go.
	AllowedHosts []string `toml:"allowed_hosts"`
}

// Backoff shapes the delay between crash restarts.
type Backoff struct {
	Initial    Duration `toml:"initial"`
	Max        Duration `toml:"max"`
	ResetAfter Duration `toml:"reset_after"`
	MaxCrashes int      `toml:"max_crashes"`
}

// Command is what to run: a shell string (Shell) or an argv (Argv); at most
// one is set. In TOML it is a string or an array of strings.
type Command struct {
	Shell string
	Argv  []string
}

// IsZero reports whether no command was given.
func (c Command) IsZero() bool { return c.Shell == "" && len(c.Argv) == 0 }

// List is a list of words written as a TOML array (["js", "json"]) or as the
// comma string nodemon users type ("js,json").
type List []string

// Duration is a time.Duration written with units ("50ms", "2s").
type Duration struct{ time.Duration }

// HookNames are the [hooks] keys (--hook NAME=...): what happens to the
// app that runs a command, as nodemon's events (internal/hooks runs them).
var HookNames = []string{"start", "restart", "crash", "exit", "build_failed"}

// Log levels for Config.Log.
const (
	LogQuiet   = "quiet"
	LogInfo    = "info"
	LogVerbose = "verbose"
)
