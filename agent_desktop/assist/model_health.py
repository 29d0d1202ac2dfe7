"""Whether the model is answering, said once: the first failure after an answer (or at the start) sets a notice the
status line shows; more failures do not repeat it; the next answer clears it and says so once too."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ModelHealth:
    answering: bool = True
    why: str | None = None  # the last failure's words, while not answering
    _notice: str | None = None

    def answered(self) -> None:
        if not self.answering:
            self._notice = "The assistant's model answers again."
        self.answering, self.why = True, None

    def failed(self, why: str) -> None:
        if self.answering:
            self._notice = f"The assistant's model stopped answering: {why}"
        self.answering, self.why = False, why

    def take_notice(self) -> str | None:
        """The sentence to say now, once (None: nothing new)."""
        notice, self._notice = self._notice, None
        return notice

    @property
    def status(self) -> str | None:
        """What the status line keeps showing while the model is not answering."""
        return None if self.answering else "Assistant not answering"
