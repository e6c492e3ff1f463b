// Command reload runs an app and restarts it when its code changes, when it
// crashes, or both. See README.md and SPEC for the contract.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/reload-dev/reload/config"
	"github.com/reload-dev/reload/internal/command"
	"github.com/reload-dev/reload/internal/status"
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

func main() { os.Exit(run(os.Args, os.Stderr)) }

// run is reload from argv to exit status. Every error becomes one line on
// stderr here and nowhere else.
func run(args []string, stderr io.Writer) int {
	status := 0 // set by the run action; init, --help and --version leave it 0
	app := newApp(stderr, &status)
	fs := app.Flags
	err := app.Run(fixOptionalPoll(args, valueFlags(fs)))
	if err == nil {
		return status
	}
	var exit cli.ExitCoder
	if errors.As(err, &exit) {
		printError(stderr, exit.Error())
		return exit.ExitCode()
	}
	printError(stderr, err.Error())
	return exitInternal
}

// printError prints one "reload: …" line per problem (a config file can have several).
func printError(w io.Writer, msg string) {
	for _, line := range strings.Split(msg, "\n") {
		if line != "" {
			fmt.Fprintln(w, "reload: "+line)
		}
	}
}

func newApp(stderr io.Writer, exitStatus *int) *cli.App {
	cli.VersionFlag = &cli.BoolFlag{Name: "version", Usage: "print the version"} // -v is --verbose
	return &cli.App{
		Name:      "reload",
		Usage:     "run an app, restart it when its code changes or it crashes",
		UsageText: usageText,
		Version:   version,
		Flags:     flags(),
		Commands: []*cli.Command{{
			Name:  "init",
			Usage: "write a commented .reload.toml with every key at its default",
			Flags: []cli.Flag{&cli.BoolFlag{Name: "force", Usage: "overwrite an existing .reload.toml"}},
			Action: func(c *cli.Context) error {
				return initConfig(c, stderr)
			},
		}, { // with urfave's own "help" (HideHelpCommand unset), these print instead of running programs so named
			Name:   "version",
			Usage:  "print the version",
			Action: func(c *cli.Context) error { cli.ShowVersion(c); return nil },
		}},
		DisableSliceFlagSeparator: true, // globs like "{a,b}" and env values keep their commas
		Writer:                    os.Stdout,
		ErrWriter:                 stderr,
		ExitErrHandler:            func(*cli.Context, error) {}, // run() prints and exits
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return cli.Exit(err.Error()+"; see reload --help", exitUsage)
		},
		Action: func(c *cli.Context) error {
			code, err := start(c, stderr)
			*exitStatus = code
			return err
		},
	}
}

const usageText = `reload [flags] SCRIPT [app args...]
   reload [flags] -- COMMAND [args...]
   reload [flags] -x "COMMAND STRING"
   reload init [--force]

Examples:
   reload index.js                          run node index.js, restart it when code changes
   reload --on-crash index.js               also bring it back after a crash, with backoff
   reload --no-watch --on-crash index.js    crash supervision only
   reload -- go run ./cmd/server -port 8080 any command (argv, no shell)
   reload -x "npm run dev"                  a command string through the shell
   reload                                   the command from .reload.toml, package.json or go.mod`

// initConfig writes .reload.toml in the current folder.
func initConfig(c *cli.Context, stderr io.Writer) error {
	cwd, err := os.Getwd()
	if err != nil {
		return err
	}
	path, err := config.WriteInit(cwd, c.Bool("force"))
	if errors.Is(err, config.ErrExists) {
		return cli.Exit(err.Error(), exitUsage)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "[reload] wrote %s\n", path)
	return nil
}

// usageError makes err an exit-2 error with its message.
func usageError(err error) error { return cli.Exit(err.Error(), exitUsage) }

// start loads the settings, then runs the watcher and the runner until the
// app is done or reload is told to stop.
func start(c *cli.Context, stderr io.Writer) (int, error) {
	cwd, err := os.Getwd()
	if err != nil {
		return exitInternal, err
	}
	cfg, cfgFile, root, err := loadConfig(c, cwd)
	if err != nil {
		return exitUsage, err
	}
	plan, err := command.Resolve(command.Input{
		Args:    c.Args().Slice(),
		Shell:   cfg.Cmd.Shell,
		Argv:    cfg.Cmd.Argv,
		ExecMap: cfg.ExecMap,
		Dir:     cwd,
		Root:    root,
	})
	if errors.Is(err, command.ErrNothingToRun) {
		return exitUsage, usageError(errors.New("nothing to run: give a script (reload index.js) or a command (reload -- go run .), " +
			"or set cmd in .reload.toml (reload init writes one)"))
	}
	if err != nil {
		return exitUsage, usageError(err)
	}
	log := newPrinter(c, cfg, stderr)
	if cfgFile != "" {
		log.Debugf("config %s; project root %s", cfgFile, root)
	}

	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	px, err := startProxy(ctx, cfg.Proxy, log)
	if err != nil {
		return exitUsage, err
	}
	defer func() { stop(); px.wait() }()
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)

	extra := make(chan runner.Trigger)
	var batches <-chan watcher.Batch
	done := make(chan struct{})
	var waitWatcher func() error = func() error { return nil }
	if cfg.OnChange {
		w, err := newWatcher(c, cfg, plan, root, log)
		if err != nil {
			return exitUsage, usageError(err)
		}
		batches = w.Batches()
		werr := make(chan error, 1)
		go func() { werr <- w.Run(ctx) }()
		waitWatcher = func() error { return <-werr }
	}
	triggers := make(chan runner.Trigger)
	go func() {
		defer close(done)
		forward(ctx, batches, extra, triggers)
	}()

	in, err := setupStdin(ctx, cfg.Restartable, extra, log)
	if err != nil {
		return exitInternal, err
	}
	defer in.Close()

	kill := make(chan struct{})
	caught := make(chan os.Signal, 1)
	finished := make(chan struct{})
	sigDone := make(chan struct{})
	go func() {
		defer close(sigDone)
		handleSignals(finished, sigs, extra, caught, stop, kill, log)
	}()

	env := appEnv(cfg.Env, plan.PathPrepend)
	appTriggers, deferred, waitBuild := buildStage(ctx, cfg, cwd, env, triggers, log, px.buildEvent)
	code, err := runner.Run(ctx, runner.Options{
		Argv:         plan.Argv,
		Describe:     plan.Describe,
		Dir:          cwd,
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
		Backoff:      runner.Backoff{Initial: cfg.Backoff.Initial.Duration, Max: cfg.Backoff.Max.Duration, ResetAfter: cfg.Backoff.ResetAfter.Duration, MaxCrashes: cfg.Backoff.MaxCrashes},
		Clear:        cfg.Clear,
		NotFoundHint: plan.NotFoundHint,
		Kill:         kill,
		Log:          log,
		Notify:       px.appEvent,
		Deferred:     deferred,
	}, appTriggers)
	stop()
	waitBuild()
	close(finished)
	<-sigDone
	<-done
	if werr := waitWatcher(); werr != nil {
		log.Debugf("watcher: %v", werr)
	}
	if errors.Is(err, runner.ErrInterrupted) {
		return 130, nil
	}
	if err != nil {
		return exitInternal, err
	}
	select {
	case s := <-caught:
		return 128 + int(s.(syscall.Signal)), nil
	default:
	}
	return code, nil
}

// handleSignals turns signals to reload into actions (SPEC §3): the first
// SIGINT or SIGTERM stops the app gracefully, a second SIGINT kills it at
// once, SIGHUP restarts it. It returns when finished is closed.
func handleSignals(finished <-chan struct{}, sigs <-chan os.Signal, restart chan<- runner.Trigger,
	caught chan<- os.Signal, stop func(), kill chan<- struct{}, log *status.Printer) {
	stopping, killed := false, false
	for {
		var s os.Signal
		select {
		case <-finished:
			return
		case s = <-sigs:
		}
		switch {
		case s == syscall.SIGHUP:
			if stopping {
				continue
			}
			select {
			case restart <- runner.Trigger{Reason: "SIGHUP"}:
			case <-finished:
				return
			}
		case !stopping:
			stopping = true
			caught <- s
			log.Infof("%s: stopping the app (press Ctrl+C again to kill it)", signalName(s))
			stop()
		case s == os.Interrupt && !killed:
			killed = true
			close(kill)
		}
	}
}

func signalName(s os.Signal) string {
	switch s {
	case os.Interrupt:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return s.String()
}

// loadConfig merges defaults, the config file and the flags, and checks the
// result. It returns the config file used ("" for none) and the project root.
func loadConfig(c *cli.Context, cwd string) (config.Config, string, string, error) {
	cfg := config.Default()
	file := c.String("config")
	var trust *config.Trust // nil for a file given with --config: the user chose it
	if file == "" {
		home, _ := os.UserHomeDir()
		found, err := config.Find(cwd, home)
		if err != nil {
			return cfg, "", "", usageError(err)
		}
		file = found
		trust = &config.Trust{StartDir: cwd, Dirs: filepath.SplitList(os.Getenv("RELOAD_TRUSTED_DIRS"))}
	} else if _, err := os.Stat(file); err != nil {
		return cfg, "", "", usageError(fmt.Errorf("config file %s: %w; check the path given to --config", file, errors.Unwrap(err)))
	}
	root := cwd
	if file != "" {
		var err error
		if trust != nil {
			cfg, err = config.LoadFound(file, cfg, *trust)
		} else {
			cfg, err = config.Load(file, cfg)
		}
		if err != nil {
			return cfg, "", "", usageError(err)
		}
		if err := cfg.Validate(file); err != nil {
			return cfg, "", "", usageError(err)
		}
		abs, err := filepath.Abs(file)
		if err != nil {
			return cfg, "", "", err
		}
		root = filepath.Dir(abs)
	}
	if err := applyFlags(c, &cfg); err != nil {
		return cfg, "", "", usageError(err)
	}
	if err := cfg.Validate(""); err != nil { // the flags' values, named by flag
		return cfg, "", "", usageError(err)
	}
	return cfg, file, root, nil
}

// newPrinter decides colour once, from stderr (SPEC §2 --no-color).
func newPrinter(c *cli.Context, cfg config.Config, stderr io.Writer) *status.Printer {
	useColor := false
	if f, ok := stderr.(*os.File); ok {
		useColor = term.IsTerminal(int(f.Fd()))
	}
	if _, set := os.LookupEnv("NO_COLOR"); set || c.Bool("no-color") {
		useColor = false
	}
	level := status.Info
	switch cfg.Log {
	case config.LogQuiet:
		level = status.Quiet
	case config.LogVerbose:
		level = status.Verbose
	}
	return status.New(stderr, useColor, level)
}

// appEnv is reload's environment plus the user's [env] / --env, with
// node_modules/.bin first on PATH when running a package.json start script.
func appEnv(extra map[string]string, pathPrepend string) []string {
	env := os.Environ()
	if pathPrepend != "" {
		env = append(env, "PATH="+pathPrepend+string(os.PathListSeparator)+os.Getenv("PATH"))
	}
	for k, v := range extra {
		env = append(env, k+"="+v)
	}
	return env // later entries win in os/exec
}

// watchRoots turns the watch list into absolute paths and refuses to watch
// "/" or the home folder unless --watch named it explicitly (SPEC §4).
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
		if _, err := os.Stat(w); err != nil {
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
	if len(ext) > 0 {
		log.Debugf("watching %s for %s (%d folders)", strings.Join(cfg.Watch, ", "), strings.Join(ext, ","), w.Dirs())
	} else {
		log.Debugf("watching %s, every file (%d folders)", strings.Join(cfg.Watch, ", "), w.Dirs())
	}
	return w, nil
}
