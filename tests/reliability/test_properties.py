"""Properties, checked by Hypothesis over generated inputs.

* Model references: `parse_ref` agrees with an independent oracle on valid forms and
  on near misses (every other string is rejected with the one message).
* Input encoding: any nesting of dicts, lists and tuples with paths, bytes, binary
  files and `FileOutput`s becomes JSON with exactly the files replaced, in every
  file encoding; an unsendable value anywhere is named by its key path.
* Webhooks: replays outside the tolerance fail, inside pass; a valid signature among
  any junk entries passes, junk alone never does. (Changing the id, timestamp, body,
  signature or secret is tests/test_webhooks.py::test_any_tampering_fails.)
* SSE parsing under any chunking is tests/test_sse.py::test_any_chunking_yields_the_same_events
  and test_bytewise_feeding_yields_the_same_events; the figures count them too.
"""

from __future__ import annotations

import base64
import io
import itertools
import json
import math
import string
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from replicate_ext import WebhookVerificationError, sign_webhook, verify_webhook
from replicate_ext._files import FileOutput, decode_data_url, encode_input
from replicate_ext._refs import ACCEPTED_FORMS, Ref, parse_ref

from .conftest import examples

# -- model references --------------------------------------------------------------------------

_FIRST = set(string.ascii_letters + string.digits + "_")
_REST = _FIRST | set(".-")
_HEX = set("0123456789abcdef")


def _is_name(text: str) -> bool:
    return bool(text) and text[0] in _FIRST and all(c in _REST for c in text)


def _is_version(text: str) -> bool:
    return len(text) == 64 and all(c in _HEX for c in text)


def oracle(ref: str) -> Ref | None:
    """What a reference means, decided without regular expressions."""
    if _is_version(ref):
        return Ref("version", version=ref)
    head, colon, version = ref.partition(":")
    if colon and not _is_version(version):
        return None
    parts = head.split("/")
    if len(parts) == 3 and parts[0] == "deployments" and not colon:
        owner, name = parts[1:]
        return Ref("deployment", owner, name) if _is_name(owner) and _is_name(name) else None
    if len(parts) == 2 and _is_name(parts[0]) and _is_name(parts[1]):
        return Ref("version", *parts, version) if colon else Ref("model", *parts)
    return None


names = st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,24}", fullmatch=True)
versions = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)
valid_refs = st.one_of(
    st.builds(lambda o, n: f"{o}/{n}", names, names),
    st.builds(lambda o, n, v: f"{o}/{n}:{v}", names, names, versions),
    versions,
    st.builds(lambda o, n: f"deployments/{o}/{n}", names, names),
)
_noise = st.sampled_from([*"/:.-_ aZ09\n\t?#%@é", "deployments/", "..", "//", "0" * 64])


@st.composite
def near_misses(draw: st.DrawFn) -> str:
    """A valid reference with a few characters inserted, removed or replaced."""
    ref = draw(valid_refs)
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(ref)))
        edit = draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = draw(_noise)
        if edit == "insert":
            ref = ref[:at] + piece + ref[at:]
        elif edit == "delete":
            ref = ref[:at] + ref[at + 1 :]
        else:
            ref = ref[:at] + piece + ref[at + 1 :]
    return ref


@settings(max_examples=examples(100))
@given(valid_refs)
def test_every_valid_reference_is_accepted_as_what_it_says(ref: str) -> None:
    parsed = parse_ref(ref)
    assert parsed == oracle(ref)
    rebuilt = {
        "model": f"{parsed.owner}/{parsed.name}",
        "version": f"{parsed.owner}/{parsed.name}:{parsed.version}"
        if parsed.owner
        else parsed.version,
        "deployment": f"deployments/{parsed.owner}/{parsed.name}",
    }[parsed.kind]
    assert rebuilt == ref


@settings(max_examples=examples(150))
@given(st.one_of(near_misses(), st.text(max_size=80), st.text(alphabet="ab/:-_.0", max_size=20)))
def test_every_other_string_is_rejected_with_the_accepted_forms(ref: str) -> None:
    expected = oracle(ref)
    if expected is not None:
        assert parse_ref(ref) == expected
        return
    with pytest.raises(ValueError, match="invalid model reference") as info:
        parse_ref(ref)
    assert str(info.value) == f"invalid model reference {ref!r}: expected {ACCEPTED_FORMS}"


# -- input encoding -----------------------------------------------------------------------------

_files_dir = Path(tempfile.mkdtemp(prefix="reliability-inputs-"))
_file_numbers = itertools.count()


def _written(content: bytes) -> Path:
    path = _files_dir / f"input-{next(_file_numbers)}.bin"
    path.write_bytes(content)
    return path


class _Sent:
    """A file input and the bytes it must arrive as."""

    def __init__(self, value: Any, content: bytes) -> None:
        self.value = value
        self.content = content

    def __repr__(self) -> str:
        return f"_Sent({type(self.value).__name__}, {len(self.content)} bytes)"


_contents = st.binary(max_size=300)
_file_inputs = st.one_of(
    _contents.map(lambda b: _Sent(b, b)),
    _contents.map(lambda b: _Sent(bytearray(b), b)),
    _contents.map(lambda b: _Sent(io.BytesIO(b), b)),
    _contents.map(lambda b: _Sent(_written(b), b)),
)
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
)
_urls = st.builds(
    lambda n: FileOutput(f"https://replicate.delivery/out/{n}.png"), st.integers(0, 99)
)
_keys = st.text(max_size=10)
_trees = st.recursive(
    st.one_of(_scalars, _file_inputs, _urls),
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.lists(children, max_size=3).map(tuple),
        st.dictionaries(_keys, children, max_size=4),
    ),
    max_leaves=16,
)
_inputs = st.dictionaries(_keys, _trees, max_size=5)


def _unwrap(tree: Any) -> Any:
    """The input as a caller passes it: the file objects, not their expected bytes."""
    if isinstance(tree, _Sent):
        if isinstance(tree.value, io.BytesIO):
            tree.value.seek(0)
        return tree.value
    if isinstance(tree, dict):
        return {k: _unwrap(v) for k, v in tree.items()}
    if isinstance(tree, list):
        return [_unwrap(v) for v in tree]
    if isinstance(tree, tuple):
        return tuple(_unwrap(v) for v in tree)
    return tree


def _compare(tree: Any, encoded: Any, path: str, mode: str, files: dict[str, bytes]) -> None:
    if isinstance(tree, _Sent):
        if mode == "upload":
            assert encoded is None, path  # its URL goes here once uploaded
            files[path] = tree.content
        else:
            assert isinstance(encoded, str), path
            assert encoded.startswith("data:"), path
            assert decode_data_url(encoded) == tree.content, path
    elif isinstance(tree, FileOutput):
        assert encoded == tree.url
    elif isinstance(tree, dict):
        assert isinstance(encoded, dict)
        assert list(encoded) == list(tree)
        for key, value in tree.items():
            _compare(value, encoded[key], f"{path}[{key!r}]", mode, files)
    elif isinstance(tree, (list, tuple)):
        assert isinstance(encoded, list)
        assert len(encoded) == len(tree)
        for index, value in enumerate(tree):
            _compare(value, encoded[index], f"{path}[{index}]", mode, files)
    else:
        assert encoded == tree
        assert type(encoded) is type(tree)


def _read(upload: Any) -> bytes:
    with upload.open() as file:
        return bytes(file.read())


@settings(max_examples=examples(50))
@given(_inputs, st.sampled_from(["auto", "data_uri", "upload"]))
def test_any_nesting_round_trips_to_json_with_the_files_replaced(
    tree: dict[str, Any], mode: str
) -> None:
    value = _unwrap(tree)
    encoded, uploads = encode_input(value, mode)  # type: ignore[arg-type]
    files: dict[str, bytes] = {}
    _compare(tree, encoded, "input", mode, files)
    # Every file to upload is listed once, at its key path, with its bytes.
    assert {u.key_path: _read(u) for u in uploads} == files
    assert len(uploads) == len(files)
    for number, upload in enumerate(uploads):
        assert upload.container[upload.key] is None
        upload.container[upload.key] = f"https://api.replicate.com/v1/files/f{number}"
    # The placeholders live in the very structure returned, so filling them fills it.
    containers = _containers(encoded)
    assert all(id(upload.container) in containers for upload in uploads)
    text = json.dumps(encoded, allow_nan=False)
    assert json.loads(text) == encoded
    assert text.count("https://api.replicate.com/v1/files/f") == len(uploads)
    assert _unwrap(tree) == value  # the caller's input is left as it was


def _containers(value: Any) -> set[int]:
    found: set[int] = set()
    if isinstance(value, (dict, list)):
        found.add(id(value))
        for item in value.values() if isinstance(value, dict) else value:
            found |= _containers(item)
    return found


class _Opaque:
    """Nothing JSON can carry."""


_json_trees = st.recursive(
    _scalars,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_keys, children, max_size=3),
    max_leaves=8,
)
_steps = st.lists(st.one_of(_keys, st.integers(0, 3)), min_size=1, max_size=5)
_unsendable = st.sampled_from([_Opaque(), {1, 2}, 1j, object, len, frozenset(), range(2)])


@settings(max_examples=examples(40))
@given(_steps, _unsendable, st.data())
def test_an_unsendable_value_anywhere_is_named_by_its_key_path(
    steps: list[str | int], bad: Any, data: st.DataObject
) -> None:
    assume(isinstance(steps[0], str))  # the input itself is a mapping
    value: Any = bad
    for step in reversed(steps):
        if isinstance(step, str):
            siblings = data.draw(st.dictionaries(_keys, _json_trees, max_size=3))
            siblings.pop(step, None)
            value = {**siblings, step: value}
        else:
            before = data.draw(st.lists(_json_trees, min_size=step, max_size=step))
            after = data.draw(st.lists(_json_trees, max_size=2))
            value = [*before, value, *after]
    path = "input" + "".join(f"[{step!r}]" for step in steps)
    with pytest.raises(TypeError) as info:
        encode_input(value)
    assert str(info.value).startswith(path + " ")


# -- webhooks -----------------------------------------------------------------------------------

SECRET = "whsec_" + base64.b64encode(b"reliability webhook key").decode()
MSG_ID = "msg_reliability"
BODY = b'{"id": "p1", "status": "succeeded"}'
SENT_AT = 1_700_000_000


def _headers(signature: str, timestamp: int = SENT_AT) -> dict[str, str]:
    return {
        "webhook-id": MSG_ID,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature,
    }


@settings(max_examples=examples(150))
@given(
    st.one_of(st.integers(0, 10**6), st.floats(0, 10**6, allow_nan=False)),
    st.one_of(st.integers(-(2 * 10**6), 2 * 10**6), st.floats(-(2 * 10**6), 2 * 10**6)),
)
def test_replays_outside_the_tolerance_fail_and_inside_pass(
    tolerance: float, offset: float
) -> None:
    signature = sign_webhook(SECRET, MSG_ID, SENT_AT, BODY)
    now = SENT_AT + offset
    age = now - SENT_AT  # as the verifier sees it, floating point included
    if -tolerance <= age <= tolerance:
        verify_webhook(_headers(signature), BODY, SECRET, tolerance=tolerance, now=now)
    else:
        expected = "timestamp too old" if age > tolerance else "timestamp in the future"
        with pytest.raises(WebhookVerificationError, match=expected):
            verify_webhook(_headers(signature), BODY, SECRET, tolerance=tolerance, now=now)
    assert math.isfinite(now)


_right = sign_webhook(SECRET, MSG_ID, SENT_AT, BODY)
_right_payload = _right.removeprefix("v1,")
_junk_entries = st.one_of(
    st.binary(min_size=1, max_size=40).map(lambda b: "v1," + base64.b64encode(b).decode()),
    st.sampled_from(
        [
            f"v2,{_right_payload}",
            f"v1{_right_payload}",
            _right_payload,
            f"v1,{_right_payload[:-1]}",
            f"V1,{_right_payload}",
            "v1,",
            ",",
            "v1",
        ]
    ),
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Zs", "Zl", "Zp", "Cc")),
        min_size=1,
        max_size=30,
    ),
).filter(lambda entry: entry != _right)
_gaps = st.sampled_from([" ", "  ", "\t", " \t "])


@settings(max_examples=examples(80))
@given(st.lists(_junk_entries, max_size=6), st.data())
def test_a_valid_signature_among_any_junk_passes_and_junk_alone_fails(
    junk: list[str], data: st.DataObject
) -> None:
    at = data.draw(st.integers(0, len(junk)))
    entries = [*junk[:at], _right, *junk[at:]]
    joined = "".join(entry + data.draw(_gaps) for entry in entries)
    verify_webhook(_headers(joined), BODY, SECRET, now=SENT_AT)
    if junk:
        alone = " ".join(junk)
        with pytest.raises(WebhookVerificationError, match="no matching signature"):
            verify_webhook(_headers(alone), BODY, SECRET, now=SENT_AT)
