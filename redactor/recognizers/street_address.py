"""Street addresses as a caller gives them: "Rua das Flores, 123", "avenida paulista mil",
"calle de Alcalá 45", "42 Oak Street", "1600 pennsylvania avenue".

A street type word (rua, avenida, calle, street, road...) with the name words beside it and
the house number, in any casing. City and state names are left to the NER model and to
LOCATION; postal codes to the prompted-number recognizer.
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from redactor.recognizers.base import DataPatternRecognizer

_NAME = r"[^\W\d_][\w'’.-]*"
_PT_ES_TYPES = (
    r"rua|r\.|avenida|av\.?|travessa|alameda|estrada|rodovia|praça|largo|viela|"
    r"calle|c/|paseo|plaza|camino|carretera|carrera|ronda|glorieta|callejón|pasaje|vía"
)
_EN_TYPES = (
    r"street|st\.?|avenue|ave\.?|road|rd\.?|lane|ln\.?|drive|dr\.?|boulevard|blvd\.?|way|"
    r"court|ct\.?|place|pl\.?|terrace|parkway|circle|highway|hwy\.?"
)
_NUMBER = r"(?:,?\s*(?:n[úu]mero|nº|n\.?º?|no\.?|#)?\s*\d{1,5}[a-zA-Z]?(?!\w)|,?\s+s/n)"


class StreetAddressRecognizer(DataPatternRecognizer):
    ENTITY = "STREET_ADDRESS"
    PATTERNS = [
        # "Rua das Flores, 123", "calle de Alcalá 45, apto 3": up to five name words then
        # the house number; without a number, up to three name words
        Pattern(
            "type_name_number",
            rf"(?i)\b(?:{_PT_ES_TYPES})\s+(?:{_NAME}\s+){{0,4}}{_NAME}{_NUMBER}"
            rf"(?:\s*,?\s*(?:apartamento|apto\.?|apt\.?|piso|bloco|casa)\s*\w+)?",
            0.5,
        ),
        Pattern("type_name", rf"(?i)\b(?:{_PT_ES_TYPES})\s+(?:{_NAME}\s+){{0,2}}{_NAME}", 0.4),
        # "42 Oak Street", "1600 pennsylvania avenue nw"
        Pattern(
            "number_name_type",
            rf"(?i)\b\d{{1,6}}\s+(?:{_NAME}\s+){{1,3}}(?:{_EN_TYPES})(?![\w])"
            rf"(?:\s*,?\s*(?:apt\.?|apartment|suite|unit|#)\s*\w+)?",
            0.5,
        ),
    ]
    CONTEXT = {
        "pt": ["moro", "endereço", "entrega", "residência", "cep"],
        "es": ["vivo", "dirección", "domicilio", "entrega"],
        "en": ["live", "address", "ship", "deliver", "zip"],
    }
