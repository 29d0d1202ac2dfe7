"""The presence server's JSON shapes (the desktop's `Expert`, `Presence`, `PresenceEvent`)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field, ValidationInfo, field_validator


class Availability(StrEnum):
    """Microsoft Graph presence availability."""

    AVAILABLE = "Available"
    AVAILABLE_IDLE = "AvailableIdle"
    AWAY = "Away"
    BE_RIGHT_BACK = "BeRightBack"
    BUSY = "Busy"
    BUSY_IDLE = "BusyIdle"
    DO_NOT_DISTURB = "DoNotDisturb"
    OFFLINE = "Offline"
    UNKNOWN = "PresenceUnknown"


class Activity(StrEnum):
    """Microsoft Graph presence activity."""

    AVAILABLE = "Available"
    AWAY = "Away"
    BE_RIGHT_BACK = "BeRightBack"
    BUSY = "Busy"
    DO_NOT_DISTURB = "DoNotDisturb"
    IN_A_CALL = "InACall"
    IN_A_CONFERENCE_CALL = "InAConferenceCall"
    INACTIVE = "Inactive"
    IN_A_MEETING = "InAMeeting"
    OFFLINE = "Offline"
    OFF_WORK = "OffWork"
    OUT_OF_OFFICE = "OutOfOffice"
    UNKNOWN = "PresenceUnknown"
    PRESENTING = "Presenting"
    URGENT_INTERRUPTIONS_ONLY = "UrgentInterruptionsOnly"


# The activity Graph reports when nothing more specific is going on.
DEFAULT_ACTIVITY = {
    Availability.AVAILABLE: Activity.AVAILABLE,
    Availability.AVAILABLE_IDLE: Activity.INACTIVE,
    Availability.AWAY: Activity.AWAY,
    Availability.BE_RIGHT_BACK: Activity.BE_RIGHT_BACK,
    Availability.BUSY: Activity.BUSY,
    Availability.BUSY_IDLE: Activity.INACTIVE,
    Availability.DO_NOT_DISTURB: Activity.DO_NOT_DISTURB,
    Availability.OFFLINE: Activity.OFFLINE,
    Availability.UNKNOWN: Activity.UNKNOWN,
}

# The activities that fit each availability (Graph reports no others together): Offline and in a
# call, or Available and presenting, would show an expert in two states at once.
FITTING_ACTIVITIES = {
    Availability.AVAILABLE: {Activity.AVAILABLE},
    Availability.AVAILABLE_IDLE: {Activity.INACTIVE, Activity.AVAILABLE},
    Availability.AWAY: {Activity.AWAY, Activity.OUT_OF_OFFICE},
    Availability.BE_RIGHT_BACK: {Activity.BE_RIGHT_BACK},
    Availability.BUSY: {Activity.BUSY, Activity.IN_A_CALL, Activity.IN_A_CONFERENCE_CALL, Activity.IN_A_MEETING},
    Availability.BUSY_IDLE: {Activity.INACTIVE, Activity.BUSY},
    Availability.DO_NOT_DISTURB: {
        Activity.DO_NOT_DISTURB,
        Activity.PRESENTING,
        Activity.URGENT_INTERRUPTIONS_ONLY,
        Activity.IN_A_CALL,
        Activity.IN_A_CONFERENCE_CALL,
        Activity.IN_A_MEETING,
    },
    Availability.OFFLINE: {Activity.OFFLINE, Activity.OFF_WORK, Activity.OUT_OF_OFFICE},
    Availability.UNKNOWN: {Activity.UNKNOWN},
}

# Directory order: free people first, then those busy or briefly away, then the unreachable.
AVAILABILITY_RANK = {
    Availability.AVAILABLE: 0,
    Availability.AVAILABLE_IDLE: 0,
    Availability.BUSY: 1,
    Availability.BUSY_IDLE: 1,
    Availability.BE_RIGHT_BACK: 1,
    Availability.AWAY: 1,
    Availability.DO_NOT_DISTURB: 1,
    Availability.OFFLINE: 2,
    Availability.UNKNOWN: 2,
}


class Presence(BaseModel):
    availability: Availability
    activity: Activity | None = None
    status_message: str | None = None
    changed_at: datetime


class PresenceUpdate(BaseModel):
    """A person's new presence; `activity` defaults to the plain one for the availability."""

    availability: Availability
    activity: Activity | None = Field(default=None, description="One that fits the availability (422 otherwise)")
    status_message: str | None = Field(default=None, max_length=280)

    @field_validator("activity")
    @classmethod
    def _fits_the_availability(cls, activity: Activity | None, info: ValidationInfo) -> Activity | None:
        availability = info.data.get("availability")  # absent when it was itself invalid
        if activity is not None and availability is not None and activity not in FITTING_ACTIVITIES[availability]:
            fitting = ", ".join(sorted(FITTING_ACTIVITIES[availability]))
            raise ValueError(f"activity {activity} does not fit availability {availability} (use {fitting})")
        return activity


class Expert(BaseModel):
    id: str = Field(examples=["p-0001"])
    name: str
    title: str | None = None
    department: str | None = None
    skills: list[str] = []
    languages: list[str] = Field(default=[], description="ISO 639-1 codes")
    time_zone: str | None = Field(default=None, examples=["America/Chicago"])
    address: str | None = Field(default=None, description="Where the CCaaS can reach them (sip: or tel:)")
    presence: Presence


class PresenceEvent(BaseModel):
    type: Literal["presence"] = "presence"
    person_id: str
    presence: Presence


class MessageCreate(BaseModel):
    """An instant message to a person (an agent escalating to an expert)."""

    text: str = Field(min_length=1, max_length=4000)
    sender: str | None = Field(default=None, max_length=200, description="Who is writing, e.g. the agent's name")


class ChatMessage(BaseModel):
    id: str = Field(examples=["m-000001"])
    person_id: str
    direction: Literal["outbound", "inbound"] = Field(
        description="outbound: written to the person; inbound: their reply"
    )
    text: str
    sender: str | None = None
    sent_at: datetime


class MessageEvent(BaseModel):
    # Not "message": that is the conversation stream's event (the CCaaS); one name means one shape everywhere.
    type: Literal["expert_message"] = "expert_message"
    message: ChatMessage
