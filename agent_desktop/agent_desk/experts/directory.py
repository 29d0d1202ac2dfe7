"""The expert directory as the agent sees it: who is found by the search, their live presence, their
last reply, and which of them suit the contact in front of the agent (suggested skills)."""

from __future__ import annotations

from dataclasses import dataclass, field

from agent_desktop.agent_desk.experts.experts import panel_order
from agent_desktop.domain.models import Expert, ExpertMessage, Presence


@dataclass(frozen=True)
class DirectoryChanges:
    """What changed of the experts listed: a `Changes` (agent_desktop/domain/changes.py)."""

    rows: set[str] = field(default_factory=set)  # person ids whose row changed
    reordered: bool = False  # who is listed, or in which order
    titles: bool = False  # the panel's titles (the suggested skills)
    relisted: bool = False  # a search's list or new suggestions (an offer's), not a presence: drawn after the pop

    def __bool__(self) -> bool:
        return bool(self.rows) or self.reordered or self.titles


class ExpertDirectory:
    def __init__(self) -> None:
        self.experts: dict[str, Expert] = {}
        self.replies: dict[str, ExpertMessage] = {}  # person id → their last reply
        self.known_skills: set[str] = set()
        self.suggested_skills: tuple[str, ...] = ()
        self.search = ""
        self.skill: str | None = None
        self.changed_rows: set[str] = set()
        self.reordered = False  # who is listed, or in which order, changed
        self.titles_changed = False
        self.relisted = False  # a search's list or new suggestions changed the order, not only presences
        self.search_reset = False  # the search and skill were cleared for a new contact: the panel's box too

    def show(self, experts: list[Expert]) -> None:
        """The experts a search found replace those listed."""
        self.experts = {expert.id: expert for expert in experts}
        for expert in experts:
            self.known_skills.update(expert.skills)
        self.reordered = self.titles_changed = self.relisted = True

    def update_presence(self, person_id: str, presence: Presence) -> bool:
        expert = self.experts.get(person_id)
        if expert is None:
            return False
        self.experts[person_id] = expert.model_copy(update={"presence": presence})
        self.changed_rows.add(person_id)
        self.reordered = self.titles_changed = True  # free people are listed first
        return True

    def note_reply(self, message: ExpertMessage) -> None:
        self.replies[message.person_id] = message
        self.changed_rows.add(message.person_id)

    def suggest(self, skills: tuple[str, ...]) -> bool:
        if skills == self.suggested_skills:
            return False
        self.suggested_skills = skills
        self.changed_rows.update(self.experts)  # the ★ marks
        self.reordered = self.titles_changed = self.relisted = True
        return True

    def filter(self, search: str, skill: str | None) -> None:
        if (search, skill) != (self.search, self.skill):
            self.search, self.skill = search, skill
            self.titles_changed = True

    def reset_search(self) -> bool:
        """A new contact: the last one's search and skill do not carry over. True if there was one."""
        if not self.search and self.skill is None:
            return False
        self.search, self.skill = "", None
        self.search_reset = self.titles_changed = True
        return True

    def take_search_reset(self) -> bool:
        reset, self.search_reset = self.search_reset, False
        return reset

    def expert(self, person_id: str) -> Expert | None:
        return self.experts.get(person_id)

    def ordered(self) -> list[Expert]:
        return panel_order(self.experts.values(), self.suggested_skills)

    def free_count(self) -> int:
        return sum(expert.presence.availability.is_free for expert in self.experts.values())

    def take_changes(self) -> DirectoryChanges:
        """What changed of the listed experts since the last call."""
        changes = DirectoryChanges(self.changed_rows, self.reordered, self.titles_changed, self.relisted)
        self.changed_rows, self.reordered, self.titles_changed, self.relisted = set(), False, False, False
        return changes
