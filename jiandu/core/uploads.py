"""Uploaded files that wait on the server between a check and its confirmation.

A file is stored under `DATA_DIR/<folder>/<user id>-<token>` with a small JSON of what the page needs
(its name, its kind); another user's token is a 404, and files older than `KEEP_SECONDS` are removed at the
next upload. Every page reads and checks the file again, so nothing written ever comes from the browser.
"""

from __future__ import annotations

import json
import secrets
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import Http404

KEEP_SECONDS = 24 * 3600


class PendingUploads:
    def __init__(self, folder: str) -> None:
        self.folder_name = folder

    def folder(self) -> Path:
        folder = Path(settings.DATA_DIR) / self.folder_name
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def paths(self, user: Any, token: str) -> tuple[Path, Path]:
        if not token.replace("-", "").replace("_", "").isalnum():
            raise Http404
        base = self.folder() / f"{user.pk}-{token}"
        return base.with_suffix(".bin"), base.with_suffix(".json")

    def save(self, user: Any, upload: Any, meta: dict[str, Any]) -> str:
        """Store an uploaded file (chunk by chunk) and its metadata; the token that names them."""
        self._clean_old()
        token = secrets.token_urlsafe(18).replace("-", "x").replace("_", "y")
        data_path, meta_path = self.paths(user, token)
        with data_path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        meta_path.write_text(json.dumps(meta), encoding="utf-8")
        return token

    def load(self, user: Any, token: str) -> tuple[bytes, dict[str, Any]]:
        """The file's bytes and metadata; 404 for a token of another user, or gone."""
        data_path, meta_path = self.paths(user, token)
        if not data_path.is_file() or not meta_path.is_file():
            raise Http404
        return data_path.read_bytes(), json.loads(meta_path.read_text(encoding="utf-8"))

    def discard(self, user: Any, token: str) -> None:
        for path in self.paths(user, token):
            path.unlink(missing_ok=True)

    def _clean_old(self) -> None:
        limit = time.time() - KEEP_SECONDS
        for path in self.folder().iterdir():
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
