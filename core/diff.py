"""Word-level differences between two texts, for reviewers reading proposed changes.

The texts are split into words, punctuation marks and runs of whitespace, so a
changed sentence shows as that sentence and paragraph breaks survive as they are.
Rendering escapes every piece of user text; the markup is <del>/<ins> with
visually hidden labels, because colour alone and CSS-generated text are not read
reliably by screen readers.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

# A token is a word (with its inner apostrophes and hyphens: кав'ярня, well-known)
# or any other single non-space character, each with the whitespace before it, so
# line breaks survive and no token is a bare space repeated all over the text
# (which would make matching quadratic); trailing whitespace is a token of its own.
TOKEN = re.compile(r"\s*(?:\w+(?:['’ʼ\-]\w+)*|[^\w\s])|\s+", re.UNICODE)

EQUAL, INSERT, DELETE = "equal", "insert", "delete"
MAX_WORK = 4_000_000  # tokens of the old text times tokens of the new one
CHANGE = "change"  # a deletion and/or insertion, before it is split into segments


@dataclass(frozen=True)
class DiffSegment:
    """A run of text that both texts share, or that one of them alone has."""

    kind: Literal["equal", "insert", "delete"]
    text: str


def tokenize(text: str) -> list[str]:
    """Split `text` into tokens that join back into exactly `text`."""
    return TOKEN.findall(text)


def diff_words(old: str, new: str) -> list[DiffSegment]:
    """The segments that turn `old` into `new`, word by word; deletions come before
    the insertions that replace them."""
    old_tokens, new_tokens = tokenize(old or ""), tokenize(new or "")
    # The shared start and end are matched first: SequenceMatcher's longest-block
    # heuristic can misalign repetitive text, and the middle is faster to compare.
    head = _common_length(old_tokens, new_tokens)
    tail = _common_length(old_tokens[head:][::-1], new_tokens[head:][::-1])
    old_middle = old_tokens[head : len(old_tokens) - tail]
    new_middle = new_tokens[head : len(new_tokens) - tail]
    chunks = [_Chunk(EQUAL, old_tokens[:head], old_tokens[:head])]
    # autojunk would treat frequent tokens (spaces, "the") of long texts as junk.
    matcher = SequenceMatcher(None, old_middle, new_middle, autojunk=False)
    opcodes = [("replace", 0, len(old_middle), 0, len(new_middle))]
    # Matching costs up to the product of the lengths (for very repetitive text):
    # past a few thousand changed words, one replacement beats holding the page up.
    if len(old_middle) * len(new_middle) <= MAX_WORK:
        opcodes = matcher.get_opcodes()
    for tag, i1, i2, j1, j2 in opcodes:
        removed, added = old_middle[i1:i2], new_middle[j1:j2]
        if tag == "equal":
            chunks.append(_Chunk(EQUAL, removed, added))
        elif removed and added and _same_but_spacing(removed, added):
            # Only the whitespace before the words changed (a new paragraph).
            rest = "".join(removed).lstrip()
            old_space = "".join(removed)[: -len(rest)]
            new_space = "".join(added)[: -len(rest)]
            chunks.append(_Chunk(CHANGE, [old_space], [new_space]))
            chunks.append(_Chunk(EQUAL, [rest], [rest]))
        else:
            chunks.append(_Chunk(CHANGE, removed, added))
    suffix = old_tokens[len(old_tokens) - tail :]
    chunks.append(_Chunk(EQUAL, suffix, suffix))
    chunks = _absorb_lone_spaces([chunk for chunk in chunks if chunk.old or chunk.new])
    _slide_to_word_boundaries(chunks)
    segments: list[DiffSegment] = []
    for chunk in chunks:
        if chunk.kind == EQUAL:
            _append(segments, EQUAL, chunk.old)
        else:
            _append(segments, DELETE, chunk.old)
            _append(segments, INSERT, chunk.new)
    return segments


@dataclass
class _Chunk:
    """Tokens both texts share (equal), or tokens one of them replaces (change)."""

    kind: str
    old: list[str]
    new: list[str]


def _same_but_spacing(removed: list[str], added: list[str]) -> bool:
    old_text, new_text = "".join(removed), "".join(added)
    return old_text != new_text and old_text.lstrip() == new_text.lstrip() != ""


def _common_length(first: list[str], second: list[str]) -> int:
    """How many tokens the two lists share from their start."""
    length = 0
    for one, other in zip(first, second, strict=False):
        if one != other:
            break
        length += 1
    return length


def _absorb_lone_spaces(chunks: list[_Chunk]) -> list[_Chunk]:
    """Merge a whitespace-only match between two changes into them, so that
    "old words" → "new words" reads as one replacement, not word-by-word flicker."""
    merged: list[_Chunk] = []
    for index, chunk in enumerate(chunks):
        between_changes = (
            chunk.kind == EQUAL
            and not "".join(chunk.old).strip()
            and merged
            and merged[-1].kind == CHANGE
            and index + 1 < len(chunks)
            and chunks[index + 1].kind == CHANGE
        )
        if between_changes or (
            chunk.kind == CHANGE and merged and merged[-1].kind == CHANGE
        ):
            merged[-1].old = merged[-1].old + chunk.old
            merged[-1].new = merged[-1].new + chunk.new
        else:
            merged.append(_Chunk(chunk.kind, list(chunk.old), list(chunk.new)))
    return merged


def _boundary_score(before: str | None, after: str | None) -> int:
    """How natural the place between two tokens is for an edit to start or end."""
    if before is None or after is None:
        return 6
    space = after[: len(after) - len(after.lstrip())] or before[len(before.rstrip()) :]
    if space.count("\n") > 1:
        return 5
    if "\n" in space:
        return 4
    if space and before.rstrip()[-1:] in (".", "!", "?", "…"):
        return 3
    if space:
        return 2
    if not before[-1].isalnum() or not after[0].isalnum():
        return 1
    return 0


def _slide_to_word_boundaries(chunks: list[_Chunk]) -> None:
    """Move each pure insertion or deletion along its equal neighbours to where it
    starts and ends most naturally: "do.[¶New text.]" rather than "do[.¶New text]."."""
    for index, chunk in enumerate(chunks):
        if chunk.kind != CHANGE or (chunk.old and chunk.new):
            continue
        before = chunks[index - 1] if index > 0 else None
        after = chunks[index + 1] if index + 1 < len(chunks) else None
        left = before.old if before else []
        edit = chunk.old or chunk.new
        right = after.old if after else []
        # Rotating the edit through an equal token keeps both texts as they are.
        while left and left[-1] == edit[-1]:
            left, edit, right = left[:-1], [left[-1], *edit[:-1]], [left[-1], *right]
        best = (left, edit, right)
        best_score = _placement_score(*best)
        while right and right[0] == edit[0]:
            left, edit, right = [*left, edit[0]], [*edit[1:], edit[0]], right[1:]
            score = _placement_score(left, edit, right)
            if score > best_score:
                best, best_score = (left, edit, right), score
        left, edit, right = best
        if before:
            before.old = before.new = left
        if after:
            after.old = after.new = right
        if chunk.old:
            chunk.old = edit
        else:
            chunk.new = edit


def _placement_score(left: list[str], edit: list[str], right: list[str]) -> int:
    return _boundary_score(left[-1] if left else None, edit[0]) + _boundary_score(
        edit[-1], right[0] if right else None
    )


def _append(segments: list[DiffSegment], kind: str, tokens: list[str]) -> None:
    if not tokens:
        return
    if segments and segments[-1].kind == kind:
        segments[-1] = DiffSegment(kind, segments[-1].text + "".join(tokens))
    else:
        segments.append(DiffSegment(kind, "".join(tokens)))


def render_diff(segments: list[DiffSegment]) -> SafeString:
    """The segments as escaped HTML: shared text as is, deletions in <del> and
    insertions in <ins>, each opened and closed by a label for screen readers."""
    marked = {
        DELETE: (
            '<del><span class="visually-hidden">{} </span>{}'
            '<span class="visually-hidden"> {}</span></del>',
            gettext("Deleted text:"),
            gettext("End of deleted text."),
        ),
        INSERT: (
            '<ins><span class="visually-hidden">{} </span>{}'
            '<span class="visually-hidden"> {}</span></ins>',
            gettext("Added text:"),
            gettext("End of added text."),
        ),
    }
    pieces = []
    for segment in segments:
        if segment.kind == EQUAL:
            pieces.append(conditional_escape(segment.text))
        else:
            # Spaces and line breaks at the edges stay outside the mark: a
            # highlighted paragraph break or leading space reads as noise.
            text = segment.text.strip()
            before = segment.text[: len(segment.text) - len(segment.text.lstrip())]
            after = segment.text[len(segment.text.rstrip()) :]
            template, start, end = marked[segment.kind]
            if not text:
                # Only a change of line breaks is worth a visible mark.
                kept = segment.text if segment.kind == INSERT else ""
                text = "¶" if "\n" in segment.text else ""
                before, after = "", kept
            pieces.append(before)
            if text:
                pieces.append(format_html(template, start, text, end))
            pieces.append(after)
    return format_html_join("", "{}", ((piece,) for piece in pieces))
