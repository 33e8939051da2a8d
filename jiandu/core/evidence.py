"""The one check of an uploaded evidence file's kind (jiandu/lib/filetypes), in the user's language; the
ledger's evidence and the rectification reports' files both go through it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from jiandu.lib.filetypes import HEAD_BYTES, accepted_extensions, evidence_problem


def evidence_file_error(upload: Any) -> str | None:
    """Why this upload cannot be kept as evidence, naming the file; None when it can."""
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    problem = evidence_problem(upload.name or "", head)
    if problem is None:
        return None
    if problem == "extension":
        return _("%(name)s: this kind of file is not accepted as evidence; accepted: %(kinds)s.") % {
            "name": upload.name,
            "kinds": accepted_extensions(),
        }
    if problem == "executable":
        return _("%(name)s is a program, not a document: it is refused.") % {"name": upload.name}
    return _("%(name)s is not what its name says (its content is not a %(extension)s file).") % {
        "name": upload.name,
        "extension": (upload.name or "").rsplit(".", 1)[-1].lower(),
    }
