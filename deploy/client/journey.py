"""A whole learner's journey through the client generated from the served OpenAPI document.

Run by deploy/local/client_journey.sh (docs/api-contract.md, "A generated client proves it"),
with the generated package `lingo_client` on PYTHONPATH. Every call goes through the generated
client; the only other inputs are the sign-in codes that the development `log` SMS sender writes
to the api's log, and `lingo-admin` for making the administrator. Any failed assertion exits 1.
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from lingo_client import AuthenticatedClient, Client
from lingo_client.api.admin import post_admin_decks, post_admin_decks_by_id_words
from lingo_client.api.auth import post_auth_phone_request, post_auth_phone_verify
from lingo_client.api.dictionary import get_dictionary_by_lang_words_by_lemma, post_texts_analyse
from lingo_client.api.learning import (
    get_decks,
    get_stats,
    get_study_session,
    get_system_decks,
    post_cards_by_id_undo,
    post_decks,
    post_decks_by_id_words,
    post_quizzes,
    post_quizzes_by_id_answers,
    post_reviews,
    post_reviews_batch,
    post_system_decks_by_id_subscription,
)
from lingo_client.api.jobs import get_jobs_by_id
from lingo_client.api.me import delete_me, get_me, get_me_export, patch_me, post_me_fsrs_optimise
from lingo_client.models import (
    AccountExport,
    AccountView,
    AddWords,
    AnalyseRequest,
    AnswerInput,
    AnswersInput,
    BatchInput,
    CardView,
    CodeSent,
    CreateQuizInput,
    DeckInput,
    DeckView,
    JobAccepted,
    JobView,
    PhoneCodeRequest,
    PhoneVerifyRequest,
    ProfileInput,
    QuizView,
    ReviewInput,
    ReviewResult,
    SessionView,
    Stats,
    StudySessionView,
    TextAnalysis,
    UndoInput,
    UpdateRequest,
    WordInputType1,
    WordLookup,
)
from lingo_client.types import Response

FIXTURE = Path(__file__).parent / "fixtures" / "journey-en.jsonl"
# gloss → word and word → gloss, to answer the quiz like a learner who knows the words
GLOSSES = {
    json.loads(line)["word"]: json.loads(line)["senses"][0]["glosses"][0]
    for line in FIXTURE.read_text().splitlines()
    if line.strip()
}
DECK_WORDS = ["house", "tea", "garden", "river", "window", "kitchen"]
SYSTEM_WORDS = ["book", "bread", "cat", "mountain"]


def step(name: str) -> None:
    print(f"[journey] {name}", flush=True)


def ok(response: Response[Any], status: int, model: type | None = None) -> Any:
    """The parsed body of a response with the expected status, of the expected generated model."""
    body = response.content.decode(errors="replace")[:800]
    assert response.status_code == status, f"expected {status}, got {response.status_code}: {body}"
    if model is not None:
        assert isinstance(response.parsed, model), (
            f"expected a {model.__name__}, parsed {type(response.parsed).__name__}: {body}"
        )
    return response.parsed


def items(page: Any) -> list[Any]:
    """The items of a list response: the one place that knows the list shape."""
    return page if isinstance(page, list) else page.items


class ApiLog:
    """The api's log (JSON lines), read from where the last code was found."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0

    def next_code(self, timeout: float = 10.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.path.open("rb") as log:
                log.seek(self.offset)
                for raw in log:
                    self.offset += len(raw)
                    text = raw.decode(errors="replace")
                    if "dev_sms_text" not in text:
                        continue
                    sms = json.loads(text).get("fields", {}).get("dev_sms_text", text)
                    match = re.search(r"\b(\d{6})\b", sms)
                    assert match, f"no code in the SMS text {sms!r}"
                    return match.group(1)
            time.sleep(0.2)
        raise AssertionError(f"no development SMS in {self.path} within {timeout} s")


def phone_sign_in(anonymous: Client, log: ApiLog, phone: str, created: bool) -> SessionView:
    sent = ok(
        post_auth_phone_request.sync_detailed(
            client=anonymous, body=PhoneCodeRequest(phone=phone), idempotency_key=str(uuid.uuid4())
        ),
        202,
        CodeSent,
    )
    assert sent.expires_in > 0
    session = ok(
        post_auth_phone_verify.sync_detailed(
            client=anonymous, body=PhoneVerifyRequest(phone=phone, code=log.next_code())
        ),
        200,
        SessionView,
    )
    assert session.created is created, session
    assert session.token_type.lower() == "bearer"
    assert isinstance(session.user, AccountView)
    return session


def as_user(base_url: str, session: SessionView) -> AuthenticatedClient:
    return AuthenticatedClient(base_url=base_url, token=session.access_token, raise_on_unexpected_status=True)


def review(card: CardView, rating: int, at: datetime.datetime) -> ReviewInput:
    return ReviewInput(
        card_id=card.id, client_review_id=str(uuid.uuid4()), rating=rating, reviewed_at=at, duration_ms=4200
    )


def main() -> None:
    args = argparse.ArgumentParser()
    args.add_argument("--base-url", required=True)
    args.add_argument("--api-log", required=True, type=Path)
    args.add_argument("--admin", required=True, help="the lingo-admin binary")
    opts = args.parse_args()
    log = ApiLog(opts.api_log)
    anonymous = Client(base_url=opts.base_url, raise_on_unexpected_status=True)

    step("an administrator signs up by phone, is made admin with lingo-admin, creates a system deck")
    admin_session = phone_sign_in(anonymous, log, "+989121110001", created=True)
    subprocess.run(
        [opts.admin, "users", "--operator", "client-journey", "grant-admin", str(admin_session.user.id)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    admin = as_user(opts.base_url, phone_sign_in(anonymous, log, "+989121110001", created=False))
    system_deck = ok(
        post_admin_decks.sync_detailed(
            client=admin,
            body=DeckInput(name="Everyday things", description="A system deck of the journey"),
            idempotency_key=str(uuid.uuid4()),
        ),
        201,
        DeckView,
    JobAccepted,
    JobView,
    )
    assert system_deck.kind == "system", system_deck
    word_ids = ok(
        post_admin_decks_by_id_words.sync_detailed(
            system_deck.id,
            client=admin,
            body=AddWords(words=[WordInputType1(language="en", lemma=w) for w in SYSTEM_WORDS]),
        ),
        200,
    )
    word_ids = items(word_ids)
    assert len(word_ids) == len(SYSTEM_WORDS), word_ids

    step("a learner signs up by phone")
    session = phone_sign_in(anonymous, log, "+989121110002", created=True)
    sara = as_user(opts.base_url, session)

    step("profile: read and change")
    me = ok(get_me.sync_detailed(client=sara), 200, AccountView)
    assert me.id == session.user.id and me.phone == "+989121110002", me
    changed = ok(
        patch_me.sync_detailed(
            client=sara,
            body=UpdateRequest(
                display_name="Sara",
                profile=ProfileInput(native_language="fa", target_language="en", daily_new_limit=15),
            ),
        ),
        200,
        AccountView,
    )
    assert changed.display_name == "Sara", changed
    assert changed.profile.native_language == "fa" and changed.profile.daily_new_limit == 15, changed.profile

    step("lookup of a word from the imported fixture")
    lookup = ok(get_dictionary_by_lang_words_by_lemma.sync_detailed("en", "house", client=sara), 200, WordLookup)
    assert lookup.lemma == "house" and lookup.entries and lookup.words, lookup
    missing = get_dictionary_by_lang_words_by_lemma.sync_detailed("en", "zzyzxq", client=sara)
    assert missing.status_code == 404, missing.status_code

    step("text analysis")
    analysis = ok(
        post_texts_analyse.sync_detailed(
            client=sara, body=AnalyseRequest(language="en", text="The cat sat in the kitchen by the river.")
        ),
        200,
        TextAnalysis,
    )
    assert analysis.language == "en" and analysis.tokens >= 9, analysis
    assert analysis.words, analysis

    step("a deck with words")
    deck = ok(
        post_decks.sync_detailed(
            client=sara, body=DeckInput(name="Home"), idempotency_key=str(uuid.uuid4())
        ),
        201,
        DeckView,
    JobAccepted,
    JobView,
    )
    added = ok(
        post_decks_by_id_words.sync_detailed(
            deck.id,
            client=sara,
            body=AddWords(words=[WordInputType1(language="en", lemma=w) for w in DECK_WORDS]),
        ),
        200,
    )
    added = items(added)
    assert len(added) == len(DECK_WORDS) and all(a.cards_created >= 1 for a in added), added

    step("a system-deck subscription")
    listed = items(ok(get_system_decks.sync_detailed(client=sara), 200))
    assert system_deck.id in [d.id for d in listed], listed
    subscribed = ok(
        post_system_decks_by_id_subscription.sync_detailed(system_deck.id, client=sara), 201, DeckView
    )
    assert subscribed.source_deck_id == system_deck.id, subscribed
    decks = items(ok(get_decks.sync_detailed(client=sara), 200))
    assert {deck.id, subscribed.id} <= {d.id for d in decks}, decks

    step("a study session")
    study = ok(get_study_session.sync_detailed(client=sara, limit=10), 200, StudySessionView)
    cards = [item.card for item in items(study)]
    assert len(cards) >= 4, study
    assert all(item.back is not None and item.front is not None for item in items(study))

    step("a single review")
    now = datetime.datetime.now(datetime.timezone.utc)
    single = review(cards[0], 3, now)
    reviewed = ok(post_reviews.sync_detailed(client=sara, body=single), 200, ReviewResult)
    assert reviewed.client_review_id == single.client_review_id and reviewed.card is not None, reviewed
    assert reviewed.card.reps == 1, reviewed.card

    step("an offline batch, one review replayed")
    batch = [review(cards[1], 4, now - datetime.timedelta(minutes=5)), review(cards[2], 1, now), single]
    result = items(ok(post_reviews_batch.sync_detailed(client=sara, body=BatchInput(reviews=batch)), 200))
    by_id = {r.client_review_id: r for r in result}  # the server applies them by time
    assert set(by_id) == {r.client_review_id for r in batch}, result
    assert by_id[single.client_review_id].status == "duplicate", by_id  # the replay
    for fresh in batch[:2]:
        applied = by_id[fresh.client_review_id]
        assert applied.status == "applied" and applied.card is not None and applied.card.reps == 1, applied

    step("undo of the last review")
    # An empty body: the generated client cannot send none (the optional, nullable body serialises
    # its UNSET marker).
    undone = ok(post_cards_by_id_undo.sync_detailed(cards[2].id, client=sara, body=UndoInput()), 200, CardView)
    assert undone.id == cards[2].id and undone.reps == 0, undone

    step("a quiz: create and answer")
    quiz = ok(
        post_quizzes.sync_detailed(
            client=sara,
            body=CreateQuizInput(deck_id=deck.id, size=4, kinds=["meaning_to_word", "word_to_meaning"]),
            idempotency_key=str(uuid.uuid4()),
        ),
        201,
        QuizView,
    )
    assert 1 <= len(quiz.questions) <= 4, quiz
    word_of = {gloss: word for word, gloss in GLOSSES.items()}
    answers = []
    for question in quiz.questions:
        assert len(question.options) >= 2, question
        answer = word_of[question.meaning] if question.kind == "meaning_to_word" else GLOSSES[question.word]
        assert answer in question.options, question
        answers.append(AnswerInput(position=question.position, answer=answer, duration_ms=3000))
    graded = ok(
        post_quizzes_by_id_answers.sync_detailed(quiz.id, client=sara, body=AnswersInput(answers=answers)),
        200,
    )
    graded = items(graded)
    assert len(graded) == len(answers), graded
    assert all(r.outcome == "correct" and r.reviews for r in graded), graded

    step("stats")
    stats = ok(get_stats.sync_detailed(client=sara), 200, Stats)
    total = stats.states.new + stats.states.learning + stats.states.review + stats.states.relearning
    assert total >= len(DECK_WORDS) + len(SYSTEM_WORDS), stats.states
    assert sum(day.reviews for day in stats.reviews_per_day) >= 2 + len(answers), stats.reviews_per_day

    step("FSRS optimisation: a background job followed to its typed result")
    accepted = ok(post_me_fsrs_optimise.sync_detailed(client=sara), 202, JobAccepted)
    deadline = time.monotonic() + 60
    while True:
        job = ok(get_jobs_by_id.sync_detailed(str(accepted.job_id), client=sara), 200, JobView)
        if job.status in ("succeeded", "failed", "dead") or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert job.status == "succeeded", job
    # A handful of reviews is not enough history to fit parameters on: the typed result says so.
    assert job.result.type_ == "learning.optimise", job.result
    assert job.result.outcome == "not_enough_reviews" and job.result.reviews >= 2, job.result

    step("export")
    export = ok(get_me_export.sync_detailed(client=sara), 200, AccountExport)
    assert export.account.id == me.id and export.profile.native_language == "fa", export.account
    assert export.sessions, export

    step("account deletion")
    deleted = delete_me.sync_detailed(client=sara)
    assert deleted.status_code in (200, 202, 204), deleted.status_code
    gone = get_me.sync_detailed(client=sara)
    assert gone.status_code == 401, gone.status_code
    print("[journey] passed", flush=True)


if __name__ == "__main__":
    try:
        main()
    except (AssertionError, AttributeError, TypeError) as failure:
        print(f"[journey] FAILED: {failure}", file=sys.stderr)
        sys.exit(1)
