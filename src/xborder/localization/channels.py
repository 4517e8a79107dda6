"""Marketplace field rules as data (channels/<name>.yaml): lengths, counts, forbidden characters and phrases.

The QA family `checks/fields.py` applies them; `available_channels()` lists what ships.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from xborder.kernel import ErrorDetail, NotFound, Reference, ValidationFailed

__all__ = ["ChannelRules", "FieldRule", "available_channels", "channel_rules"]


class _Ref(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str
    href: str


class FieldRule(BaseModel):
    """Limits on one listing field; every unset limit is not checked."""

    model_config = ConfigDict(extra="forbid")
    required: bool = False
    max_chars: int | None = None
    min_chars: int | None = None
    max_bytes: int | None = None
    max_items: int | None = None
    max_item_chars: int | None = None
    forbidden_characters: str = ""
    max_once_characters: str = ""
    max_word_repeats: int | None = None
    forbidden_phrases: list[str] = []
    html: Literal["none", "br_only", "basic"] = "basic"
    reference: _Ref
    certainty: Literal["confirmed", "uncertain", "disputed"] = "confirmed"
    note: str | None = None

    @property
    def ref(self) -> Reference:
        return Reference(self.reference.title, self.reference.href)


class _ChannelFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    channel: str
    name: str
    checked_on: date
    fields: dict[Literal["title", "bullets", "description", "keywords"], FieldRule]


@dataclass(frozen=True)
class ChannelRules:
    code: str
    name: str
    fields: dict[str, FieldRule]
    phrase_patterns: dict[str, re.Pattern[str]]

    def rule(self, field_name: str) -> FieldRule | None:
        """The rule for a field; 'bullets[2]' uses the 'bullets' rule."""
        bracket = field_name.find("[")
        return self.fields.get(field_name if bracket < 0 else field_name[:bracket])

    def __hash__(self) -> int:
        return hash(self.code)


def _folder() -> Traversable:
    return resources.files("xborder.localization").joinpath("channels")


def available_channels() -> list[str]:
    return sorted(p.name[:-5] for p in _folder().iterdir() if p.name.endswith(".yaml"))


@cache
def channel_rules(code: str) -> ChannelRules:
    """The rules of one channel ('amazon', 'etsy', 'shopee', 'mercadolibre').

    Raises:
        NotFound: no rules file for `code` (the message lists the known channels).
        ValidationFailed: the file does not match the schema.
    """
    name = (code or "").strip().lower().replace(" ", "").replace("_", "")
    if name not in available_channels():
        raise NotFound(f"no marketplace rules for channel {code!r}; known: {', '.join(available_channels())}",
                       details=[ErrorDetail("unknown channel", field="channel", code="localization.unknown_channel")])
    try:
        parsed = _ChannelFile.model_validate(yaml.safe_load(_folder().joinpath(f"{name}.yaml").read_text("utf-8")))
    except ValidationError as exc:
        raise ValidationFailed(f"channels/{name}.yaml is invalid", details=[
            ErrorDetail(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}", field=f"channels/{name}.yaml",
                        code="localization.invalid_channel_rules") for e in exc.errors()]) from None
    phrases = {
        field: re.compile("|".join(rf"(?<![A-Za-z0-9]){re.escape(p)}(?![A-Za-z0-9])" for p in rule.forbidden_phrases),
                          re.IGNORECASE)
        for field, rule in parsed.fields.items() if rule.forbidden_phrases
    }
    return ChannelRules(parsed.channel, parsed.name, {str(k): v for k, v in parsed.fields.items()},
                        {str(k): v for k, v in phrases.items()})
