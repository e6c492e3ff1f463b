//go:build linux

package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// The save → served measurement: every tool runs at once, each on its own
// small project whose app answers HTTP with the number value.js exports. A
// client asks every opt.Every; a save writes a new number, and the figure
// is the time from the write to the first answer with it. The saves go
// round the tools in turn (the order turning each round), so every tool
// sees the same machine.

// variant is one tool as the served measurement runs it: reload once per
// mode (direct, --proxy, --warm, --warm --proxy).
type variant struct {
	Label string
	Tool  tool
	Proxy bool // the client asks reload's proxy, not the app
	Warm  bool
	Note  string // why it was not measured, or failed

	dir, logPath        string
	appPort, clientPort int
	proj                project
	s                   *session
	value               int       // the number value.js holds
	relaunches          int       // after a save that went wrong
	trace               io.Writer // every request of every save, for -logs
}

// maxRelaunches bounds how often a variant is relaunched after a save went
// wrong before it is given up: a tool that loses a file for good (node
// --watch after an atomic save) gets one relaunch a round, and a few more.
func maxRelaunches(opt options) int { return opt.Saves + 3 }

// servedSave is one save of one variant.
type servedSave struct {
	Missed   bool          // not served within -served-timeout (the tool was relaunched)
	Started  time.Duration // the last write → the new app exec'd (the shim's stamp)
	Served   time.Duration // the last write → the first answer with the new value
	Failed   int           // requests that failed between the write and that answer
	Restarts int           // app starts the save caused
}

// servedResult is one variant's saves, by kind.
type servedResult struct {
	Label  string
	Tool   tool
	Warm   bool
	Saves  [numKinds][]servedSave
	Missed []string // why each missed save was missed
	Note   string
}

// variants lists what the served measurement runs, in table order; a
// reload without --warm gets its warm rows noted as skipped.
func variants(tools []tool, reloadBin string) []*variant {
	var vs []*variant
	for _, t := range tools {
		if t.Key != "reload" {
			vs = append(vs, &variant{Label: t.Name, Tool: t})
			continue
		}
		vs = append(vs, &variant{Label: "reload", Tool: t}, &variant{Label: "reload --proxy", Tool: t, Proxy: true})
		warm := &variant{Label: "reload --warm", Tool: t, Warm: true}
		warmProxy := &variant{Label: "reload --warm --proxy", Tool: t, Warm: true, Proxy: true}
		if !strings.Contains(helpText(reloadBin, "--help"), "--warm") {
			warm.Note = "not measured: this reload has no --warm (reload --help does not list it)"
			warmProxy.Note = warm.Note
		}
		vs = append(vs, warm, warmProxy)
	}
	return vs
}

// prepare makes the variant's project in dir.
func (v *variant) prepare(dir, logPath string, opt options) error {
	v.dir, v.logPath = dir, logPath
	var err error
	v.proj, err = genProject(filepath.Join(dir, "app"), filepath.Join(dir, "starts.log"), opt.Storm)
	return err
}

// start launches the variant's tool on fresh ports; its output is
// appended to its log.
func (v *variant) start(base workspace, live *liveSet) error {
	var err error
	if v.appPort, err = freePort(); err != nil {
		return err
	}
	v.clientPort = v.appPort
	if v.Proxy {
		if v.clientPort, err = freePort(); err != nil {
			return err
		}
	}
	ws := base
	ws.Tree = tree{Root: v.proj.Root}
	ws.Work, ws.StartLog = v.dir, filepath.Join(v.dir, "starts.log")
	ws.Env = append(shimEnv(base.ShimDir, ws.StartLog, base.Node), fmt.Sprintf("PORT=%d", v.appPort))
	spec, err := v.Tool.spec(ws)
	if err != nil {
		return err
	}
	var flags []string
	if v.Warm {
		flags = append(flags, "--warm")
	}
	if v.Proxy {
		flags = append(flags, "--proxy", fmt.Sprintf("127.0.0.1:%d:127.0.0.1:%d", v.clientPort, v.appPort))
	}
	spec.Argv = slices.Insert(spec.Argv, 1, flags...) // reload's flags go before the script
	spec.Env = append(spec.Env, ws.Env...)
	spec.startLog, spec.appTimed, spec.shift = ws.StartLog, v.Tool.AppTimed, base.Shift
	logPath := v.logPath
	if v.relaunches > 0 {
		logPath = fmt.Sprintf("%s.%d", v.logPath, v.relaunches)
	}
	if v.s, err = launch(spec, logPath); err != nil {
		return err
	}
	live.add(v.s)
	return nil
}

// stop stops the variant's tool (not reaping: other tools run beside it).
func (v *variant) stop(live *liveSet) {
	if v.s != nil {
		v.s.stopGroup()
		live.remove(v.s)
	}
}

// relaunch stops the tool and starts it again, after a save went wrong;
// it fails once the variant has been relaunched maxRelaunches times.
func (v *variant) relaunch(ctx context.Context, base workspace, opt options, live *liveSet, why error) error {
	v.stop(live)
	if v.relaunches >= maxRelaunches(opt) {
		return fmt.Errorf("given up after %d relaunches; last: %w", v.relaunches, why)
	}
	v.relaunches++
	if err := v.start(base, live); err != nil {
		return err
	}
	return v.waitValue(ctx, opt)
}

// measureServed launches every variant, waits until each answers, then
// makes opt.Saves saves of every kind with each in turn. A save that is
// not served in time is counted as missed and its tool relaunched.
func measureServed(ctx context.Context, tools []tool, reloadBin string, base workspace, opt options, logs string, live *liveSet, progress func(string, ...any)) []servedResult {
	vs := variants(tools, reloadBin)
	defer func() {
		for _, v := range vs {
			v.stop(live)
		}
		reapLeftovers()
	}()
	for i, v := range vs {
		if v.Note != "" {
			continue
		}
		name := fmt.Sprintf("served-%d-%s", i, v.Tool.Key)
		if err := v.prepare(filepath.Join(base.Work, "served", name), filepath.Join(logs, name+".log"), opt); err != nil {
			v.Note = "failed to make its project: " + err.Error()
			continue
		}
		f, err := os.Create(filepath.Join(logs, name+".requests"))
		if err != nil {
			v.Note = err.Error()
			continue
		}
		defer f.Close()
		v.trace = f
		if err := v.start(base, live); err != nil {
			v.Note = "failed to start: " + err.Error()
		}
	}
	for _, v := range vs {
		if v.Note == "" {
			if err := v.waitValue(ctx, opt); err != nil {
				v.fail("its first answer", err)
			}
		}
	}
	res := make([]servedResult, len(vs))
	for i, v := range vs {
		res[i] = servedResult{Label: v.Label, Tool: v.Tool, Warm: v.Warm}
	}
	for round := range opt.Saves {
		for kind := range numKinds {
			progress("served: save %d/%d, %s", round+1, opt.Saves, kind)
			for j := range vs {
				i := (j + round) % len(vs) // turn the order each round
				v := vs[i]
				if v.Note != "" || ctx.Err() != nil {
					continue
				}
				sv, err := v.save(ctx, kind, opt)
				if err != nil {
					progress("  %s: %s %d: %v; relaunching it", v.Label, kind, round+1, err)
					res[i].Missed = append(res[i].Missed, fmt.Sprintf("%s %d: %v", kind, round+1, err))
					sv = servedSave{Missed: true}
					if err := v.relaunch(ctx, base, opt, live, err); err != nil {
						v.fail(fmt.Sprintf("%s %d", kind, round+1), err)
					}
				}
				res[i].Saves[kind] = append(res[i].Saves[kind], sv)
			}
		}
	}
	for i, v := range vs {
		res[i].Note = v.Note
	}
	return res
}

// fail gives up a variant, noting why.
func (v *variant) fail(step string, err error) {
	v.Note = fmt.Sprintf("given up at %s: %v", step, err)
	if v.s != nil {
		v.Note += "; last output: " + v.s.out.lastLines(3)
	}
}

// waitValue waits until the app answers with the number value.js holds.
func (v *variant) waitValue(ctx context.Context, opt options) error {
	c := startClient(ctx, v.clientPort, opt.Every)
	defer c.stop()
	_, err := c.waitValue(ctx, v.value, time.Time{}, opt.Timeout, v.alive)
	return err
}

// alive fails once the tool has exited.
func (v *variant) alive() error {
	if v.s.exited() {
		return fmt.Errorf("tool exited (%v)", v.s.cmd.ProcessState)
	}
	return nil
}

// save makes one save of kind and measures it: the old value must be
// served first, then the new one, then starts must settle.
func (v *variant) save(ctx context.Context, kind saveKind, opt options) (servedSave, error) {
	var sv servedSave
	c := startClient(ctx, v.clientPort, opt.Every)
	defer c.stop()
	if _, err := c.waitValue(ctx, v.value, time.Time{}, opt.Timeout, v.alive); err != nil {
		return sv, fmt.Errorf("before the save: %w", err)
	}
	n0, err := v.s.starts.poll()
	if err != nil {
		return sv, err
	}
	v.value++
	t0, err := v.proj.save(kind, v.value)
	if err != nil {
		return sv, err
	}
	servedAt, err := c.waitValue(ctx, v.value, t0, opt.ServedTimeout, v.alive)
	if err != nil {
		v.traceSave(kind, t0, time.Time{}, c.stop())
		return sv, err
	}
	if _, err := v.s.waitStarts(ctx, n0+1, opt.Timeout); err != nil {
		return sv, err
	}
	// The app that served the new value is the last one started before it
	// answered (a storm may restart it before value.js is written too).
	st := v.s.starts.starts[n0]
	for _, s := range v.s.starts.starts[n0:] {
		if s.Exec.Before(servedAt) {
			st = s
		}
	}
	n1, err := v.s.settle(ctx, max(opt.ServedSettle, v.Tool.Poll+200*time.Millisecond), opt.Timeout)
	if err != nil {
		return sv, err
	}
	probes := c.stop()
	v.traceSave(kind, t0, servedAt, probes)
	for _, p := range probes {
		if p.failed() && !p.Done.Before(t0) && !p.Sent.After(servedAt) {
			sv.Failed++
		}
	}
	sv.Started, sv.Served, sv.Restarts = st.Exec.Sub(t0), servedAt.Sub(t0), n1-n0
	return sv, nil
}

// traceSave writes a save's requests to the variant's .requests file:
// a line for the save, then one per request, "sent done value" in ms from
// the write (value -1: failed).
func (v *variant) traceSave(kind saveKind, t0, servedAt time.Time, probes []probe) {
	served := "never"
	if !servedAt.IsZero() {
		served = fmt.Sprintf("%.1f", ms(servedAt.Sub(t0)))
	}
	fmt.Fprintf(v.trace, "# %s: value %d, served at %s ms\n", kind, v.value, served)
	for _, p := range probes {
		fmt.Fprintf(v.trace, "%.1f %.1f %d\n", ms(p.Sent.Sub(t0)), ms(p.Done.Sub(t0)), p.Value)
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// helpText is everything a command prints, stdout and stderr, or "".
func helpText(name string, args ...string) string {
	cmd := exec.Command(name, args...)
	out, _ := cmd.CombinedOutput()
	return string(out)
}
