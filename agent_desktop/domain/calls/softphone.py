"""A call's sound: the softphone the desk drives (dial, answer, hold, mute, DTMF) and the call events it sends back.

The contact center routes a voice contact; the softphone carries its audio (SIP and RTP). A backend registers under
the entry point group `agent_desktop.softphone` (the bundled one drives baresip over its `ctrl_tcp` link:
agent_desktop/adapters/baresip/) and declares what it serves in `capabilities`. docs/voice.md says what runs where.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, runtime_checkable

from agent_desktop.domain.capabilities import resolve
from agent_desktop.domain.errors import NotServed


class SoftphoneError(Exception):
    """The softphone refused a command, broke its link, or sent what cannot be read; the text is fit to show."""


class CallEventKind(StrEnum):
    RINGING = "ringing"  # a call the softphone placed rings at the other end
    INCOMING = "incoming"  # a call rings at the softphone: answer it by its id
    ESTABLISHED = "established"  # answered: signalling done
    MEDIA_UP = "media_up"  # the first audio of the other side arrived
    CLOSED = "closed"  # ended; `ended_by` says by whom


class EndedBy(StrEnum):
    LOCAL = "local"  # this softphone hung up (the agent)
    REMOTE = "remote"  # the other side hung up (the caller)
    FAILURE = "failure"  # neither: refused, timed out, the media ended, the link broke (`reason` says which)


@dataclass(frozen=True)
class CallEvent:
    kind: CallEventKind
    call_id: str
    peer: str = ""  # the other side's address (a SIP URI as the softphone reports it: untrusted text)
    peer_name: str = ""  # the other side's display name, as its From header gave it (untrusted text)
    # The contact this call carries, where the softphone can read the caller's `X-Agent-Desktop-Contact` header
    # (CONTACT_HEADER); empty where it cannot (baresip 1.0.0's events carry no headers): matched by the caller's number.
    contact_hint: str = ""
    ended_by: EndedBy | None = None  # set on CLOSED only
    reason: str = ""  # the softphone's own words for a CLOSED (untrusted text)


# The SIP header a contact center sends on the INVITE to say which of its contacts the call carries (docs/voice.md).
CONTACT_HEADER = "X-Agent-Desktop-Contact"


@dataclass(frozen=True)
class SoftphoneCapabilities:
    """What the softphone serves: the desk offers no key it cannot."""

    hold: bool = True
    mute: bool = True
    dtmf: bool = True
    sound: bool = True  # a softphone at all: the stand-in (`NoSoftphone`) carries no sound
    play: bool = False  # plays a recording to the agent (a voicemail): the desk's own baresip does


DTMF_DIGITS = frozenset("0123456789*#ABCD")


@runtime_checkable
class Softphone(Protocol):
    capabilities: SoftphoneCapabilities

    async def connect(self) -> None:
        """Open the link to the softphone (once; again is a no-op): the calls' events from then on reach `events()`,
        none from before. Every command connects first if this was not called."""
        ...

    async def dial(self, uri: str) -> None:
        """Place a call; its id arrives with its RINGING event."""
        ...

    async def answer(self, call_id: str) -> None: ...

    async def hang_up(self, call_id: str) -> None:
        """The call ended from this side; one the other side ended first is no error (both may end it at once)."""
        ...

    async def hold(self, call_id: str) -> None:
        """A SIP hold: the other side stops sending its audio until `resume`."""
        ...

    async def resume(self, call_id: str) -> None: ...

    async def mute(self, call_id: str) -> None:
        """The agent's microphone sends silence until `unmute`."""
        ...

    async def unmute(self, call_id: str) -> None: ...

    async def send_dtmf(self, call_id: str, digits: str) -> None:
        """Digits of `DTMF_DIGITS` only (a payment line, an IVR); anything else is refused before it is sent."""
        ...

    async def reconnect(self) -> None:
        """A new link in place of a broken one (a softphone the desk started is started again if it died)."""
        ...

    async def codec(self, call_id: str) -> str:
        """The audio codec the call sends with, in words ("PCMU 8 kHz"); "" if the softphone does not say."""
        ...

    async def contact_uri(self) -> str:
        """Where a contact center rings this softphone (`sip:agent@127.0.0.1:5070`), known once its link is open;
        "" if it cannot say (then the desk registers nothing)."""
        ...

    def sound_problem(self) -> str:
        """Why its calls, though they connect, are silent at the agent's end ("no sound device"); "" if they play."""
        ...

    def ringer(self) -> str:
        """Where its calls ring and its chime plays, apart from the headset (`[softphone] ringer`: "alsa,hw:1"); ""
        where they ring on the headset."""
        ...

    async def chime(self) -> None:
        """A short tone on the ringer device (`[softphone] ringer`): a call answered for the agent without ringing
        (auto-accepted) is heard arriving. Nothing where the softphone cannot (SoftphoneError if it refuses)."""
        ...

    async def play(self, wav: bytes) -> None:
        """A recording (a voicemail's WAV, 8 kHz mono 16-bit) played to the agent, in place of anything it plays;
        SoftphoneError where it cannot (capability `play`)."""
        ...

    async def stop_playing(self) -> None:
        """What `play` plays, stopped (nothing if it has ended)."""
        ...

    def events(self) -> AsyncIterator[CallEvent]:
        """The calls' events in the order the softphone sent them; ends (raising SoftphoneError) if the link breaks."""
        ...

    async def aclose(self) -> None:
        """Close the link (and stop the softphone's process, where the desk started it)."""
        ...


NO_SOFTPHONE = "No softphone: calls have no sound here. Add [softphone] to the configuration (docs/voice.md)."


class NoSoftphone:
    """The stand-in where no softphone is configured: it serves nothing (the commands that need one are never
    offered), every call refuses in one sentence, and its events end at once."""

    capabilities = SoftphoneCapabilities(hold=False, mute=False, dtmf=False, sound=False)

    async def _refuse(self, *_: object) -> None:
        raise SoftphoneError(NO_SOFTPHONE)

    connect = reconnect = answer = hang_up = hold = resume = mute = unmute = _refuse

    async def dial(self, uri: str) -> None:
        raise SoftphoneError(NO_SOFTPHONE)

    async def send_dtmf(self, call_id: str, digits: str) -> None:
        raise SoftphoneError(NO_SOFTPHONE)

    async def codec(self, call_id: str) -> str:
        return ""

    async def contact_uri(self) -> str:
        return ""

    def sound_problem(self) -> str:
        return ""

    def ringer(self) -> str:
        return ""

    async def chime(self) -> None:
        return None

    async def play(self, wav: bytes) -> None:
        raise SoftphoneError(NO_SOFTPHONE)

    async def stop_playing(self) -> None:
        return None

    async def events(self) -> AsyncIterator[CallEvent]:
        return
        yield  # (an async generator that ends at once)

    async def aclose(self) -> None:
        return None


@runtime_checkable
class SoftphoneRegistrar(Protocol):
    """A contact center that rings the agent's own softphone (capability `softphone_contact`): the desk tells it where
    at sign-in and after its softphone's link is opened again, and takes it back at sign-out (docs/voice.md)."""

    async def register_softphone(self, contact_uri: str) -> None:
        """The agent's calls ring `contact_uri` from now on (replacing an earlier one)."""
        ...

    async def forget_softphone(self) -> None:
        """The agent's calls ring no softphone of theirs any more (none registered: nothing happens)."""
        ...


class NoSoftphoneRegistrar:
    """Where the contact center does not ring a softphone the desk names: every call refuses in one sentence."""

    why = "This contact center does not ring the desk's softphone."

    async def register_softphone(self, contact_uri: str) -> None:
        raise NotServed(self.why)

    async def forget_softphone(self) -> None:
        raise NotServed(self.why)


def softphone_registrar(backend: object) -> SoftphoneRegistrar:
    """The contact center as one that rings the desk's softphone where it says it can, else the stand-in."""
    return resolve(backend, SoftphoneRegistrar, NoSoftphoneRegistrar, "softphone_contact")
