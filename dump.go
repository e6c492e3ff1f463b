package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/reload-dev/reload/config"
	"github.com/reload-dev/reload/internal/command"
)

// dumpConfig prints the settings in effect as TOML on stdout, each key
// followed by where its value came from: "default", the config file, a
// flag, or what reload inferred (--dump, as nodemon's). cmd and ext show
// what will run and be watched; plan has no Argv when there is nothing to run.
func dumpConfig(c *cli.Context, cfg config.Config, file string, plan command.Plan) error {
	inFile := func(...string) bool { return false }
	if file != "" {
		has, err := config.FileKeys(file)
		if err != nil {
			return err
		}
		inFile = has
	}
	eff := cfg
	switch {
	case len(plan.Argv) == 0:
	case cfg.Cmd.Shell != "":
		eff.Cmd = config.Command{Shell: plan.Describe}
	default:
		eff.Cmd = config.Command{Argv: plan.Argv}
	}
	if cfg.Ext == nil && plan.WatchExt != nil {
		eff.Ext = plan.WatchExt
	}
	from := func(path ...string) string {
		flag := setBy(c, path...)
		switch name := strings.Join(path, "."); {
		case flag != "" && inFile(path...) && name == "ignore":
			return file + " and flag " + flag // --ignore adds to the file's
		case flag != "":
			return "flag " + flag
		case name == "cmd" && c.Args().Present():
			return "command line"
		case inFile(path...):
			return file
		case name == "cmd" && len(plan.Argv) == 0:
			return "nothing to run: give a script or a command"
		case name == "cmd":
			return "inferred from package.json or go.mod"
		case name == "ext" && eff.Ext == nil:
			return "unset: every file is watched"
		case name == "ext" && plan.WatchExtFrom != "":
			return "inferred from " + plan.WatchExtFrom
		case name == "ext":
			return "inferred from the command"
		}
		return "default"
	}
	_, err := fmt.Fprint(c.App.Writer, config.Dump(eff, from))
	return err
}

// setBy names the flag ("--delay") that set the key at path, or "". When
// several did, it is the last in the key's list, the one applyFlags keeps.
func setBy(c *cli.Context, path ...string) string {
	name := strings.Join(path, ".")
	switch {
	case len(path) == 2 && (path[0] == "env" || path[0] == "hooks"):
		flag, _ := config.Lookup(path[0])
		name := flag.Flags[0].Name // --env, --hook
		for _, kv := range c.StringSlice(name) {
			if k, _, _ := strings.Cut(kv, "="); k == path[1] {
				return "--" + name
			}
		}
		return ""
	case name == "proxy.listen", name == "proxy.target":
		name = "proxy" // --proxy LISTEN:TARGET sets both
	}
	k, _ := config.Lookup(name)
	set := ""
	for _, f := range k.Flags {
		if f.Sets != nil && c.Bool(f.Name) || f.Sets == nil && c.IsSet(f.Name) {
			set = "--" + f.Name
		}
	}
	return set
}
