#!/usr/bin/env python3
"""A local SMTP sink for the container stack: accepts every message and prints it to stdout
(the verification and reset links of the local stack are read with `docker logs`). Speaks the
SMTP subset the api's lettre adapter uses with TLS off (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP,
QUIT). Standard library only. Never for production: it delivers nothing."""
import asyncio
import os

PORT = int(os.environ.get("SMTP_SINK_PORT", "2525"))
MAX_MESSAGE = 1 << 20


async def session(reader, writer):
    def say(line):
        writer.write((line + "\r\n").encode())

    say("220 lingo-smtp-sink ready")
    envelope = {"from": None, "to": []}
    try:
        while True:
            await writer.drain()
            raw = await asyncio.wait_for(reader.readline(), timeout=60)
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb = line.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                say("250-lingo-smtp-sink" if verb == "EHLO" else "250 lingo-smtp-sink")
                if verb == "EHLO":
                    say("250 8BITMIME")
            elif verb == "MAIL":
                envelope = {"from": line[5:].strip(), "to": []}
                say("250 ok")
            elif verb == "RCPT":
                envelope["to"].append(line[5:].strip())
                say("250 ok")
            elif verb == "DATA":
                say("354 end with <CRLF>.<CRLF>")
                await writer.drain()
                body, size = [], 0
                while True:
                    chunk = await asyncio.wait_for(reader.readline(), timeout=60)
                    if not chunk or chunk in (b".\r\n", b".\n"):
                        break
                    size += len(chunk)
                    if size <= MAX_MESSAGE:
                        body.append(chunk.decode("utf-8", "replace"))
                print(f"mail {envelope['from']} -> {', '.join(envelope['to'])}\n{''.join(body)}", flush=True)
                say("250 queued")
            elif verb in ("RSET", "NOOP"):
                say("250 ok")
            elif verb == "QUIT":
                say("221 bye")
                await writer.drain()
                return
            else:
                say("502 command not implemented")
    except (asyncio.TimeoutError, ConnectionError):
        return
    finally:
        writer.close()


async def main():
    server = await asyncio.start_server(session, "0.0.0.0", PORT)
    print(f"smtp sink listening on {PORT}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
