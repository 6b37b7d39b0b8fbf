"""Parsed answers read as the API spells them and print without noise."""

from __future__ import annotations

import re

import attrs

from generated.api.predictions import predictions_list
from generated.models.account import Account
from generated.models.prediction import Prediction
from generated.types import UNSET
from replicate_ext import Client


def test_fields_are_named_as_the_api_spells_them(client: Client) -> None:
    client.run("replicate/hello-world", {"text": "Alice"})
    (prediction,) = client.paginate(predictions_list).items()
    assert prediction.input.to_dict() == {"text": "Alice"}
    account = Account.from_dict({"type": "user", "username": "alice"})
    assert account.type == "user"
    assert account.to_dict() == {"type": "user", "username": "alice"}


def test_repr_shows_the_fields_that_are_set_and_no_object_address(client: Client) -> None:
    client.run("replicate/hello-world", {"text": "Alice"})
    (page,) = client.paginate(predictions_list)
    text = repr(page.results[0])
    assert text.startswith("Prediction(id=")
    assert "input=PredictionInputType0({'text': 'Alice'})" in text
    assert " at 0x" not in text
    assert "Unset" not in text
    unset = [f.name for f in attrs.fields(Prediction) if getattr(page.results[0], f.name) is UNSET]
    assert unset  # the answer leaves some out...
    assert not any(re.search(rf"\b{name}=", text) for name in unset)  # ...and so does repr()
    assert repr(Account(type="user", username="a")) == "Account(type='user', username='a')"
    assert repr(UNSET) == "UNSET"
