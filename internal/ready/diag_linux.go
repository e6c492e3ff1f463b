package ready

import (
	"encoding/binary"
	"errors"
	"net/netip"
	"syscall"
)

// diag asks the kernel for the listening TCP sockets over NETLINK_SOCK_DIAG,
// as ss -lt does. Asked for listening sockets only, the kernel walks only
// its listening table: far cheaper than /proc/net/tcp, which walks every
// bucket of the established table (milliseconds of system time per read
// on a large host).
type diag struct {
	fd  int
	seq uint32
	buf []byte
}

// Sizes and offsets of the kernel's structs (linux/inet_diag.h).
const (
	sizeofReqV2   = 56 // struct inet_diag_req_v2
	sizeofDiagMsg = 72 // struct inet_diag_msg
	tcpListenBit  = 1 << 10
	sockDiagByFam = 20 // SOCK_DIAG_BY_FAMILY
)

func newDiag() (*diag, error) {
	fd, err := syscall.Socket(syscall.AF_NETLINK, syscall.SOCK_DGRAM|syscall.SOCK_CLOEXEC, syscall.NETLINK_INET_DIAG)
	if err != nil {
		return nil, err
	}
	return &diag{fd: fd, buf: make([]byte, 32<<10)}, nil
}

func (d *diag) close() { syscall.Close(d.fd) }

// listeners calls found for each listening TCP socket, IPv4 and IPv6.
func (d *diag) listeners(found func(inode uint64, addr netip.AddrPort)) error {
	for _, family := range []uint8{syscall.AF_INET, syscall.AF_INET6} {
		if err := d.dump(family, found); err != nil {
			return err
		}
	}
	return nil
}

func (d *diag) dump(family uint8, found func(uint64, netip.AddrPort)) error {
	d.seq++
	req := make([]byte, syscall.SizeofNlMsghdr+sizeofReqV2)
	ne := binary.NativeEndian
	ne.PutUint32(req[0:], uint32(len(req)))
	ne.PutUint16(req[4:], sockDiagByFam)
	ne.PutUint16(req[6:], syscall.NLM_F_REQUEST|syscall.NLM_F_DUMP)
	ne.PutUint32(req[8:], d.seq)
	r := req[syscall.SizeofNlMsghdr:]
	r[0], r[1] = family, syscall.IPPROTO_TCP
	ne.PutUint32(r[4:], tcpListenBit)
	if err := syscall.Sendto(d.fd, req, 0, &syscall.SockaddrNetlink{Family: syscall.AF_NETLINK}); err != nil {
		return err
	}
	for {
		n, _, err := syscall.Recvfrom(d.fd, d.buf, 0)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return err
		}
		msgs, err := syscall.ParseNetlinkMessage(d.buf[:n])
		if err != nil {
			return err
		}
		for _, m := range msgs {
			if m.Header.Seq != d.seq {
				continue // the answer to an earlier, abandoned request
			}
			switch m.Header.Type {
			case syscall.NLMSG_DONE:
				return nil
			case syscall.NLMSG_ERROR:
				return errors.New("sock_diag refused the request")
			case sockDiagByFam:
				if ino, a, ok := parseDiagMsg(m.Data); ok {
					found(ino, a)
				}
			}
		}
	}
}

// parseDiagMsg reads a struct inet_diag_msg: family, state, timer,
// retrans, the socket id (big-endian port, then addresses in network
// order), then expires, rqueue, wqueue, uid and the inode.
func parseDiagMsg(b []byte) (uint64, netip.AddrPort, bool) {
	if len(b) < sizeofDiagMsg {
		return 0, netip.AddrPort{}, false
	}
	port := binary.BigEndian.Uint16(b[4:6])
	var addr netip.Addr
	switch b[0] {
	case syscall.AF_INET:
		addr = netip.AddrFrom4([4]byte(b[8:12]))
	case syscall.AF_INET6:
		addr = netip.AddrFrom16([16]byte(b[8:24]))
	default:
		return 0, netip.AddrPort{}, false
	}
	ino := uint64(binary.NativeEndian.Uint32(b[68:72]))
	return ino, netip.AddrPortFrom(addr, port), ino != 0
}
