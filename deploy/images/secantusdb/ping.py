"""Health check: the server answers a MongoDB `ping` on 127.0.0.1:27017."""
import sys

import pymongo

try:
    client = pymongo.MongoClient("mongodb://127.0.0.1:27017", serverSelectionTimeoutMS=2000, connectTimeoutMS=2000)
    client.admin.command("ping")
except Exception as error:  # noqa: BLE001 - any failure means unhealthy
    print(f"ping failed: {error}", file=sys.stderr)
    sys.exit(1)
