package inspect

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"
)

// appEvent is a step of the app's life: it started at at, or it stopped.
type appEvent struct {
	started bool
	at      time.Time
}

// app is the node process that answers now.
type app struct {
	id   string             // node's target id, the path its WebSocket is on; "" until node answered
	ctx  context.Context    // ends when this process stops: its tunnels close
	stop context.CancelFunc // ends ctx; only the loop calls it
}

// answer is the loop's reply to a query.
type answer struct {
	app     app             // zero when no app answers
	node    target          // the latest node's entry (zero before any answered)
	version json.RawMessage // the latest node's /json/version (nil before)
}

// query asks the loop for an answer: now (wait false), or once an app
// answers (a connect).
type query struct {
	wait  bool
	ctx   context.Context // the asker's: a waiter that gave up is dropped
	reply chan answer     // buffered (1): the loop never blocks on it
}

// found is the result of the look at node's inspector after start gen.
type found struct {
	gen   int
	probe probe
	err   error
	took  time.Duration // from the start to the answer
}

// errClosed answers what is asked while reload shuts down.
var errClosed = errors.New("reload is shutting down")

// loop owns what the server knows of the app: the process that answers
// now, the latest node's target, and the connects waiting for an app. It
// does no I/O, so the runner's observer and the handlers never wait on it
// for long.
func (s *Server) loop(ctx context.Context) {
	var (
		cur     app
		gen     int
		last    answer
		waiting []query
		looks   sync.WaitGroup
	)
	stop := func() {
		if cur.stop != nil {
			cur.stop()
		}
	}
	defer func() {
		stop()
		looks.Wait()
		close(s.done)
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case e := <-s.events:
			stop() // the tunnels of the process that stopped (or was replaced) close
			cur = app{}
			if !e.started {
				continue
			}
			gen++
			cur.ctx, cur.stop = context.WithCancel(ctx)
			looks.Add(1)
			go func(ctx context.Context, gen int) {
				defer looks.Done()
				s.look(ctx, gen, e.at)
			}(cur.ctx, gen)
		case f := <-s.found:
			if f.gen != gen || cur.ctx == nil {
				continue // that process is gone already
			}
			if f.err != nil {
				s.opts.Log.Warnf("inspect: node's debugger did not answer on %s within %v of the start (%v); "+
					"debugger connections wait for the next start", s.opts.Private, f.took.Round(time.Second), f.err)
				continue
			}
			s.opts.Log.Debugf("inspect: node's debugger answered %d ms after the start", f.took.Milliseconds())
			cur.id = f.probe.target.ID
			last.node = f.probe.target
			if f.probe.version != nil {
				last.version = f.probe.version
			}
			last.app = cur
			for _, q := range waiting {
				q.reply <- last
			}
			waiting = nil
		case q := <-s.queries:
			last.app = cur
			if !q.wait || cur.id != "" {
				q.reply <- last
				continue
			}
			waiting = append(live(waiting), q)
		}
	}
}

// live drops the waiters that gave up.
func live(qs []query) []query {
	out := qs[:0]
	for _, q := range qs {
		if q.ctx.Err() == nil {
			out = append(out, q)
		}
	}
	return out
}

// look asks node's inspector for its target after start gen (at began),
// every few milliseconds until it answers (slower after fastLooks) or
// lookLimit passes, and tells the loop.
func (s *Server) look(ctx context.Context, gen int, began time.Time) {
	t := time.NewTimer(0)
	defer t.Stop()
	for wait := everyLook; ; {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		p, err := ask(ctx, s.client, s.opts.Private)
		if ctx.Err() != nil {
			return
		}
		took := time.Since(began)
		if err == nil || took >= s.lookLimit {
			select {
			case s.found <- found{gen: gen, probe: p, err: err, took: took}:
			case <-ctx.Done():
			}
			return
		}
		if took > fastLooks {
			wait = min(wait+wait/2, maxLook)
		}
		t.Reset(wait)
	}
}

// ask asks the loop, and with wait, waits up to Options.Wait for an app
// that answers.
func (s *Server) ask(ctx context.Context, wait bool) (answer, error) {
	ctx, cancel := context.WithTimeout(ctx, s.opts.Wait)
	defer cancel()
	q := query{wait: wait, ctx: ctx, reply: make(chan answer, 1)}
	select {
	case s.queries <- q:
	case <-s.done:
		return answer{}, errClosed
	case <-ctx.Done():
		return answer{}, ctx.Err()
	}
	select {
	case a := <-q.reply:
		return a, nil
	case <-s.done:
		return answer{}, errClosed
	case <-ctx.Done():
		return answer{}, ctx.Err()
	}
}
