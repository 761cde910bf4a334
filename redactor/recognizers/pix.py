"""PIX random keys ("chave aleatória"): a UUID, 32 hex digits in groups of 8-4-4-4-12.

The other kinds of PIX key are a CPF/CNPJ, a phone or an e-mail, which their own recognizers
find (and a number right after "chave pix" is caught by the prompted recognizer). A UUID is
an identifier wherever it appears, so it is matched without context, and the groups may be
separated by spaces as a recogniser prints a key read out in pieces.
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from redactor.recognizers.base import DataPatternRecognizer

_HEX = "[0-9a-fA-F]"


class PixKeyRecognizer(DataPatternRecognizer):
    ENTITY = "PIX_KEY"
    PATTERNS = [
        Pattern(
            "uuid",
            rf"(?<![\w-]){_HEX}{{8}}(?:\s*-\s*|\s+){_HEX}{{4}}(?:\s*-\s*|\s+){_HEX}{{4}}"
            rf"(?:\s*-\s*|\s+){_HEX}{{4}}(?:\s*-\s*|\s+){_HEX}{{12}}(?![\w-])",
            0.7,
        ),
    ]
