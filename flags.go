package main

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/reload-dev/reload/config"
)

// flags are reload's own flags: those config.Keys lists for its keys, then
// those that set no key. splitArgs finds them wherever they stand before
// "--", as nodemon does.
func flags() []cli.Flag {
	var fs []cli.Flag
	for _, k := range config.Keys {
		for _, f := range k.Flags {
			fs = append(fs, keyFlag(k, f))
		}
	}
	const cat = "output and config"
	return append(fs,
		&cli.StringFlag{Name: "config", Aliases: []string{"c"}, Usage: "config file (default: .reload.toml found from here upward); its folder is the project root", Category: cat},
		&cli.StringFlag{Name: "cwd", Usage: "run as if started in this folder", Category: cat},
		&cli.BoolFlag{Name: "dump", Usage: "print the settings in effect as TOML, each with where it came from, and exit", Category: cat},
		&cli.BoolFlag{Name: "no-color", Aliases: []string{"no-colors", "no-colours"}, Usage: "no colour in status lines (also when NO_COLOR is set)", Category: cat},
		// nodemon's, accepted so its command lines work: reload always runs
		// the app as its own process and never checks for updates.
		&cli.BoolFlag{Name: "spawn", Hidden: true},
		&cli.BoolFlag{Name: "no-update-notifier", Hidden: true},
	)
}

// keyFlag makes the cli flag f of key k, of the kind its Config field needs.
func keyFlag(k config.Key, f config.Flag) cli.Flag {
	usage := k.Usage(f)
	if f.Sets != nil {
		return &cli.BoolFlag{Name: f.Name, Aliases: f.Aliases, Usage: usage, Category: f.Category}
	}
	var c config.Config
	switch k.Field(&c).(type) {
	case *bool:
		return &cli.BoolFlag{Name: f.Name, Aliases: f.Aliases, Usage: usage, Category: f.Category}
	case *int:
		return &cli.IntFlag{Name: f.Name, Aliases: f.Aliases, Usage: usage, Category: f.Category, DefaultText: k.DefaultText(f)}
	case *[]string, *config.List, *map[string]string:
		return &cli.StringSliceFlag{Name: f.Name, Aliases: f.Aliases, Usage: usage, Category: f.Category}
	}
	// Strings, durations, the --exec command and --proxy LISTEN:TARGET.
	return &cli.StringFlag{Name: f.Name, Aliases: f.Aliases, Usage: usage, Category: f.Category, DefaultText: k.DefaultText(f)}
}

// applyFlags overrides cfg with the flags the user set, and only those, in
// config.Keys order; a key's later flag wins (--no-stdin over --restartable).
func applyFlags(c *cli.Context, cfg *config.Config) error {
	for _, k := range config.Keys {
		switched := "" // the switch that set k, to catch --quiet --verbose
		for _, f := range k.Flags {
			switch {
			case f.Sets != nil:
				if !c.Bool(f.Name) {
					continue
				}
				if switched != "" {
					return fmt.Errorf("--%s and --%s contradict each other; pick one", switched, f.Name)
				}
				switched = f.Name
				reflect.ValueOf(k.Field(cfg)).Elem().Set(reflect.ValueOf(f.Sets))
			case c.IsSet(f.Name): // so --on-crash=false overrides the file too
				if err := applyFlag(c, f, k.Field(cfg)); err != nil {
					return fmt.Errorf("flag --%s: %w", f.Name, err)
				}
			}
		}
	}
	return nil
}

// applyFlag sets the field dst points to from the value of flag f.
func applyFlag(c *cli.Context, f config.Flag, dst any) error {
	switch dst := dst.(type) {
	case *string:
		*dst = c.String(f.Name)
	case *bool:
		*dst = c.Bool(f.Name)
	case *int:
		*dst = c.Int(f.Name)
	case *config.Duration:
		v, err := f.ParseDuration(c.String(f.Name))
		if err != nil {
			return err
		}
		dst.Duration = v
	case *config.Command:
		*dst = config.Command{Shell: c.String(f.Name)}
	case *[]string:
		if !f.Adds {
			*dst = nil
		}
		*dst = append(*dst, c.StringSlice(f.Name)...)
	case *config.List:
		*dst = config.List{}
		for _, v := range c.StringSlice(f.Name) {
			*dst = append(*dst, config.ParseExt(v)...)
		}
	case *map[string]string: // adds to the file's entries, name by name
		for _, kv := range c.StringSlice(f.Name) {
			k, v, ok := strings.Cut(kv, "=")
			if !ok || k == "" {
				if f.Name == "hook" {
					return fmt.Errorf("%q is not NAME=COMMAND; write it like --hook crash='notify-send crashed'", kv)
				}
				return fmt.Errorf("%q is not K=V; write it like --env PORT=3000", kv)
			}
			if *dst == nil {
				*dst = map[string]string{}
			}
			(*dst)[k] = v
		}
	case *config.Proxy:
		l, t, err := config.SplitProxy(c.String(f.Name))
		if err != nil {
			return err
		}
		dst.Listen, dst.Target = l, t
	default:
		return fmt.Errorf("no way to set %T from a flag", dst) // a programming error, caught by TestApplyFlags
	}
	return nil
}
