"""The terminal chat (`fairsay chat`): the same flows and database as the Telegram bot, in a terminal.

Choices are shown as numbers: type the number (or the words). `/file PATH` sends a photo or document
as evidence. Letters and packs are saved into a folder and their path is printed. `/quit` leaves;
everything is kept, and the next `fairsay chat` carries on at the same question.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Protocol, TextIO

from bot.storage.private_files import private_folder, write_private
from flows.conversations.parsing import read_number
from flows.conversations.types import Button, Incoming, IncomingFile, Reply
from flows.i18n import Translator


class LocalChatService(Protocol):
    max_file_bytes: int

    def handle_local(self, incoming: Incoming) -> list[Reply]: ...

    def local_translator(self) -> Translator: ...


class TerminalChat:
    def __init__(
        self, service: LocalChatService, out: TextIO, files_dir: Path, *, echo: bool = False
    ) -> None:
        self.service = service
        self.out = out
        self.files_dir = files_dir
        self.echo = echo  # print what was typed: for scripted input, and transcripts
        self.buttons: list[Button] = []

    def show(self, replies: list[Reply]) -> None:
        self.buttons = []
        for reply in replies:
            if reply.title:
                print(f"== {reply.title} ==", file=self.out)
            if reply.text:
                print(reply.text, file=self.out)
            if reply.document is not None:
                path = private_folder(self.files_dir) / reply.document.filename
                write_private(path, reply.document.data)  # letters and exports: personal data
                print(f"  [{path}]", file=self.out)
            for row in reply.buttons:
                for button in row:
                    self.buttons.append(button)
                    print(f"  {len(self.buttons)}. {button.label}", file=self.out)
            print(file=self.out)

    def incoming_for(self, line: str) -> Incoming | None:
        text = line.strip()
        number = read_number(text)
        if number is not None and 1 <= number <= len(self.buttons):
            return Incoming(button=self.buttons[number - 1].data)
        if text.startswith("/file"):
            path = Path(text.removeprefix("/file").strip()).expanduser()
            try:
                data = path.read_bytes()
            except OSError:
                t = self.service.local_translator()
                print(t.gettext("I can't open that file. Please check the path."), file=self.out)
                return None
            mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            kind = "photo" if mime_type.startswith("image/") else "document"
            return Incoming(file=IncomingFile(path.name, mime_type, data, kind, None, len(data)))
        return Incoming(text=text)

    def run(self, lines: TextIO) -> None:
        t = self.service.local_translator()
        print(
            t.gettext(
                "Fair Say in your terminal. Type a number to choose, or type your answer. “/file PATH” sends a "
                "file, /help shows the commands, /quit leaves (everything is kept)."
            ),
            file=self.out,
        )
        print(file=self.out)
        self.show(self.service.handle_local(Incoming(text="/continue")))  # a new user starts; others carry on
        for line in lines:
            if self.echo:
                print(f"> {line.rstrip()}", file=self.out)
            if line.strip() in ("/quit", "/exit"):
                break
            incoming = self.incoming_for(line)
            if incoming is not None:
                self.show(self.service.handle_local(incoming))
