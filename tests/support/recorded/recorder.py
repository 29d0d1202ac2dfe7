"""Recording what the backends answer and push to a desk, as JSON lines (the form: tape.py).

`Recorder.backend(kind, protocol, inner)` wraps a real backend (the HTTP clients against the mock servers):
every call the desk makes through the protocol is passed on, and its arguments and answer written down;
every item of its stream is written down as the desk takes it. `Recorder.outside` notes what the scene did
beside the desk (a customer calling in). `Recorder.save` writes the recording.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from agent_desktop.domain.errors import BackendError
from tests.support.recorded.tape import (
    attributes,
    call_args,
    dump_attribute,
    dump_error,
    dump_event,
    dump_result,
    methods,
)


class Recorder:
    def __init__(self, name: str, *, urls: dict[str, str] | None = None, **about: Any) -> None:
        """`urls`: a live base URL → the name written instead (the mock servers listen on random ports, which
        would change every line that names them at every recording)."""
        self.header: dict[str, Any] = {"recording": name, **about, "attributes": {}}
        self._urls = urls or {}
        self.lines: list[dict[str, Any]] = []
        self._asked = 0

    def backend(self, kind: str, protocol: type, inner: Any) -> RecordingBackend:
        """`inner`, with every call and event it serves written down under `kind` ("contact_center")."""
        self.header["attributes"][kind] = {name: dump_attribute(getattr(inner, name)) for name in attributes(protocol)}
        return RecordingBackend(self, kind, protocol, inner)

    def outside(self, what: str, args: dict[str, Any], result: Any = None) -> None:
        self.lines.append({"outside": what, "args": args, "result": result})

    def _asking(self, call: str, args: dict[str, Any]) -> int:
        self._asked += 1
        self.lines.append({"call": call, "id": self._asked, "args": args})
        return self._asked

    def _answered(self, token: int, call: str, answer: dict[str, Any]) -> None:
        self.lines.append({"answer": token, "of": call, **answer})

    async def _follow(self, kind: str, protocol: type, stream: AsyncIterator[object]) -> AsyncIterator[object]:
        async for item in stream:
            line = {"event": kind, **dump_event(protocol, item)}
            if "link" in line:
                line["link"]["url"] = self._named(line["link"]["url"])
            self.lines.append(line)
            yield item

    def _named(self, url: str) -> str:
        for live, name in self._urls.items():
            if url.startswith(live):
                return name + url[len(live) :]
        return url

    def save(self, path: Path) -> Path:
        """The recording as JSON lines (a call never answered, the app closed first, has no answer line)."""
        text = "\n".join(json.dumps(line, ensure_ascii=False) for line in [self.header, *self.lines])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n", encoding="utf-8")
        return path


class RecordingBackend:
    """Satisfies `protocol` as `inner` does (attributes and methods it does not declare pass through)."""

    def __init__(self, recorder: Recorder, kind: str, protocol: type, inner: Any) -> None:
        self._recorder = recorder
        self._kind = kind
        self._protocol = protocol
        self._inner = inner
        self._methods = methods(protocol)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._inner, name)
        if name == "events":
            return lambda: self._recorder._follow(self._kind, self._protocol, value())
        signature = self._methods.get(name)
        if signature is None:
            return value
        recorder, protocol = self._recorder, self._protocol
        call = f"{self._kind}.{name}"

        async def recorded(*args: Any, **kwargs: Any) -> Any:
            token = recorder._asking(call, call_args(signature, args, kwargs))
            try:
                result = await value(*args, **kwargs)
            except BackendError as error:
                recorder._answered(token, call, {"error": dump_error(error)})
                raise
            recorder._answered(token, call, {"result": dump_result(protocol, name, result)})
            return result

        return recorded
