"""The keywords every Textual widget's constructor takes (`Widget.__init__`, and each of its subclasses the desk
builds on: Static, Vertical, DataTable, TextArea, ScrollView), for a widget of the desk's that hands them on:
`**kwargs: Unpack[WidgetOptions]`. Imported for type checking only: nothing reads it at run time."""

from __future__ import annotations

from typing import TypedDict


class WidgetOptions(TypedDict, total=False):
    name: str | None
    id: str | None
    classes: str | None
    disabled: bool
