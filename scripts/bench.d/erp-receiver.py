"""A receiving ERP for `scripts/bench erp`: takes POSTed movement batches, keeps each batch once
by its Idempotency-Key, and answers GET with how many movements it holds, how many of them are
distinct (origin, sequence) pairs, and how many batches it saw again."""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
keys = set()
seen = set()
state = {"movements": 0, "repeated": 0}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        key = self.headers.get("Idempotency-Key", "")
        movements = json.loads(body)["movements"]
        with lock:
            if key in keys:
                state["repeated"] += 1
            else:
                keys.add(key)
                state["movements"] += len(movements)
                seen.update((m["origin"], m["sequence"]) for m in movements)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        with lock:
            body = json.dumps({"movements": state["movements"], "distinct": len(seen), "repeated": state["repeated"]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
