"""The fixed text of each recommendation (title, summary, key facts, sources...): the catalogue results refer to."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=True)


class Source(_Strict):
    """Where a rule's facts come from: the talk's slide or a public page."""

    title: str = Field(description="what the source is, e.g. 'the talk, slide: international instruments'")
    url: str | None = Field(None, description="a public URL, where there is one")
    status: Literal["confirmed", "confirmed_secondary", "unconfirmed", "talk"] = Field(
        description="the facts file's tag: confirmed [C], confirmed_secondary [C-sec], unconfirmed [U], or talk")


class KeyFacts(_Strict):
    duration: str | None = None
    funding: str | None = None
    calendar: str | None = None
    who_applies: str | None = None
