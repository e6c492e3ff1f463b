//go:build linux

package e2e

import (
	"archive/tar"
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The container example (examples/kubernetes) without a cluster: reload runs
// as PID 1 of a new PID and mount namespace with the image's own argv, and
// files are synced in the ways Tilt, Skaffold and the tools without tar do
// it, each step exec'd into the namespace as `kubectl exec` would.

// grace is the example's terminationGracePeriodSeconds (and Compose's
// stop_grace_period); the validate module checks that --stop-timeout is below it.
const grace = 10 * time.Second

// needNamespaces skips unless unshare can make a PID namespace here and
// nsenter can enter it.
func needNamespaces(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"unshare", "nsenter", "tar"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed; cannot run reload as PID 1 of a PID namespace", tool)
		}
	}
	if out, err := exec.Command("unshare", "--pid", "--fork", "--mount-proc", "true").CombinedOutput(); err != nil {
		t.Skipf("cannot make a PID namespace here (unshare needs root or user namespaces): %v: %s", err, bytes.TrimSpace(out))
	}
}

// imageArgv is the example image's ENTRYPOINT + CMD, which the validate
// module checks is the Deployment's command too, with the built reload in
// place of /usr/local/bin/reload.
func imageArgv(t *testing.T) []string {
	t.Helper()
	f, err := os.Open("../examples/kubernetes/Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var entrypoint, cmd []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		instr, rest, _ := strings.Cut(sc.Text(), " ")
		var dst *[]string
		switch instr {
		case "ENTRYPOINT":
			dst = &entrypoint
		case "CMD":
			dst = &cmd
		default:
			continue
		}
		if err := json.Unmarshal([]byte(rest), dst); err != nil {
			t.Fatalf("%s %s: %v", instr, rest, err)
		}
	}
	if len(entrypoint) == 0 || entrypoint[0] != "/usr/local/bin/reload" || len(cmd) == 0 {
		t.Fatalf("the Dockerfile's ENTRYPOINT %q and CMD %q are not reload running the app", entrypoint, cmd)
	}
	return append(append([]string{reloadBin}, entrypoint[1:]...), cmd...)
}

// startInNamespace runs argv (reload's) as PID 1 of a new PID and mount
// namespace, in dir, with env added, and returns it with reload's pid as
// this test sees it. Cleanup SIGKILLs unshare, whose --kill-child takes
// reload, and so the namespace, with it.
func startInNamespace(t *testing.T, dir string, env []string, argv ...string) (*proc, int) {
	t.Helper()
	cmd := exec.Command("unshare", append([]string{"--pid", "--fork", "--mount-proc", "--kill-child"}, argv...)...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "NO_COLOR=1"), env...)
	p := launchProc(t, cmd)
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-p.done
	})
	for deadline := time.Now().Add(within); ; time.Sleep(5 * time.Millisecond) { // polling with a deadline
		if c := childPids(cmd.Process.Pid); len(c) == 1 {
			return p, c[0]
		}
		if time.Now().After(deadline) {
			t.Fatal("unshare started no reload")
		}
	}
}

// execIn runs argv in reload's PID and mount namespaces with stdin, as
// `kubectl exec -i` runs a sync tool's command in the container.
func execIn(t *testing.T, reload int, stdin []byte, argv ...string) {
	t.Helper()
	cmd := exec.Command("nsenter", append([]string{"-t", strconv.Itoa(reload), "-p", "-m", "--"}, argv...)...)
	cmd.Stdin = bytes.NewReader(stdin)
	cmd.WaitDelay = within
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("exec %q in the namespace: %v: %s", argv, err, out)
	}
}

// tarOf archives files (absolute path → content) the way Tilt and Skaffold
// do: names relative to /, for `tar -C / -x`.
func tarOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		body := files[name]
		hdr := &tar.Header{Name: strings.TrimPrefix(name, "/"), Mode: 0o644, Size: int64(len(body)), ModTime: time.Now(), Typeflag: tar.TypeReg}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// message is the example's src/message.js saying s.
func message(s string) string { return fmt.Sprintf("exports.message = %q;\n", s) }

// namespaceSettles waits until reload's namespace holds reload (with its
// watchdog, a second reload process) and one app process named app, and no
// zombie: every old app process was stopped and reaped.
func namespaceSettles(t *testing.T, reload int, app string) {
	t.Helper()
	ns, err := os.Readlink(fmt.Sprintf("/proc/%d/ns/pid", reload))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for deadline := time.Now().Add(within); ; time.Sleep(10 * time.Millisecond) { // polling with a deadline
		got = got[:0]
		apps, others := 0, 0
		dirs, _ := filepath.Glob("/proc/[0-9]*")
		for _, d := range dirs {
			pid, _ := strconv.Atoi(filepath.Base(d))
			if l, err := os.Readlink(d + "/ns/pid"); err != nil || l != ns {
				continue
			}
			st, _, ok := readProcStat(pid)
			if !ok {
				continue
			}
			b, _ := os.ReadFile(d + "/comm")
			comm := strings.TrimSpace(string(b))
			got = append(got, fmt.Sprintf("%d:%s:%c", pid, comm, st))
			switch {
			case st == 'Z':
				others++
			case comm == app:
				apps++
			case comm != "reload":
				others++
			}
		}
		if apps == 1 && others == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("processes in the namespace (pid:name:state): %q; want reload and one %s, no zombie", got, app)
		}
	}
}

// TestKubeSyncAsPID1: one restart per sync batch, whichever way the batch
// is copied in; the new code served; SIGTERM to PID 1 stops the app within
// the grace period with status 143; no process or zombie left behind.
func TestKubeSyncAsPID1(t *testing.T) {
	t.Parallel()
	needNamespaces(t)
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed; the example app is a Node.js server")
	}
	app := copyDir(t, "../examples/kubernetes/app")
	port := freePort(t)
	url := fmt.Sprintf("http://127.0.0.1:%d/", port)
	p, reload := startInNamespace(t, app, []string{"HOST=127.0.0.1", "PORT=" + strconv.Itoa(port)}, imageArgv(t)...)
	getUntil(t, url, "Hello from a pod! (restart #0)")
	getUntil(t, url+"healthz", "ok") // the readiness probe's path
	src := filepath.Join(app, "src")

	// Tilt: the changed files in one tar, `tar -C / -x -f -` in the container.
	execIn(t, reload, tarOf(t, map[string]string{
		filepath.Join(src, "message.js"):   message("batch one"),
		filepath.Join(src, "extra.js"):     "exports.extra = 1;\n",
		filepath.Join(app, "package.json"): `{"name": "reload-example-kubernetes", "private": true, "main": "src/index.js"}` + "\n",
	}), "tar", "-C", "/", "-x", "-f", "-")
	getUntil(t, url, "batch one (restart #1)")

	// Skaffold: the deleted files first (`rm -rf`), then the changed ones
	// in a second exec (`tar xmf - -C / --no-same-owner`): one batch still.
	execIn(t, reload, nil, "rm", "-rf", "--", filepath.Join(src, "extra.js"))
	time.Sleep(100 * time.Millisecond) // the scenario: a second kubectl exec's round trip, longer than the default --delay
	execIn(t, reload, tarOf(t, map[string]string{filepath.Join(src, "message.js"): message("batch two")}),
		"tar", "xmf", "-", "-C", "/", "--no-same-owner")
	getUntil(t, url, "batch two (restart #2)")

	// A tool without tar (rsync, syncthing): each file written under a
	// temporary name, then renamed into place.
	for name, body := range map[string]string{"message.js": message("batch three"), "index.js": mustRead(t, filepath.Join(src, "index.js"))} {
		tmp := writeFile(t, src, "."+name+".Xy12Zq", body)
		if err := os.Rename(tmp, filepath.Join(src, name)); err != nil {
			t.Fatal(err)
		}
	}
	getUntil(t, url, "batch three (restart #3)")

	// The sentinel: had any batch made two restarts, this would not be #4.
	execIn(t, reload, tarOf(t, map[string]string{filepath.Join(src, "message.js"): message("sentinel")}), "tar", "-C", "/", "-x", "-f", "-")
	getUntil(t, url, "sentinel (restart #4)")
	namespaceSettles(t, reload, "node") // four old apps stopped and reaped

	start := time.Now()
	inNamespace(t, reload, "kill -TERM 1") // as the kubelet or docker stop sends it
	st := p.wait()
	if took := time.Since(start); took >= grace {
		t.Errorf("reload took %v to stop after SIGTERM; the grace period is %v", took, grace)
	}
	if st != 143 {
		t.Fatalf("SIGTERM to PID 1: want exit 143, got %d", st)
	}
	var starts []string
	for _, l := range drain(p.out) {
		if f := fields(l); f["restarts"] != "" {
			starts = append(starts, f["restarts"])
		}
	}
	if want := []string{"0", "1", "2", "3", "4"}; !slices.Equal(starts, want) {
		t.Errorf("the app started with restarts=%q, want %q: one start per sync batch", starts, want)
	}
}

// TestKubeSyncTriggerFile: a sync copied in several steps (slower apart than
// --delay) restarts the app once, when the tool touches the trigger file
// that reload --watch FILE names, as after a Tilt run() step or a Skaffold
// after-sync hook. The file need not exist when reload starts.
func TestKubeSyncTriggerFile(t *testing.T) {
	t.Parallel()
	needNamespaces(t)
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed; the example app is a Node.js server")
	}
	app := copyDir(t, "../examples/kubernetes/app")
	trigger := filepath.Join(t.TempDir(), ".restart") // /tmp/.restart in the container
	port := freePort(t)
	url := fmt.Sprintf("http://127.0.0.1:%d/", port)
	argv := imageArgv(t)
	argv = slices.Insert(argv, 1, "--watch", trigger)
	_, reload := startInNamespace(t, app, []string{"HOST=127.0.0.1", "PORT=" + strconv.Itoa(port)}, argv...)
	getUntil(t, url, "Hello from a pod! (restart #0)")
	src := filepath.Join(app, "src")

	execIn(t, reload, tarOf(t, map[string]string{filepath.Join(src, "message.js"): message("step one")}), "tar", "-C", "/", "-x", "-f", "-")
	time.Sleep(time.Second) // the scenario: a gap longer than --delay between two steps of one sync
	execIn(t, reload, tarOf(t, map[string]string{filepath.Join(src, "extra.js"): "exports.extra = 2;\n"}), "tar", "-C", "/", "-x", "-f", "-")
	time.Sleep(time.Second)
	execIn(t, reload, nil, "touch", trigger)
	getUntil(t, url, "step one (restart #1)") // #1: neither step restarted it

	execIn(t, reload, tarOf(t, map[string]string{filepath.Join(src, "message.js"): message("step two")}), "tar", "-C", "/", "-x", "-f", "-")
	execIn(t, reload, nil, "rm", "-f", trigger) // deleting it is a change too
	getUntil(t, url, "step two (restart #2)")
	namespaceSettles(t, reload, "node")
}

// TestKubeStopTimeoutInsideGrace: an app that ignores SIGTERM is SIGKILLed
// after --stop-timeout, so reload, as PID 1, exits 143 before the runtime's
// grace period ends and the runtime's own SIGKILL would cut it short.
func TestKubeStopTimeoutInsideGrace(t *testing.T) {
	t.Parallel()
	needNamespaces(t)
	dir := t.TempDir()
	writeFile(t, dir, "app.sh", "trap '' TERM\necho stubborn ready\nwhile :; do sleep 0.05; done\n")
	p, reload := startInNamespace(t, dir, nil, reloadBin, "--on-crash", "--stop-timeout", "1s", "--", "sh", "app.sh")
	waitFor(t, p.out, "stubborn ready")
	start := time.Now()
	inNamespace(t, reload, "kill -TERM 1")
	st := p.wait()
	took := time.Since(start)
	if st != 143 {
		t.Fatalf("SIGTERM to PID 1: want exit 143, got %d", st)
	}
	if took < time.Second || took >= grace {
		t.Errorf("reload exited %v after SIGTERM; want the 1s stop timeout, and less than the %v grace period", took, grace)
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
