package ready

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"net/netip"
	"strconv"
)

// tcpListen is the st column of a listening socket in /proc/net/tcp.
const tcpListen = "0A"

// parseListeners calls found for each listening socket in the text of
// /proc/net/tcp or /proc/net/tcp6, with its inode and local address. Lines
// it cannot read are skipped: the format is the kernel's, not a user's.
func parseListeners(text []byte, found func(inode uint64, addr netip.AddrPort)) {
	for len(text) > 0 {
		var line []byte
		line, text, _ = bytes.Cut(text, []byte{'\n'})
		f := bytes.Fields(line)
		//   sl  local_address rem_address   st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
		if len(f) < 10 || string(f[3]) != tcpListen {
			continue
		}
		ino, err := strconv.ParseUint(string(f[9]), 10, 64)
		if err != nil || ino == 0 {
			continue
		}
		if addr, ok := parseAddr(f[1]); ok {
			found(ino, addr)
		}
	}
}

// parseAddr reads "0100007F:0BB8" (IPv4) or 32 hex digits and a port
// (IPv6). The kernel prints the address as 32-bit words in the host's byte
// order and the port as a plain number.
func parseAddr(s []byte) (netip.AddrPort, bool) {
	h, p, ok := bytes.Cut(s, []byte{':'})
	if !ok || len(p) != 4 || (len(h) != 8 && len(h) != 32) {
		return netip.AddrPort{}, false
	}
	port, err := strconv.ParseUint(string(p), 16, 16)
	if err != nil {
		return netip.AddrPort{}, false
	}
	raw := make([]byte, len(h)/2)
	if _, err := hex.Decode(raw, h); err != nil {
		return netip.AddrPort{}, false
	}
	for i := 0; i < len(raw); i += 4 { // each word back to network order
		binary.NativeEndian.PutUint32(raw[i:], binary.BigEndian.Uint32(raw[i:]))
	}
	addr, _ := netip.AddrFromSlice(raw)
	return netip.AddrPortFrom(addr, uint16(port)), true
}
