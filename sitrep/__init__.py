"""sitrep: conflict news reports in, a verified, source-attributed record out."""
import logging

logging.getLogger(__name__).addHandler(logging.NullHandler())
