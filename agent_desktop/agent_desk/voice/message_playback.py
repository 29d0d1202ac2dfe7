"""The voicemail in hand played to the agent through the desk's softphone: its recording fetched from the contact
center (domain/calls/recording.py) and played by the softphone (`play`: baresip's own, on its alert device), the
same key again stopped; the call's area says which (docs/voice.md "Voicemail as routed work"). A refusal, the
contact center's or the softphone's, is said and nothing plays."""

from __future__ import annotations

from typing import Protocol

from agent_desktop.agent_desk.changes import DeskChanges
from agent_desktop.agent_desk.use_case import DeskNotices, DeskUseCase, UseCaseHost
from agent_desktop.agent_desk.voice.softphone_use_cases import SoftphoneUseCases
from agent_desktop.domain.calls.softphone import SoftphoneError
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.formats.text import one_line
from agent_desktop.domain.models import Contact


class PlaybackDesk(DeskNotices, Protocol):
    """The desk as playing a message reads it (desk/model.py's Desk): the selected contact, which messages play."""

    @property
    def message_playing(self) -> dict[str, bool]: ...

    def selected_contact(self) -> Contact | None: ...

    def changed(self) -> DeskChanges: ...


class MessagePlayback(DeskUseCase[PlaybackDesk]):
    def __init__(self, controller: UseCaseHost[PlaybackDesk], sound: SoftphoneUseCases) -> None:
        super().__init__(controller)
        self.sound = sound

    async def toggle(self) -> None:
        """The selected voicemail's recording played through the softphone, or stopped if it plays."""
        contact = self.desk.selected_contact()
        if contact is None or contact.voicemail is None:
            return
        playing = self.desk.message_playing
        was_playing = playing.get(contact.id, False)
        try:
            if was_playing:
                await self.sound.softphone.stop_playing()
            else:
                await self.sound.softphone.play(await self.ports.voicemails.voicemail_audio(contact.id))
        except BackendError as error:
            self.desk.notice(f"The message cannot be played: {error.message}", "Voicemail", "error")
            return
        except SoftphoneError as error:
            self.desk.notice(f"The softphone did not play it: {one_line(str(error), 120)}", "Voicemail", "error")
            return
        for other in playing:  # one recording plays at a time: a `play` replaces the one before
            playing[other] = False
        playing[contact.id] = not was_playing
        self.desk.changed().contacts.add(contact.id)
