"""The import bench's fixture and baseline: an administrator's access token (HS256, signed with
the api's secret, like http_fixture.py's learner tokens) and the raw `insert_many` baseline.

usage: import_fixture.py token SECRET ISSUER AUDIENCE USER_ID
       import_fixture.py baseline MONGO_URL DATABASE SOURCE
           re-inserts the entry documents the import wrote for SOURCE (without the imported
           records they carry in `records`, so the baseline's documents are the smaller) into a scratch
           collection with `insert_many` in batches of 1,000 (`ordered=False`), timed, then
           drops it; prints "DOCS SECONDS DOCS_PER_S".
"""
import sys
import time

import http_fixture

BATCH = 1000


def baseline(url: str, database: str, source: str) -> None:
    import pymongo

    db = pymongo.MongoClient(url, serverSelectionTimeoutMS=5000)[database]
    docs = list(db["entries"].find({"source": source}, {"records": 0}))
    scratch = db["bench_insert_many"]
    scratch.drop()
    started = time.perf_counter()
    for i in range(0, len(docs), BATCH):
        scratch.insert_many(docs[i:i + BATCH], ordered=False)
    seconds = time.perf_counter() - started
    scratch.drop()
    print(f"{len(docs)} {seconds:.3f} {len(docs) / seconds if seconds > 0 else 0:.0f}")


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "token":
        print(http_fixture.token(*args, role="admin"))
    elif command == "baseline":
        baseline(*args)
    else:
        sys.exit(__doc__)
