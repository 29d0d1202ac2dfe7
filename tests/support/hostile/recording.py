"""What a real server answered a backend, recorded once and replayed as often as hypothesis asks.

A desk call's requests are recorded through the backend's real transport (the Twilio one checks each exchange
against Twilio's pinned spec); replayed, the same request gets the same answer, in order where one was asked
several times (a task read before and after a write). A request the recording does not hold (a mutated answer
sent the backend elsewhere) is answered 404, as a server that does not know the URL would.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import httpx


def request_key(request: httpx.Request) -> tuple[str, str, bytes]:
    return request.method, str(request.url), request.content


@dataclass(frozen=True)
class Answer:
    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes

    def response(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(self.status, headers=list(self.headers), content=self.content, request=request)


@dataclass
class Recording:
    """Answers by request, in the order they came."""

    answers: dict[tuple[str, str, bytes], list[Answer]] = field(default_factory=lambda: defaultdict(list))

    def __len__(self) -> int:
        return sum(len(a) for a in self.answers.values())


class RecordingTransport(httpx.AsyncBaseTransport):
    """Passes each request to `inner` (the real transport) and keeps its answer in `recording`."""

    def __init__(self, inner: httpx.AsyncBaseTransport, recording: Recording) -> None:
        self._inner, self.recording = inner, recording

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        response = await self._inner.handle_async_request(request)
        content = await response.aread()
        await response.aclose()
        headers = tuple(
            (k, v)
            for k, v in response.headers.multi_items()
            if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")
        )
        answer = Answer(response.status_code, headers, content)
        self.recording.answers[request_key(request)].append(answer)
        return answer.response(request)


class ReplayTransport(httpx.AsyncBaseTransport):
    """Answers from a recording; each replay starts from its first answers."""

    def __init__(self, recording: Recording) -> None:
        self._recording = recording
        self._asked: dict[tuple[str, str, bytes], int] = defaultdict(int)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        key = request_key(request)
        answers = self._recording.answers.get(key)
        if not answers:
            return httpx.Response(
                404, json={"code": 20404, "message": "not recorded", "more_info": "", "status": 404}, request=request
            )
        index = min(self._asked[key], len(answers) - 1)
        self._asked[key] += 1
        return answers[index].response(request)
