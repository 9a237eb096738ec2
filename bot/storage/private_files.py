"""Files holding personal data (the SQLite database, evidence, letters and exports) are their owner's
alone: files 0600, folders 0700, whatever the umask. Permissions are only ever taken away, and a file
or folder that is not ours (chmod refused) is left as it is."""

from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


def private_folder(path: Path) -> Path:
    """Make the folder (and any missing parents), keep it to its owner; the folder."""
    path.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    tighten(path)
    return path


def private_file(path: Path) -> None:
    """Create the file empty if it is missing; either way keep it to its owner."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE))
    tighten(path)


def write_private(path: Path, data: bytes) -> None:
    """Write the bytes to a file only its owner can read (an existing file is tightened first)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    with os.fdopen(descriptor, "wb") as stream:
        os.fchmod(stream.fileno(), stat.S_IMODE(os.fstat(stream.fileno()).st_mode) & PRIVATE_FILE)
        stream.write(data)


def tighten(path: Path) -> None:
    """Take group's and others' permissions off an existing file or folder that is ours."""
    allowed = PRIVATE_FOLDER if path.is_dir() else PRIVATE_FILE
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & ~allowed:
            path.chmod(mode & allowed)
    except FileNotFoundError:
        pass
    except PermissionError:
        pass  # someone else's: not ours to change
