"""schemathesis hooks for `just contract` (docs/api-contract.md, "Rules no schema can state").

They teach the generator the few rules of the api that JSON Schema cannot express, so that a
request schemathesis calls valid is valid; every other part of each request is generated as
schemathesis pleases, and the negative phases still send what the schema forbids. Nothing here
loosens the document or skips an operation.

- `Idempotency-Key` names one request (the server refuses the same key with another request:
  422 `idempotency-key-reused`); a generated key is made unique per generated request.
- A password needs at least three different characters (a blocklist rule, NIST SP 800-63B
  5.1.1.2): a generated password that has fewer gets three more.
- A word a learner adds is letters of one script with single inner spaces, hyphens and
  apostrophes (`LearnerLemma`, crates/dictionary/src/learner_lemma.rs): a generated lemma that
  is not is replaced by the Latin letters it holds, or by "house".
"""

import re
import uuid

import schemathesis

PASSWORD_FIELDS = ("password", "new_password")
WORD_OPERATIONS = ("/decks/{id}/words",)
LATIN_WORD = re.compile(r"^[A-Za-z]+(?:[ '-][A-Za-z]+)*$")


def _positive(case, location):
    """Whether the part of `case` at `location` was generated to fit the schema (the negative
    phases' deliberately invalid parts are left as they are)."""
    meta = getattr(case, "meta", None)
    if meta is None:
        return True
    for key, info in (meta.components or {}).items():
        if str(getattr(key, "value", key)) == location:
            return str(getattr(info.mode, "value", info.mode)) == "positive"
    return True


def _varied(password):
    if not isinstance(password, str) or len(set(password)) >= 3:
        return password
    return (password[:125] + "aZ9") if len(password) <= 125 else password[:-3] + "aZ9"


def _word(lemma):
    if not isinstance(lemma, str) or LATIN_WORD.match(lemma):
        return lemma
    letters = "".join(c for c in lemma if c.isascii() and c.isalpha())[:64]
    return letters or "house"


@schemathesis.hook
def map_case(ctx, case):
    headers = case.headers
    if headers and "Idempotency-Key" in headers and _positive(case, "header"):
        headers["Idempotency-Key"] = str(uuid.uuid4())
    body = case.body
    if isinstance(body, dict) and _positive(case, "body"):
        for field in PASSWORD_FIELDS:
            if field in body:
                body[field] = _varied(body[field])
        if case.operation.path.endswith(WORD_OPERATIONS) and isinstance(body.get("words"), list):
            for word in body["words"]:
                if isinstance(word, dict) and "lemma" in word:
                    word["lemma"] = _word(word["lemma"])
    return case
