// Command reload runs an app and restarts it when its code changes, when it
// crashes, or both. See README.md and SPEC for the contract.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/reload-dev/reload/config"
	"github.com/reload-dev/reload/internal/command"
	"github.com/reload-dev/reload/internal/procgroup"
	"github.com/reload-dev/reload/internal/signals"
	"github.com/reload-dev/reload/internal/status"
	"github.com/reload-dev/reload/internal/trigger"
	"github.com/reload-dev/reload/runner"
	"github.com/reload-dev/reload/watcher"
)

// version is set by the Makefile (-ldflags "-X main.version=…").
var version = "dev"

// Exit statuses (SPEC §3).
const (
	exitInternal = 1
	exitUsage    = 2
)

func main() {
	if procgroup.RunWatchdog() { // this process is reload's watchdog (see procgroup.Watchdog)
		return
	}
	os.Exit(run(os.Args, os.Stderr))
}

// run is reload from argv to exit status. Every error becomes one line on
// stderr here and nowhere else.
func run(args []string, stderr io.Writer) int {
	app := newApp(stderr)
	var err error
	if len(args) > 1 && args[len(args)-1] == completeFlag { // a shell asks what may come next
		var names []string
		for _, c := range app.Commands {
			names = append(names, c.Names()...)
		}
		if words, ok := completionArgs(args, specOf(app.Flags), append(names, "help", "h")); ok {
			err = app.Run(words)
		}
	} else if cl, serr := splitArgs(args, specOf(app.Flags)); serr != nil {
		err = cli.Exit(serr.Error(), exitUsage)
	} else {
		app.Metadata = map[string]any{interpreterArgsKey: cl.interp}
		err = app.Run(cl.args)
	}
	if err == nil {
		return 0
	}
	var exit cli.ExitCoder
	if errors.As(err, &exit) {
		printError(stderr, exit.Error()) // nothing for the app's own status, cli.Exit("", code)
		return exit.ExitCode()
	}
	printError(stderr, err.Error())
	return exitInternal
}

// interpreterArgsKey holds, in the app's Metadata, the options for the
// interpreter that splitArgs found before the script.
const interpreterArgsKey = "interpreterArgs"

// interpreterArgs returns what splitArgs left under interpreterArgsKey.
func interpreterArgs(c *cli.Context) []string {
	a, _ := c.App.Metadata[interpreterArgsKey].([]string)
	return a
}

// printError prints one "reload: …" line per problem (a config file can have several).
func printError(w io.Writer, msg string) {
	for _, line := range strings.Split(msg, "\n") {
		if line != "" {
			fmt.Fprintln(w, "reload: "+status.Escape(line)) // paths in errors are the user's bytes
		}
	}
}

// newApp is reload's command line. Its run action ends in cli.Exit("", code)
// when the app's status is not 0; init, --help and --version end with 0.
func newApp(stderr io.Writer) *cli.App {
	cli.VersionFlag = &cli.BoolFlag{Name: "version", Usage: "print the version"} // -v is --verbose
	return &cli.App{
		Name:      "reload",
		Usage:     "run an app, restart it when its code changes or it crashes",
		UsageText: usageText,
		Version:   version,
		Flags:     flags(),
		Commands: append([]*cli.Command{{
			Name:  "init",
			Usage: "write a commented .reload.toml with every key at its default",
			Flags: []cli.Flag{
				&cli.BoolFlag{Name: "force", Usage: "overwrite an existing .reload.toml"},
				&cli.StringFlag{Name: "from", Usage: "nodemon: carry over the settings of nodemon.json or package.json's nodemonConfig in this folder"},
			},
			Action: func(c *cli.Context) error {
				return initConfig(c, stderr)
			},
		}, { // with urfave's own "help" (HideHelpCommand unset), these print instead of running programs so named
			Name:   "version",
			Usage:  "print the version",
			Action: func(c *cli.Context) error { cli.ShowVersion(c); return nil },
		}}, docCommands()...),
		EnableBashCompletion:      true, // completeFlag: see completionArgs
		DisableSliceFlagSeparator: true, // globs like "{a,b}" and env values keep their commas
		Writer:                    os.Stdout,
		ErrWriter:                 stderr,
		ExitErrHandler:            func(*cli.Context, error) {}, // run() prints and exits
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			// The flag package names flags with one dash; users type two.
			msg := oneDash.ReplaceAllString(err.Error(), "$1--$2")
			return cli.Exit(msg+"; see reload --help", exitUsage)
		},
		Action: func(c *cli.Context) error {
			code, err := start(c, stderr)
			if err == nil && code != 0 {
				return cli.Exit("", code)
			}
			return err
		},
	}
}

// oneDash finds a long flag named with one dash in the flag package's errors.
var oneDash = regexp.MustCompile(`(^|[ :])-([a-z][a-z-]+)`)

const usageText = `reload [flags] SCRIPT [app args...]
   reload [flags] -- COMMAND [args...]
   reload [flags] -x "COMMAND STRING"
   reload init [--force] [--from nodemon]

Examples:
   reload index.js                          run node index.js, restart it when code changes
   reload --on-crash index.js               also bring it back after a crash, with backoff
   reload --no-watch --on-crash index.js    crash supervision only
   reload index.js --port 3000 --watch lib  reload's flags are reload's, the rest goes to the app
   reload --inspect index.js                node's own flags before the script go to node
   reload -- go run ./cmd/server -port 8080 any command (argv, no shell)
   reload -x "npm run dev"                  a command string through the shell
   reload                                   the command from .reload.toml, package.json or go.mod`

// initConfig writes .reload.toml in the current folder.
func initConfig(c *cli.Context, stderr io.Writer) error {
	cwd, err := workDir(c)
	if err != nil {
		return err
	}
	var path string
	switch from := c.String("from"); from {
	case "":
		path, err = config.WriteInit(cwd, c.Bool("force"))
	case "nodemon":
		path, err = initFromNodemon(cwd, c.Bool("force"), stderr)
	default:
		return cli.Exit(fmt.Sprintf("init --from %s: reload reads only nodemon's settings; write --from nodemon", from), exitUsage)
	}
	if errors.Is(err, config.ErrExists) {
		return cli.Exit(err.Error(), exitUsage)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "[reload] wrote %s\n", path)
	return nil
}

// initFromNodemon writes dir's .reload.toml from its nodemon settings, and
// says which keys had no equivalent.
func initFromNodemon(dir string, force bool, stderr io.Writer) (string, error) {
	file, err := config.NodemonIn(dir)
	if err == nil && file == "" {
		err = fmt.Errorf("no %s, and no package.json with \"nodemonConfig\", in %s; run reload init --from nodemon in the folder that has them", config.NodemonFile, dir)
	}
	if err != nil {
		return "", usageError(err)
	}
	nm, err := config.LoadNodemon(file, config.Default())
	if err != nil {
		return "", usageError(err)
	}
	path, err := config.WriteInitFrom(dir, force, nm)
	if err != nil {
		return path, err
	}
	for _, n := range nm.Notes {
		if n.To == "" {
			fmt.Fprintf(stderr, "[reload] %s\n", n)
		}
	}
	return path, nil
}

// usageError makes err an exit-2 error with its message.
func usageError(err error) error { return cli.Exit(err.Error(), exitUsage) }

// start is reload's run: the settings, the parts they call for, then the
// pipeline until the app is done or reload is told to stop.
func start(c *cli.Context, stderr io.Writer) (int, error) {
	s, code, err := loadSettings(c, stderr)
	if s == nil {
		return code, err // a usage error, or --dump printed the settings
	}
	defer s.log.Close() // last: every part has printed its last line
	p, err := newParts(c, s)
	if err != nil {
		return exitUsage, err
	}
	defer p.close()
	return serve(s, p)
}

// startWatchdog starts the helper that stops the app if reload is killed
// outright; without one (it could not start) reload runs on and says so
// with -v.
func startWatchdog(cfg config.Config, log *status.Printer) *procgroup.Watchdog {
	_, sig, err := signals.Stop(cfg.Signal)
	if err != nil {
		return nil // validated already; the runner reports it
	}
	wd, err := procgroup.StartWatchdog(sig, cfg.StopTimeout.Duration)
	if err != nil {
		log.Debugf("no watchdog (%v): if reload is killed outright, the app may outlive it", err)
	}
	return wd
}

// resolveCommand finds what to run: the arguments, cmd from the config,
// package.json or go.mod. Its errors are usage errors.
func resolveCommand(c *cli.Context, cfg config.Config, cwd, root string) (command.Plan, error) {
	plan, err := command.Resolve(command.Input{
		Args:            c.Args().Slice(),
		Shell:           cfg.Cmd.Shell,
		Argv:            cfg.Cmd.Argv,
		ExecMap:         cfg.ExecMap,
		Dir:             cwd,
		Root:            root,
		InterpreterArgs: interpreterArgs(c),
	})
	if errors.Is(err, command.ErrNothingToRun) {
		return plan, fmt.Errorf("%w: give a script (reload index.js) or a command (reload -- go run .), "+
			"or set cmd in .reload.toml (reload init writes one)", err)
	}
	return plan, err
}

// workDir is the folder reload acts as if started in: the cwd, or --cwd.
func workDir(c *cli.Context) (string, error) {
	cwd, err := os.Getwd()
	if err != nil || !c.IsSet("cwd") {
		return cwd, err
	}
	dir := c.String("cwd")
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(cwd, dir)
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return "", usageError(fmt.Errorf("--cwd %s: no such folder; give a folder that exists", c.String("cwd")))
	}
	return filepath.Clean(dir), nil
}

// runnerOptions is how the runner supervises the app.
func runnerOptions(cfg config.Config, plan command.Plan, dir string, env []string, in appStdin,
	kill <-chan struct{}, relay <-chan os.Signal, reaper *procgroup.Reaper, wd *procgroup.Watchdog, log *status.Printer) runner.Options {
	o := runner.Options{
		Argv:         plan.Argv,
		Shell:        plan.Shell,
		Describe:     plan.Describe,
		Dir:          dir,
		Env:          env,
		Stdin:        in.app,
		Foreground:   in.foreground,
		Stdout:       os.Stdout,
		Stderr:       os.Stderr,
		Signal:       cfg.Signal,
		StopTimeout:  cfg.StopTimeout.Duration,
		Watching:     cfg.OnChange,
		OnCrash:      cfg.OnCrash,
		OnExit:       cfg.OnExit,
		ExitOnCrash:  cfg.ExitOnCrash,
		Backoff:      runner.Backoff{Initial: cfg.Backoff.Initial.Duration, Max: cfg.Backoff.Max.Duration, ResetAfter: cfg.Backoff.ResetAfter.Duration, MaxCrashes: cfg.Backoff.MaxCrashes},
		Clear:        cfg.Clear,
		NotFoundHint: plan.NotFoundHint,
		Kill:         kill,
		Reaper:       reaper,
		Watchdog:     wd,
		Relay:        relay,
		Log:          log,
	}
	return o
}

// watch runs the watcher and turns its batches into triggers.
func watch(ctx context.Context, w *watcher.Watcher, sources chan<- trigger.Trigger, log *status.Printer, ev *appEvents) error {
	werr := make(chan error, 1)
	go func() { werr <- w.Run(ctx) }()
	for batches := w.Batches(); batches != nil; {
		select {
		case <-ctx.Done():
			batches = nil
		case b, ok := <-batches:
			if !ok {
				batches = nil // the watcher is gone; rs and signals still work
				continue
			}
			ev.change(b)
			select {
			case sources <- trigger.Trigger{Paths: b.Paths, Rescan: b.Rescan, Seen: b.Seen}:
			case <-ctx.Done():
			}
		}
	}
	if err := <-werr; err != nil {
		log.Debugf("watcher: %v", err)
	}
	return nil
}

// loadConfig merges defaults, the config file and the flags, and checks the
// result. It returns the config file used ("" for none) and the project
// root; for a file in nodemon's format, also what it said beyond Config.
func loadConfig(c *cli.Context, cwd string) (config.Config, string, string, config.Nodemon, error) {
	cfg := config.Default()
	var nm config.Nodemon
	file := c.String("config")
	var trust *config.Trust // nil for a file given with --config: the user chose it
	if file != "" && c.IsSet("cwd") && !filepath.IsAbs(file) {
		file = filepath.Join(cwd, file) // as if started there
	}
	if file == "" {
		home, _ := os.UserHomeDir()
		found, err := config.Find(cwd, home)
		if err == nil && found == "" {
			found, err = config.FindNodemon(cwd, home)
		}
		if err != nil {
			return cfg, "", "", nm, usageError(err)
		}
		file = found
		trust = &config.Trust{StartDir: cwd, Dirs: filepath.SplitList(os.Getenv("RELOAD_TRUSTED_DIRS"))}
	} else if _, err := os.Stat(file); err != nil {
		return cfg, "", "", nm, usageError(fmt.Errorf("config file %s: %w; check the path given to --config", file, errors.Unwrap(err)))
	}
	root := cwd
	if file != "" {
		var err error
		switch nodemon := config.IsNodemon(file); {
		case nodemon && trust != nil:
			nm, err = config.LoadNodemonFound(file, cfg, *trust)
		case nodemon:
			nm, err = config.LoadNodemon(file, cfg)
		case trust != nil:
			cfg, err = config.LoadFound(file, cfg, *trust)
		default:
			cfg, err = config.Load(file, cfg)
		}
		if err == nil && config.IsNodemon(file) {
			cfg = nm.Config // LoadNodemon validated it
		} else if err == nil {
			err = cfg.Validate(file)
		}
		if err != nil {
			return cfg, "", "", nm, usageError(err)
		}
		abs, err := filepath.Abs(file)
		if err != nil {
			return cfg, "", "", nm, err
		}
		root = filepath.Dir(abs)
	}
	if err := applyFlags(c, &cfg); err != nil {
		return cfg, "", "", nm, usageError(err)
	}
	if err := cfg.Validate(""); err != nil { // the flags' values, named by flag
		return cfg, "", "", nm, usageError(err)
	}
	return cfg, file, root, nm, nil
}

// newPrinter decides colour once, from stderr (SPEC §2 --no-color).
func newPrinter(c *cli.Context, cfg config.Config, stderr io.Writer, noColor bool) *status.Printer {
	useColor := false
	if f, ok := stderr.(*os.File); ok {
		useColor = term.IsTerminal(int(f.Fd()))
	}
	if _, set := os.LookupEnv("NO_COLOR"); set || c.Bool("no-color") || noColor {
		useColor = false
	}
	level := status.Info
	switch cfg.Log {
	case config.LogQuiet:
		level = status.Quiet
	case config.LogVerbose:
		level = status.Verbose
	}
	return status.NewBackground(stderr, useColor, level)
}

// appEnv is the app's (and the build's) environment: reload's, plus the
// user's [env] / --env, with the project's node_modules/.bin folders (bins)
// first on PATH, as npm run has them. It returns that PATH too.
func appEnv(extra map[string]string, bins []string) ([]string, string) {
	env := os.Environ()
	path := os.Getenv("PATH")
	for k, v := range extra {
		env = append(env, k+"="+v)
		if k == "PATH" || runtime.GOOS == "windows" && strings.EqualFold(k, "PATH") {
			path = v
		}
	}
	if len(bins) > 0 {
		path = command.PathList(bins, path)
		env = append(env, "PATH="+path)
	}
	return env, path // later entries win in os/exec
}

// watchRoots turns the watch list into absolute paths and refuses to watch
// "/" or the home folder unless --watch named it explicitly (SPEC §4). An
// entry may be a file, or not exist yet if its folder does.
func watchRoots(c *cli.Context, cfg config.Config, root string) ([]string, error) {
	home, _ := os.UserHomeDir()
	explicit := c.IsSet("watch")
	var roots []string
	for _, w := range cfg.Watch {
		if strings.HasPrefix(w, "~/") && home != "" {
			w = filepath.Join(home, w[2:])
		}
		if !filepath.IsAbs(w) {
			w = filepath.Join(root, w)
		}
		w = filepath.Clean(w)
		if !explicit && (w == filepath.Dir(w) || (home != "" && w == filepath.Clean(home))) {
			return nil, fmt.Errorf("refusing to watch %s: it is the whole disk or your home folder; run reload from your project folder, or pass --watch %s to mean it", w, w)
		}
		if _, err := os.Stat(w); err != nil && !(errors.Is(err, fs.ErrNotExist) && looksLikeFile(w) && isFolder(filepath.Dir(w))) {
			// A file not there yet in a folder that is gets watched for
			// (a sync tool's trigger file, /tmp/.restart); a missing
			// folder (--watch srcc) is a mistake.
			return nil, fmt.Errorf("cannot watch %s: %w; fix the watch list or create the folder", w, errors.Unwrap(err))
		}
		roots = append(roots, w)
	}
	return roots, nil
}

func newWatcher(c *cli.Context, cfg config.Config, plan command.Plan, root string, log *status.Printer) (*watcher.Watcher, error) {
	roots, err := watchRoots(c, cfg, root)
	if err != nil {
		return nil, err
	}
	ext := []string(cfg.Ext)
	if len(ext) == 0 {
		ext = plan.WatchExt
	}
	if resolved, err := filepath.EvalSymlinks(root); err == nil {
		root = resolved
	}
	w, err := watcher.New(watcher.Options{
		Root:      root,
		Paths:     roots,
		Ext:       ext,
		Ignore:    cfg.Ignore,
		Gitignore: cfg.Gitignore,
		Delay:     cfg.Delay.Duration,
		Poll:      cfg.Poll.Duration,
		Log:       log,
	})
	if err != nil {
		return nil, err
	}
	switch {
	case len(cfg.Ext) == 0 && len(ext) > 0:
		log.Debugf("watching %s for %s (from %s; %d folders)", strings.Join(cfg.Watch, ", "), strings.Join(ext, ","), plan.WatchExtFrom, w.Dirs())
	case len(ext) > 0:
		log.Debugf("watching %s for %s (%d folders)", strings.Join(cfg.Watch, ", "), strings.Join(ext, ","), w.Dirs())
	default:
		log.Debugf("watching %s, every file (%d folders)", strings.Join(cfg.Watch, ", "), w.Dirs())
	}
	return w, nil
}

// isFolder reports whether p is a directory.
func isFolder(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// looksLikeFile: a name with a dot in it (.restart, trigger.txt) names a
// file; one without (src, lib) a folder.
func looksLikeFile(path string) bool { return strings.Contains(filepath.Base(path), ".") }
