"""The clinic's name and phone for the error page, which must show them with the database
and the cache both gone.

Each process holds the card in memory, read at start from a file next to the static
files; the file is written when Clinic settings are saved, at deploy
(`manage.py write_contact_card`) and whenever a process sees the settings differ from
what it holds. Nothing here touches the database or the cache.
"""

import json
import logging
import os
import tempfile
import threading
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_held = {}


def path():
    return Path(settings.CONTACT_CARD_FILE)


def load():
    """Read the card from its file into this process (at start); the card, or None."""
    try:
        card = json.loads(path().read_text())
    except (OSError, ValueError):
        return None
    with _lock:
        _held.clear()
        _held.update(card)
    return card


def held():
    """The card this process holds (or reads from the file), or None."""
    with _lock:
        card = dict(_held)
    return card or load()


def remember(card):
    """Hold this card and write it to the file, when it differs from the one held."""
    with _lock:
        if card == _held:
            return
        _held.clear()
        _held.update(card)
    target = path()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=target.parent, delete=False) as draft:
            json.dump(card, draft)
        os.chmod(draft.name, 0o644)
        os.replace(draft.name, target)
    except OSError as error:  # a read-only disk must not break saving the settings
        logger.warning("Could not write the error page's contact card %s: %s", target, error)


def forget():
    """Drop what this process holds (tests: a process that just started)."""
    with _lock:
        _held.clear()
