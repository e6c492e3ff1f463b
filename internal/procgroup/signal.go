package procgroup

import (
	"fmt"
	"strings"
	"syscall"
)

// ParseSignal turns "SIGTERM" (or "TERM", any case) into the signal; ""
// is SIGTERM. Windows knows only the names config validation accepts, and
// every stop signal there but SIGKILL becomes CTRL_BREAK.
func ParseSignal(name string) (syscall.Signal, error) {
	if name == "" {
		return syscall.SIGTERM, nil
	}
	n := strings.ToUpper(name)
	if !strings.HasPrefix(n, "SIG") {
		n = "SIG" + n
	}
	if sig := signalNum(n); sig != 0 {
		return sig, nil
	}
	return 0, fmt.Errorf("unknown stop signal %q; use a name like \"SIGTERM\" or \"SIGINT\"", name)
}
