// The app of the container example: one HTTP server whose answer comes from
// message.js. Tilt, Skaffold or Compose copy each edit into the running
// container and reload, its PID 1, restarts it.
const http = require("node:http");
const { message } = require("./message");

// 0.0.0.0 inside a container: the readiness probe and the Service reach the
// pod's own address, not its loopback.
const host = process.env.HOST || "0.0.0.0";
const port = Number(process.env.PORT || 3000);
const restarts = process.env.RELOAD_RESTARTS || "0";

const server = http.createServer((req, res) => {
  res.writeHead(200, { "Content-Type": "text/plain" });
  if (req.url === "/healthz") {
    res.end("ok\n");
    return;
  }
  res.end(`${message} (restart #${restarts})\n`);
});

server.listen(port, host, () => {
  console.log(`listening on http://${host}:${port} restarts=${restarts}`);
});

// reload stops the app with SIGTERM: finish what is in flight, then exit.
process.on("SIGTERM", () => server.close(() => process.exit(0)));
