"""The review site's script and style sheet, copied into every site by redactor/review.py."""
