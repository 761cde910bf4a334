"""Short numbers dictated a digit or a group at a time: "3 ,9 ,0", "5 -4 -6", "1 3 0 6 6",
"30, 85, 42".

A caller reads out a value this way (a CVV, a postal code, a PIN), and whisper prints it
so, with a space before each separator; an amount, a count or a time is said as a number
("390 reais", "3 dias"). Fail closed: three or more such groups are a NUMBER even when the
question that asked for them was misheard ("os três dígitos do gasto"). Amounts and dates
stay readable, as for LongNumberRecognizer, whose rules this shares.
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from redactor.recognizers.long_number import LongNumberRecognizer


class DictatedNumberRecognizer(LongNumberRecognizer):
    MIN_DIGITS = 3
    PATTERNS = [
        # groups after a space and a separator: whisper's print of digits read one by one
        Pattern("dictated_groups", r"(?<![\w.,-])\d+(?:\s+[,.-]\s*\d+){2,}(?![\w])", 0.4),
        # three or more pairs of digits, a comma after each: a value read in pairs ("30,
        # 85, 42" for an SSN whose question whisper dropped)
        Pattern("dictated_pairs", r"(?<![\w.,-])\d\d(?:,\s+\d\d){2,}(?![\w])", 0.4),
        # three or more single digits apart
        Pattern("dictated_digits", r"(?<![\w.,-])\d(?:,?\s+\d(?![\w])){2,}", 0.4),
    ]
