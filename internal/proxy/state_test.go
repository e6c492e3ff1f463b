package proxy

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/reload-dev/reload/internal/status"
	"github.com/reload-dev/reload/internal/testwait"
)

// TestCrashLoopReloadsPagesOnce: with --on-crash, each attempt that
// crashes again leaves open pages alone: they reload once when the app
// goes down and once when it is back.
func TestCrashLoopReloadsPagesOnce(t *testing.T) {
	t.Parallel()
	app := freeAddr(t)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "app") })
	stop := serveApp(t, app, h)
	s, base := startProxy(t, app, within)
	s.AppStarted(nil)
	page := waitPhase(t, s, up).view()
	ev := events(t, base, page)

	stop()
	s.AppStopping()
	s.AppStarted([]string{"app.js"})
	s.AppExited("exit status 1", true)
	_, down := readEvent(t, ev)
	for range 3 { // the crash restarts, each crashing before it listens
		s.AppStarted(nil)
		s.AppExited("exit status 1", true)
	}
	if st := s.snapshot(); st.view() != down || len(st.paths) != 1 {
		t.Errorf("after the crash loop: view %q (was %q), paths %q", st.view(), down, st.paths)
	}
	serveApp(t, app, h)
	s.AppStarted(nil)
	back := waitPhase(t, s, up).view()
	if name, data := readEvent(t, ev); name != "reload" || data != back {
		t.Fatalf("after the crash loop, the next event is %s %q; want reload %q (the app back), none per attempt", name, data, back)
	}
	// A crash after the app was back is news again.
	s.AppExited("exit status 2", true)
	if _, data := readEvent(t, ev); data == back {
		t.Fatalf("a new crash sent %q", data)
	}
}

// TestCrashBeforeListeningAsksAboutPorts: an app that crashes before
// anything ever accepted on the target may have wanted the proxy's own
// port (--proxy with its sides swapped): the crash page and one status
// line say which side is which.
func TestCrashBeforeListeningAsksAboutPorts(t *testing.T) {
	t.Parallel()
	var out testwait.Buffer
	s, err := New(Options{Listen: "127.0.0.1:0", Target: freeAddr(t), Wait: within, LiveReload: true, Log: status.New(&out, false, status.Info)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	defer func() { cancel(); <-done }()
	base := "http://" + s.Addr().String()
	const ask = "is the app&#39;s port the proxy&#39;s? --proxy LISTEN:TARGET — listen is where you browse"
	for range 2 {
		s.AppStarted(nil)
		s.AppExited("exit status 1", true)
	}
	if _, body := get(t, base+"/"); !strings.Contains(body, ask) {
		t.Errorf("crash page without the port question:\n%s", body)
	}
	if n := strings.Count(out.String(), "is the app's port the proxy's?"); n != 1 {
		t.Errorf("the port question was printed %d times; want once:\n%s", n, out.String())
	}
	s.AppExited("exit status 1", false) // a clean exit is no port problem
	if _, body := get(t, base+"/"); strings.Contains(body, ask) {
		t.Errorf("exit page with the port question:\n%s", body)
	}
}
