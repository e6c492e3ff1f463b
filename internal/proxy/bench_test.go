package proxy

import (
	"io"
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
