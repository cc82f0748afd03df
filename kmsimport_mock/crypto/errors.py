"""The two ways key material can fail in crypto: it does not unwrap, or it does not fit."""

from __future__ import annotations


class UnwrapError(Exception):
    """The encrypted key material does not decrypt under this wrapping key and algorithm."""


class IncorrectMaterial(Exception):
    """The plaintext key material does not fit the KMS key's KeySpec.

    Messages name the problem (a length, a curve, a format) and never quote the material:
    it is someone's private key, even in a test.
    """


__all__ = ["IncorrectMaterial", "UnwrapError"]
