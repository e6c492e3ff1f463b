// reload's gate (--warm). reload starts the next node ahead of a restart
// as `node --require <this file> <node flags> <script> <args>`: node
// boots, runs this file, and blocks here, before it has read one line of
// the app, until reload says go. reload's message is the environment the
// app would have been started with (JSON: {"set": {...}, "unset": [...]}),
// then end of file. End of file without a message means reload is gone or
// has discarded this process: it ends at once.
'use strict';

(() => {
  const fd = Number(process.env.RELOAD_WARM_FD);
  // No gate here: a worker thread (node runs --require preloads in the
  // loader-hooks thread too), or a process that inherited node's options.
  if (!(fd > 2) || !require('worker_threads').isMainThread) {
    return;
  }
  delete process.env.RELOAD_WARM_FD;
  const fs = require('fs');
  const chunks = [];
  const buf = Buffer.allocUnsafe(64 * 1024);
  const nap = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    let n;
    try {
      n = fs.readSync(fd, buf, 0, buf.length, null);
    } catch (e) {
      if (e.code === 'EAGAIN' || e.code === 'EINTR') {
        Atomics.wait(nap, 0, 0, 1); // a non-blocking pipe: wait a millisecond, read again
        continue;
      }
      end();
    }
    if (n === 0) {
      break;
    }
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  try {
    fs.closeSync(fd); // the app and its children never see the gate
  } catch {}
  let msg;
  try {
    msg = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    end();
  }
  if (msg === null || typeof msg !== 'object') {
    end();
  }
  for (const k of msg.unset || []) {
    delete process.env[k];
  }
  for (const [k, v] of Object.entries(msg.set || {})) {
    process.env[k] = v;
  }
  // The app sees the options it would have had without the gate (and
  // child_process.fork and cluster, which reuse them, do not gate).
  const a = process.execArgv;
  for (let i = 0; i < a.length; i++) {
    if ((a[i] === '--require' || a[i] === '-r') && a[i + 1] === __filename) {
      a.splice(i, 2);
      break;
    }
    if (a[i] === '--require=' + __filename) {
      a.splice(i, 1);
      break;
    }
  }
  delete require.cache[__filename];
})();

// end kills this process. Not process.exit: a node that exits restores
// the terminal settings it saw at its start, which would undo the running
// app's.
function end() {
  process.kill(process.pid, 'SIGKILL');
  process.exit(1); // not reached: SIGKILL to itself ends node before kill returns
}
