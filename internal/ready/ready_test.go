package ready

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// procLine writes one /proc/net/tcp line as the kernel does: the address
// as 32-bit words in host byte order.
func procLine(addr netip.AddrPort, st string, inode uint64) string {
	raw := addr.Addr().AsSlice()
	var h strings.Builder
	for i := 0; i < len(raw); i += 4 {
		fmt.Fprintf(&h, "%08X", binary.NativeEndian.Uint32(raw[i:]))
	}
	return fmt.Sprintf("   0: %s:%04X 00000000:0000 %s 00000000:00000000 00:00000000 00000000  1000        0 %d 1 0000000000000000 100 0 0 10 0",
		h.String(), addr.Port(), st, inode)
}

func TestParseListeners(t *testing.T) {
	t.Parallel()
	want := map[uint64]netip.AddrPort{
		11: netip.MustParseAddrPort("127.0.0.1:3000"),
		12: netip.MustParseAddrPort("0.0.0.0:80"),
		13: netip.MustParseAddrPort("[::]:8080"),
		14: netip.MustParseAddrPort("[::1]:9229"),
		15: netip.MustParseAddrPort("[2001:db8::1]:65535"),
	}
	text := "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
	for ino, a := range want {
		text += procLine(a, "0A", ino) + "\n"
	}
	text += procLine(netip.MustParseAddrPort("127.0.0.1:40000"), "01", 20) + "\n" // established
	text += procLine(netip.MustParseAddrPort("127.0.0.1:40001"), "0A", 0) + "\n"  // no inode: not a socket we could find
	text += "garbage line\n   1: ZZZZ:0050 00000000:0000 0A x x x x x 77\n"
	got := map[uint64]netip.AddrPort{}
	parseListeners([]byte(text), func(ino uint64, a netip.AddrPort) { got[ino] = a })
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
}

func TestURL(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ addr, want string }{
		{"127.0.0.1:3000", "http://127.0.0.1:3000"},
		{"0.0.0.0:8080", "http://localhost:8080"},
		{"[::]:8080", "http://localhost:8080"},
		{"[::1]:5000", "http://[::1]:5000"},
		{"[::ffff:127.0.0.1]:3000", "http://127.0.0.1:3000"},
	} {
		if got := URL(netip.MustParseAddrPort(tc.addr)); got != tc.want {
			t.Errorf("URL(%s) = %s; want %s", tc.addr, got, tc.want)
		}
	}
}

func TestPick(t *testing.T) {
	t.Parallel()
	found := map[uint64]netip.AddrPort{
		30: netip.MustParseAddrPort("127.0.0.1:9229"),
		20: netip.MustParseAddrPort("0.0.0.0:6060"),
		40: netip.MustParseAddrPort("[::]:3000"),
	}
	for _, tc := range []struct {
		port uint16
		want string
	}{
		{0, "0.0.0.0:6060"}, // the first created
		{3000, "[::]:3000"}, // the proxy's target
		{9229, "127.0.0.1:9229"},
		{1234, "0.0.0.0:6060"}, // no such port: the first created
	} {
		if got, ok := pick(found, tc.port); !ok || got.String() != tc.want {
			t.Errorf("pick(port %d) = %s, %v; want %s", tc.port, got, ok, tc.want)
		}
	}
	if _, ok := pick(nil, 0); ok {
		t.Error("pick of nothing found something")
	}
}

// TestBackoff: from 1 ms by half again each time, to 100 ms, then to a
// twentieth of the time since the start; an app that never listens is
// looked for about a hundred times in 30 s.
func TestBackoff(t *testing.T) {
	t.Parallel()
	polls, since := 0, time.Duration(0)
	for w := firstPoll; since < DefaultLimit; w = next(w, since) {
		polls++
		since += w
		if w > maxPoll && w > since/20+time.Millisecond {
			t.Fatalf("waits %v at %v", w, since)
		}
	}
	if polls < 60 || polls > 120 {
		t.Errorf("%d polls in %v; want about 100", polls, DefaultLimit)
	}
	for _, tc := range []struct{ wait, since, want time.Duration }{
		{firstPoll, 0, 1500 * time.Microsecond},
		{80 * time.Millisecond, time.Second, maxPoll},
		{maxPoll, time.Second, maxPoll},
		{maxPoll, 10 * time.Second, 150 * time.Millisecond},
		{time.Second, 10 * time.Second, 500 * time.Millisecond},
	} {
		if got := next(tc.wait, tc.since); got != tc.want {
			t.Errorf("next(%v, %v) = %v; want %v", tc.wait, tc.since, got, tc.want)
		}
	}
}
