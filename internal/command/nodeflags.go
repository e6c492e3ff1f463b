package command

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
)

// nodeValue lists node's options that take a value, either after "=" or
// as the next word (-r ./setup.js, --import tsx), as node --help lists
// them (node 20 to 24). Options not listed here, nodeSwitches and the
// prefixes below take a value only after "=" (--inspect=9230,
// --max-old-space-size=4096: V8's options never take the next word).
// Left out on purpose: what reload spells the same (-C, -c, -e, -h, -i,
// -v, --watch) and what runs no script (--eval, --print, --check,
// --interactive, --version, --help, --v8-options, --prof-process, --run).
var nodeValue = words(`
	-r --require --import --loader --experimental-loader --env-file --env-file-if-exists
	--conditions --input-type --experimental-default-type --experimental-config-file
	--allow-fs-read --allow-fs-write --disable-proto --disable-warning --dns-result-order
	--diagnostic-dir --cpu-prof-dir --cpu-prof-interval --cpu-prof-name
	--heap-prof-dir --heap-prof-interval --heap-prof-name --heapsnapshot-near-heap-limit
	--heapsnapshot-signal --icu-data-dir --inspect-port --debug-port --inspect-publish-uid
	--max-http-header-size --network-family-autoselection-attempt-timeout --openssl-config
	--experimental-policy --policy-integrity --experimental-sea-config --build-snapshot-config
	--redirect-warnings --report-directory --report-dir --report-filename --report-signal
	--secure-heap --secure-heap-min --snapshot-blob --title --tls-cipher-list --tls-keylog
	--trace-event-categories --trace-event-file-pattern --trace-require-module
	--unhandled-rejections --use-largepages --v8-pool-size --watch-path --watch-kill-signal
	--localstorage-file --stack-trace-limit
	--test-concurrency --test-name-pattern --test-skip-pattern --test-reporter
	--test-reporter-destination --test-shard --test-timeout --test-isolation
	--test-coverage-include --test-coverage-exclude
`)

// nodeSwitches lists node's (and V8's) options that take no value or one
// after "=" only.
var nodeSwitches = words(`
	--inspect --inspect-brk --inspect-wait --enable-source-maps --no-warnings --trace-warnings
	--max-old-space-size --max-semi-space-size --max-old-space-size-percentage --stack-size
	--expose-gc --abort-on-uncaught-exception --allow-addons --allow-child-process --allow-wasi
	--allow-worker --permission --build-snapshot --cpu-prof --heap-prof --prof
	--disable-wasm-trap-handler --disallow-code-generation-from-strings --enable-etw-stack-walking
	--enable-fips --force-fips --force-context-aware --force-node-api-uncaught-exceptions-policy
	--frozen-intrinsics --huge-max-old-generation-size --insecure-http-parser
	--interpreted-frames-native-stack --jitless --no-addons --no-deprecation
	--no-extra-info-on-fatal-exception --no-force-async-hooks-checks --no-global-search-paths
	--enable-network-family-autoselection --no-network-family-autoselection --node-memory-debug
	--openssl-legacy-provider --openssl-shared-config --pending-deprecation --preserve-symlinks
	--preserve-symlinks-main --report-compact --report-exclude-network --report-on-fatalerror
	--report-on-signal --report-uncaught-exception --test --test-force-exit --test-only
	--test-update-snapshots --throw-deprecation --tls-max-v1.2 --tls-max-v1.3 --tls-min-v1.0
	--tls-min-v1.1 --tls-min-v1.2 --tls-min-v1.3 --trace-atomics-wait --trace-deprecation
	--trace-exit --trace-promises --trace-sigint --trace-sync-io --trace-tls --trace-uncaught
	--track-heap-objects --use-bundled-ca --use-openssl-ca --use-system-ca
	--watch-preserve-output --zero-fill-buffers --single-threaded --trace-gc
	--perf-basic-prof --perf-prof --entry-url
`)

// nodePrefixes are families of options too many and too changing to list.
var nodePrefixes = []string{"--experimental-", "--no-experimental-", "--harmony"}

func words(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// NodeFlag reports whether arg, as typed ("--inspect=9230", "-r",
// "--no-warnings"), is an option node takes before its script, and whether
// it takes the next word as its value (it does not when written with
// "="). Underscores count as dashes, as they do for node; "--no-X" is
// known when "--X" is a switch. It is a static list of the options worth
// writing before a script, not node's parser: reload does not run node to
// read its command line.
func NodeFlag(arg string) (known, takesNext bool) {
	name, _, hasValue := NodeOption(arg)
	negated, isNo := strings.CutPrefix(name, "--no-")
	switch {
	case nodeValue[name]:
		return true, !hasValue
	case nodeSwitches[name], isNo && nodeSwitches["--"+negated]:
		return true, false
	}
	for _, p := range nodePrefixes {
		if strings.HasPrefix(name, p) && len(name) > len(p) {
			return true, false
		}
	}
	return false, false
}

// NodeOption splits arg as node reads an option: its name, with
// underscores read as dashes ("--inspect_brk=9230" is "--inspect-brk"),
// and the value after "=", if written.
func NodeOption(arg string) (name, value string, hasValue bool) {
	name, value, hasValue = strings.Cut(arg, "=")
	if strings.HasPrefix(name, "--") {
		name = "--" + strings.ReplaceAll(name[2:], "_", "-")
	}
	return name, value, hasValue
}

// WithNodeFlags returns p running flags in place of the node options that
// Resolve put before its script (Input.InterpreterArgs): reload rewrites
// --inspect to a port of its own. Describe still shows the options as the
// user wrote them.
func (p Plan) WithNodeFlags(flags []string) (Plan, error) {
	if p.nodeFlags == 0 {
		return p, fmt.Errorf("no node options before the script to replace with %q", flags)
	}
	at := p.script - p.nodeFlags
	p.Argv = slices.Concat(p.Argv[:at], flags, p.Argv[p.script:])
	p.script, p.nodeFlags = at+len(flags), len(flags)
	return p, nil
}

// NodeFlagNames lists the long options NodeFlag knows by name, with their
// dashes, for "did you mean" hints.
func NodeFlagNames() []string {
	var names []string
	for _, m := range []map[string]bool{nodeValue, nodeSwitches} {
		for n := range m {
			if strings.HasPrefix(n, "--") {
				names = append(names, n)
			}
		}
	}
	slices.Sort(names)
	return names
}

// takesNodeFlags reports whether interpreter (an exec map value such as
// "node" or "/usr/bin/node --harmony") is node, or runs the script through
// node and passes node's options on (tsx).
func takesNodeFlags(interpreter string) bool {
	f := strings.Fields(interpreter)
	if len(f) == 0 {
		return false
	}
	switch strings.TrimSuffix(strings.ToLower(filepath.Base(f[0])), ".exe") {
	case "node", "nodejs", "tsx":
		return true
	}
	return false
}
