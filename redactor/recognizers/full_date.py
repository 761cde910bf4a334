"""A full date, with its year: "2/10/1985", "1978-07-13 07:00", "March 3rd, 1985", "12 de
março de 1985", "el 3 de mayo de 1990" (the spoken view turns a year said in words into
digits first).

In a customer call a date with a year is most often a date of birth or a card's expiry,
asked for or not; a date without one ("the 12th", "12 de março") is a payment day or an
appointment and stays. Fail closed: every full date is bleeped.
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from redactor import languages
from redactor.recognizers.base import DATE_OF, MONTH, DataPatternRecognizer

_YEAR = r"(?:1[89]|20)\d{2}(?!\d)"
_DAY = rf"\d{{1,2}}(?:{languages.pooled_regex(lambda lang: lang.ordinal_suffixes)})?"
_MONTH = rf"{MONTH}\.?"  # "Mar. 3rd, 1985"


class FullDateRecognizer(DataPatternRecognizer):
    ENTITY = "DATE"
    PATTERNS = [
        # 2/10/1985, 13.07.1978, 1978-07-13 07:00:28
        Pattern("numeric", rf"(?<![\d/.-])\d{{1,2}}([/.-])\d{{1,2}}\1{_YEAR}", 0.6),
        Pattern(
            "iso",
            rf"(?<![\d/.-]){_YEAR}-\d{{1,2}}-\d{{1,2}}(?:[ T]\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?",
            0.6,
        ),
        # 12 de março de 1985, the 3rd of March 1985, March 3rd, 1985
        Pattern(
            "day_month_year", rf"(?i)(?<!\d)(?:the\s+)?{_DAY}{DATE_OF}{_MONTH}{DATE_OF}{_YEAR}", 0.6
        ),
        Pattern("month_day_year", rf"(?i)\b{_MONTH}\s+(?:the\s+)?{_DAY}{DATE_OF}{_YEAR}", 0.6),
    ]
