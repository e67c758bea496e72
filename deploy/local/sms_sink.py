"""A Kavenegar-compatible SMS sink for the local container stack (`just containers`).

Production refuses the `log` sender, so the local stack runs the real Kavenegar adapter
against this server: it answers `POST /v1/<api key>/sms/send.json` the way Kavenegar documents
(`{"return": {"status": 200, ...}, "entries": [...]}`), checks the api key it was given, and
prints each message (the sign-in code) to stdout: `docker-compose logs sms-sink`. It never
sends anything anywhere. A real deployment sets LINGO_KAVENEGAR_API_KEY (or twilio) instead.
"""

import json
import os
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

API_KEY = os.environ.get("SMS_SINK_API_KEY", "")
PORT = int(os.environ.get("SMS_SINK_PORT", "8025"))


class Handler(BaseHTTPRequestHandler):
    def _answer(self, code, body):
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):  # health check
        if self.path == "/health":
            self._answer(200, {"ok": True})
        else:
            self._answer(404, {"return": {"status": 404, "message": "not found"}, "entries": None})

    def do_POST(self):
        parts = self.path.strip("/").split("/")
        if len(parts) != 4 or parts[0] != "v1" or parts[2:] != ["sms", "send.json"]:
            return self._answer(404, {"return": {"status": 404, "message": "not found"}, "entries": None})
        if not API_KEY or parts[1] != API_KEY:
            return self._answer(403, {"return": {"status": 403, "message": "invalid api key"}, "entries": None})
        length = min(int(self.headers.get("Content-Length") or 0), 64 * 1024)
        form = urllib.parse.parse_qs(self.rfile.read(length).decode("utf-8", "replace"))
        receptor = (form.get("receptor") or [""])[0]
        message = (form.get("message") or [""])[0]
        if not receptor or not message:
            return self._answer(400, {"return": {"status": 400, "message": "receptor and message required"}, "entries": None})
        print(f"sms to {receptor}: {message}", flush=True)
        entry = {
            "messageid": int(time.time() * 1000),
            "message": message,
            "status": 1,
            "statustext": "queued",
            "sender": (form.get("sender") or ["local-sink"])[0],
            "receptor": receptor,
            "date": int(time.time()),
            "cost": 0,
        }
        self._answer(200, {"return": {"status": 200, "message": "accepted"}, "entries": [entry]})

    def log_message(self, *args):  # requests are printed above, without the noise
        pass


if __name__ == "__main__":
    print(f"sms-sink listening on :{PORT}", file=sys.stderr, flush=True)
    ThreadingHTTPServer(("0.0.0.0", PORT), Handler).serve_forever()
