from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import ParseError
from ..types import (
    UNSET,
    Unset,
    check_str,
    kind_of,
    model_repr,
)


@_attrs_define
class PredictionUrls:
    """Links to act on a prediction."""

    get: str
    """ Fetch the current state. """
    cancel: str
    """ Cancel it (POST). """
    web: str | Unset = UNSET
    """ The prediction's page on the website. """
    stream: str | Unset = UNSET
    """ Server-sent events of its output; only for models that stream. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def __repr__(self) -> str:
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        get = self.get

        cancel = self.cancel

        web = self.web

        stream = self.stream

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "get": get,
                "cancel": cancel,
            }
        )
        if web is not UNSET:
            field_dict["web"] = web
        if stream is not UNSET:
            field_dict["stream"] = stream

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
            _field = "get"
            get = check_str(d.pop("get"))

            _field = "cancel"
            cancel = check_str(d.pop("cancel"))

            _field = "web"
            _web = d.pop("web", UNSET)
            web: str | Unset
            if isinstance(_web, Unset):
                web = UNSET
            else:
                web = check_str(_web)

            _field = "stream"
            _stream = d.pop("stream", UNSET)
            stream: str | Unset
            if isinstance(_stream, Unset):
                stream = UNSET
            else:
                stream = check_str(_stream)

        except (TypeError, ValueError, AttributeError, KeyError) as _exception:
            raise ParseError.wrap(cls.__name__, _field, _exception) from _exception
        prediction_urls = cls(
            get=get,
            cancel=cancel,
            web=web,
            stream=stream,
        )

        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional = prop_dict

            additional_properties[prop_name] = additional

        prediction_urls.additional_properties = additional_properties
        return prediction_urls

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
