"""The values a conversation takes in and hands out: a message or file from the person, a reply with its
buttons and document. Plain data, shared by the engine, the workspace protocol and the adapters, importing
no other part of the conversations (so neither the engine nor the workspace imports the other for them).
"""

from __future__ import annotations

from dataclasses import dataclass

from flows.text import without_hidden_controls


@dataclass(frozen=True, slots=True)
class IncomingFile:
    name: str
    mime_type: str
    data: bytes
    kind: str  # "photo", "document", "voice"
    telegram_file_id: str | None = None
    size: int | None = None  # as announced; a file over the limit arrives with no data


@dataclass(frozen=True, slots=True)
class Incoming:
    text: str | None = None
    button: str | None = None  # callback data of a pressed button
    file: IncomingFile | None = None
    unsupported: str | None = None  # "sticker", "video", "location", ...
    caption: str | None = None  # words sent with a file: read for a crisis, never kept

    def __post_init__(self) -> None:  # text enters here, from every channel
        if self.text is not None:
            object.__setattr__(self, "text", without_hidden_controls(self.text))


@dataclass(frozen=True, slots=True)
class Button:
    data: str  # at most 64 bytes (Telegram's limit for callback data)
    label: str


@dataclass(frozen=True, slots=True)
class Document:
    filename: str
    data: bytes
    mime_type: str


@dataclass(frozen=True, slots=True)
class Reply:
    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    document: Document | None = None
    title: str | None = None  # shown in bold above the text where the adapter can
