from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self

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

if TYPE_CHECKING:
    from ..models.account import Account
    from ..models.deployment_configuration import DeploymentConfiguration


@_attrs_define
class DeploymentRelease:
    number: int
    """ Goes up by one with every change. """
    model: str
    """ `owner/name` of the deployed model. """
    version: str
    created_at: datetime.datetime
    configuration: DeploymentConfiguration
    created_by: Account | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def __repr__(self) -> str:
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        number = self.number

        model = self.model

        version = self.version

        created_at = self.created_at.isoformat()

        configuration = self.configuration.to_dict()

        created_by: dict[str, Any] | Unset = UNSET
        if not isinstance(self.created_by, Unset):
            created_by = self.created_by.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "number": number,
                "model": model,
                "version": version,
                "created_at": created_at,
                "configuration": configuration,
            }
        )
        if created_by is not UNSET:
            field_dict["created_by"] = created_by

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.account import Account  # noqa: PLC0415
        from ..models.deployment_configuration import DeploymentConfiguration  # noqa: PLC0415

        if not isinstance(src_dict, Mapping):
            raise ParseError(cls.__name__, "", f"expected an object, got {kind_of(src_dict)}")
        d = dict(src_dict)
        # Each value is read and checked in turn; whatever goes wrong is one
        # ParseError that names the field.
        _field = ""
        try:
            _field = "number"
            number = check_int(d.pop("number"))

            _field = "model"
            model = check_str(d.pop("model"))

            _field = "version"
            version = check_str(d.pop("version"))

            _field = "created_at"
            created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

            _field = "configuration"
            configuration = DeploymentConfiguration.from_dict(d.pop("configuration"))

            _field = "created_by"
            _created_by = d.pop("created_by", UNSET)
            created_by: Account | Unset
            if isinstance(_created_by, Unset):
                created_by = UNSET
            else:
                created_by = Account.from_dict(_created_by)

        except (TypeError, ValueError, AttributeError, KeyError) as _exception:
            raise ParseError.wrap(cls.__name__, _field, _exception) from _exception
        deployment_release = cls(
            number=number,
            model=model,
            version=version,
            created_at=created_at,
            configuration=configuration,
            created_by=created_by,
        )

        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional = prop_dict

            additional_properties[prop_name] = additional

        deployment_release.additional_properties = additional_properties
        return deployment_release

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
