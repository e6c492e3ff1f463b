package main

import (
	"errors"
	"io"

	"github.com/urfave/cli/v2"

	"github.com/reload-dev/reload/config"
	"github.com/reload-dev/reload/internal/command"
	"github.com/reload-dev/reload/internal/status"
)

// settings are what reload was asked to do: the folder it acts in, the
// merged config, what to run, and how to talk.
type settings struct {
	cwd, root, file string // file: the config file used ("" for none)
	cfg             config.Config
	plan            command.Plan
	log             *status.Printer
}

// loadSettings merges defaults, the config file and the flags, and finds
// what to run. It returns nil settings with the exit status when reload
// ends here: a usage or config error, or --dump.
func loadSettings(c *cli.Context, stderr io.Writer) (*settings, int, error) {
	cwd, err := workDir(c)
	if err != nil {
		return nil, exitUsage, err
	}
	cfg, file, root, nm, err := loadConfig(c, cwd)
	if err != nil {
		return nil, exitUsage, err
	}
	plan, err := resolveCommand(c, cfg, cwd, root)
	if c.Bool("dump") && (err == nil || errors.Is(err, command.ErrNothingToRun)) {
		return nil, 0, dumpConfig(c, cfg, file, plan)
	}
	if err != nil {
		return nil, exitUsage, usageError(err)
	}
	log := newPrinter(c, cfg, stderr, nm.NoColor)
	switch {
	case config.IsNodemon(file):
		log.Debugf("config %s (nodemon's format); project root %s", file, root)
	case file != "":
		log.Debugf("config %s; project root %s", file, root)
	}
	for _, n := range nm.Notes {
		if n.Warn {
			log.Warnf("%s", n)
		} else if n.Msg != "" {
			log.Debugf("%s", n)
		}
	}
	for flag, why := range map[string]string{
		"spawn":              "reload always runs the app as a process of its own",
		"no-update-notifier": "reload never checks for updates",
	} {
		if c.Bool(flag) {
			log.Debugf("--%s (nodemon's) has no effect: %s", flag, why)
		}
	}
	return &settings{cwd: cwd, root: root, file: file, cfg: cfg, plan: plan, log: log}, 0, nil
}
