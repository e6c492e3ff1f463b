package warm

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"time"
)

// FdEnv names the variable that tells the gate (gate.cjs) which file
// descriptor to wait on. The gate removes it before the app runs.
const FdEnv = "RELOAD_WARM_FD"

// Env is the variable a process started ahead needs: its gate is its first
// extra file (exec.Cmd.ExtraFiles[0]), which is file descriptor 3.
const Env = FdEnv + "=3"

// Gate is reload's end of the pipe a process started ahead waits on. The
// pipe is the process's lifeline too: when reload closes it (or dies), the
// waiting process reads end of file and ends.
type Gate struct {
	w *os.File
}

// NewGate makes the pipe. Give r to the process as its only extra file,
// with Env in its environment, and close r once it started; only reload
// holds the write end (it is close-on-exec), so no other child can keep
// the gate open.
func NewGate() (r *os.File, g *Gate, err error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, nil, err
	}
	return r, &Gate{w: w}, nil
}

// Open sends msg (see Message) and closes the pipe: the waiting process
// takes the environment and loads the app. It fails when the process is
// gone (the pipe is broken) or does not take a large message within
// timeout (it is stopped); then the process will not run the app.
func (g *Gate) Open(msg []byte, timeout time.Duration) error {
	defer g.Close()
	_ = g.w.SetWriteDeadline(time.Now().Add(timeout)) // a pipe from os.Pipe takes deadlines on Unix
	_, err := g.w.Write(msg)
	return err
}

// Close closes the pipe without a message: a process still waiting ends.
// Closing twice is fine.
func (g *Gate) Close() {
	if g != nil && g.w != nil {
		_ = g.w.Close()
		g.w = nil
	}
}

// message is the gate's one message, in JSON.
type message struct {
	Set   map[string]string `json:"set"`
	Unset []string          `json:"unset"`
}

// Message is what turns a process started with the environment started
// into one started with want: the variables to set (new or changed) and
// the ones to remove. Both are "KEY=value" lists in which, as in os/exec,
// the last value of a key wins. Values that are not UTF-8 reach the app
// with U+FFFD in their place, as node's process.env shows them anyway.
func Message(started, want []string) []byte {
	have, need := envMap(started), envMap(want)
	m := message{Set: map[string]string{}, Unset: []string{}}
	for k, v := range need {
		if old, ok := have[k]; !ok || old != v {
			m.Set[k] = v
		}
	}
	for k := range have {
		if _, ok := need[k]; !ok {
			m.Unset = append(m.Unset, k)
		}
	}
	slices.Sort(m.Unset)
	b, _ := json.Marshal(m) // a map of strings and a list of strings always encode
	return b
}

// envMap reads a "KEY=value" list; a later value of a key wins.
func envMap(env []string) map[string]string {
	m := make(map[string]string, len(env))
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok && k != "" {
			m[k] = v
		}
	}
	return m
}
