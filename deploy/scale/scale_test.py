#!/usr/bin/env python3
"""The driver of `just scale-test` (deploy/scale-test.sh starts and stops the stack around it).

Against the scale profile (deploy/docker-compose.scale.yml: HAProxy, 2 api, 3 workers, 2
schedulers) it creates a learner with cards, then for --duration seconds drives reviews and
echo jobs through HAProxy while it SIGKILLs a worker and the scheduler that fires (starting each
again), restarts api-1 then api-2 (docker stop with a grace period, start, wait until healthy
and back in HAProxy's rotation) and restarts the workers one by one. Then it waits for the
queue to drain and prints the figures; exit status 1 when a request failed, a job or review was
lost, or a scheduler tick did not fire exactly once.

Every attempt counts: a review retried after a connection error still counts its failed attempt
(the retry, same client_review_id, is allowed only because reviews are idempotent on it; echo
jobs are not idempotent and are never retried). Standard library only.
"""

import argparse
import datetime as dt
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

# the scheduler's job ids: uuid5(namespace, "{entry}@{tick ms}") (apps/scheduler/src/lib.rs)
SCHEDULER_NAMESPACE = uuid.UUID(int=0x6C69_6E67_6F2D_7363_6865_6475_6C65_7200)
TICK_ENTRY = "queue.stats"
WORDS = ["house", "book", "water", "tree", "dog", "cat", "sun", "moon", "city", "road", "river",
         "bread", "apple", "chair", "table", "door", "window", "car", "bird", "fish"]


def log(msg):
    print(f"[scale {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def now_iso():
    return dt.datetime.now(dt.timezone.utc).isoformat()


# ------------------------------------------------------------------------------------------------
# the stack


class Stack:
    def __init__(self, args):
        self.compose = args.compose.split()
        self.project = args.project

    def dc(self, *args, check=True):
        out = subprocess.run(self.compose + list(args), text=True, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT)
        if check and out.returncode != 0:
            raise RuntimeError(f"docker-compose {' '.join(args)}: {out.stdout[-1500:]}")
        return out.stdout

    def containers(self, service):
        out = subprocess.run(
            ["docker", "ps", "-a", "--filter", f"label=com.docker.compose.project={self.project}",
             "--filter", f"label=com.docker.compose.service={service}", "--format", "{{.Names}}"],
            text=True, stdout=subprocess.PIPE, check=True).stdout.split()
        return sorted(out)

    @staticmethod
    def docker(*args):
        out = subprocess.run(["docker", *args], text=True, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT)
        if out.returncode != 0:
            raise RuntimeError(f"docker {' '.join(args)}: {out.stdout.strip()}")
        return out.stdout.strip()

    def health(self, name):
        return self.docker("inspect", "-f", "{{if .State.Health}}{{.State.Health.Status}}"
                           "{{else}}{{.State.Status}}{{end}}", name)

    def wait_healthy(self, name, limit=90):
        deadline = time.time() + limit
        while time.time() < deadline:
            if self.health(name) == "healthy":
                return True
            time.sleep(0.5)
        return False

    def psql(self, sql):
        pg = self.containers("postgres")[0]
        out = subprocess.run(["docker", "exec", "-i", "-e", "PGPASSWORD", pg, "psql", "-h", "127.0.0.1", "-U", "lingo",
                              "-d", "lingo", "-X", "-tAq", "-F", "\t", "-f", "-"],
                             input=sql, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env=dict(os.environ, PGPASSWORD=os.environ.get("POSTGRES_PASSWORD", "")))
        if out.returncode != 0:
            raise RuntimeError(f"psql: {out.stderr.strip()}")
        return [line.split("\t") for line in out.stdout.splitlines() if line]

    def logs(self, name, since):
        out = subprocess.run(["docker", "logs", "--since", str(int(since)), name], text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, errors="replace")
        return out.stdout.splitlines()


# ------------------------------------------------------------------------------------------------
# HTTP through HAProxy


class Api:
    def __init__(self, base):
        self.base = base
        self.lock = threading.Lock()
        self.sent = 0
        self.failures = []  # (time, method, path, status or error)

    def call(self, method, path, body=None, token=None, timeout=15, count=True):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("content-type", "application/json")
        if token:
            req.add_header("authorization", f"Bearer {token}")
        error = None
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                status, raw = resp.status, resp.read()
        except urllib.error.HTTPError as e:
            status, raw = e.code, e.read()
        except (OSError, urllib.error.URLError) as e:
            status, raw, error = 0, b"", repr(e)[:120]
        if count:
            with self.lock:
                self.sent += 1
                if not 200 <= status < 300:
                    self.failures.append((time.time(), method, path.split("?")[0],
                                          error or status))
        try:
            return status, json.loads(raw) if raw else None
        except ValueError:
            return status, None


# ------------------------------------------------------------------------------------------------
# the run


class Run:
    def __init__(self, args):
        self.args = args
        self.stack = Stack(args)
        self.api = Api(f"http://127.0.0.1:{args.port}")
        self.stop = threading.Event()
        self.acked_reviews = []
        self.review_retries = 0
        self.echo_ids = []
        self.events = []  # (time, what)

    def event(self, what):
        self.events.append((time.time(), what))
        log(what)

    # -- set-up ------------------------------------------------------------------------------

    def setup(self):
        deadline = time.time() + 120
        while self.api.call("GET", "/api/v1/ready", timeout=3, count=False)[0] != 200:
            if time.time() > deadline:
                raise RuntimeError("HAProxy → api not ready within 120 s")
            time.sleep(1)
        email = f"scale-{uuid.uuid4().hex[:10]}@example.com"
        since = time.time() - 1
        status, answer = self.api.call("POST", "/api/v1/auth/register", count=False, body={
            "email": email, "password": "scale-test-password-1", "display_name": "Scale",
            "profile": {"native_language": "fa", "timezone": "UTC", "level": "B1"}})
        if status != 202:
            raise RuntimeError(f"register: {status} {answer}")
        status, session = self.api.call("POST", "/api/v1/auth/email/verify", count=False,
                                        body={"token": self.verification_token(since)})
        if status != 200:
            raise RuntimeError(f"verify email: {status} {session}")
        self.learner = session["access_token"]
        # an administrator for the echo jobs, made with lingo-admin in a container of the stack
        self.stack.dc("run", "--rm", "--no-deps", "-T", "migrate", "lingo-admin", "users",
                      "grant-admin", email)
        status, admin = self.api.call("POST", "/api/v1/auth/login", count=False,
                                      body={"email": email, "password": "scale-test-password-1"})
        if status != 200:
            raise RuntimeError(f"login: {status} {admin}")
        self.admin = admin["access_token"]
        status, deck = self.api.call("POST", "/api/v1/decks", token=self.learner, count=False,
                                     body={"name": "scale"})
        if status not in (200, 201):
            raise RuntimeError(f"deck: {status} {deck}")
        status, added = self.api.call("POST", f"/api/v1/decks/{deck['id']}/words", count=False,
                                      token=self.learner,
                                      body={"words": [{"language": "en", "lemma": w} for w in WORDS]})
        _, page = self.api.call("GET", f"/api/v1/cards?deck={deck['id']}&limit=100", count=False,
                                token=self.learner)
        self.cards = [c["id"] for c in (page or {}).get("items", [])]
        if len(self.cards) < 4:
            raise RuntimeError(f"only {len(self.cards)} cards: {status} {added} {page}")
        log(f"learner {email} with {len(self.cards)} cards; admin token from grant-admin + login")

    def verification_token(self, since):
        """The token of the verification link the mail sink printed since `since`."""
        sink = self.stack.containers("mail-sink")[0]
        deadline = time.time() + 20
        while time.time() < deadline:
            text = "\n".join(self.stack.logs(sink, since))
            # quoted-printable soft line breaks and '=' as =3D
            text = re.sub(r"=\r?\n", "", text).replace("=3D", "=")
            found = re.findall(r"verify-email\?token=([A-Za-z0-9_-]+)", text)
            if found:
                return found[-1]
            time.sleep(0.5)
        raise RuntimeError("no verification link in the mail sink's log")

    # -- load --------------------------------------------------------------------------------

    def review_loop(self, cards):
        i = 0
        while not self.stop.is_set():
            card = cards[i % len(cards)]
            i += 1
            body = {"card_id": card, "rating": random.choice([2, 3, 4]),
                    "client_review_id": f"scale-{uuid.uuid4()}", "reviewed_at": now_iso()}
            for attempt in range(3):
                status, _ = self.api.call("POST", "/api/v1/reviews", token=self.learner, body=body)
                if status != 0:
                    break
                # no answer: retried with the same client_review_id, which makes it harmless
                self.review_retries += 1
                time.sleep(0.2)
            if 200 <= status < 300:
                self.acked_reviews.append(body["client_review_id"])
            time.sleep(self.args.review_pause)

    def echo_loop(self):
        n = 0
        while not self.stop.is_set():
            n += 1
            status, body = self.api.call("POST", "/api/v1/admin/jobs/echo", token=self.admin,
                                         body={"message": f"scale-{n}",
                                               "delay_ms": random.randint(0, 1500)})
            if status == 202 and body:
                self.echo_ids.append(body["job_id"])
            time.sleep(self.args.echo_pause)

    # -- disruptions -------------------------------------------------------------------------

    def until(self, t):
        while time.time() < t and not self.stop.is_set():
            time.sleep(0.2)

    def disrupt(self, started):
        s = self.stack
        workers, apis = s.containers("worker"), s.containers("api")
        self.until(started + 10)
        victim = workers[0]
        self.event(f"SIGKILL {victim}")
        s.docker("kill", "-s", "KILL", victim)
        time.sleep(3)
        s.docker("start", victim)
        self.event(f"started {victim} again")
        self.until(started + 14)
        leader = self.scheduler_leader(started)
        self.event(f"SIGKILL {leader} (the scheduler that fires; the other takes the lease)")
        s.docker("kill", "-s", "KILL", leader)
        # longer than the lease (LINGO_SCHEDULER_LEASE_TTL_MS, 10 s): the other one takes over
        time.sleep(12)
        s.docker("start", leader)
        self.event(f"started {leader} again")
        self.until(started + 28)
        for api in apis:
            self.event(f"rolling restart: docker stop -t 25 {api} (SIGTERM, drain)")
            t0 = time.time()
            s.docker("stop", "-t", "25", api)
            self.event(f"{api} stopped after {time.time() - t0:.1f} s; starting it")
            s.docker("start", api)
            if not s.wait_healthy(api):
                self.event(f"{api} not healthy within 90 s")
            # healthy for docker; HAProxy needs `rise 2` checks a second apart
            time.sleep(3)
            self.event(f"{api} healthy and back in rotation")
        for worker in workers:
            self.event(f"rolling restart: docker stop -t 20 {worker} (SIGTERM, jobs handed back)")
            t0 = time.time()
            s.docker("stop", "-t", "20", worker)
            self.event(f"{worker} stopped after {time.time() - t0:.1f} s; starting it")
            s.docker("start", worker)
            time.sleep(3)
        self.event("disruptions done")

    def scheduler_leader(self, since):
        """The scheduler that logged the latest "scheduled job enqueued" line."""
        latest = {}
        for name in self.stack.containers("scheduler"):
            lines = [l for l in self.stack.logs(name, since) if "scheduled job enqueued" in l]
            latest[name] = lines[-1] if lines else ""
        return max(latest, key=lambda n: latest[n])

    # -- measures ----------------------------------------------------------------------------

    def job_states(self):
        rows = self.stack.psql("SELECT job_id, status FROM jobs WHERE kind = 'system.echo';")
        return {r[0]: r[1] for r in rows}

    def wait_drain(self):
        deadline = time.time() + self.args.drain_timeout
        while True:
            states = self.job_states()
            pending = [j for j in self.echo_ids if states.get(j) != "succeeded"]
            if not pending or time.time() > deadline:
                return states, pending
            time.sleep(1)

    def reviews_lost(self):
        found = set()
        for i in range(0, len(self.acked_reviews), 1000):
            chunk = ",".join(f"'{r}'" for r in self.acked_reviews[i:i + 1000])
            rows = self.stack.psql(
                f"SELECT client_review_id FROM review_logs WHERE client_review_id IN ({chunk});")
            found.update(r[0] for r in rows)
        return len(set(self.acked_reviews) - found)

    def lb_retries(self, since):
        """Requests HAProxy sent again (its log's retries field; `+` = to the other replica)."""
        retried = redispatched = 0
        self.lb_errors = {}
        for name in self.stack.containers("lb"):
            for line in self.stack.logs(name, since):
                # who answered an error: `api/<NOSRV>` is HAProxy with no replica up
                e = re.search(r" public (\S+) \S+ ([45]\d\d) \d+ \S+ \S+ (\S{4}) ", line)
                if e:
                    key = f"{e.group(2)} via {e.group(1)} ({e.group(3)})"
                    self.lb_errors[key] = self.lb_errors.get(key, 0) + 1
                m = re.search(r" \d+/\d+/\d+/\d+/(\+?)(\d+) \d+/\d+ \"", line)
                if m and int(m.group(2)) > 0:
                    retried += 1
                    redispatched += 1 if m.group(1) else 0
        return retried, redispatched

    def ticks(self, first, last):
        """Per second first..last: the "scheduled job enqueued" lines of both schedulers and
        whether the tick's job is in the ledger."""
        lines = {}
        for name in self.stack.containers("scheduler"):
            for line in self.stack.logs(name, first - 5):
                if not line.startswith("{") or "scheduled job enqueued" not in line:
                    continue
                try:
                    rec = json.loads(line)
                except ValueError:
                    continue
                job = rec.get("fields", {}).get("job.id") or rec.get("job.id")
                if job:
                    lines.setdefault(job, []).append(name)
        ids = {str(uuid.uuid5(SCHEDULER_NAMESPACE, f"{TICK_ENTRY}@{t * 1000}")): t
               for t in range(first, last + 1)}
        in_ledger = {r[0] for r in self.stack.psql(
            "SELECT job_id FROM jobs WHERE kind = 'queue.stats' AND job_id IN ("
            + ",".join(f"'{i}'" for i in ids) + ");")}
        per_tick = {t: (len(lines.get(j, [])), j in in_ledger) for j, t in ids.items()}
        leaders = {n for names in lines.values() for n in names}
        return per_tick, leaders

    # -- main --------------------------------------------------------------------------------

    def run(self):
        self.setup()
        started = time.time()
        self.event(f"load for {self.args.duration:.0f} s: {self.args.review_threads} review "
                   f"threads, 1 echo thread, through HAProxy")
        threads = [threading.Thread(target=self.review_loop, args=(self.cards[i::self.args.review_threads],),
                                    daemon=True) for i in range(self.args.review_threads)]
        threads.append(threading.Thread(target=self.echo_loop, daemon=True))
        for t in threads:
            t.start()
        try:
            self.disrupt(started)
            self.until(started + self.args.duration)
        finally:
            self.stop.set()
            for t in threads:
                t.join(timeout=20)
        ended = time.time()
        self.event(f"load stopped after {ended - started:.0f} s; waiting for the queue to drain")
        states, pending = self.wait_drain()
        drained = time.time()
        per_tick, leaders = self.ticks(int(started) + 2, int(ended) - 2)
        self.retried = self.lb_retries(started - 1)
        return self.report(started, ended, drained, states, pending, per_tick, leaders)

    def report(self, started, ended, drained, states, pending, per_tick, leaders):
        missing = [t for t, (n, ledger) in per_tick.items() if not ledger]
        doubled = [t for t, (n, _) in per_tick.items() if n > 1]
        silent = [t for t, (n, ledger) in per_tick.items() if n == 0 and ledger]
        lost_reviews = self.reviews_lost()
        by_state = {}
        for j in pending:
            by_state[states.get(j, "absent")] = by_state.get(states.get(j, "absent"), 0) + 1
        firings = sorted({n for n, _ in per_tick.values()})
        rows = [
            ("duration of load (s)", f"{ended - started:.0f}"),
            ("requests sent", self.api.sent),
            ("failed requests", len(self.api.failures)),
            ("  review retries after no answer", self.review_retries),
            ("  HAProxy retries (to the other api)", "%d (%d)" % self.retried),
            ("reviews acknowledged", len(self.acked_reviews)),
            ("reviews lost", lost_reviews),
            ("jobs enqueued", len(self.echo_ids)),
            ("jobs succeeded", len(self.echo_ids) - len(pending)),
            ("jobs lost", len(pending)),
            ("queue drained (s after the load)", f"{drained - ended:.0f}"),
            ("scheduler ticks checked", len(per_tick)),
            ("ticks not fired", len(missing)),
            ("ticks fired more than once", len(doubled)),
            ("firings per tick", "/".join(map(str, firings)) if firings else "-"),
            ("schedulers that fired", len(leaders)),
        ]
        print()
        print("scale test: HAProxy + 2 api + 3 workers + 2 schedulers")
        for name, value in rows:
            print(f"  {name:<36} {value}")
        print("  events:")
        for t, what in self.events:
            print(f"    +{t - started:6.1f} s  {what}")
        for t, method, path, what in self.api.failures[:20]:
            print(f"  failed: +{t - started:.1f} s {method} {path}: {what}")
        if self.lb_errors:
            print(f"  errors in HAProxy's log (status via server (termination state)): {self.lb_errors}")
        if pending:
            print(f"  jobs not succeeded by state: {by_state}; e.g. {pending[:5]}")
        if missing or doubled:
            print(f"  ticks not fired: {missing[:10]}; fired more than once: {doubled[:10]}")
        if silent:
            print(f"  (ticks in the ledger with no enqueue line in the scheduler logs: {len(silent)})")
        bad = (self.api.failures or pending or lost_reviews or missing or doubled
               or not self.echo_ids or not self.acked_reviews)
        print(f"  result: {'FAILED' if bad else 'ok'}")
        return 1 if bad else 0


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--compose", required=True, help="the docker-compose command line of the stack")
    p.add_argument("--project", required=True)
    p.add_argument("--port", type=int, default=7380, help="HAProxy's loopback port")
    p.add_argument("--duration", type=float, default=100, help="seconds of load")
    p.add_argument("--drain-timeout", type=float, default=90)
    p.add_argument("--review-threads", type=int, default=4)
    p.add_argument("--review-pause", type=float, default=0.02)
    p.add_argument("--echo-pause", type=float, default=0.2)
    args = p.parse_args()
    sys.exit(Run(args).run())


if __name__ == "__main__":
    main()
