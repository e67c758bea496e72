#!/usr/bin/env python3
"""`just chaos`: fault injection against a private local stack (docs/chaos.md).

Starts its own PostgreSQL, Redis and MongoDB-wire server (stack.sh with LINGO_DEV_DIR=.dev/chaos, on
their own ports), an api, two workers and two schedulers on their own port and Redis prefix, runs
the experiments, prints one row per experiment and stops everything it started. Local addresses
only; bounded by --budget (default 570 s). Exit status 1 when any row has jobs lost, jobs run twice
at once, reviews lost or a 5xx other than 503 (or an experiment did not run).

Python 3 standard library only (pymongo from .dev/venv is used for MongoDB counts when present).
"""

import argparse
import base64
import datetime as dt
import hashlib
import hmac
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEV = os.path.join(ROOT, ".dev", "chaos")
LOGS = os.path.join(DEV, "logs")
STACK = os.path.join(ROOT, "deploy", "local", "stack.sh")
SECRET = "chaos-only-secret-0123456789abcdef0123456789"
PREFIX = "chaos:"
DICT = "/usr/share/dictd/freedict-eng-spa.index"
VISIBILITY_MS = 10_000
# the scheduler's job ids: uuid5(namespace, "{entry}@{tick ms}") (apps/scheduler/src/lib.rs)
SCHEDULER_NAMESPACE = uuid.UUID(int=0x6C69_6E67_6F2D_7363_6865_6475_6C65_7200)
TICK_ENTRY = "queue.stats"


def log(msg):
    print(f"[chaos {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------------
# the stack


class Stack:
    def __init__(self, args):
        self.args = args
        base = args.port_base
        self.pg_port, self.redis_port, self.mongo_port, self.http_port = (
            base + 1, base + 2, base + 3, base + 4)
        # a fresh database per run: the private stores outlive a run, imports are idempotent
        run = time.strftime("%Y%m%d%H%M%S")
        self.env = dict(os.environ)
        self.env.update({
            "LINGO_DEV_DIR": DEV,
            "LINGO_DATABASE_URL": f"postgres://postgres@127.0.0.1:{self.pg_port}/chaos_{run}",
            "LINGO_MONGO_URL": f"mongodb://127.0.0.1:{self.mongo_port}",
            "LINGO_MONGO_DATABASE": f"chaos_{run}",
            "LINGO_REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "LINGO_REDIS_PREFIX": PREFIX,
            "LINGO_HTTP_PORT": str(self.http_port),
            "LINGO_HTTP_HOST": "127.0.0.1",
            "LINGO_METRICS_ADDR": "off",
            "LINGO_ENV": "development",
            "LINGO_LOG_FORMAT": "json",
            "LINGO_JWT_SECRET": SECRET,
            "LINGO_DICTIONARY_PROVIDERS": "none",
            "LINGO_DATABASE_MIGRATE_ON_START": "false",
            "LINGO_QUEUE_VISIBILITY_TIMEOUT_MS": str(VISIBILITY_MS),
            "LINGO_SCHEDULE": f"{TICK_ENTRY}=* * * * * *",
            "LINGO_IMPORT_ROOTS": "/usr/share/dictd",
            "LINGO_RATE_LIMIT_AUTH_PER_MINUTE": "10000",
        })
        self.procs = {}
        self.bin = None

    def run(self, *cmd, check=True, quiet=False):
        out = subprocess.run(list(cmd), cwd=ROOT, env=self.env, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if check and out.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed:\n{out.stdout[-2000:]}")
        if not quiet and out.stdout.strip():
            log(out.stdout.strip().splitlines()[-1])
        return out.stdout

    def ports_free(self):
        import socket
        for port in (self.pg_port, self.redis_port, self.mongo_port, self.http_port):
            with socket.socket() as s:
                s.settimeout(0.5)
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    return port
        return None

    def start_stores(self):
        busy = self.ports_free()
        if busy:
            raise RuntimeError(f"port {busy} is in use: chaos only injects faults into stores it "
                               f"started itself (pick another --port-base)")
        os.makedirs(LOGS, exist_ok=True)
        self.run(STACK, "stores")
        for kind, port in (("postgres", self.pg_port), ("redis", self.redis_port),
                           ("mongo", self.mongo_port)):
            if not os.path.exists(os.path.join(DEV, "pids", f"{kind}-{port}.private")):
                raise RuntimeError(f"{kind} on {port} is not private to this run")
        self.redis("flushall")

    def build(self):
        meta = json.loads(subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--no-deps"], cwd=ROOT,
            text=True, stdout=subprocess.PIPE, check=True).stdout)
        profile = "release" if self.args.release else "debug"
        self.bin = os.path.join(meta["target_directory"], profile)
        if not self.args.no_build:
            log(f"cargo build --bins ({profile})")
            cmd = ["cargo", "build", "--bins"] + (["--release"] if self.args.release else [])
            subprocess.run(cmd, cwd=ROOT, check=True)
        self.run(os.path.join(self.bin, "lingo-admin"), "migrate")

    def start(self, name):
        binary = {"api": "lingo-api", "worker": "lingo-worker", "scheduler": "lingo-scheduler"}[
            name.split("-")[0]]
        cmd = [os.path.join(self.bin, binary)]
        if binary == "lingo-worker":
            cmd += ["--name", name]
        out = open(os.path.join(LOGS, f"{name}.log"), "ab")
        self.procs[name] = subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=out,
                                            stderr=subprocess.STDOUT, start_new_session=True)

    def signal(self, name, sig):
        proc = self.procs.get(name)
        if proc and proc.poll() is None:
            os.kill(proc.pid, sig)

    def kill(self, name):
        self.signal(name, signal.SIGKILL)
        self.procs[name].wait()

    def stop_apps(self):
        for proc in self.procs.values():
            if proc.poll() is None:
                try:
                    os.kill(proc.pid, signal.SIGCONT)
                    os.kill(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.time() + 40
        for proc in self.procs.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                proc.kill()

    def down(self):
        self.stop_apps()
        for pid in self.pg_pids() + self.mongo_pids():
            try:
                os.kill(pid, signal.SIGCONT)
            except ProcessLookupError:
                pass
        self.run(STACK, "down", check=False)

    # -- stores --------------------------------------------------------------------------------

    def pg_dir(self):
        with open(os.path.join(DEV, "pids", f"postgres-{self.pg_port}.private")) as f:
            return f.read().strip()

    def pg_ctl(self, *args):
        bindir = sorted(d for d in os.popen("ls -d /usr/lib/postgresql/*/bin").read().split())[-1]
        cmd = [f"{bindir}/pg_ctl", "-D", self.pg_dir()] + list(args)
        if os.getuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--"] + cmd
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def pg_stop(self):
        self.pg_ctl("-m", "fast", "-w", "-t", "30", "stop")

    def pg_start(self):
        log_file = os.path.join(os.path.dirname(self.pg_dir()), f"postgres-{self.pg_port}.log")
        self.pg_ctl("-l", log_file, "-w", "-t", "60", "-o",
                    f"-c listen_addresses=127.0.0.1 -p {self.pg_port} -c unix_socket_directories=''",
                    "start")

    def pg_pids(self):
        try:
            with open(os.path.join(self.pg_dir(), "postmaster.pid")) as f:
                master = int(f.readline())
        except (OSError, ValueError):
            return []
        return [master] + children(master)

    def mongo_pids(self):
        try:
            with open(os.path.join(DEV, "pids", f"mongo-{self.mongo_port}.pid")) as f:
                pid = int(f.read().strip())
        except (OSError, ValueError):
            return []
        return [pid] + children(pid)

    def redis(self, *args):
        return subprocess.run(["redis-cli", "-p", str(self.redis_port), *args], text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.strip()

    def redis_restart(self):
        self.redis("shutdown")
        time.sleep(0.5)
        self.run(STACK, "stores", quiet=True)

    def psql(self, sql):
        url = self.env["LINGO_DATABASE_URL"]
        return subprocess.run(["psql", url, "-X", "-tAq", "-c", sql], text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.strip()

    def mongo_count(self, source):
        python = os.path.join(ROOT, ".dev", "venv", "bin", "python")
        code = ("import sys,pymongo;c=pymongo.MongoClient(sys.argv[1]);"
                "print(c[sys.argv[2]]['entries'].count_documents({'source':sys.argv[3]}))")
        out = subprocess.run([python, "-c", code, self.env["LINGO_MONGO_URL"],
                              self.env["LINGO_MONGO_DATABASE"], source], text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.strip()
        return int(out) if out.isdigit() else None


def children(pid):
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], text=True,
                         stdout=subprocess.PIPE).stdout
    return [int(p) for p in out.split()]


def signal_all(pids, sig):
    for pid in pids:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


# ------------------------------------------------------------------------------------------------
# HTTP


class Api:
    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        self.lock = threading.Lock()
        self.statuses = []  # (status, method, path) of every answer in the current experiment

    def call(self, method, path, body=None, token=None, timeout=10):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("content-type", "application/json")
        if token:
            req.add_header("authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                status, raw = resp.status, resp.read()
        except urllib.error.HTTPError as e:
            status, raw = e.code, e.read()
        except (OSError, urllib.error.URLError):
            status, raw = 0, b""  # refused or timed out: no answer, not a 5xx
        with self.lock:
            self.statuses.append((status, method, path.split("?")[0]))
        try:
            return status, json.loads(raw) if raw else None
        except ValueError:
            return status, None

    def take_statuses(self):
        with self.lock:
            out, self.statuses = self.statuses, []
        return out


def token_for(user_id, role):
    def b64(data):
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
    now = int(time.time())
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = b64(json.dumps({"sub": user_id, "role": role, "iss": "lingo", "aud": "lingo-app",
                             "iat": now, "exp": now + 3600}).encode())
    sig = hmac.new(SECRET.encode(), f"{header}.{claims}".encode(), hashlib.sha256).digest()
    return f"{header}.{claims}.{b64(sig)}"


# ------------------------------------------------------------------------------------------------
# load, jobs and measures


class Load:
    """Review burst: one thread per card group, each review with a fresh client_review_id."""

    def __init__(self, api, token, cards, threads=4):
        self.api, self.token = api, token
        self.groups = [cards[i::threads] for i in range(threads)]
        self.acked = []
        self.stop_flag = threading.Event()
        self.threads = []

    def __enter__(self):
        for group in self.groups:
            t = threading.Thread(target=self.loop, args=(group,), daemon=True)
            t.start()
            self.threads.append(t)
        return self

    def loop(self, cards):
        i = 0
        while not self.stop_flag.is_set() and cards:
            card = cards[i % len(cards)]
            i += 1
            review_id = f"chaos-{uuid.uuid4()}"
            status, _ = self.api.call("POST", "/api/v1/reviews", token=self.token, body={
                "card_id": card, "rating": 3, "client_review_id": review_id,
                "reviewed_at": dt.datetime.now(dt.timezone.utc).isoformat()})
            if 200 <= status < 300:
                self.acked.append(review_id)
            time.sleep(0.05 if status else 0.5)

    def __exit__(self, *exc):
        self.stop_flag.set()
        for t in self.threads:
            t.join(timeout=15)


def probe_ok(api, token, card):
    status, _ = api.call("GET", "/api/v1/ready", timeout=3)
    if status != 200:
        return False
    status, _ = api.call("POST", "/api/v1/reviews", token=token, timeout=5, body={
        "card_id": card, "rating": 3, "client_review_id": f"probe-{uuid.uuid4()}",
        "reviewed_at": dt.datetime.now(dt.timezone.utc).isoformat()})
    return 200 <= status < 300


def seconds_to_recover(api, token, card, since, limit=120):
    while time.time() - since < limit:
        if probe_ok(api, token, card):
            return round(time.time() - since, 1)
        time.sleep(0.25)
    return None


def enqueue_echo(api, admin, count, delay_ms, tag):
    ids = []
    for i in range(count):
        status, body = api.call("POST", "/api/v1/admin/jobs/echo", token=admin,
                                body={"message": f"{tag}-{i}", "delay_ms": delay_ms})
        if status == 202 and body:
            ids.append(body["job_id"])
    return ids


def wait_jobs(api, admin, ids, limit):
    """Job ids not `succeeded` within `limit` seconds, with their last status."""
    pending = {i: None for i in ids}
    deadline = time.time() + limit
    while pending and time.time() < deadline:
        for job in list(pending):
            status, body = api.call("GET", f"/api/v1/jobs/{job}", token=admin, timeout=5)
            state = body.get("status") if status == 200 and body else f"http {status}"
            if state == "succeeded":
                del pending[job]
            else:
                pending[job] = state
        if pending:
            time.sleep(1)
    return pending


def reviews_lost(stack, acked):
    if not acked:
        return 0
    found = set()
    for i in range(0, len(acked), 500):
        chunk = acked[i:i + 500]
        quoted = ",".join(f"'{r}'" for r in chunk)
        out = stack.psql(f"SELECT client_review_id FROM review_logs WHERE client_review_id IN ({quoted})")
        found.update(out.split())
    return len(set(acked) - found)


def bad_5xx(statuses):
    return sum(1 for s, _, _ in statuses if s >= 500 and s != 503)


def job_runs(since):
    """Per job id, the runs seen in the worker logs since `since`: (worker, start, end).

    The worker logs a line when a job ends ("job succeeded", "job failed…", "job handed back",
    "job outcome not recorded…") inside the `job` span that carries `job.id`; a "job started" line
    is used when the worker logs one. Without it a run's start is its end minus the echo job's
    known duration (`delay_ms`), which is exact enough for echo jobs and unknown for others.
    """
    runs, starts = {}, {}
    for name in os.listdir(LOGS):
        if not name.startswith("worker-"):
            continue
        worker = name[:-4]
        with open(os.path.join(LOGS, name), errors="replace") as f:
            for line in f:
                if not line.startswith("{"):
                    continue
                try:
                    rec = json.loads(line)
                except ValueError:
                    continue
                ts = parse_ts(rec.get("timestamp"))
                if ts is None or ts < since:
                    continue
                message = str(rec.get("fields", {}).get("message", ""))
                job = find_field(rec, "job.id")
                if not job:
                    continue
                if message == "job started":
                    starts[(worker, job)] = ts
                elif message.startswith("job ") and message != "job started":
                    runs.setdefault(job, []).append(
                        [worker, starts.pop((worker, job), None), ts, message])
    return runs


def find_field(obj, key):
    if isinstance(obj, dict):
        if key in obj:
            return str(obj[key])
        for v in obj.values():
            found = find_field(v, key)
            if found:
                return found
    elif isinstance(obj, list):
        for v in obj:
            found = find_field(v, key)
            if found:
                return found
    return None


def parse_ts(raw):
    if not raw:
        return None
    try:
        return dt.datetime.fromisoformat(raw.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


# A worker resumed after a pause needs a moment to see that its delivery is gone and cancel the
# job: runs overlapping by less than this after a resume are one run handed over, not two.
HANDOVER_S = 1.0


def active_overlap(a, b, frozen):
    """Seconds two runs (worker, start, end) ran at the same time, leaving out the intervals in
    which either worker was stopped (SIGSTOP): a stopped process runs nothing."""
    lo, hi = max(a[1], b[1]), min(a[2], b[2])
    if hi <= lo:
        return 0.0
    cut = 0.0
    for worker in {a[0], b[0]}:
        for f0, f1 in frozen.get(worker, ()):
            cut += max(0.0, min(hi, f1) - max(lo, f0))
    return max(0.0, hi - lo - cut)


def twice_at_once(since, durations, frozen=None):
    """Jobs with two runs on different workers that ran at the same time: their intervals
    overlap by more than HANDOVER_S outside the times a worker was stopped."""
    frozen = frozen or {}
    twice = 0
    for job, runs in job_runs(since).items():
        spans = []
        for worker, start, end, _ in runs:
            if start is None and job in durations:
                start = end - durations[job]
            if start is not None:
                spans.append((worker, start, end))
        if any(a[0] != b[0] and active_overlap(a, b, frozen) > HANDOVER_S
               for i, a in enumerate(spans) for b in spans[i + 1:]):
            twice += 1
    return twice


def tick_job(t):
    return str(uuid.uuid5(SCHEDULER_NAMESPACE, f"{TICK_ENTRY}@{t * 1000}"))


def ticks_fired(first, last):
    """(ticks whose job succeeded, ticks) for the seconds first..last."""
    runs = job_runs(first - 5)
    done = sum(1 for t in range(first, last + 1)
               if any(r[3] == "job succeeded" for r in runs.get(tick_job(t), [])))
    return done, max(0, last - first + 1)


# ------------------------------------------------------------------------------------------------
# experiments


class Chaos:
    def __init__(self, args):
        self.args = args
        self.stack = Stack(args)
        self.api = Api(self.stack.http_port)
        self.rows = []
        self.started = time.time()

    def remaining(self):
        return self.args.budget - (time.time() - self.started)

    def setup(self):
        s = self.stack
        s.start_stores()
        s.build()
        for name in ("api", "worker-1", "worker-2", "scheduler-1", "scheduler-2"):
            s.start(name)
        deadline = time.time() + 60
        while time.time() < deadline and self.api.call("GET", "/api/v1/ready", timeout=2)[0] != 200:
            time.sleep(0.5)
        api_log = os.path.join(LOGS, "api.log")
        log_offset = os.path.getsize(api_log) if os.path.exists(api_log) else 0
        status, answer = self.api.call("POST", "/api/v1/auth/register", body={
            "email": f"chaos-{uuid.uuid4().hex[:8]}@example.com", "password": "chaos-password-1",
            "display_name": "Chaos",
            "profile": {"native_language": "fa", "timezone": "UTC", "level": "B1"}})
        if status != 202:
            raise RuntimeError(f"register: {status} {answer}")
        # sign-up signs in through the emailed link; the development sender logs its text
        status, session = self.api.call("POST", "/api/v1/auth/email/verify",
                                        body={"token": self.verification_token(log_offset)})
        if status != 200:
            raise RuntimeError(f"verify email: {status} {session}")
        self.learner = session["access_token"]
        self.admin = token_for(session["user"]["id"], "admin")
        # the undisturbed import, the baseline of the SIGKILL experiment
        self.import_job("chaos-base")
        status, deck = self.api.call("POST", "/api/v1/decks", token=self.learner,
                                     body={"name": "chaos"})
        words = ["house", "book", "water", "tree", "dog", "cat", "sun", "moon", "city", "road",
                 "river", "bread", "apple", "chair", "table", "door", "window", "car", "bird", "fish"]
        self.api.call("POST", f"/api/v1/decks/{deck['id']}/words", token=self.learner,
                      body={"words": [{"language": "en", "lemma": w} for w in words]})
        _, page = self.api.call("GET", f"/api/v1/cards?deck={deck['id']}&limit=100", token=self.learner)
        self.cards = [c["id"] for c in (page or {}).get("items", [])]
        if len(self.cards) < 4:
            raise RuntimeError(f"only {len(self.cards)} cards: {page}")
        self.api.take_statuses()

    def verification_token(self, offset):
        """The token of the first verification link the api logged past `offset`."""
        deadline = time.time() + 10
        while time.time() < deadline:
            with open(os.path.join(LOGS, "api.log"), errors="replace") as f:
                f.seek(offset)
                found = re.findall(r"verify-email\?token=([A-Za-z0-9_-]+)", f.read())
            if found:
                return found[0]
            time.sleep(0.2)
        raise RuntimeError("no verification link in the api log")

    def import_job(self, source):
        status, body = self.api.call("POST", "/api/v1/admin/dictionary/imports", token=self.admin,
                                     body={"format": "dictd", "path": DICT, "source": source,
                                           "licence": "GPL-2.0-or-later", "language": "en",
                                           "translation_language": "es"})
        if status != 202:
            raise RuntimeError(f"import {source}: {status} {body}")
        job = body["job_id"]
        if source == "chaos-base":
            left = wait_jobs(self.api, self.admin, [job], 240)
            if left:
                raise RuntimeError(f"the undisturbed import did not finish: {left}")
        return job

    def counts(self, source):
        pg = self.stack.psql(f"SELECT count(*) FROM words WHERE '{source}' = ANY(sources)")
        return (int(pg) if pg.isdigit() else None, self.stack.mongo_count(source))

    def row(self, name, since, lost=0, twice=0, acked=(), recover=None, detail=""):
        statuses = self.api.take_statuses()
        lost_reviews = reviews_lost(self.stack, list(acked))
        # refused connections and client timeouts (10 s): a bounded wait answers 503 instead
        unanswered = sum(1 for st, _, _ in statuses if st == 0)
        row = {"experiment": name, "jobs_lost": lost, "twice": twice, "reviews_lost": lost_reviews,
               "bad_5xx": bad_5xx(statuses),
               "503s": sum(1 for s, _, _ in statuses if s == 503),
               "recover_s": "-" if recover is None else recover,
               "detail": (f"reviews acked={len(acked)} " if acked else "")
               + (f"no answer within 10 s={unanswered} " if unanswered else "") + detail}
        self.rows.append(row)
        log(f"{name}: {row}")

    # -- 1 ------------------------------------------------------------------------------------
    def worker_sigkill_import(self):
        since = time.time()
        job = self.import_job("chaos-kill")
        kills = 0
        deadline = time.time() + 3 * (VISIBILITY_MS / 1000 + 15)
        while kills < 3 and time.time() < deadline:
            # only while the import runs and has made progress since it (re)started
            status, body = self.api.call("GET", f"/api/v1/jobs/{job}", token=self.admin)
            body = body or {}
            if body.get("status") in ("succeeded", "dead"):
                break
            if body.get("status") != "running":
                time.sleep(0.3)
                continue
            time.sleep(self.args.kill_every)
            # the import runs on one of the two workers: kill both so it is surely hit
            for name in ("worker-1", "worker-2"):
                self.stack.kill(name)
            kills += 1
            time.sleep(1)
            for name in ("worker-1", "worker-2"):
                self.stack.start(name)
            # wait for the reclaim to start it again (status still says running until then)
            time.sleep(VISIBILITY_MS / 1000)
        left = wait_jobs(self.api, self.admin, [job], min(self.args.job_wait + 60, self.remaining()))
        base, disturbed = self.counts("chaos-base"), self.counts("chaos-kill")
        lost = len(left) + (0 if base == disturbed else 1)
        self.row("worker SIGKILL x3 during import", since, lost=lost,
                 twice=twice_at_once(since, {}),
                 detail=f"kills during the import={kills} words/entries undisturbed={base} disturbed={disturbed}"
                        + (f" job={left}" if left else ""))

    # -- 2, 3 ---------------------------------------------------------------------------------
    def redis_fault(self, name, fault):
        since = time.time()
        durations = {}
        with Load(self.api, self.learner, self.cards) as load:
            time.sleep(2)
            ids = enqueue_echo(self.api, self.admin, 20, 3000, name)
            durations.update({i: 3.0 for i in ids})
            time.sleep(1)
            ended = time.time()
            fault()
            recover = seconds_to_recover(self.api, self.learner, self.cards[0], ended)
            more = enqueue_echo(self.api, self.admin, 5, 1000, name + "-after")
            durations.update({i: 1.0 for i in more})
            time.sleep(2)
        # Jobs the broker lost while they ran are dispatched again from the ledger once their
        # worker must have cancelled them (visibility + 5 s after a check): the issue allows
        # two minutes.
        waited = time.time()
        left = wait_jobs(self.api, self.admin, ids + more,
                         min(max(self.args.job_wait, 120), self.remaining()))
        jobs_done_s = round(time.time() - waited + (waited - ended), 1)
        states = sorted({str(v) for v in left.values()})
        ticks = ticks_fired(int(ended) + 10, int(time.time()) - 2)
        self.row(name, since, lost=len(left), twice=twice_at_once(since, durations),
                 acked=load.acked, recover=recover,
                 detail=f"jobs accepted={len(ids) + len(more)} not succeeded={len(left)} {states}"
                        + ("" if left else f", all succeeded {jobs_done_s} s after the fault") + "; "
                        f"scheduler ticks run from 10 s after the fault: {ticks[0]}/{ticks[1]}")

    def redis_flushall(self):
        self.redis_fault("Redis FLUSHALL", lambda: self.stack.redis("flushall"))

    def redis_restart(self):
        self.redis_fault("Redis restart", self.stack.redis_restart)

    # -- 4, 5, 6 ------------------------------------------------------------------------------
    def store_outage(self, name, down, up, seconds):
        since = time.time()
        with Load(self.api, self.learner, self.cards) as load:
            time.sleep(2)
            ids = enqueue_echo(self.api, self.admin, 10, 1000, name)
            down()
            fault_at = time.time()
            during = []
            while time.time() - fault_at < seconds:
                during += enqueue_echo(self.api, self.admin, 1, 500, name + "-during")
                time.sleep(1)
            first_503 = next((s for s in self.api.statuses if s[0] == 503), None)
            ended = time.time()
            up()
            recover = seconds_to_recover(self.api, self.learner, self.cards[0], ended)
            time.sleep(2)
        durations = {i: 1.0 for i in ids} | {i: 0.5 for i in during}
        left = wait_jobs(self.api, self.admin, ids + during, min(self.args.job_wait, self.remaining()))
        self.row(name, since, lost=len(left), twice=twice_at_once(since, durations),
                 acked=load.acked, recover=recover,
                 detail=f"jobs accepted={len(ids) + len(during)}"
                        + (f" not succeeded={sorted(set(map(str, left.values())))}" if left else "")
                        + ("" if first_503 else " (no 503 seen)"))

    def pg_stop(self, seconds):
        self.store_outage(f"PostgreSQL stopped {seconds}s", self.stack.pg_stop, self.stack.pg_start,
                          seconds)

    def pg_mongo_sigstop(self):
        s = self.stack
        frozen = []

        def down():
            frozen.extend(s.pg_pids() + s.mongo_pids())
            signal_all(frozen, signal.SIGSTOP)

        self.store_outage(f"PostgreSQL+MongoDB SIGSTOP {self.args.sigstop}s", down,
                          lambda: signal_all(frozen, signal.SIGCONT), self.args.sigstop)

    # -- 7 ------------------------------------------------------------------------------------
    def worker_sigstop(self):
        since = time.time()
        s = self.stack
        run_ms = VISIBILITY_MS + 6_000
        # worker-2 paused while the jobs are handed out, so worker-1 holds them all
        s.signal("worker-2", signal.SIGSTOP)
        paused_2 = time.time()
        ids = enqueue_echo(self.api, self.admin, 4, run_ms, "sigstop")
        time.sleep(2)
        s.signal("worker-2", signal.SIGCONT)
        s.signal("worker-1", signal.SIGSTOP)
        paused_1 = time.time()
        time.sleep(VISIBILITY_MS / 1000 + self.args.past_visibility)
        s.signal("worker-1", signal.SIGCONT)
        resumed = time.time()
        frozen = {"worker-2": [(paused_2, paused_1)], "worker-1": [(paused_1, resumed)]}
        left = wait_jobs(self.api, self.admin, ids, min(self.args.job_wait + run_ms / 1000,
                                                        self.remaining()))
        recover = round(time.time() - resumed, 1) if not left else None
        # the stopped worker's runs end (late) at most one run after it resumed
        time.sleep(max(1.0, resumed + run_ms / 1000 + 3 - time.time()))
        self.row("worker SIGSTOP past visibility", since, lost=len(left),
                 twice=twice_at_once(since, {i: run_ms / 1000 for i in ids}, frozen), recover=recover,
                 detail=f"jobs={len(ids)} of {run_ms / 1000:.0f}s, visibility {VISIBILITY_MS / 1000:.0f}s")

    # -- 8 ------------------------------------------------------------------------------------
    def scheduler_tick(self):
        s = self.stack
        # wait for second :55 of a minute
        now = time.time()
        wait = (55 - now % 60) % 60
        if wait > self.remaining() - 40:
            raise TimeoutError("no time left to wait for second :55")
        time.sleep(wait)
        window_start = int(time.time()) - 5
        holder = s.redis("get", f"{PREFIX}{{lease:scheduler}}")
        leader = next((n for n in ("scheduler-1", "scheduler-2")
                       if holder.split("|")[0].endswith(f"-{s.procs[n].pid}")), "scheduler-1")
        s.kill(leader)
        time.sleep(2)
        s.start(leader)
        time.sleep(max(0.0, window_start + 15 - time.time()))  # :05
        s.redis_restart()
        time.sleep(10)
        window_end = window_start + 25  # :50 .. :15
        time.sleep(max(0, window_end + 5 - time.time()))
        fired = {t: 0 for t in range(window_start, window_end)}
        runs = job_runs(window_start - 5)
        for t in fired:
            job = str(uuid.uuid5(SCHEDULER_NAMESPACE, f"{TICK_ENTRY}@{t * 1000}"))
            fired[t] = sum(1 for r in runs.get(job, []) if r[3] == "job succeeded")
        missing = [t for t, n in fired.items() if n == 0]
        doubled = [t for t, n in fired.items() if n > 1]
        self.row("scheduler leader SIGKILL :55, Redis restart :05", window_start, lost=len(missing),
                 twice=len(doubled),
                 detail=f"ticks={len(fired)} killed={leader} missing={len(missing)} "
                        f"twice={len(doubled)} (\"job succeeded\" lines per tick's job id)")

    def run(self):
        experiments = [
            ("worker SIGKILL x3 during import", self.worker_sigkill_import),
            # before the Redis experiments, so that it measures its own faults only
            ("scheduler leader SIGKILL :55, Redis restart :05", self.scheduler_tick),
            ("Redis FLUSHALL", self.redis_flushall),
            ("Redis restart", self.redis_restart),
            ("PostgreSQL stopped 10s", lambda: self.pg_stop(self.args.pg_short)),
            ("PostgreSQL stopped 60s", lambda: self.pg_stop(60)),
            ("PostgreSQL+MongoDB SIGSTOP", self.pg_mongo_sigstop),
            ("worker SIGSTOP past visibility", self.worker_sigstop),
        ]
        only = set(self.args.only.split(",")) if self.args.only else None
        for i, (name, experiment) in enumerate(experiments, 1):
            if only and str(i) not in only:
                continue
            if self.remaining() < 45:
                self.rows.append({"experiment": name, "skipped": "time budget"})
                continue
            log(f"experiment {i}: {name}")
            try:
                experiment()
            except Exception as e:  # noqa: BLE001 - a broken experiment is a row, not a crash
                log(f"{name} failed: {e!r}")
                self.rows.append({"experiment": name, "skipped": repr(e)[:80]})
                for proc in list(self.stack.procs):
                    if self.stack.procs[proc].poll() is not None:
                        self.stack.start(proc)


def print_table(rows):
    cols = [("experiment", 48), ("jobs lost", 9), ("twice at once", 13), ("reviews lost", 12),
            ("5xx not 503", 11), ("503s", 6), ("recover s", 9)]
    print(" | ".join(name.ljust(width) for name, width in cols) + " | detail")
    print("-+-".join("-" * width for _, width in cols) + "-+-------")
    for r in rows:
        if "skipped" in r:
            print(r["experiment"].ljust(48) + f" | NOT RUN: {r['skipped']}")
            continue
        values = [r["experiment"], r["jobs_lost"], r["twice"], r["reviews_lost"], r["bad_5xx"],
                  r["503s"], r["recover_s"]]
        print(" | ".join(str(v).ljust(w) for v, (_, w) in zip(values, cols)) + f" | {r['detail']}")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port-base", type=int, default=int(os.environ.get("CHAOS_PORT_BASE", 25430)))
    p.add_argument("--budget", type=float, default=570, help="seconds for the whole run")
    p.add_argument("--job-wait", type=float, default=40,
                   help="seconds accepted jobs get to succeed after a fault")
    p.add_argument("--kill-every", type=float, default=1.5,
                   help="seconds an import runs before each worker SIGKILL")
    p.add_argument("--pg-short", type=int, default=10, help="the short PostgreSQL stop (s)")
    p.add_argument("--sigstop", type=int, default=45, help="PostgreSQL+MongoDB SIGSTOP (s)")
    p.add_argument("--past-visibility", type=float, default=4,
                   help="seconds a worker stays stopped past the visibility timeout")
    p.add_argument("--only", help="comma-separated experiment numbers (1-8, in run order)")
    p.add_argument("--release", action="store_true", help="release binaries")
    p.add_argument("--no-build", action="store_true")
    args = p.parse_args()
    if not os.path.exists(DICT):
        sys.exit(f"{DICT} missing: apt-get install dict-freedict-eng-spa (deploy/local/data.sh install)")
    chaos = Chaos(args)
    # a hard stop, whatever hangs
    watchdog = threading.Timer(args.budget + 60, lambda: os.kill(os.getpid(), signal.SIGTERM))
    watchdog.daemon = True
    watchdog.start()
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        chaos.setup()
        chaos.run()
    except (Exception, KeyboardInterrupt) as e:  # noqa: BLE001
        log(f"aborted: {e!r}")
        chaos.rows.append({"experiment": "(run)", "skipped": repr(e)[:80]})
    finally:
        log("stopping the chaos stack")
        chaos.stack.down()
    print_table(chaos.rows)
    failed = any("skipped" in r or r["jobs_lost"] or r["twice"] or r["reviews_lost"] or r["bad_5xx"]
                 for r in chaos.rows)
    log(f"total {time.time() - chaos.started:.0f}s; {'FAILED' if failed else 'all zero'}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
