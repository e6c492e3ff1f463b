package proxy

import (
	"io"
	"net/http"
	"testing"
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
