//go:build unix

package e2e

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// eventsSchema is docs/events.schema.json, compiled, with formats asserted.
func eventsSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "docs", "events.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("events.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("events.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// event is one line of the stream, decoded.
type event map[string]any

func (e event) kind() string {
	k, _ := e["event"].(string)
	if s, ok := e["state"].(string); ok {
		k += " " + s
	}
	if r, ok := e["reason"].(string); ok {
		k += " " + r
	}
	return k
}

func (e event) num(key string) int {
	v, ok := e[key].(float64)
	if !ok {
		return -1
	}
	return int(v)
}

// checkLines validates every line against the schema and decodes it.
func checkLines(t *testing.T, text string) []event {
	t.Helper()
	schema := eventsSchema(t)
	var out []event
	for i, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(line))
		if err != nil {
			t.Fatalf("line %d is not JSON: %q: %v", i+1, line, err)
		}
		if err := schema.Validate(inst); err != nil {
			t.Errorf("line %d does not fit docs/events.schema.json: %s\n%v", i+1, line, err)
		}
		var e event
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}

func readEvents(t *testing.T, path string) []event {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return checkLines(t, string(b))
}

// inOrder fails unless want (kinds, as event.kind gives them) appear in
// events in this order, and returns the matching events.
func inOrder(t *testing.T, events []event, want ...string) []event {
	t.Helper()
	var got []event
	i := 0
	for _, e := range events {
		if i < len(want) && e.kind() == want[i] {
			got = append(got, e)
			i++
		}
	}
	if i < len(want) {
		var kinds []string
		for _, e := range events {
			kinds = append(kinds, e.kind())
		}
		t.Fatalf("no %q in order %q:\n%s", want[i], want, strings.Join(kinds, "\n"))
	}
	return got
}

func kinds(events []event, prefix string) []event {
	var out []event
	for _, e := range events {
		if strings.HasPrefix(e.kind(), prefix) {
			out = append(out, e)
		}
	}
	return out
}

// TestEventsLifecycle runs the real binary with --events through a start, a
// change, a crash restarted by --on-crash, a failing and a passing build,
// and a stop; every line must fit docs/events.schema.json and tell the
// story in order. The events file lies in the watched folder: writing it
// must not restart the app.
func TestEventsLifecycle(t *testing.T) {
	t.Parallel()
	dir, mark := t.TempDir(), t.TempDir()
	// The app looks for the crash mark before it says ready: a mark the
	// test writes after a ready line is for the next start, never this one.
	writeFile(t, dir, "app.sh", `crash=; if [ -f "$MARK/crash" ]; then rm "$MARK/crash"; crash=1; fi
echo "ready pid=$$ restarts=$RELOAD_RESTARTS"
if [ -n "$crash" ]; then exit 3; fi
exec sleep 1000
`)
	build := `if [ -f "$MARK/broken" ]; then echo "compile error: boom"; exit 1; fi`
	p := startReload(t, dir, "--events", "events.jsonl", "--on-crash", "--env", "MARK="+mark, "-b", build, "--", "sh", "app.sh")
	first := p.ready()
	if first["restarts"] != "0" {
		t.Fatalf("first start: %v", first)
	}

	writeFile(t, mark, "crash", "")
	writeFile(t, dir, "a.sh", "")
	changed := p.ready()
	if changed["restarts"] != "1" {
		t.Fatalf("start for a.sh: %v", changed)
	}
	if r := p.ready(); r["restarts"] != "2" { // after the crash
		t.Fatalf("restart after the crash: %v", r)
	}

	writeFile(t, mark, "broken", "")
	writeFile(t, dir, "b.sh", "")
	waitFor(t, p.errs, "build failed")

	os.Remove(filepath.Join(mark, "broken"))
	writeFile(t, dir, "c.sh", "")
	if r := p.ready(); r["restarts"] != "3" { // the sentinel: no start for the events file
		t.Fatalf("start after the fixed build: %v", r)
	}
	p.signal(syscall.SIGTERM)
	if s := p.wait(); s != 143 {
		t.Fatalf("reload exited %d; want 143", s)
	}

	events := readEvents(t, filepath.Join(dir, "events.jsonl"))
	if events[0].kind() != "watching" || events[0].num("watches") < 1 {
		t.Errorf("first event: %v", events[0])
	}
	got := inOrder(t, events,
		"build started", "build succeeded", "start start",
		"change", "build started", "build succeeded", "stop change", "start change", "exit", "start crash",
		"change", "build started", "build failed",
		"change", "build started", "build succeeded", "stop change", "start change",
		"stop shutdown")
	if n := len(kinds(events, "start")); n != 4 {
		t.Errorf("%d starts; want 4", n)
	}
	if e := got[2]; e.num("restarts") != 0 || e["since_change_ms"] != nil {
		t.Errorf("first start: %v", e)
	}
	if e := got[3]; fmt.Sprint(e["paths"]) != "[a.sh]" || e.num("count") != 1 {
		t.Errorf("first change: %v", e)
	}
	if e := got[7]; e.num("restarts") != 1 || e.num("since_change_ms") < 0 || e.num("pid") != mustAtoi(t, changed["pid"]) {
		t.Errorf("start for the change: %v; the app says %v", e, changed)
	}
	if e := got[8]; e.num("code") != 3 || e["signal"] != nil || e["crash"] != true || e.num("next_ms") != 100 || e.num("pid") != got[7].num("pid") {
		t.Errorf("crash: %v", e)
	}
	if e := got[9]; e.num("restarts") != 2 || e["since_change_ms"] != nil {
		t.Errorf("restart after the crash: %v", e)
	}
	if e := got[12]; e.num("code") != 1 || !strings.Contains(e["tail"].(string), "compile error: boom") {
		t.Errorf("failed build: %v", e)
	}
	if e := got[18]; e.num("pid") != got[17].num("pid") {
		t.Errorf("the last stop is not of the last start: %v", e)
	}
	if r := kinds(events, "ready"); len(r) != 0 { // sleep never listens
		t.Errorf("ready events for an app that never listens: %v", r)
	}
	if d := kinds(events, "dropped"); len(d) != 0 {
		t.Errorf("events dropped with a file as the reader: %v", d)
	}
}

var (
	firstReady = regexp.MustCompile(`^\[reload\] app listening on (http://\S+) \((\d+) ms after start\)$`)
	nextReady  = regexp.MustCompile(`^\[reload\] app listening on (http://\S+) \((\d+) ms after start, (\d+) ms after the save\)$`)
)

// TestReadyLine: an HTTP server app is reported listening once per start,
// on its address, with the time since its start (and since the save that
// restarted it), in the status line and as a ready event.
func TestReadyLine(t *testing.T) {
	t.Parallel()
	if runtime.GOOS != "linux" {
		t.Skip("readiness is found through Linux's /proc")
	}
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("no python3 for the HTTP server app")
	}
	dir := t.TempDir()
	port := strconv.Itoa(freePort(t))
	url := "http://127.0.0.1:" + port
	p := startReload(t, dir, "--events", "events.jsonl", "--", "python3", "-m", "http.server", "--bind", "127.0.0.1", port)
	m := firstReady.FindStringSubmatch(waitFor(t, p.errs, "app listening on"))
	if m == nil || m[1] != url {
		t.Fatalf("first ready line: %v; want it for %s", m, url)
	}
	writeFile(t, dir, "page.py", "# python3 runs: .py files are watched\n")
	m = nextReady.FindStringSubmatch(waitFor(t, p.errs, "app listening on"))
	if m == nil || m[1] != url || mustAtoi(t, m[3]) < mustAtoi(t, m[2]) {
		t.Fatalf("ready line after a change: %v", m)
	}
	p.signal(syscall.SIGTERM)
	p.wait()
	events := readEvents(t, filepath.Join(dir, "events.jsonl"))
	got := inOrder(t, events, "start start", "ready", "change", "stop change", "start change", "ready", "stop shutdown")
	for _, i := range []int{1, 5} {
		if e := got[i]; e["address"] != "127.0.0.1:"+port || e["url"] != url || e.num("pid") != got[i-1].num("pid") {
			t.Errorf("ready event %v after %v", e, got[i-1])
		}
	}
	if got[1]["since_change_ms"] != nil || got[5].num("since_change_ms") < got[5].num("ms") {
		t.Errorf("ready events' save times: %v, %v", got[1], got[5])
	}
	if n := len(kinds(events, "ready")); n != 2 {
		t.Errorf("%d ready events; want one per start", n)
	}
}

// TestEventsFIFO: a FIFO with no reader does not hold up the start; the
// events wait for the reader that comes later.
func TestEventsFIFO(t *testing.T) {
	t.Parallel()
	dir := newProject(t)
	fifo := filepath.Join(t.TempDir(), "events")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	p := startReload(t, dir, "--events", fifo, "app.sh")
	p.ready() // started with nobody reading
	f, err := os.Open(fifo)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lines := make(chan string, 100)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	waitFor(t, lines, `"event":"watching"`)
	waitFor(t, lines, `"event":"start"`)
	p.signal(syscall.SIGTERM)
	checkLines(t, waitFor(t, lines, `"event":"stop"`))
	p.wait()
}

// TestEventsRefusesAFolder: a folder is a usage error, in one line.
func TestEventsRefusesAFolder(t *testing.T) {
	t.Parallel()
	dir := newProject(t)
	status, stderr := runReload(t, dir, "--events", t.TempDir(), "app.sh")
	if status != 2 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "is a folder") {
		t.Fatalf("status %d, stderr %q; want 2 and one line", status, stderr)
	}
}

// TestEventsStdout: "-" writes the events to stdout.
func TestEventsStdout(t *testing.T) {
	t.Parallel()
	out, err := runOutput(t.TempDir(), "--no-watch", "--events", "-", "--", "sh", "-c", "exit 0")
	if err != nil {
		t.Fatal(err)
	}
	events := checkLines(t, out)
	got := inOrder(t, events, "start start", "exit")
	if e := got[1]; e.num("code") != 0 || e["crash"] != false || e["next_ms"] != nil {
		t.Errorf("exit: %v", e)
	}
}

// TestEventsSchemaIsStrict: the schema refuses what the stream must never
// hold — unknown fields, missing or mistyped ones, a field of another kind.
func TestEventsSchemaIsStrict(t *testing.T) {
	t.Parallel()
	schema := eventsSchema(t)
	const at = `"time":"2025-06-01T09:00:00.061Z"`
	for _, tc := range []struct {
		line string
		ok   bool
	}{
		{`{` + at + `,"event":"start","pid":1,"restarts":0,"reason":"start"}`, true},
		{`{` + at + `,"event":"start","pid":1,"restarts":0,"reason":"start","extra":1}`, false},
		{`{` + at + `,"event":"start","pid":1,"reason":"start"}`, false},
		{`{` + at + `,"event":"start","pid":"1","restarts":0,"reason":"start"}`, false},
		{`{"time":"2025-06-01 09:00:00","event":"stop","pid":1,"reason":"change","uptime_ms":5}`, false},
		{`{` + at + `,"event":"exit","pid":null,"code":127,"signal":null,"uptime_ms":0,"crash":true,"next_ms":null,"error":"x"}`, true},
		{`{` + at + `,"event":"exit","pid":2,"code":null,"signal":"SIGSEGV","uptime_ms":3,"crash":true,"next_ms":100}`, true},
		{`{` + at + `,"event":"exit","pid":2,"code":1,"uptime_ms":3,"crash":true,"next_ms":100}`, false},
		{`{` + at + `,"event":"build","state":"started"}`, true},
		{`{` + at + `,"event":"build","state":"started","ms":3}`, false},
		{`{` + at + `,"event":"build","state":"failed","code":null,"status":"signal: killed","tail":"","ms":3}`, true},
		{`{` + at + `,"event":"build","state":"failed","code":1,"ms":3}`, false},
		{`{` + at + `,"event":"build","state":"done"}`, false},
		{`{` + at + `,"event":"change","paths":["a"],"count":1,"rescan":false}`, false},
		{`{` + at + `,"event":"dropped","count":0}`, false},
		{`{` + at + `,"event":"restarted"}`, false},
	} {
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(tc.line))
		if err != nil {
			t.Fatal(err)
		}
		if err := schema.Validate(inst); (err == nil) != tc.ok {
			t.Errorf("%s: valid = %v, want %v (%v)", tc.line, err == nil, tc.ok, err)
		}
	}
}
