"""FastAPI dependencies of the CCaaS mock: the engine, the caller and what they may touch."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from agent_desktop_mocks.ccaas.api.scope import Scope
from agent_desktop_mocks.ccaas.core.wire.schemas import Contact
from agent_desktop_mocks.ccaas.shell.engine import Engine
from agent_desktop_mocks.common.event_log import EventLog
from agent_desktop_mocks.common.http.auth import Principal

_bearer = HTTPBearer(
    auto_error=False,
    description="`demo-agent-token` (agent-001), `agent-00N-token` (simulated agents), `demo-supervisor-token`",
)


# Starlette types app.state as Any: these getters (and get_scope) cast what the set-up (api/app.py) put there.
async def get_engine(request: Request) -> Engine:
    return cast(Engine, request.app.state.engine)


async def get_event_log(request: Request) -> EventLog:
    return cast(EventLog, request.app.state.event_log)


async def get_principal(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal:
    return cast(Principal, request.app.state.authenticate(credentials))


EngineDep = Annotated[Engine, Depends(get_engine)]
PrincipalDep = Annotated[Principal, Depends(get_principal)]
EventLogDep = Annotated[EventLog, Depends(get_event_log)]


async def agent_or_supervisor(agent_id: str, who: PrincipalDep) -> str:
    """The agent id of the path, if the caller is that agent or a supervisor."""
    if who.role == "supervisor" or (who.role == "agent" and who.subject == agent_id):
        return agent_id
    raise HTTPException(status.HTTP_403_FORBIDDEN, "not your agent")


async def supervisor(who: PrincipalDep) -> Principal:
    if who.role != "supervisor":
        raise HTTPException(status.HTTP_403_FORBIDDEN, "supervisors only")
    return who


AgentIdDep = Annotated[str, Depends(agent_or_supervisor)]
SupervisorDep = Annotated[Principal, Depends(supervisor)]


def require_owner(who: Principal, agent_id: str | None, what: str) -> None:
    """Offers are answered by the agent they were made to, nobody else."""
    if who.role != "agent" or agent_id is None or who.subject != agent_id:
        raise HTTPException(status.HTTP_403_FORBIDDEN, f"not your {what}")


async def get_scope(request: Request) -> Scope:
    return cast(Scope, request.app.state.scope)


ScopeDep = Annotated[Scope, Depends(get_scope)]


async def handled_contact(contact_id: str, who: PrincipalDep, engine: EngineDep, scope: ScopeDep) -> Contact:
    """The contact of the path, if the caller is the agent who has it or a supervisor of its queue."""
    contact = engine.read.contact(contact_id)
    if who.role != "supervisor" and (
        who.role != "agent" or contact.agent_id is None or who.subject != contact.agent_id
    ):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "not your contact")
    scope.check_queue(who, contact.queue_id, f"contact {contact_id}")
    return contact


async def supervised_queue(queue_id: str, who: SupervisorDep, scope: ScopeDep) -> str:
    """The queue of the path, if the caller is a supervisor of it."""
    scope.check_queue(who, queue_id)
    return queue_id


async def agents_own_view(agent_id: AgentIdDep, who: PrincipalDep, scope: ScopeDep) -> str:
    """An agent's own lists and stream (offers, contacts, conversations, events): the agent, or a supervisor of
    every queue. A supervisor limited to some queues reads the floor through `/v1/supervisor/…`, kept to them."""
    if who.role == "supervisor" and scope.queues(who) is not None:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "an agent's own view: a supervisor of every queue only")
    return agent_id


HandledContactDep = Annotated[Contact, Depends(handled_contact)]
SupervisedQueueDep = Annotated[str, Depends(supervised_queue)]
AgentViewDep = Annotated[str, Depends(agents_own_view)]
