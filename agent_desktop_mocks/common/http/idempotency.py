"""What every mock's idempotent writes share: the header that marks a replayed answer, and the digest of a request
(its route or scope and its body) that tells a retry from another write under the same `Idempotency-Key`."""

from __future__ import annotations

import hashlib
import json

from pydantic import BaseModel

REPLAY_HEADER = "Idempotent-Replayed"


def request_hash(scope: str, body: BaseModel) -> str:
    canonical = json.dumps([scope, body.model_dump(mode="json")], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
