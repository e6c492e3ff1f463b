#!/usr/bin/env node
// reload's npm entry point. It finds the binary in the platform package npm
// installed beside this one (an optionalDependency whose os, cpu and libc
// fields match this machine) and runs it: no postinstall script, no download
// (the esbuild and biome layout). RELOAD_BINARY_PATH overrides the binary.
'use strict';

const { spawn } = require('child_process');
const os = require('os');
const path = require('path');

const self = require('../package.json');

const scope = '@reload-dev/reload';

function main() {
  const bin = process.env.RELOAD_BINARY_PATH || findBinary();
  run(bin, process.argv.slice(2));
}

// findBinary returns the path of the platform package's binary, or exits with
// one line naming the package to install.
function findBinary() {
  const exe = process.platform === 'win32' ? 'reload.exe' : 'reload';
  const name = `${scope}-${process.platform}-${process.arch}`;
  let dir = packageDir(name);
  let wanted = name;
  if (process.platform === 'linux') {
    // npm installs only the package whose libc field matches; a package
    // manager that ignores libc installs both. Asking glibc or musl costs
    // ~7 ms (a diagnostic report), so ask only when it decides something.
    const musl = packageDir(`${name}-musl`);
    if (!dir || !musl) {
      dir = dir || musl;
    } else if (isMusl()) {
      dir = musl;
    }
    if (!dir && isMusl()) {
      wanted = `${name}-musl`;
    }
  }
  if (dir) {
    return path.join(dir, 'bin', exe);
  }
  if (!(self.optionalDependencies || {})[wanted]) {
    fail(`reload: no prebuilt binary for ${process.platform}-${process.arch}; ` +
      'build one with "go install github.com/reload-dev/reload@latest" and set RELOAD_BINARY_PATH to it', 1);
  }
  fail(`reload: the package ${wanted} is missing (installed with --omit=optional or --no-optional?); ` +
    `install it with "npm install ${wanted}@${self.version}"`, 1);
}

function packageDir(name) {
  try {
    return path.dirname(require.resolve(`${name}/package.json`));
  } catch {
    return null;
  }
}

// isMusl is esbuild's and biome's test: a Node built against musl reports no
// glibc version.
function isMusl() {
  return !process.report.getReport().header.glibcVersionRuntime;
}

// run execs bin in a child, passes signals on and exits as the child did.
//
// Signals. Ctrl+C in a terminal signals the whole foreground process group:
// npm and its `sh -c` (under npx), this shim, and reload, which spawn keeps in
// our group so that it can read the terminal. reload stops its app gracefully
// on the first SIGINT and kills it at once on a second, so passing SIGINT on
// would turn every Ctrl+C into a kill. We cannot tell the terminal's SIGINT
// from one sent to us alone (docker run -i, a process manager), so we pass
// SIGINT on as SIGTERM: reload ignores a SIGTERM while it is stopping, and
// stops gracefully on a lone one. It gets the terminal's SIGINT first: the
// kernel signals the whole group before our handler can run. SIGTERM, SIGHUP
// and SIGUSR2 go on as they are; sent to the whole group, one reaches reload
// twice, which is harmless for SIGTERM and a hung-up terminal's SIGHUP (the
// second comes while stopping) and means two restarts for SIGUSR2 or a
// deliberate SIGHUP. When our parent dies we stop reload as for SIGTERM: npm
// passes a SIGTERM sent to npx on to its `sh -c` only, which dies of it and
// would leave reload and the app running. On Windows, Ctrl+C and Ctrl+Break
// reach every process on the console, reload included, and Node's kill()
// would terminate reload without a graceful stop: we only outlive it.
function run(bin, args) {
  const handlers = new Map();
  let child = null;
  let interrupted = false;
  let terminated = false;
  const pass = (sig) => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill(sig);
    }
  };
  const on = (sig, handler) => {
    handlers.set(sig, handler);
    process.on(sig, handler);
  };
  if (process.platform === 'win32') {
    on('SIGINT', () => {});
    on('SIGBREAK', () => {});
  } else {
    on('SIGINT', () => {
      interrupted = true;
      pass('SIGTERM');
    });
    on('SIGTERM', () => {
      terminated = true;
      pass('SIGTERM');
    });
    on('SIGHUP', () => pass('SIGHUP'));
    on('SIGUSR2', () => pass('SIGUSR2'));
    const parent = process.ppid;
    const orphaned = setInterval(() => {
      if (process.ppid !== parent) {
        clearInterval(orphaned);
        terminated = true;
        pass('SIGTERM');
      }
    }, 500);
    orphaned.unref();
  }

  child = spawn(bin, args, { stdio: 'inherit' });
  child.on('error', (err) => {
    if (child.pid === undefined) { // spawn failed; a failed kill() is no reason to stop
      fail(`reload: cannot run ${bin}: ${err.message}`, err.code === 'ENOENT' ? 127 : 126);
    }
  });
  child.on('exit', (code, signal) => {
    for (const [sig, handler] of handlers) {
      process.removeListener(sig, handler);
    }
    if (signal) {
      // Die of the same signal, so the shell sees what it would have seen
      // without us; the exit code is the fallback should we survive it.
      process.exitCode = 128 + (os.constants.signals[signal] || 0);
      process.kill(process.pid, signal);
      return;
    }
    // A SIGINT we passed on as SIGTERM made reload exit 128+SIGTERM; report
    // the interrupt we got.
    if (interrupted && !terminated && code === 128 + os.constants.signals.SIGTERM) {
      code = 128 + os.constants.signals.SIGINT;
    }
    process.exit(code);
  });
}

function fail(message, code) {
  process.stderr.write(message + '\n');
  process.exit(code);
}

main();
