"""E-mail addresses written out ("maria.silva@gmail.com"), as whisper sometimes prints them.

Presidio's e-mail recognizer, with its domain check (tldextract), and a pattern of our own:
Presidio's lets the user name run on without end, so on a long run of characters with no
space before an "@" (a loop whisper printed) each start is tried to the end of the run,
quadratic time, and a call of ~30,000 such characters ran past the regex time-out (the call
failed closed). Here a user name starts only where a run of the characters it may hold
starts, and takes the whole run (possessive): each run is read once, linear time. It keeps
Presidio's name, so a configuration that switches "EmailRecognizer" off still does.
"""

from __future__ import annotations

from presidio_analyzer import Pattern
from presidio_analyzer.predefined_recognizers import EmailRecognizer

#: Characters an address's user name may hold.
_USER = r"[\w.!#$%&'*+/=?^`{|}~-]"
#: A domain label with inner hyphens ("g-mail"), possessive: never given back in part.
_LABEL = r"\w++(?:-++\w++)*+"


class WrittenEmailRecognizer(EmailRecognizer):
    PATTERNS = [
        Pattern(
            "email_written",
            rf"(?<!{_USER}){_USER}++@{_LABEL}(?:\.{_LABEL})++",
            0.5,
        ),
    ]

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(
            patterns=self.PATTERNS,
            supported_language=supported_language,
            name="EmailRecognizer",
        )
