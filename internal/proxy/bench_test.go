package proxy

import (
	"io"
	"net"
	"net/http"
	"slices"
	"testing"
	"time"
)

// BenchmarkProxyOverhead measures what the proxy adds to a request when the
// app is up: each iteration sends one request straight to the app and one
// through the proxy (alternating, so both see the same machine noise), on
// kept-alive connections over 127.0.0.1. It reports the median of each and
// the median extra latency:
//
//	go test -run '^$' -bench ProxyOverhead -benchtime 2000x ./proxy/
func BenchmarkProxyOverhead(b *testing.B) {
	const body = "<html><body>hello</body></html>"
	_, base, app := upProxy(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, body)
	}))
	c := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	once := func(url string) time.Duration {
		began := time.Now()
		resp, err := c.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		took := time.Since(began)
		if resp.StatusCode != 200 || n != int64(len(body)) {
			b.Fatalf("%s: %d, %d bytes", url, resp.StatusCode, n)
		}
		return took
	}
	once("http://" + app + "/") // open both kept-alive connections first
	once(base + "/")
	direct := make([]time.Duration, 0, b.N)
	proxied := make([]time.Duration, 0, b.N)
	extra := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for b.Loop() {
		d := once("http://" + app + "/")
		p := once(base + "/")
		direct, proxied, extra = append(direct, d), append(proxied, p), append(extra, p-d)
	}
	b.StopTimer()
	b.ReportMetric(float64(median(direct).Microseconds()), "µs-direct")
	b.ReportMetric(float64(median(proxied).Microseconds()), "µs-proxied")
	b.ReportMetric(float64(median(extra).Microseconds()), "µs-extra")
}

func median(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

// BenchmarkRestartToServed measures what the proxy adds to a restart: each
// iteration restarts the app behind it (a real HTTP server on 127.0.0.1
// that starts listening 20–70 ms after AppStarted, a different delay each
// time so no probe schedule is favoured), with one request held through
// the restart, and times the request's answer from the moment the new app
// listens: served directly, that request could have been answered then.
//
//	go test -run '^$' -bench RestartToServed -benchtime 200x ./internal/proxy/
func BenchmarkRestartToServed(b *testing.B) {
	app := freeAddr(b)
	s, base := startProxy(b, app, within)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	c := &http.Client{Transport: &http.Transport{}}
	defer c.CloseIdleConnections()
	var extra []time.Duration
	for i := 0; b.Loop(); i++ {
		delay := 20*time.Millisecond + time.Duration(i*7%50)*time.Millisecond
		s.AppStopping()
		s.AppStarted(nil)
		listened := make(chan time.Time, 1)
		srv := &http.Server{Handler: h}
		served := make(chan struct{})
		go func() {
			defer close(served)
			time.Sleep(delay) // the app's own start
			l, err := net.Listen("tcp", app)
			if err != nil {
				b.Error(err)
				close(listened)
				return
			}
			listened <- time.Now()
			srv.Serve(l)
		}()
		resp, err := c.Get(base + "/")
		got := time.Now()
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || string(body) != "ok" {
			b.Fatalf("%d %q", resp.StatusCode, body)
		}
		at, ok := <-listened
		if !ok {
			b.FailNow()
		}
		extra = append(extra, got.Sub(at))
		srv.Close()
		<-served
	}
	b.StopTimer()
	slices.Sort(extra)
	b.ReportMetric(float64(median(extra).Microseconds()), "µs-after-listen")
	b.ReportMetric(float64(extra[len(extra)*9/10].Microseconds()), "µs-p90")
	b.ReportMetric(float64(extra[len(extra)-1].Microseconds()), "µs-max")
}
