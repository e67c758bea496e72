#!/usr/bin/env python3
"""Generates the FSRS golden vectors from py-fsrs 6.3.2 (the reference implementation).

    python3 -m venv /tmp/pyfsrs && /tmp/pyfsrs/bin/pip install fsrs==6.3.2
    /tmp/pyfsrs/bin/python crates/learning/tests/golden/generate.py > crates/learning/tests/golden/vectors.json

Each scenario is a `lingo-admin fsrs replay` input plus the card py-fsrs gives after each review.
The Rust tests read the JSON only; they never need Python.
"""

import json
import random
from datetime import datetime, timedelta, timezone

import fsrs
from fsrs import Card, Rating, Scheduler

assert fsrs.__name__ == "fsrs"

DEFAULT = list(fsrs.scheduler.DEFAULT_PARAMETERS)
T0 = datetime(2024, 1, 1, 9, 0, 0, tzinfo=timezone.utc)


def iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def scenario(name, reviews, parameters=None, desired_retention=0.9, learning_steps=(60, 600),
             relearning_steps=(600,), maximum_interval=36500):
    config = {
        "parameters": parameters or DEFAULT,
        "desired_retention": desired_retention,
        "learning_steps": list(learning_steps),
        "relearning_steps": list(relearning_steps),
        "maximum_interval": maximum_interval,
        "enable_fuzzing": False,
    }
    scheduler = Scheduler.from_dict(config)
    card = Card()
    expected = []
    for at, rating in reviews:
        card, _ = scheduler.review_card(card, Rating(rating), review_datetime=at)
        expected.append({
            "state": card.state.name,
            "step": card.step,
            "stability": card.stability,
            "difficulty": card.difficulty,
            "due": iso(card.due),
            "last_review": iso(card.last_review),
        })
    return {
        "name": name,
        "scheduler": config,
        "reviews": [{"review_datetime": iso(at), "rating": r} for at, r in reviews],
        "expected": expected,
    }


def on_due(ratings, start=T0, scheduler_kwargs=None):
    """Reviews each time the card falls due (what a diligent learner does)."""
    kwargs = scheduler_kwargs or {}
    config = {
        "parameters": kwargs.get("parameters", DEFAULT),
        "desired_retention": kwargs.get("desired_retention", 0.9),
        "learning_steps": list(kwargs.get("learning_steps", (60, 600))),
        "relearning_steps": list(kwargs.get("relearning_steps", (600,))),
        "maximum_interval": kwargs.get("maximum_interval", 36500),
        "enable_fuzzing": False,
    }
    scheduler = Scheduler.from_dict(config)
    card, at, reviews = Card(), start, []
    for rating in ratings:
        reviews.append((at, rating))
        card, _ = scheduler.review_card(card, Rating(rating), review_datetime=at)
        at = card.due
    return reviews


def offsets(pairs, start=T0):
    """Reviews at explicit offsets (in minutes) from the start."""
    return [(start + timedelta(minutes=m), r) for m, r in pairs]


scenarios = []
add = scenarios.append

add(scenario("good on every due date", on_due([3] * 12)))
add(scenario("twenty goods reach far into the future", on_due([3] * 20)))
add(scenario("easy from the start", on_due([4, 4, 4, 4, 4])))
add(scenario("hard all the way", on_due([2] * 10)))
add(scenario("again on a new card", on_due([1, 1, 3, 3, 3])))
add(scenario("a lapse after graduating", on_due([3, 3, 3, 3, 1, 3, 3, 3])))
add(scenario("two lapses in a row", on_due([3, 3, 3, 1, 1, 3, 3])))
add(scenario("hard at learning step zero waits between the steps", on_due([2, 2, 3, 3, 3])))
add(scenario("hard at a later learning step repeats it", on_due([3, 2, 2, 3, 3])))
add(scenario("mixed ratings on due dates", on_due([3, 3, 2, 4, 1, 2, 3, 4, 3, 1, 3])))
add(scenario("same-day review of a review card",
             offsets([(0, 3), (10, 3), (24 * 60 + 10, 3), (24 * 60 + 30, 3), (24 * 60 + 40, 1)])))
add(scenario("early reviews before the due date",
             offsets([(0, 3), (10, 3), (60 * 24, 3), (60 * 24 * 2, 3), (60 * 24 * 3, 4)])))
add(scenario("late reviews long after the due date",
             offsets([(0, 3), (10, 3), (60 * 24 * 30, 3), (60 * 24 * 200, 3), (60 * 24 * 900, 1),
                      (60 * 24 * 900 + 10, 3)])))
add(scenario("reviews 23 hours 59 minutes apart count as the same day",
             offsets([(0, 3), (10, 3), (10 + 23 * 60 + 59, 3), (10 + 23 * 60 + 59 + 24 * 60, 3)])))
add(scenario("lower desired retention", on_due([3] * 8, scheduler_kwargs={"desired_retention": 0.8}),
             desired_retention=0.8))
add(scenario("higher desired retention", on_due([3, 3, 3, 1, 3, 3, 3], scheduler_kwargs={"desired_retention": 0.97}),
             desired_retention=0.97))
add(scenario("retention 0.7", on_due([4, 3, 3, 3, 3], scheduler_kwargs={"desired_retention": 0.7}),
             desired_retention=0.7))
add(scenario("maximum interval clamps", on_due([3] * 10, scheduler_kwargs={"maximum_interval": 30}),
             maximum_interval=30))
add(scenario("maximum interval of one day", on_due([4] * 5, scheduler_kwargs={"maximum_interval": 1}),
             maximum_interval=1))
add(scenario("no learning steps graduate at once, even on again",
             on_due([1, 3, 3, 1, 3], scheduler_kwargs={"learning_steps": ()}), learning_steps=()))
add(scenario("no relearning steps keep a lapsed card in review",
             on_due([3, 3, 3, 1, 3, 1, 3], scheduler_kwargs={"relearning_steps": ()}), relearning_steps=()))
add(scenario("three learning steps",
             on_due([3, 3, 3, 3, 3], scheduler_kwargs={"learning_steps": (60, 300, 1800)}),
             learning_steps=(60, 300, 1800)))
add(scenario("hard at step zero with three steps",
             on_due([2, 3, 2, 3, 3, 3], scheduler_kwargs={"learning_steps": (60, 300, 1800)}),
             learning_steps=(60, 300, 1800)))
add(scenario("one learning step: hard waits one and a half steps",
             on_due([2, 2, 3, 3], scheduler_kwargs={"learning_steps": (600,)}), learning_steps=(600,)))
add(scenario("two relearning steps",
             on_due([3, 3, 3, 1, 2, 3, 3, 3], scheduler_kwargs={"relearning_steps": (600, 3600)}),
             relearning_steps=(600, 3600)))
add(scenario("hard in relearning with one step",
             on_due([3, 3, 3, 1, 2, 2, 3, 3])))
add(scenario("easy out of relearning", on_due([3, 3, 3, 1, 4, 3])))

custom = [0.4, 0.9, 2.3, 10.9, 4.93, 0.94, 0.86, 0.01, 1.49, 0.14, 0.94, 2.18, 0.05, 0.34, 1.26,
          0.29, 2.61, 0.6, 0.2, 0.1, 0.2]
add(scenario("custom parameters", on_due([3, 3, 1, 3, 4, 2, 3], scheduler_kwargs={"parameters": custom}),
             parameters=custom))
custom_decay = DEFAULT[:20] + [0.5]
add(scenario("a steeper forgetting curve (decay 0.5)",
             on_due([3, 3, 3, 2, 3], scheduler_kwargs={"parameters": custom_decay}), parameters=custom_decay))

rng = random.Random(20241125)
for i in range(12):
    at = T0 + timedelta(minutes=rng.randrange(0, 24 * 60))
    reviews = []
    for _ in range(rng.randrange(3, 16)):
        reviews.append((at, rng.choice([1, 2, 3, 3, 3, 4])))
        at += timedelta(minutes=rng.choice([1, 7, 45, 600, 1440, 2000, 1440 * 3, 1440 * 11, 1440 * 40,
                                            1440 * 200]))
    dr = rng.choice([0.8, 0.85, 0.9, 0.95])
    ls = rng.choice([(60, 600), (), (120,), (60, 300, 1800)])
    rs = rng.choice([(600,), (), (300, 1200)])
    add(scenario(f"random history {i + 1}", reviews, desired_retention=dr, learning_steps=ls,
                 relearning_steps=rs, maximum_interval=rng.choice([36500, 365, 90])))

print(json.dumps({"generator": "py-fsrs 6.3.2", "scenarios": scenarios}, indent=1))
