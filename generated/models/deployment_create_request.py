from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="DeploymentCreateRequest")


@_attrs_define
class DeploymentCreateRequest:
    name: str
    model: str
    """ `owner/name` of the model to deploy. """
    version: str
    """ The 64-character version id. """
    hardware: str
    """ A SKU from the hardware list. """
    min_instances: int
    max_instances: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        model = self.model

        version = self.version

        hardware = self.hardware

        min_instances = self.min_instances

        max_instances = self.max_instances

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "model": model,
                "version": version,
                "hardware": hardware,
                "min_instances": min_instances,
                "max_instances": max_instances,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        model = d.pop("model")

        version = d.pop("version")

        hardware = d.pop("hardware")

        min_instances = d.pop("min_instances")

        max_instances = d.pop("max_instances")

        deployment_create_request = cls(
            name=name,
            model=model,
            version=version,
            hardware=hardware,
            min_instances=min_instances,
            max_instances=max_instances,
        )

        deployment_create_request.additional_properties = d
        return deployment_create_request

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
