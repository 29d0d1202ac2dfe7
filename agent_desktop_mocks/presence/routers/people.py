"""The directory of experts: search it, read a person, set their presence."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status

from agent_desktop_mocks.common.http.openapi_responses import Responses
from agent_desktop_mocks.presence.directory import DirectoryDep
from agent_desktop_mocks.presence.schemas import Availability, Expert, PresenceUpdate

router = APIRouter(prefix="/people", tags=["people"])

_NOT_FOUND: Responses = {404: {"description": "No person with this id"}}


@router.get(
    "",
    response_model=list[Expert],
    summary="Search the directory",
    description=(
        "Free people first (Available, AvailableIdle), then the busy or briefly away (Busy, BusyIdle, "
        "BeRightBack, Away, DoNotDisturb), then the unreachable (Offline, PresenceUnknown); by name "
        "within each group; at most `limit` people. `q` is a case-insensitive substring of name, title, department or a "
        "skill; `skill` and `department` match exactly, ignoring case."
    ),
)
async def list_people(
    directory: DirectoryDep,
    q: Annotated[str | None, Query(description="Text in name, title, department or skills")] = None,
    skill: Annotated[str | None, Query(description="e.g. billing, tech_support, fraud, spanish")] = None,
    department: Annotated[str | None, Query(description="e.g. Technical Support")] = None,
    availability: Annotated[Availability | None, Query(description="Only people with this availability")] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="At most this many people")] = 200,
) -> list[Expert]:
    return directory.people(q=q, skill=skill, department=department, availability=availability, limit=limit)


@router.get("/{person_id}", response_model=Expert, summary="One person", responses=_NOT_FOUND)
async def get_person(directory: DirectoryDep, person_id: str) -> Expert:
    person = directory.person(person_id)
    if person is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no person {person_id}")
    return person


@router.put(
    "/{person_id}/presence",
    response_model=Expert,
    summary="Set a person's presence",
    description=(
        "What their own client would do. `activity` defaults to the plain one for the availability "
        "(`Available`, `Busy`, `Away`...). Publishes a `presence` event. An availability or activity "
        "that Microsoft Graph does not know is 422."
    ),
    responses=_NOT_FOUND,
)
async def set_presence(directory: DirectoryDep, person_id: str, body: PresenceUpdate) -> Expert:
    person = directory.set_presence(person_id, body)
    if person is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no person {person_id}")
    return person
