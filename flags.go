package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/reload-dev/reload/config"
)

// defaultPoll is the interval --poll takes when given without a value.
const defaultPoll = "500ms"

// help returns the help text of a config key from config.Keys, so flag help
// and `reload init` say the same thing.
func help(key string) string {
	for _, k := range config.Keys {
		if k.Name == key {
			return k.Help
		}
	}
	panic("no config key " + key) // a programming error, caught by TestFlagsHaveHelp
}

// flags are reload's own flags; everything after the first non-flag argument
// or after "--" belongs to the app.
func flags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "exec", Aliases: []string{"x"}, Usage: "run this command string through the shell", Category: "command"},
		&cli.StringFlag{Name: "build", Aliases: []string{"b"}, Usage: help("build"), Category: "command"},
		&cli.StringSliceFlag{Name: "watch", Aliases: []string{"w"}, Usage: help("watch") + " (repeat)", Category: "watching"},
		&cli.StringSliceFlag{Name: "ext", Aliases: []string{"e"}, Usage: help("ext") + ` ("js,json")`, Category: "watching"},
		&cli.StringSliceFlag{Name: "ignore", Aliases: []string{"i"}, Usage: help("ignore") + " (repeat)", Category: "watching"},
		&cli.BoolFlag{Name: "no-gitignore", Usage: "do not honour .gitignore files", Category: "watching"},
		&cli.StringFlag{Name: "delay", Aliases: []string{"d"}, Usage: help("delay"), DefaultText: "50ms", Category: "watching"},
		&cli.BoolFlag{Name: "no-watch", Usage: "do not restart on file changes (crash supervision only)", Category: "watching"},
		&cli.StringFlag{Name: "poll", Usage: help("poll") + " (--poll alone means " + defaultPoll + ")", Category: "watching"},
		&cli.BoolFlag{Name: "on-crash", Usage: help("on_crash"), Category: "restarts"},
		&cli.BoolFlag{Name: "on-exit", Usage: help("on_exit"), Category: "restarts"},
		&cli.StringFlag{Name: "signal", Aliases: []string{"s"}, Usage: help("signal"), DefaultText: "SIGTERM", Category: "restarts"},
		&cli.StringFlag{Name: "stop-timeout", Usage: help("stop_timeout"), DefaultText: "5s", Category: "restarts"},
		&cli.StringFlag{Name: "backoff-max", Usage: help("backoff.max"), DefaultText: "10s", Category: "restarts"},
		&cli.IntFlag{Name: "max-crashes", Usage: help("backoff.max_crashes"), DefaultText: "0 (unlimited)", Category: "restarts"},
		&cli.StringSliceFlag{Name: "env", Usage: "add K=V to the app's environment (repeat)", Category: "app"},
		&cli.BoolFlag{Name: "clear", Usage: help("clear"), Category: "app"},
		&cli.StringFlag{Name: "restartable", Usage: help("restartable"), DefaultText: "rs", Category: "app"},
		&cli.BoolFlag{Name: "no-stdin", Usage: "give the app the terminal itself (same as restartable = \"\")", Category: "app"},
		&cli.StringFlag{Name: "config", Aliases: []string{"c"}, Usage: "config file (default: .reload.toml found from here upward); its folder is the project root", Category: "output and config"},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print only warnings and errors", Category: "output and config"},
		&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "name every change and decision", Category: "output and config"},
		&cli.BoolFlag{Name: "no-color", Usage: "no colour in status lines (also when NO_COLOR is set)", Category: "output and config"},
		&cli.StringFlag{Name: "proxy", Usage: "LISTEN:TARGET, e.g. 8080:3000: " + help("proxy"), Category: "proxy"},
		&cli.StringFlag{Name: "proxy-wait", Usage: help("proxy.wait"), DefaultText: "10s", Category: "proxy"},
		&cli.BoolFlag{Name: "no-live-reload", Usage: "do not add the page-reloading script to HTML pages", Category: "proxy"},
	}
}

// fixOptionalPoll lets "--poll" stand alone, as SPEC §2 writes it
// ("--poll [DUR]"), by giving it the default interval when the next word is
// not a duration. urfave/cli has no optional flag values. Only reload's own
// words are looked at: scanning stops at "--" and at the app's first word.
func fixOptionalPoll(args []string, valueFlags map[string]bool) []string {
	out := append([]string(nil), args...)
	for i := 1; i < len(out); i++ {
		a := out[i]
		if a == "--" || !strings.HasPrefix(a, "-") || a == "-" {
			break
		}
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		if name == "poll" {
			if i+1 < len(out) {
				if _, err := config.ParseDuration(out[i+1]); err == nil {
					i++
					continue
				}
			}
			out[i] = "--poll=" + defaultPoll
			continue
		}
		if valueFlags[name] {
			i++ // skip the flag's value
		}
	}
	return out
}

// valueFlags names every flag (and alias) that takes a value.
func valueFlags(fs []cli.Flag) map[string]bool {
	m := map[string]bool{}
	for _, f := range fs {
		if _, isBool := f.(*cli.BoolFlag); isBool {
			continue
		}
		for _, n := range f.Names() {
			m[n] = true
		}
	}
	return m
}

// applyFlags overrides cfg with the flags the user set, and only those.
func applyFlags(c *cli.Context, cfg *config.Config) error {
	if c.IsSet("exec") {
		cfg.Cmd = config.Command{Shell: c.String("exec")}
	}
	if c.IsSet("build") {
		cfg.Build = c.String("build")
	}
	if c.IsSet("watch") {
		cfg.Watch = c.StringSlice("watch")
	}
	if c.IsSet("ext") {
		cfg.Ext = config.List{}
		for _, v := range c.StringSlice("ext") {
			cfg.Ext = append(cfg.Ext, config.ParseExt(v)...)
		}
	}
	if c.IsSet("ignore") {
		cfg.Ignore = append(cfg.Ignore, c.StringSlice("ignore")...)
	}
	if c.Bool("no-gitignore") {
		cfg.Gitignore = false
	}
	if c.Bool("no-watch") {
		cfg.OnChange = false
	}
	if c.IsSet("on-crash") { // --on-crash=false overrides the file too
		cfg.OnCrash = c.Bool("on-crash")
	}
	if c.IsSet("on-exit") { // --on-exit=false overrides the file too
		cfg.OnExit = c.Bool("on-exit")
	}
	if c.IsSet("signal") {
		cfg.Signal = c.String("signal")
	}
	for _, d := range []struct {
		flag string
		dst  *config.Duration
	}{
		{"delay", &cfg.Delay},
		{"stop-timeout", &cfg.StopTimeout},
		{"backoff-max", &cfg.Backoff.Max},
		{"poll", &cfg.Poll},
		{"proxy-wait", &cfg.Proxy.Wait},
	} {
		if !c.IsSet(d.flag) {
			continue
		}
		v, err := config.ParseDuration(c.String(d.flag))
		if err != nil {
			return fmt.Errorf("flag --%s: %w", d.flag, err)
		}
		d.dst.Duration = v
	}
	if c.IsSet("max-crashes") {
		cfg.Backoff.MaxCrashes = c.Int("max-crashes")
	}
	for _, kv := range c.StringSlice("env") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return fmt.Errorf("flag --env: %q is not K=V; write it like --env PORT=3000", kv)
		}
		if cfg.Env == nil {
			cfg.Env = map[string]string{}
		}
		cfg.Env[k] = v
	}
	if c.IsSet("clear") { // --clear=false overrides the file too
		cfg.Clear = c.Bool("clear")
	}
	if c.IsSet("restartable") {
		cfg.Restartable = c.String("restartable")
	}
	if c.Bool("no-stdin") {
		cfg.Restartable = ""
	}
	if c.IsSet("proxy") {
		l, t, err := config.SplitProxy(c.String("proxy"))
		if err != nil {
			return fmt.Errorf("flag --proxy: %w", err)
		}
		cfg.Proxy.Listen, cfg.Proxy.Target = l, t
	}
	if c.Bool("no-live-reload") {
		cfg.Proxy.LiveReload = false
	}
	switch {
	case c.Bool("quiet") && c.Bool("verbose"):
		return fmt.Errorf("--quiet and --verbose contradict each other; pick one")
	case c.Bool("quiet"):
		cfg.Log = config.LogQuiet
	case c.Bool("verbose"):
		cfg.Log = config.LogVerbose
	}
	return nil
}
