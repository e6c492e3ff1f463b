#!/usr/bin/env node
// build.js makes reload's npm packages from the tree: npm/reload (the shim)
// and one package per platform in npm/reload/package.json's
// optionalDependencies, each with one cross-compiled binary.
//
// Environment:
//   VERSION    the Makefile's version (git describe); made a semver for npm
//   GO_LDFLAGS the Makefile's LDFLAGS (default: -s -w -X main.version=$VERSION)
//   OUT        where the package folders go (default npm/dist)
//   HOST_ONLY  1: only this machine's platform package, beside the main one
//   BINARY     with HOST_ONLY: put this binary in it instead of building one
//              (the end-to-end test reuses the binary it has built)
//
// Usage: VERSION=v1.2.3 node npm/build.js (or: make npm)
'use strict';

const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const goos = { linux: 'linux', darwin: 'darwin', win32: 'windows' };
const goarch = { x64: 'amd64', arm64: 'arm64' };

// npmVersion turns the Makefile's VERSION into a semver npm accepts: a clean
// tag ("v1.2.3", "1.2.3-rc.1") is kept without its "v"; anything else (an
// untagged or dirty tree, "2e94683", "v1.2.3-4-g2e94683-dirty", "dev")
// becomes 0.0.0-dev.g<hash>, which sorts below every release.
function npmVersion(version) {
  const v = version.trim().replace(/^v/, '');
  const semver = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-(0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(\.(0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;
  const describe = /-\d+-g[0-9a-f]+(-dirty)?$|-dirty$/;
  if (semver.test(v) && !describe.test(v)) {
    return v;
  }
  const hash = /(?:^|-g)([0-9a-f]{7,40})(?:-dirty)?$/.exec(v);
  let dev = '0.0.0-dev';
  if (hash) {
    dev += `.g${hash[1]}`;
  }
  return v.endsWith('-dirty') ? `${dev}.dirty` : dev;
}

// platform reads a package name like "@reload-dev/reload-linux-x64-musl".
function platform(name) {
  const [os, cpu, libc] = name.replace(/^@reload-dev\/reload-/, '').split('-');
  if (!goos[os] || !goarch[cpu]) {
    throw new Error(`${name}: no GOOS/GOARCH for ${os}-${cpu}`);
  }
  return { name, os, cpu, libc: os === 'linux' ? (libc || 'glibc') : undefined };
}

function hostIsMusl() {
  return process.platform === 'linux' && !process.report.getReport().header.glibcVersionRuntime;
}

function writeJSON(file, value) {
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}

// goBuild cross-compiles reload; CGO is off, so a Linux binary is static and
// serves glibc and musl alike.
function goBuild(p, version, out) {
  const env = { ...process.env, CGO_ENABLED: '0', GOOS: goos[p.os], GOARCH: goarch[p.cpu] };
  const ldflags = process.env.GO_LDFLAGS || `-s -w -X main.version=${version}`;
  execFileSync('go', ['build', '-trimpath', '-ldflags', ldflags, '-o', out, '.'],
    { cwd: root, env, stdio: 'inherit' });
}

function build() {
  const version = process.env.VERSION || 'dev';
  const out = path.resolve(process.env.OUT || path.join(__dirname, 'dist'));
  const semver = npmVersion(version);
  const main = JSON.parse(fs.readFileSync(path.join(__dirname, 'reload', 'package.json'), 'utf8'));
  let platforms = Object.keys(main.optionalDependencies).map(platform);
  if (process.env.HOST_ONLY === '1') {
    const libc = process.platform === 'linux' ? (hostIsMusl() ? 'musl' : 'glibc') : undefined;
    platforms = platforms.filter((p) => p.os === process.platform && p.cpu === process.arch && p.libc === libc);
    if (platforms.length === 0) {
      throw new Error(`no npm package for this machine (${process.platform}-${process.arch})`);
    }
  } else if (process.env.BINARY) {
    throw new Error('BINARY needs HOST_ONLY=1: one binary cannot serve every platform');
  }
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });

  const binaries = new Map(); // GOOS/GOARCH → built binary: the musl packages reuse the static Linux one
  for (const p of platforms) {
    const dir = path.join(out, p.name.replace(/^@reload-dev\//, ''));
    const exe = p.os === 'win32' ? 'reload.exe' : 'reload';
    fs.mkdirSync(path.join(dir, 'bin'), { recursive: true });
    const key = `${p.os}/${p.cpu}`;
    if (process.env.BINARY) {
      binaries.set(key, path.resolve(process.env.BINARY));
    }
    if (!binaries.has(key)) {
      console.error(`go build ${goos[p.os]}/${goarch[p.cpu]}`);
      goBuild(p, version, path.join(dir, 'bin', exe));
      binaries.set(key, path.join(dir, 'bin', exe));
    } else {
      fs.copyFileSync(binaries.get(key), path.join(dir, 'bin', exe));
    }
    fs.chmodSync(path.join(dir, 'bin', exe), 0o755);
    writeJSON(path.join(dir, 'package.json'), {
      name: p.name,
      version: semver,
      description: `The reload binary for ${p.os}-${p.cpu}${p.libc === 'musl' ? ' (musl)' : ''}; install @reload-dev/reload instead`,
      license: main.license,
      repository: main.repository,
      os: [p.os],
      cpu: [p.cpu],
      ...(p.libc ? { libc: [p.libc] } : {}),
      preferUnplugged: true, // Yarn PnP: a binary must be on disk to run
    });
    fs.writeFileSync(path.join(dir, 'README.md'),
      `# ${p.name}\n\nThe \`reload\` binary for ${p.os}-${p.cpu}${p.libc ? ` (${p.libc})` : ''}. ` +
      'Install `@reload-dev/reload` instead: ' +
      'it depends on this package on this platform only, and runs the binary.\n');
    fs.copyFileSync(path.join(root, 'LICENSE'), path.join(dir, 'LICENSE'));
  }

  const dir = path.join(out, 'reload');
  fs.cpSync(path.join(__dirname, 'reload'), dir, { recursive: true });
  fs.chmodSync(path.join(dir, 'bin', 'reload.js'), 0o755);
  fs.copyFileSync(path.join(root, 'LICENSE'), path.join(dir, 'LICENSE'));
  main.version = semver;
  for (const name of Object.keys(main.optionalDependencies)) {
    main.optionalDependencies[name] = semver; // exactly this version: shim and binary ship together
  }
  writeJSON(path.join(dir, 'package.json'), main);
  console.error(`npm packages ${semver} in ${out}`);
}

module.exports = { npmVersion };

if (require.main === module) {
  try {
    build();
  } catch (err) {
    console.error(`npm/build.js: ${err.message}`);
    process.exit(1);
  }
}
