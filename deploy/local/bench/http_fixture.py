"""The HTTP bench's fixture outside PostgreSQL: a dictionary entry for `house` in the bench's
MongoDB database (about 5 KB once assembled) and HS256 access tokens for the seeded learners,
signed with the api's secret (what a sign-in would return, without Argon2 in the set-up).

usage: http_fixture.py entry MONGO_URL DATABASE
       http_fixture.py token SECRET ISSUER AUDIENCE USER_ID
       http_fixture.py drop MONGO_URL DATABASE
"""
import base64
import datetime
import hashlib
import hmac
import json
import sys
import time


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def token(secret: str, issuer: str, audience: str, user: str, role: str = "learner") -> str:
    now = int(time.time())
    header = {"alg": "HS256", "typ": "JWT"}
    claims = {"sub": user, "role": role, "iss": issuer, "aud": audience,
              "iat": now, "exp": now + 3600, "gen": 0}
    signing = b64(json.dumps(header).encode()) + "." + b64(json.dumps(claims).encode())
    mac = hmac.new(secret.encode(), signing.encode(), hashlib.sha256).digest()
    return signing + "." + b64(mac)


def entry(url: str, database: str) -> None:
    import pymongo

    senses = [{"gloss": f"sense {i} of house: a building for people to live in, usually for one "
                        f"family, or the people living in it, or a business or institution {i}",
               "tags": ["common"], "synonyms": ["home", "dwelling", "residence"]}
              for i in range(24)]
    document = {
        "_id": "bench-1.0|en|house|noun", "language": "en", "lemma": "house",
        "headword": "house", "part_of_speech": "noun", "discriminator": "noun",
        "senses": senses, "pronunciations": [], "translations": [], "forms": [],
        "provenance": {"source": "bench-1.0", "licence": "CC0",
                       "retrieved_at": datetime.datetime.now(datetime.timezone.utc)},
        "lemma_key": "house", "source": "bench-1.0",
    }
    client = pymongo.MongoClient(url, serverSelectionTimeoutMS=5000)
    client[database]["entries"].replace_one({"_id": document["_id"]}, document, upsert=True)


def drop(url: str, database: str) -> None:
    import pymongo

    pymongo.MongoClient(url, serverSelectionTimeoutMS=5000).drop_database(database)


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "entry":
        entry(*args)
    elif command == "drop":
        drop(*args)
    elif command == "token":
        print(token(*args))
    else:
        sys.exit(__doc__)
