package proxy

import (
	"errors"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"time"
)

// holdTransport is where requests wait: before the first try it holds a
// request until the app is up (or failed, or the wait is over), and it
// tries again when the app went away under it — a refused connection
// (nothing was sent, so any request may go again), or a body-less GET cut
// off by the restart.
type holdTransport struct {
	s    *Server
	base http.RoundTripper
}

// attempts bounds the tries of one request, so an app that keeps dying as
// it is asked cannot hold a request longer than the wait allows anyway.
const attempts = 4

// appDownError carries the state that answers a request with the error page.
type appDownError struct{ st state }

func (e *appDownError) Error() string { return "the app " + e.st.what + ": " + e.st.status }

func (h *holdTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	deadline := time.Now().Add(h.s.opts.Wait)
	var body *heldBody
	if req.Body != nil && req.Body != http.NoBody {
		// The transport closes a request's body when it fails; keep it open
		// for another try. The server closes the real one after the handler.
		body = &heldBody{r: req.Body}
		req.Body = body
	}
	for try := 1; ; try++ {
		st, err := h.s.await(req.Context(), deadline)
		if err != nil {
			return nil, err
		}
		if st.phase == failed {
			return nil, &appDownError{st}
		}
		resp, err := h.base.RoundTrip(req)
		if err == nil {
			return resp, nil
		}
		if try == attempts || req.Context().Err() != nil || !h.again(req, body, err, st, deadline) {
			return nil, err
		}
	}
}

// again reports whether a failed try may go again, waiting if it must.
func (h *holdTransport) again(req *http.Request, body *heldBody, err error, st state, deadline time.Time) bool {
	if isDial(err) && (body == nil || !body.read.Load()) {
		// Refused: the app is not listening. If nothing says it is
		// restarting, wait for news about it until the deadline.
		t := time.NewTimer(time.Until(deadline))
		defer t.Stop()
		select {
		case <-st.changed:
			return true
		case <-t.C:
			return false
		case <-req.Context().Done():
			return false
		}
	}
	replayable := body == nil && (req.Method == http.MethodGet || req.Method == http.MethodHead || req.Method == http.MethodOptions)
	select {
	case <-st.changed: // the app was stopped or restarted while answering
		return replayable
	default:
		return false // the app is up and broke this request itself: say so
	}
}

// isDial reports whether err is a failure to connect, so the request never left.
func isDial(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// heldBody is a request body that survives a failed try.
type heldBody struct {
	r    io.Reader
	read atomic.Bool // the transport reads on its own goroutine
}

func (b *heldBody) Read(p []byte) (int, error) {
	b.read.Store(true)
	return b.r.Read(p)
}

func (b *heldBody) Close() error { return nil }
