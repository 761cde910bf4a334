"""Street addresses as a caller gives them: "Rua das Flores, 123", "avenida paulista mil",
"calle de Alcalá 45", "42 Oak Street", "1600 pennsylvania avenue".

A street type word (rua, avenida, calle, street, road...) with the name words beside it and
the house number, in any casing. City and state names are left to the NER model and to
LOCATION; postal codes to the prompted-number recognizer.
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from redactor import languages
from redactor.recognizers.base import DataPatternRecognizer

_NAME = r"[^\W\d_][\w'’.-]*"
# Street types of every language (pooled: an address keeps its own language's words):
# said before the name ("rua", "calle") or after it ("street").
_TYPES_BEFORE = languages.pooled_regex(lambda lang: lang.street_types_before_name)
_TYPES_AFTER = languages.pooled_regex(lambda lang: lang.street_types_after_name)
_NUMBER = r"(?:,?\s*(?:n[úu]mero|nº|n\.?º?|no\.?|#)?\s*\d{1,5}[a-zA-Z]?(?!\w)|,?\s+s/n)"


class StreetAddressRecognizer(DataPatternRecognizer):
    ENTITY = "STREET_ADDRESS"
    PATTERNS = [
        # "Rua das Flores, 123", "calle de Alcalá 45, apto 3": up to five name words then
        # the house number; without a number, up to three name words
        Pattern(
            "type_name_number",
            rf"(?i)\b(?:{_TYPES_BEFORE})\s+(?:{_NAME}\s+){{0,4}}{_NAME}{_NUMBER}"
            rf"(?:\s*,?\s*(?:apartamento|apto\.?|apt\.?|piso|bloco|casa)\s*\w+)?",
            0.5,
        ),
        Pattern("type_name", rf"(?i)\b(?:{_TYPES_BEFORE})\s+(?:{_NAME}\s+){{0,2}}{_NAME}", 0.4),
        # "42 Oak Street", "1600 pennsylvania avenue nw", and a number said in groups or digit
        # by digit ("1 8, 1 7, Elm Court, apartment 5 D", the spoken view of "one eight, ...";
        # whisper's thousands comma after a space, "63 ,087 Holland Square")
        Pattern(
            "number_name_type",
            rf"(?i)\b\d{{1,6}}(?:\s?,?\s*\d{{1,5}}){{0,5}},?\s+(?:{_NAME}\s+){{1,3}}"
            rf"(?:{_TYPES_AFTER})(?![\w])"
            rf"(?:\s*,?\s*(?:apt\.?|apartment|suite|unit|#)\s*\w+(?:\s[a-zA-Z](?!\w))?)?",
            0.5,
        ),
    ]
