from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.deployment_release import DeploymentRelease


T = TypeVar("T", bound="Deployment")


@_attrs_define
class Deployment:
    owner: str
    name: str
    current_release: DeploymentRelease
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        owner = self.owner

        name = self.name

        current_release = self.current_release.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "owner": owner,
                "name": name,
                "current_release": current_release,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.deployment_release import DeploymentRelease  # noqa: PLC0415

        d = dict(src_dict)
        owner = d.pop("owner")

        name = d.pop("name")

        current_release = DeploymentRelease.from_dict(d.pop("current_release"))

        deployment = cls(
            owner=owner,
            name=name,
            current_release=current_release,
        )

        deployment.additional_properties = d
        return deployment

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
