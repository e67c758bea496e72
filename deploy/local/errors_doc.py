"""Rewrites the tables of docs/errors.md from the problem catalogue
(apps/api/src/problem_catalogue.rs): `python3 deploy/local/errors_doc.py`. The text above the
first table is kept; the catalogue's unit test fails until the tables match it."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
S = r'("(?:[^"\\]|\\.)*")'
EXTENSIONS = {
    "validation-failed": "`errors`: `[{field, code, message}]`",
    "rate-limited": "`retry_after` (also `Retry-After`)",
    "content-quota-exceeded": "`retry_after` (also `Retry-After`)",
    "generation-failed": "`retry_after`",
    "idempotency-key-in-flight": "`retry_after` (also `Retry-After`)",
    "client-update-required": "`min_version`",
    "word-not-found": "`close_matches`",
    "quiz-already-answered": "`results`: the first answers",
    "internal": "`request_id`",
    "service-unavailable": "`request_id`; `checks` on `/ready`",
    "card-suspended": "`errors` (`card_id`)",
    "review-time-out-of-bounds": "`errors` (`reviewed_at`)",
    "unauthorized": "`WWW-Authenticate: Bearer`",
    "token-expired": "`WWW-Authenticate: Bearer`",
}

source = (ROOT / "apps/api/src/problem_catalogue.rs").read_text()
body = source[source.index("problem_types! {"):]
body = body[: body.index("\n}\n")]
pattern = rf'"([a-z0-9-]+)" (\d+)\s*\[{S}, {S}, {S}\]\s*\[{S}, {S}, {S}\];'
entries = {e[0]: e for e in re.findall(pattern, body)}
groups = []
for line in body.split("\n"):
    if m := re.match(r"\s*// ---- (.*)", line):
        groups.append((m.group(1), []))
    elif (m := re.match(r'\s*"([a-z0-9-]+)" (\d+)', line)) and groups:
        groups[-1][1].append(m.group(1))
out = []
for title, slugs in groups:
    out += [f"\n## {title[0].upper() + title[1:]}\n",
            "| type | code | status | when (en title — detail) | fa title | ar title | members |",
            "|---|---|---|---|---|---|---|"]
    for slug in slugs:
        e = [x.strip('"') for x in entries[slug]]
        out.append(f"| `urn:lingo:problem:{slug}` | `{slug.replace('-', '_')}` | {e[1]} | "
                   f"{e[2]} — {e[5]} | {e[3]} | {e[4]} | {EXTENSIONS.get(slug, '')} |")
doc = ROOT / "docs/errors.md"
text = doc.read_text()
doc.write_text(text[: text.index("\n## Generic")] + "\n" + "\n".join(out) + "\n")
