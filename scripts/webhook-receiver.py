#!/usr/bin/env python3
"""A Godown webhook receiver: checks each delivery's Standard Webhooks signature, prints the ones
that pass as JSON lines ({"id": ..., "type": ...}) and answers 204; refuses the rest with 401.

    scripts/webhook-receiver.py --port 9000 --secret whsec_...

The tests use it as the receiver that `kill -9` of the server must not cheat.
"""
import argparse
import base64
import hashlib
import hmac
import json
import signal
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def verify(secret: str, headers, body: bytes, tolerance: int = 300) -> bool:
    """True when the delivery was signed with `secret` less than `tolerance` seconds ago."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    msg_id, timestamp = headers["webhook-id"], headers["webhook-timestamp"]
    if abs(time.time() - int(timestamp)) > tolerance:
        return False
    signed = f"{msg_id}.{timestamp}.".encode() + body
    expected = "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(hmac.compare_digest(expected, given) for given in headers["webhook-signature"].split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=9000, help="0 picks a free one (printed first)")
    parser.add_argument("--secret", required=True, help="the whsec_... secret the webhook was made with")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds to wait before answering each")
    options = parser.parse_args()
    # A parent may have blocked these; the receiver should stop when asked.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    lock = threading.Lock()

    def emit(line: dict) -> None:
        with lock:
            print(json.dumps(line), flush=True)

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            try:
                valid = verify(options.secret, self.headers, body)
            except (KeyError, ValueError):
                valid = False
            time.sleep(options.delay)
            if valid:
                emit({"id": self.headers["webhook-id"], "type": json.loads(body)["type"]})
            else:
                emit({"rejected": self.headers.get("webhook-id")})
            self.send_response(204 if valid else 401)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", options.port), Receiver)
    emit({"listening": server.server_address[1]})
    server.serve_forever()


if __name__ == "__main__":
    main()
