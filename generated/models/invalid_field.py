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
class InvalidField:
    type: str | Unset = UNSET
    """ Kind of validation failure, such as `required`. """
    field: str | Unset = UNSET
    """ Name of the offending input. """
    description: str | Unset = UNSET
    """ Human-readable explanation. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def __repr__(self) -> str:
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type

        field = self.field

        description = self.description

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if type_ is not UNSET:
            field_dict["type"] = type_
        if field is not UNSET:
            field_dict["field"] = field
        if description is not UNSET:
            field_dict["description"] = description

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
            _field = "type"
            _type_ = d.pop("type", UNSET)
            type_: str | Unset
            if isinstance(_type_, Unset):
                type_ = UNSET
            else:
                type_ = check_str(_type_)

            _field = "field"
            _field = d.pop("field", UNSET)
            field: str | Unset
            if isinstance(_field, Unset):
                field = UNSET
            else:
                field = check_str(_field)

            _field = "description"
            _description = d.pop("description", UNSET)
            description: str | Unset
            if isinstance(_description, Unset):
                description = UNSET
            else:
                description = check_str(_description)

        except (TypeError, ValueError, AttributeError, KeyError) as _exception:
            raise ParseError.wrap(cls.__name__, _field, _exception) from _exception
        invalid_field = cls(
            type=type_,
            field=field,
            description=description,
        )

        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional = prop_dict

            additional_properties[prop_name] = additional

        invalid_field.additional_properties = additional_properties
        return invalid_field

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
