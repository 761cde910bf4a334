"""``python -m redactor`` is the ``redactor`` command."""

from redactor.cli import main

main()
