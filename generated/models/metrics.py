from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import ParseError
from ..types import (
    UNSET,
    Unset,
    check_float,
    check_int,
    kind_of,
    model_repr,
)


@_attrs_define
class Metrics:
    """Measurements of a finished run; more keys may appear."""

    predict_time: float | Unset = UNSET
    """ Seconds the model spent running. """
    total_time: float | Unset = UNSET
    """ Seconds from creation to completion. """
    input_token_count: int | Unset = UNSET
    """ Tokens in the input of a language model. """
    output_token_count: int | Unset = UNSET
    """ Tokens a language model produced. """
    tokens_per_second: float | Unset = UNSET
    """ Output tokens per second of predict time. """
    time_to_first_token: float | Unset = UNSET
    """ Seconds until the first output token. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def __repr__(self) -> str:
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        predict_time = self.predict_time

        total_time = self.total_time

        input_token_count = self.input_token_count

        output_token_count = self.output_token_count

        tokens_per_second = self.tokens_per_second

        time_to_first_token = self.time_to_first_token

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if predict_time is not UNSET:
            field_dict["predict_time"] = predict_time
        if total_time is not UNSET:
            field_dict["total_time"] = total_time
        if input_token_count is not UNSET:
            field_dict["input_token_count"] = input_token_count
        if output_token_count is not UNSET:
            field_dict["output_token_count"] = output_token_count
        if tokens_per_second is not UNSET:
            field_dict["tokens_per_second"] = tokens_per_second
        if time_to_first_token is not UNSET:
            field_dict["time_to_first_token"] = time_to_first_token

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        if not isinstance(src_dict, Mapping):
            raise ParseError(cls.__name__, "", f"expected an object, got {kind_of(src_dict)}")
        d = dict(src_dict)
        # Each value is read and checked in turn; whatever goes wrong is one
        # ParseError that names the field.
        _field = ""
        try:
            _field = "predict_time"
            _predict_time = d.pop("predict_time", UNSET)
            predict_time: float | Unset
            if isinstance(_predict_time, Unset):
                predict_time = UNSET
            else:
                predict_time = check_float(_predict_time)

            _field = "total_time"
            _total_time = d.pop("total_time", UNSET)
            total_time: float | Unset
            if isinstance(_total_time, Unset):
                total_time = UNSET
            else:
                total_time = check_float(_total_time)

            _field = "input_token_count"
            _input_token_count = d.pop("input_token_count", UNSET)
            input_token_count: int | Unset
            if isinstance(_input_token_count, Unset):
                input_token_count = UNSET
            else:
                input_token_count = check_int(_input_token_count)

            _field = "output_token_count"
            _output_token_count = d.pop("output_token_count", UNSET)
            output_token_count: int | Unset
            if isinstance(_output_token_count, Unset):
                output_token_count = UNSET
            else:
                output_token_count = check_int(_output_token_count)

            _field = "tokens_per_second"
            _tokens_per_second = d.pop("tokens_per_second", UNSET)
            tokens_per_second: float | Unset
            if isinstance(_tokens_per_second, Unset):
                tokens_per_second = UNSET
            else:
                tokens_per_second = check_float(_tokens_per_second)

            _field = "time_to_first_token"
            _time_to_first_token = d.pop("time_to_first_token", UNSET)
            time_to_first_token: float | Unset
            if isinstance(_time_to_first_token, Unset):
                time_to_first_token = UNSET
            else:
                time_to_first_token = check_float(_time_to_first_token)

        except (TypeError, ValueError, AttributeError, KeyError) as _exception:
            raise ParseError.wrap(cls.__name__, _field, _exception) from _exception
        metrics = cls(
            predict_time=predict_time,
            total_time=total_time,
            input_token_count=input_token_count,
            output_token_count=output_token_count,
            tokens_per_second=tokens_per_second,
            time_to_first_token=time_to_first_token,
        )

        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional = prop_dict

            additional_properties[prop_name] = additional

        metrics.additional_properties = additional_properties
        return metrics

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
