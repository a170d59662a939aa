"""Record one meeting through Parley's API: safe to run again (the idempotency key).

PARLEY_URL=http://127.0.0.1:8000/graphql PARLEY_TOKEN=parley_... python examples/record_meeting.py
"""

import os
import sys

import httpx

RECORD_MEETING = """
mutation Record($input: RecordMeetingInput!) {
  recordMeeting(input: $input) {
    meeting { id slug version }
    replayed
    userErrors { field code message }
  }
}
"""

meeting = {
    "idempotencyKey": "example-2025-02-03-call",  # same key, same input: recorded once
    "title": "Example: phone call between the commerce ministers",
    "mechanismSlug": "commerce-ministers-communication-channel",
    "format": "CALL",
    "start": "2025-02-03",
    # A name is enough: Wang Wentao is found by name (in any language), not added twice.
    "participants": [{"name": "Wang Wentao", "side": "CN", "role": "HEAD_OF_DELEGATION"}],
    "topics": [{"topicSlug": "export-controls", "raisedBy": "CN", "stance": "CONCERN"}],
    "sources": [
        {"url": "https://example.org/readouts/2025-02-03", "quote": "The ministers spoke."}
    ],
}

response = httpx.post(
    os.environ.get("PARLEY_URL", "http://127.0.0.1:8000/graphql"),
    json={"query": RECORD_MEETING, "variables": {"input": meeting}},
    headers={"Authorization": f"Bearer {os.environ['PARLEY_TOKEN']}"},
    timeout=30,
)
response.raise_for_status()
body = response.json()
if "errors" in body:
    sys.exit(f"refused: {body['errors']}")
payload = body["data"]["recordMeeting"]
if payload["userErrors"]:
    sys.exit(f"not recorded: {payload['userErrors']}")
state = "already recorded" if payload["replayed"] else "recorded"
print(f"{state}: {payload['meeting']['slug']} (version {payload['meeting']['version']})")
