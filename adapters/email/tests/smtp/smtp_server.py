"""A real SMTP server for the adapter tests: aiosmtpd on 127.0.0.1:<port>.

Writes each delivered message to <dir>/<n>.eml and its envelope to <dir>/<n>.json, refuses
recipients at rejected.example with 550, and, when given a user and password, requires AUTH
(over plain text: this is a test server). Prints "ready" once it listens.

    python smtp_server.py PORT DIR [USER PASSWORD]
"""

import email
import email.policy
import json
import pathlib
import signal
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Handler:
    def __init__(self, out):
        self.out = out
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.endswith("@rejected.example"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = self.out / str(self.count)
        raw = envelope.original_content or envelope.content
        base.with_suffix(".eml").write_bytes(raw)
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "authenticated": bool(session.authenticated),
            "headers": {k.lower(): str(v) for k, v in parsed.items()},
            "body": parsed.get_content(),
        }
        # The envelope last: a test polls for the .json file.
        base.with_suffix(".json").write_text(json.dumps(meta))
        return "250 Message accepted for delivery"


def main():
    port, out = int(sys.argv[1]), pathlib.Path(sys.argv[2])
    credentials = (sys.argv[3].encode(), sys.argv[4].encode()) if len(sys.argv) > 4 else None

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (
            credentials is not None
            and isinstance(auth_data, LoginPassword)
            and (auth_data.login, auth_data.password) == credentials
        )
        # handled=False: aiosmtpd answers "535" itself (True would leave the client waiting).
        return AuthResult(success=ok, handled=False)

    controller = Controller(
        Handler(out),
        hostname="127.0.0.1",
        port=port,
        authenticator=authenticator,
        auth_required=credentials is not None,
        auth_require_tls=False,
    )
    controller.start()
    print("ready", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    controller.stop()


if __name__ == "__main__":
    main()
