"""The type of a route's `responses=` (its extra OpenAPI answers), as FastAPI declares it: a table annotated with
it is accepted by every route decorator (an unannotated literal is inferred narrower, and dicts are invariant)."""

from __future__ import annotations

from typing import Any, TypeAlias

Responses: TypeAlias = dict[int | str, dict[str, Any]]
