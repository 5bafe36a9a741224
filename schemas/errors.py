"""Errors raised when a value does not fit the registry's vocabularies or identifier rules."""


class VocabularyError(ValueError):
    """Report a value that is not in a controlled vocabulary, saying what was expected."""


class IdentifierError(ValueError):
    """Report an identifier that breaks its scheme's format or check-character rule."""
