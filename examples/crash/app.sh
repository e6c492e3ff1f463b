# A flaky worker to try crash supervision on: it works for a moment, then
# dies the way CRASH says. Run `reload` in this folder and watch the delays
# double; edit this file to restart it at once.
#
#   CRASH=exit (default)  exit status 1, like an uncaught exception
#   CRASH=segv            killed by SIGSEGV, like a native crash
#   CRASH=kill            killed by SIGKILL, like the out-of-memory killer
#   CRASH=ok              a clean exit: restarted only with --on-exit
#   UPTIME=6              stay up longer than reset_after: the delay resets
ulimit -c 0 # no core files in your project
echo "worker up: start #${RELOAD_RESTARTS:-0}, pid $$"
sleep "${UPTIME:-0.5}"
case "${CRASH:-exit}" in
segv) kill -SEGV $$ ;;
kill) kill -KILL $$ ;;
ok) echo "worker: done"; exit 0 ;;
*) echo "worker: lost the database connection" >&2; exit 1 ;;
esac
