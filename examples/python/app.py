"""A tiny HTTP server to try reload on: edit the message and save."""
import os
from http.server import BaseHTTPRequestHandler, HTTPServer

MESSAGE = "Hello from reload!"
PORT = int(os.environ.get("PORT", "3002"))


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = f"{MESSAGE} (restart #{os.environ.get('RELOAD_RESTARTS', '0')})\n".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


if __name__ == "__main__":
    print(f"listening on http://127.0.0.1:{PORT}", flush=True)
    HTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
