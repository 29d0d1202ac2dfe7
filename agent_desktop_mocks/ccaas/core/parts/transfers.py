"""Transfers and consults: a blind transfer to a queue, an agent or an address; a consult leg that rings its
target while the customer waits on hold, then is completed (the contact moves) or cancelled."""

from __future__ import annotations

from agent_desktop_mocks.ccaas.core.errors import Conflict, Invalid
from agent_desktop_mocks.ccaas.core.parts.part import Part
from agent_desktop_mocks.ccaas.core.rules import not_dialling
from agent_desktop_mocks.ccaas.core.wire.schemas import Consult, Contact, ContactState, EndedBy, Handover, Target
from agent_desktop_pci import mask_pci


class Transfers(Part):
    def transfer(self, contact_id: str, target: Target, note: str | None = None) -> Contact:
        """Blind transfer: to a queue (queued again, keeping its wait), an agent (offered) or an address (leaves).
        `note`: for the next agent, carried on the contact (`handover`)."""
        contact = self._read.open_contact(contact_id, "transfer")
        not_dialling(contact)
        self._check_target(contact, target, reachable=True)
        self._floor.drop_consult(contact)
        self._hand_over(contact, note)
        self._transfer_to(contact, target)
        return contact

    def consult(self, contact_id: str, target: Target, note: str | None = None) -> Contact:
        """The customer waits on hold while a second leg rings the target until the far end picks it up; `note`
        goes with the contact if the consult ends in a transfer (and the consulted agent reads it meanwhile)."""
        contact = self._read.open_contact(contact_id, "consult")
        not_dialling(contact)
        if contact.consult is not None:
            raise Conflict(f"a consult is already {contact.consult.state}", contact.state)
        named = self._check_target(contact, target, reachable=False)
        self._hand_over(contact, note)
        now = self._state.clock.now()
        if contact.state == ContactState.CONNECTED:
            contact.state = ContactState.ON_HOLD
            contact.held_at = now
        contact.consult = Consult(target=named, state="ringing", started_at=now)
        self._floor.ring_consult(contact)
        self._state.contact_changed(contact, "consult")
        return contact

    def complete_consult(self, contact_id: str) -> Contact:
        state, floor = self._state, self._floor
        contact = self._read.open_contact(contact_id, "complete_consult")
        consult = contact.consult
        if consult is None:
            raise Conflict("no consult in progress", contact.state)
        if consult.state != "connected":
            raise Conflict(f"the consult leg is {consult.state}", consult.state)
        target = consult.target
        if target.kind == "agent":
            self._check_target(contact, target, reachable=True)
            old = contact.agent_id
            assert old is not None
            floor.unhold(contact)
            state.hand[old].pop(contact.id, None)
            floor.drop_consult(contact)
            contact.state = ContactState.CONNECTED
            contact.agent_id = target.id
            contact.handled_by.append(target.id)
            contact.transfer_path.append(f"agent:{target.id}")
            state.hand[target.id][contact.id] = contact
            state.contact_changed(contact, "transferred", from_agent=old)
            floor.refresh(target.id)
            floor.hand_freed(old)
        else:
            floor.drop_consult(contact)
            self._transfer_to(contact, target, by="consult")
        return contact

    def cancel_consult(self, contact_id: str) -> Contact:
        contact = self._read.open_contact(contact_id, "cancel_consult")
        if contact.consult is None:
            raise Conflict("no consult in progress", contact.state)
        self._floor.drop_consult(contact)
        self._floor.unhold(contact)
        contact.state = ContactState.CONNECTED
        self._state.contact_changed(contact, "consult")
        return contact

    def picked_up(self, contact_id: str) -> None:
        """The far end picked the consult leg up: it connects if its target can take the contact now."""
        state = self._state
        contact = state.contacts.get(contact_id)
        consult = contact.consult if contact else None
        if contact is None or consult is None or consult.state != "ringing":
            return
        target = consult.target
        if target.kind == "agent":
            answered = contact.channel in self._read.spare_channels(target.id)
        elif target.kind == "queue":
            answered = state.index.head_agent((target.id, contact.channel), (contact.agent_id,)) is not None
        else:
            answered = True  # an expert's address: whoever picks up is there
        consult.state = "connected" if answered else "failed"
        state.contact_changed(contact, "consult")

    def _check_target(self, contact: Contact, target: Target, *, reachable: bool) -> Target:
        """The target exists (422 otherwise); with `reachable`, an agent target can take the contact now (409)."""
        state = self._state
        if target.kind == "queue":
            if target.id not in state.queues:
                raise Invalid("target", f"unknown queue, one of {sorted(state.queues)}", target.id)
            return target.model_copy(update={"name": state.queues[target.id].name})
        if target.kind == "agent":
            if target.id not in state.agents:
                raise Invalid("target", "unknown agent", target.id)
            if target.id == contact.agent_id:
                raise Conflict("cannot transfer a contact to its own agent", contact.state)
            if reachable and contact.channel not in self._read.spare_channels(target.id):
                raise Conflict(
                    f"agent {target.id} cannot take a {contact.channel.value} contact now",
                    state.agents[target.id].state,
                )
            return target.model_copy(update={"name": state.agents[target.id].name})
        if not target.id.startswith(("sip:", "tel:")) or len(target.id) < 5:
            raise Invalid("target", "an address is a sip: or tel: URI", target.id)
        return target

    def _hand_over(self, contact: Contact, note: str | None) -> None:
        """The agent's note for the next one, masked, on the contact; no note keeps the one an earlier agent left."""
        if note and note.strip() and contact.agent_id is not None:
            by = self._state.agents[contact.agent_id].name if contact.agent_id in self._state.agents else ""
            contact.handover = Handover(note=mask_pci(note.strip()), by=by, at=self._state.clock.now())

    def _transfer_to(self, contact: Contact, target: Target, by: EndedBy = "transfer") -> None:
        """`by`: who ended the agent's part of it, kept on the contact when the call leaves for an outside number."""
        state, floor = self._state, self._floor
        old = contact.agent_id
        assert old is not None
        if target.kind == "address":  # the call leaves the contact center; the agent wraps up
            floor.unhold(contact)
            contact.transfer_path.append(f"address:{target.id}")
            floor.to_acw(contact)
            contact.ended_by = by
            state.contact_changed(contact, "transferred")
            floor.refresh(old)
            return
        floor.unhold(contact)
        state.hand[old].pop(contact.id, None)
        contact.transfer_path.append(f"{target.kind}:{target.id}")
        if target.kind == "queue":
            floor.set_queue(contact, target.id)
            floor.enqueue(contact)
            state.contact_changed(contact, "transferred", from_agent=old)
        else:
            self._offers.make_offer(contact, target.id, from_agent=old, kind="transferred")
        floor.hand_freed(old)
