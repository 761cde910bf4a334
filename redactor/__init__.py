"""redactor: find and remove personal data from recorded customer-service calls."""

__version__ = "0.1.0"
