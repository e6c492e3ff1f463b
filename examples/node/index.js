// A tiny HTTP server to try reload on: edit the message and save.
const http = require("http");

const port = Number(process.env.PORT || 3000);
const message = "Hello from reload!";

http
  .createServer((req, res) => {
    res.writeHead(200, { "Content-Type": "text/plain" });
    res.end(`${message} (restart #${process.env.RELOAD_RESTARTS || 0})\n`);
  })
  .listen(port, "127.0.0.1", () => {
    console.log(`listening on http://127.0.0.1:${port}`);
  });
