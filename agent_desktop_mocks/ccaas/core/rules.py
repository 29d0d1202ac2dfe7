"""Pure rules and copies over the core's records: eligibility, channel room, priority raises, event snapshots."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from typing import Any, TypeVar

from agent_desktop_mocks.ccaas.core.errors import Conflict
from agent_desktop_mocks.ccaas.core.wire.schemas import (
    Agent,
    AgentState,
    AttachedData,
    Channel,
    Contact,
    ContactState,
    Queue,
)

SERVING = frozenset({AgentState.AVAILABLE, AgentState.OFFERED, AgentState.BUSY, AgentState.AFTER_CONTACT_WORK})


def priority_raise(queue: Queue, attached: AttachedData | None) -> int:
    """The largest raise among the queue's rules that the attached data matches (0 without any)."""
    if attached is None:
        return 0
    raises = [
        rule.raise_by
        for rule in queue.priority_rules
        if (rule.tier is None or (attached.tier or "").casefold() == rule.tier.casefold())
        and (rule.vip is None or attached.vip == rule.vip)
        and (rule.verified is None or attached.verified == rule.verified)
    ]
    return max(raises, default=0)


_CHANNELS = tuple((channel, channel.value) for channel in Channel)  # an enum's `.value` is a property: read once


def free_channels(agent: Agent, hand: Collection[Contact]) -> tuple[Channel, ...]:
    """Channels with room in the agent's capacity beside what is in hand (voice is exclusive)."""
    capacity = agent.capacity
    if not hand:  # the usual case (routing asks for each agent it frees): no count to make
        return tuple(ch for ch, value in _CHANNELS if capacity.get(value, 0) > 0)
    used = Counter(c.channel for c in hand)
    if used[Channel.VOICE]:
        return ()
    return tuple(ch for ch, value in _CHANNELS if ch != Channel.VOICE and used[ch] < capacity.get(value, 0))


def serves(agent: Agent, chosen: AgentState) -> bool:
    """The agent's capacity counts among a queue's slots for the estimated wait: signed in and not on a break
    (they chose to be available, or they are on contacts or an offer)."""
    return chosen == AgentState.AVAILABLE or agent.state in SERVING


def eligible(agent: Agent, queue: Queue) -> bool:
    """An agent may take a queue's contacts when they have each of its skills at its minimum proficiency."""
    return all(agent.proficiency.get(skill, 0) >= queue.min_proficiency.get(skill, 1) for skill in queue.skills)


def normalised(agent: Agent) -> Agent:
    """Every skill has a proficiency (3 unless given) and every proficiency is a skill."""
    for skill in agent.skills:
        agent.proficiency.setdefault(skill, 3)
    agent.skills = [*agent.skills, *(s for s in agent.proficiency if s not in agent.skills)]
    return agent


def number(id_: str) -> int:
    return int(id_.split("-", 1)[1])


def snapshot(contact: Contact) -> Contact:
    """A copy of the contact as it is now: what the core changes in place (its lists, consult, callback and voicemail) is
    copied, the rest is never changed. Events carry it; it is never changed after."""
    return _copied(
        contact,
        {
            "transfer_path": list(contact.transfer_path),
            "handled_by": list(contact.handled_by),
            "consult": contact.consult.model_copy(deep=True) if contact.consult else None,
            "callback": contact.callback.model_copy() if contact.callback else None,
            "voicemail": contact.voicemail.model_copy(deep=True) if contact.voicemail else None,
        },
    )


def agent_snapshot(agent: Agent) -> Agent:
    """A copy of the agent as they are now (their collections copied; next_state is replaced, never changed)."""
    return _copied(
        agent,
        {
            "skills": list(agent.skills),
            "not_ready_reasons": list(agent.not_ready_reasons),
            "break_limits": dict(agent.break_limits),
            "proficiency": dict(agent.proficiency),
            "capacity": dict(agent.capacity),
        },
    )


_Copied = TypeVar("_Copied", Agent, Contact)
_set = object.__setattr__


def _copied(model: _Copied, update: dict[str, Any]) -> _Copied:
    """`model.model_copy(update=update)`, the same copy made without pydantic's generic path, which copies the dict,
    the extras and the fields set each through the `copy` module's dispatch, and an offer request takes three snapshots
    (`routing_offer_10k_waiting_1k_agents`, bench_routing). For models with neither extras nor private attributes, as
    Agent and Contact are (checked below: a change to them must come back here)."""
    cls = type(model)
    copied = cls.__new__(cls)
    values = model.__dict__.copy()
    values.update(update)
    _set(copied, "__dict__", values)
    _set(copied, "__pydantic_extra__", None)
    _set(copied, "__pydantic_fields_set__", model.__pydantic_fields_set__ | update.keys())
    _set(copied, "__pydantic_private__", None)
    return copied


for _model in (Agent, Contact):
    assert not _model.__private_attributes__, _model
    assert _model.model_config.get("extra") != "allow", _model


def not_dialling(contact: Contact) -> None:
    """A callback being dialled cannot be held, ended or transferred until the customer answers (409)."""
    if contact.callback is not None and contact.callback.state == "dialling":
        raise Conflict("the callback is dialling: wait for the customer to answer", contact.state)


def call_on_the_line(hand: Iterable[Contact], *, but: str = "") -> Contact | None:
    """The agent's call that talks now (connected; a voicemail in hand is no call on the line), other than `but`.
    One call talks at a time: a second is placed, or a held one resumed, only while every other call is on hold."""
    return next(
        (
            c
            for c in hand
            if c.id != but and c.channel == Channel.VOICE and c.state == ContactState.CONNECTED and c.voicemail is None
        ),
        None,
    )


def one_call_talks(hand: Iterable[Contact], action: str, *, but: str = "") -> None:
    """409 naming the call that talks, if one does (`call_on_the_line`): `action` is what it forbids."""
    talking = call_on_the_line(hand, but=but)
    if talking is not None:
        raise Conflict(
            f"your call with {talking.from_address} ({talking.id}) is connected: hold it or end it before you "
            f"{action} (one call talks at a time; others wait on hold)",
            talking.state,
        )
