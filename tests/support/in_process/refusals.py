"""The mock's refusals as the `BackendError`s the HTTP clients raise for the same answers.

The mock servers turn `HTTPException`, the engine's `NotFound`, `Conflict` and `Invalid`, and a body
that fails validation into 4xx answers (agent_desktop_mocks/*/app.py, common/http/request_guard.py); the HTTP clients
read those as `BackendError(status, message, state)` (agent_desktop/adapters/wire/http_errors.py). An in-process
backend skips the HTTP in between, so it has to make the same translation, with the same words.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import HTTPException
from pydantic import ValidationError

from agent_desktop.domain.errors import BackendError
from agent_desktop_mocks.ccaas.core.errors import Conflict, Invalid, NotFound
from agent_desktop_mocks.common.http.request_guard import MAX_BODY_BYTES, first_bad_text
from agent_desktop_mocks.crm.routers.cases import CaseClosed


@contextmanager
def refusals_as_backend_errors(backend: str) -> Iterator[None]:
    try:
        yield
    except HTTPException as error:
        raise BackendError(backend, f"{error.status_code} {error.detail}", error.status_code) from error
    except NotFound as error:
        raise BackendError(backend, f"404 {error}", 404) from error
    except (Conflict, CaseClosed) as error:
        raise BackendError(backend, f"409 {error}", 409, str(error.state)) from error
    except Invalid as error:
        raise BackendError(backend, f"422 {error.field}: {error}", 422) from error
    except ValidationError as error:  # the request body, as FastAPI would have refused it
        detail = "; ".join(f"{'.'.join(str(p) for p in item['loc'])}: {item['msg']}" for item in error.errors())
        raise BackendError(backend, f"422 {detail}", 422) from error


def guard_body(backend: str, document: object, max_body_bytes: int = MAX_BODY_BYTES) -> None:
    """Refuse a request body as every mock's request guard does before a route sees it: 413 over the size
    limit, 422 for text no record should hold (a NUL, a lone surrogate)."""
    size = len(json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode("utf-8", "surrogatepass"))
    if size > max_body_bytes:
        raise BackendError(backend, f"413 request body over {max_body_bytes} bytes", 413)
    error = first_bad_text(document)
    if error is not None:
        where = ".".join(str(part) for part in error["loc"][1:])
        raise BackendError(backend, f"422 {where}: {error['msg']}", 422)
