"""Every exception sitrep raises, so callers can catch one base class.

    SitrepError
    ├── InputError             a source could not be read into a document; nothing of it is stored
    │   ├── MissingInputError  the file named does not exist
    │   ├── EmptyInputError    no text at all
    │   ├── BinaryInputError   not text (image, PDF, archive ...)
    │   ├── EncodingError      bytes that no text encoding explains
    │   ├── NoArticleTextError HTML with no article text after removing markup
    │   └── TooLargeError      over the size limit
    ├── ManifestError          the manifest itself is malformed
    └── StoreError             the database could not be opened or written

Messages say what happened, to which file, and what to do.
"""


class SitrepError(Exception):
    """Base class of every error sitrep raises on purpose."""


class InputError(SitrepError):
    """A source could not be turned into a document."""


class MissingInputError(InputError):
    pass


class EmptyInputError(InputError):
    pass


class BinaryInputError(InputError):
    pass


class EncodingError(InputError):
    pass


class NoArticleTextError(InputError):
    pass


class TooLargeError(InputError):
    pass


class ManifestError(SitrepError):
    pass


class StoreError(SitrepError):
    pass
