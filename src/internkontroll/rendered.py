"""What a format returned, checked before it reaches a file or the screen.

The document a format receives has been guarded, but a format plugin can still add text of its
own: its bytes are searched for a personnummer too, and a text format's bytes must be UTF-8.
"""

from __future__ import annotations

from internkontroll.privacy import contains_personnummer


def render_problem(content: bytes, *, binary: bool) -> str | None:
    """What is wrong with a format's bytes, in Swedish, or None."""
    if not binary:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            return "gav bytes som inte är UTF-8-text, fast formatet inte är binärt"
    else:
        text = content.decode("latin-1")  # digits are ASCII in every encoding a format may use
    if contains_personnummer(text):
        return "skrev ett personnummer; inget skrevs"
    return None
