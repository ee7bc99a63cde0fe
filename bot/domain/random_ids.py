"""Unguessable ids (answers today, polls later) from the OS's random source, read in blocks."""

from __future__ import annotations

import base64
import os

_ID_BYTES = 16  # as secrets.token_urlsafe(16): 128 bits, 22 URL-safe characters
_BLOCK = 4096  # one system call for 256 ids instead of one each


class RandomIds:
    def __init__(self) -> None:
        self._buffer = b""
        self._offset = 0

    def new(self) -> str:
        if self._offset + _ID_BYTES > len(self._buffer):
            self._buffer, self._offset = os.urandom(_BLOCK), 0
        chunk = self._buffer[self._offset : self._offset + _ID_BYTES]
        self._offset += _ID_BYTES
        return base64.urlsafe_b64encode(chunk).rstrip(b"=").decode("ascii")
