//go:build linux

package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

const (
	// probeTimeout bounds one request; reload's proxy holds a request
	// while the app restarts, so it is well above a restart.
	probeTimeout = 5 * time.Second
	// maxInFlight bounds the requests open at once (a tick is skipped
	// beyond it): a second of held requests at one per 5 ms.
	maxInFlight = 400
)

// probe is one request's outcome. Value is the number the app answered,
// or -1 when the request failed: no connection, a reset, a timeout, a 5xx
// or any answer that is not the app's number.
type probe struct {
	Sent, Done time.Time
	Value      int
}

// failed reports whether the request did not get the app's answer.
func (p probe) failed() bool { return p.Value < 0 }

// client asks one 127.0.0.1 port every few milliseconds, each request on a
// new connection (as a reloading browser tab would open one): a connection
// refused or reset while the app restarts is a failed request, not one
// quietly retried by a kept-alive pool.
type client struct {
	url   string
	http  *http.Client
	stopC context.CancelFunc
	wg    sync.WaitGroup // the ticker loop and every request in flight

	mu  sync.Mutex
	got []probe // in the order they completed
}

// startClient sends a GET to port every every until stop. Requests run
// under ctx (the bench's), not under stop: one in flight when the client
// stops still completes and is counted.
func startClient(ctx context.Context, port int, every time.Duration) *client {
	tick, stop := context.WithCancel(ctx)
	c := &client{
		url:   fmt.Sprintf("http://127.0.0.1:%d/", port),
		stopC: stop,
		http: &http.Client{Timeout: probeTimeout, Transport: &http.Transport{
			Proxy:             nil, // loopback only, whatever HTTP_PROXY says
			DisableKeepAlives: true,
			DialContext:       (&net.Dialer{Timeout: probeTimeout}).DialContext,
		}},
	}
	c.wg.Add(1)
	go c.loop(ctx, tick, every)
	return c
}

func (c *client) loop(ctx, tick context.Context, every time.Duration) {
	defer c.wg.Done()
	t := time.NewTicker(every)
	defer t.Stop()
	slots := make(chan struct{}, maxInFlight)
	for {
		select {
		case <-tick.Done():
			return
		case <-t.C:
		}
		select {
		case slots <- struct{}{}:
		default:
			continue
		}
		c.wg.Add(1)
		go func() {
			defer c.wg.Done()
			c.one(ctx)
			<-slots
		}()
	}
}

func (c *client) one(ctx context.Context) {
	p := probe{Sent: time.Now(), Value: -1}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.url, nil)
	if err == nil {
		var resp *http.Response
		if resp, err = c.http.Do(req); err == nil {
			body, rerr := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
			resp.Body.Close()
			if n, perr := strconv.Atoi(strings.TrimSpace(string(body))); rerr == nil && perr == nil && resp.StatusCode < 500 {
				p.Value = n
			}
		}
	}
	p.Done = time.Now()
	c.mu.Lock()
	c.got = append(c.got, p)
	c.mu.Unlock()
}

// stop ends the ticks, waits for the requests in flight and returns every
// outcome.
func (c *client) stop() []probe {
	c.stopC()
	c.wg.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.got
}

// waitValue waits for the first answer of want completed after after, and
// returns when it completed.
func (c *client) waitValue(ctx context.Context, want int, after time.Time, within time.Duration, alive func() error) (time.Time, error) {
	deadline := time.Now().Add(within)
	seen := 0
	for {
		c.mu.Lock()
		var hit time.Time
		for _, p := range c.got[seen:] {
			if p.Value == want && p.Done.After(after) && (hit.IsZero() || p.Done.Before(hit)) {
				hit = p.Done
			}
		}
		seen = len(c.got)
		var last probe
		if seen > 0 {
			last = c.got[seen-1]
		}
		c.mu.Unlock()
		if !hit.IsZero() {
			return hit, nil
		}
		if err := ctx.Err(); err != nil {
			return hit, err
		}
		if err := alive(); err != nil {
			return hit, err
		}
		if time.Now().After(deadline) {
			return hit, fmt.Errorf("no answer %d from %s within %v (last answer: %d, -1 is a failure)", want, c.url, within, last.Value)
		}
		time.Sleep(time.Millisecond)
	}
}

// freePort is a TCP port on 127.0.0.1 that nothing listened on a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
