"""Which files may be kept as evidence: the name's extension must be one of the kinds a supervisor files
(documents, sheets, images, scans, recordings) and the first bytes must be that kind's signature, so that a
program renamed `.pdf` is refused. Pure code; the callers name the file in their own language."""

from __future__ import annotations

import os

PK = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _ftyp(head: bytes) -> bool:
    return head[4:8] == b"ftyp"


def _riff(kind: bytes) -> object:
    return lambda head: head[:4] == b"RIFF" and head[8:12] == kind


def _text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 4:  # a character cut at the end of the sample
                return True
    return False


SIGNATURES = {
    "pdf": lambda h: h.startswith(b"%PDF-"),
    "jpg": lambda h: h.startswith(b"\xff\xd8\xff"),
    "png": lambda h: h.startswith(b"\x89PNG\r\n\x1a\n"),
    "gif": lambda h: h[:6] in (b"GIF87a", b"GIF89a"),
    "webp": _riff(b"WEBP"),
    "tif": lambda h: h[:4] in (b"II*\x00", b"MM\x00*"),
    "bmp": lambda h: h.startswith(b"BM"),
    "zip": lambda h: h.startswith(PK),  # docx, xlsx, pptx, ofd, odt …
    "ole": lambda h: h.startswith(OLE),  # doc, xls, ppt, wps, et
    "mp4": _ftyp,
    "mp3": lambda h: h.startswith(b"ID3") or h[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"),
    "wav": _riff(b"WAVE"),
    "avi": _riff(b"AVI "),
    "amr": lambda h: h.startswith(b"#!AMR"),
    "text": _text,
}
EXTENSIONS = {
    ".pdf": "pdf", ".jpg": "jpg", ".jpeg": "jpg", ".png": "png", ".gif": "gif", ".webp": "webp",
    ".tif": "tif", ".tiff": "tif", ".bmp": "bmp",
    ".docx": "zip", ".xlsx": "zip", ".pptx": "zip", ".ofd": "zip", ".odt": "zip", ".ods": "zip", ".zip": "zip",
    ".doc": "ole", ".xls": "ole", ".ppt": "ole", ".wps": "ole", ".et": "ole",
    ".mp4": "mp4", ".mov": "mp4", ".m4a": "mp4", ".3gp": "mp4", ".mp3": "mp3", ".wav": "wav", ".avi": "avi",
    ".amr": "amr", ".txt": "text", ".csv": "text",
}  # fmt: skip
# Programs and scripts are refused whatever they are named.
EXECUTABLE = (b"MZ", b"\x7fELF", b"#!/", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe")
HEAD_BYTES = 512


def evidence_problem(name: str, head: bytes) -> str | None:
    """None when a file of this name starting with `head` may be kept; else why not: `extension` (a kind
    not accepted), `executable` (a program), or `content` (the bytes are not what the name says)."""
    extension = os.path.splitext(name)[1].lower()
    kind = EXTENSIONS.get(extension)
    if kind is None:
        return "extension"
    if any(head.startswith(sig) for sig in EXECUTABLE) and kind != "text":
        return "executable"
    if kind == "text" and head.startswith((b"MZ", b"\x7fELF")):
        return "executable"
    return None if SIGNATURES[kind](head) else "content"


def accepted_extensions() -> str:
    return " ".join(sorted(EXTENSIONS))
