//go:build linux

// Linux only: the browser gets Pdeathsig (Linux's), and CI installs Debian's
// chromium; elsewhere Chrome lives outside PATH anyway.

package e2e

import (
	"context"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromium finds a Chromium or Chrome to drive, or "".
func chromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// TestBrowserLiveReload opens the app's page through the proxy in headless
// Chromium, changes a file the app serves, and sees the page reload by
// itself (a new document, not the old one edited) with the new content.
func TestBrowserLiveReload(t *testing.T) {
	t.Parallel()
	bin := chromium()
	if bin == "" {
		t.Skip("no chromium on PATH: install it (apt-get install -y chromium, as .ci/run does) to run the live-reload browser test")
	}
	p := startProxied(t, "first version")

	var pgid int
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		// No UserDataDir: chromedp makes a new empty one per browser and removes it.
		chromedp.ModifyCmdFunc(func(cmd *exec.Cmd) {
			// Its own group, so cleanup can end the browser and its helpers together.
			cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
		}),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelBrowser := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*within)
	t.Cleanup(func() {
		cancelTimeout()
		cancelBrowser()
		cancelAlloc()
		if pgid > 0 {
			_ = syscall.Kill(-pgid, syscall.SIGKILL)
		}
	})

	err := chromedp.Do(ctx, chromedp.Navigate(p.proxy+"/"))
	if c := chromedp.FromContext(ctx); c != nil && c.Browser != nil && c.Browser.Process() != nil {
		pgid = c.Browser.Process().Pid
	}
	if err != nil {
		t.Fatalf("opening %s: %v", p.proxy, err)
	}
	if h1 := h1Text(t, ctx); h1 != "first version" {
		t.Fatalf("page shows %q", h1)
	}
	// Wait until the page's script listens (its EventSource is open), then
	// mark this document: a reload replaces the window's globals.
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`window.__reloadEvents && window.__reloadEvents.readyState === 1`,
		chromedp.WithPollingTimeout(within))); err != nil {
		t.Fatalf("the reload script did not connect: %v", err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__before = true`)); err != nil {
		t.Fatal(err)
	}

	writeFile(t, p.dir, "msg.txt", "second version")
	p.ready()
	deadline := time.Now().Add(within)
	for h1 := ""; h1 != "second version"; h1 = h1Text(t, ctx) {
		if time.Now().After(deadline) {
			t.Fatalf("the page did not show the new version by itself within %v; it shows %q", within, h1)
		}
		time.Sleep(20 * time.Millisecond) // polling the page with a deadline
	}
	if kept, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__before === true`)); err != nil || kept {
		t.Fatalf("the new content arrived without a reload of the page (old document kept: %v, %v)", kept, err)
	}
}

// h1Text reads the page's heading; "" while the page is between documents.
func h1Text(t *testing.T, ctx context.Context) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector("h1") || {}).textContent || ""`))
	if err != nil && ctx.Err() != nil {
		t.Fatalf("browser: %v", err)
	}
	return s
}
