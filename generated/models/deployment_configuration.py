from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import ParseError
from ..types import (
    UNSET,
    Unset,
    check_int,
    check_str,
    kind_of,
    model_repr,
)


@_attrs_define
class DeploymentConfiguration:
    hardware: str | Unset = UNSET
    min_instances: int | Unset = UNSET
    max_instances: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def __repr__(self) -> str:
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        hardware = self.hardware

        min_instances = self.min_instances

        max_instances = self.max_instances

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if hardware is not UNSET:
            field_dict["hardware"] = hardware
        if min_instances is not UNSET:
            field_dict["min_instances"] = min_instances
        if max_instances is not UNSET:
            field_dict["max_instances"] = max_instances

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
            _field = "hardware"
            _hardware = d.pop("hardware", UNSET)
            hardware: str | Unset
            if isinstance(_hardware, Unset):
                hardware = UNSET
            else:
                hardware = check_str(_hardware)

            _field = "min_instances"
            _min_instances = d.pop("min_instances", UNSET)
            min_instances: int | Unset
            if isinstance(_min_instances, Unset):
                min_instances = UNSET
            else:
                min_instances = check_int(_min_instances)

            _field = "max_instances"
            _max_instances = d.pop("max_instances", UNSET)
            max_instances: int | Unset
            if isinstance(_max_instances, Unset):
                max_instances = UNSET
            else:
                max_instances = check_int(_max_instances)

        except (TypeError, ValueError, AttributeError, KeyError) as _exception:
            raise ParseError.wrap(cls.__name__, _field, _exception) from _exception
        deployment_configuration = cls(
            hardware=hardware,
            min_instances=min_instances,
            max_instances=max_instances,
        )

        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional = prop_dict

            additional_properties[prop_name] = additional

        deployment_configuration.additional_properties = additional_properties
        return deployment_configuration

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
