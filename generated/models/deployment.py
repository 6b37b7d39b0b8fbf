from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self

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

if TYPE_CHECKING:
    from ..models.deployment_release import DeploymentRelease


@_attrs_define
class Deployment:
    owner: str | Unset = UNSET
    name: str | Unset = UNSET
    current_release: DeploymentRelease | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def __repr__(self) -> str:
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        owner = self.owner

        name = self.name

        current_release: dict[str, Any] | Unset = UNSET
        if not isinstance(self.current_release, Unset):
            current_release = self.current_release.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if owner is not UNSET:
            field_dict["owner"] = owner
        if name is not UNSET:
            field_dict["name"] = name
        if current_release is not UNSET:
            field_dict["current_release"] = current_release

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.deployment_release import DeploymentRelease  # noqa: PLC0415

        if not isinstance(src_dict, Mapping):
            raise ParseError(cls.__name__, "", f"expected an object, got {kind_of(src_dict)}")
        d = dict(src_dict)
        # Each value is read and checked in turn; whatever goes wrong is one
        # ParseError that names the field.
        _field = ""
        try:
            _field = "owner"
            _owner = d.pop("owner", UNSET)
            owner: str | Unset
            if isinstance(_owner, Unset):
                owner = UNSET
            else:
                owner = check_str(_owner)

            _field = "name"
            _name = d.pop("name", UNSET)
            name: str | Unset
            if isinstance(_name, Unset):
                name = UNSET
            else:
                name = check_str(_name)

            _field = "current_release"
            _current_release = d.pop("current_release", UNSET)
            current_release: DeploymentRelease | Unset
            if isinstance(_current_release, Unset):
                current_release = UNSET
            else:
                current_release = DeploymentRelease.from_dict(_current_release)

        except (TypeError, ValueError, AttributeError, KeyError) as _exception:
            raise ParseError.wrap(cls.__name__, _field, _exception) from _exception
        deployment = cls(
            owner=owner,
            name=name,
            current_release=current_release,
        )

        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional = prop_dict

            additional_properties[prop_name] = additional

        deployment.additional_properties = additional_properties
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
