package events

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestEncode(t *testing.T) {
	t.Parallel()
	at := time.Date(2025, 3, 4, 5, 6, 7, 891_234_567, time.FixedZone("x", 3600))
	for _, tc := range []struct {
		e    Event
		want string
	}{
		{Start{Pid: 42, Restarts: 1, Reason: "change", SinceChangeMS: Ptr[int64](12)},
			`{"time":"2025-03-04T04:06:07.891Z","event":"start","pid":42,"restarts":1,"reason":"change","since_change_ms":12}`},
		{Start{Pid: 42, Reason: "start"},
			`{"time":"2025-03-04T04:06:07.891Z","event":"start","pid":42,"restarts":0,"reason":"start"}`},
		{Exit{Pid: Ptr(42), Signal: Ptr("SIGSEGV"), UptimeMS: 5, Crash: true},
			`{"time":"2025-03-04T04:06:07.891Z","event":"exit","pid":42,"code":null,"signal":"SIGSEGV","uptime_ms":5,"crash":true,"next_ms":null}`},
		{BuildFailure{State: BuildFailed, Code: Ptr(2), Status: "exit status 2", Tail: "a <b>\n", MS: 7},
			`{"time":"2025-03-04T04:06:07.891Z","event":"build","state":"failed","code":2,"status":"exit status 2","tail":"a \u003cb\u003e\n","ms":7}`},
		{Change{Paths: []string{"a.js"}, Count: 1},
			`{"time":"2025-03-04T04:06:07.891Z","event":"change","paths":["a.js"],"count":1}`},
	} {
		got := string(encode(at, tc.e))
		if got != tc.want+"\n" {
			t.Errorf("got  %s\nwant %s", got, tc.want)
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(got), &m); err != nil {
			t.Errorf("%s: %v", got, err)
		}
	}
}

// readLines reads the JSON lines of a finished stream.
func readLines(t *testing.T, path string) []map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		out = append(out, m)
	}
	return out
}

func TestSinkWritesAFileInOrder(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "events.jsonl")
	os.WriteFile(path, []byte(`{"event":"earlier run"}`+"\n"), 0o644)
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 100 {
		s.Emit(Start{Pid: i, Reason: "change"})
	}
	s.Emit(Stop{Pid: 99, Reason: "shutdown"})
	s.Close()
	lines := readLines(t, path)
	if len(lines) != 102 || lines[0]["event"] != "earlier run" {
		t.Fatalf("%d lines, first %v; want the earlier line kept and 101 more", len(lines), lines[0])
	}
	for i, m := range lines[1:101] {
		if m["event"] != "start" || m["pid"] != float64(i) {
			t.Fatalf("line %d: %v", i+1, m)
		}
	}
	if lines[101]["event"] != "stop" {
		t.Fatalf("last line: %v", lines[101])
	}
}

func TestSinkRefusesAFolder(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	_, err := Open(dir, Options{})
	if err == nil || !strings.Contains(err.Error(), "is a folder") {
		t.Fatalf("err = %v", err)
	}
	if _, err := Open(filepath.Join(dir, "no", "such", "dir", "x"), Options{}); err == nil {
		t.Fatal("a file in a missing folder opened")
	}
}

func TestSinkStdout(t *testing.T) {
	t.Parallel()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	s, err := Open("-", Options{Stdout: w})
	if err != nil {
		t.Fatal(err)
	}
	s.Emit(Dropped{Count: 3})
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil || !strings.Contains(line, `"event":"dropped","count":3}`) {
		t.Fatalf("read %q, %v", line, err)
	}
	s.Close()
	if _, err := w.Write([]byte("x")); err != nil {
		t.Fatalf("Close closed stdout: %v", err)
	}
	w.Close()
}

func TestNilSinkIgnoresEvents(t *testing.T) {
	var s *Sink
	s.Emit(Stop{})
	s.Close()
}
