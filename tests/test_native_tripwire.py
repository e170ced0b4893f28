"""A tripwire for the Python that a compiled kernel copies rather than calls.

_extract.c reimplements the quantity regex and the code around it, _substance.c the numbering
token and the sentence normalization of Q102. The equality tests beside each kernel compare the
two on random text, but random text may miss a new alternative added to a regex. So the sources
the C copies are fingerprinted here: a change to one fails this test, whose message says which C
to change the same way (then update the fingerprint)."""

from __future__ import annotations

import hashlib
import inspect

import pytest

from fazhi.extract import quantities
from fazhi.rules import substance

COPIED = {
    # what the C copies: (its source text, fingerprint, the kernel that copies it)
    "quantities._QUANTITY": (quantities._QUANTITY, "3a0cc613ca4cbcfd", "_extract.c: match_body, quantity"),
    "quantities._NP_TAIL": (quantities._NP_TAIL, "cc5df8ca2c604679", "_extract.c: the tail trimming"),
    "quantities._NP_LEAD": (quantities._NP_LEAD, "7349ada38598ade3", "_extract.c: the lead words"),
    "quantities._VERBS": (quantities._VERBS, "9c2ab6edcf8adf83", "_extract.c: counts"),
    "quantities._FOLLOWING": (quantities._FOLLOWING, "1e42183344b4ae3f", "_extract.c: counts"),
    "quantities._LAST_NOT_HAN": (quantities._LAST_NOT_HAN, "d8437282c3886ae1", "_extract.c: counts"),
    "quantities._find_quantities": (inspect.getsource(quantities._find_quantities), "b4ab21dea7bac13f", "_extract.c: quantities"),
    "quantities._counts": (inspect.getsource(quantities._counts), "27e2f7b8e192ab79", "_extract.c: counts"),
    "quantities._clean": (inspect.getsource(quantities._clean), "bc5a4e024a034a0a", "_extract.c: counts"),
    "quantities._to_float": (inspect.getsource(quantities._to_float), "d7de9e7f35cf0190", "_extract.c: num_value"),
    "substance._NUMBERING": (substance._NUMBERING.pattern, "71c2d103acb0793d", "_substance.c: the numbering token"),
    "substance._WORDS_AND_DIGITS": (substance._WORDS_AND_DIGITS.pattern, "2fa3014c954b8cf1", "_substance.c: repeats"),
}
# Blank lines and whole-line comments are left out of the fingerprint: a comment alone does not
# trip the wire.


def fingerprint(source: str) -> str:
    lines = [ln.strip() for ln in source.splitlines()]
    kept = "\n".join(ln for ln in lines if ln and not ln.startswith("#"))
    return hashlib.sha256(kept.encode()).hexdigest()[:16]


@pytest.mark.parametrize("name", sorted(COPIED))
def test_what_a_kernel_copies_has_not_changed_unseen(name: str) -> None:
    source, pinned, where = COPIED[name]
    assert fingerprint(source) == pinned, (
        f"{name} changed: the compiled kernel copies it ({where}). Change the C the same way, run its "
        f"equality tests, then set the fingerprint here to {fingerprint(source)!r}."
    )
