"""Negotiation drafts (issue 6): the seeded demonstration zero draft and Rev.1, the
paragraph-by-paragraph comparison, the public pages, the PDF and the paste-a-draft page."""

from __future__ import annotations

import datetime

import pytest

from phases.drafts import demo
from phases.drafts.compare import compare
from phases.models import NegotiationDraft

pytestmark = pytest.mark.django_db


def _draft(process, key):
    return NegotiationDraft.objects.get(process=process, key=key)


def test_seed_has_the_demonstration_zero_draft_and_rev1_with_the_real_dates(gcm):
    zero, rev1 = _draft(gcm, "zero-draft"), _draft(gcm, "rev-1")
    assert zero.issued_on == datetime.date(2018, 2, 5)
    assert rev1.issued_on == datetime.date(2018, 3, 26)
    assert zero.is_demonstration and rev1.is_demonstration
    assert "demonstration" in zero.source_note.lower()
    assert zero.paragraphs.count() == len(demo.ZERO.paragraphs)
    assert list(rev1.paragraphs.values_list("number", flat=True)) == list(
        range(1, len(demo.REV1.paragraphs) + 1)
    )


def test_comparing_the_seeded_drafts_lists_exactly_the_declared_changes(gcm):
    result = compare(_draft(gcm, "zero-draft"), _draft(gcm, "rev-1"))
    expected = demo.expected_changes(demo.ZERO, demo.REV1)
    found = {
        "unchanged": {(r.old.number, r.new.number) for r in result.of_kind("unchanged")},
        "changed": {(r.old.number, r.new.number) for r in result.of_kind("changed")},
        "removed": {r.old.number for r in result.of_kind("removed")},
        "added": {r.new.number for r in result.of_kind("added")},
    }
    assert found == expected
    print(found)
