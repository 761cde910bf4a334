"""Synthetic calls with exact ground truth, to measure redaction in seconds of audio bleeped.

Not part of the installed package: a development tool, like samples/ and bench/.
"""
