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
    number: int | Unset = UNSET
    """ Goes up by one with every change. """
    model: str | Unset = UNSET
    """ `owner/name` of the deployed model. """
    version: str | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    created_by: Account | Unset = UNSET
    configuration: DeploymentConfiguration | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def __repr__(self) -> str:
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        number = self.number

        model = self.model

        version = self.version

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        created_by: dict[str, Any] | Unset = UNSET
        if not isinstance(self.created_by, Unset):
            created_by = self.created_by.to_dict()

        configuration: dict[str, Any] | Unset = UNSET
        if not isinstance(self.configuration, Unset):
            configuration = self.configuration.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if number is not UNSET:
            field_dict["number"] = number
        if model is not UNSET:
            field_dict["model"] = model
        if version is not UNSET:
            field_dict["version"] = version
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if created_by is not UNSET:
            field_dict["created_by"] = created_by
        if configuration is not UNSET:
            field_dict["configuration"] = configuration

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
            _number = d.pop("number", UNSET)
            number: int | Unset
            if isinstance(_number, Unset):
                number = UNSET
            else:
                number = check_int(_number)

            _field = "model"
            _model = d.pop("model", UNSET)
            model: str | Unset
            if isinstance(_model, Unset):
                model = UNSET
            else:
                model = check_str(_model)

            _field = "version"
            _version = d.pop("version", UNSET)
            version: str | Unset
            if isinstance(_version, Unset):
                version = UNSET
            else:
                version = check_str(_version)

            _field = "created_at"
            _created_at = d.pop("created_at", UNSET)
            created_at: datetime.datetime | Unset
            if isinstance(_created_at, Unset):
                created_at = UNSET
            else:
                created_at = datetime.datetime.fromisoformat(_created_at)

            _field = "created_by"
            _created_by = d.pop("created_by", UNSET)
            created_by: Account | Unset
            if isinstance(_created_by, Unset):
                created_by = UNSET
            else:
                created_by = Account.from_dict(_created_by)

            _field = "configuration"
            _configuration = d.pop("configuration", UNSET)
            configuration: DeploymentConfiguration | Unset
            if isinstance(_configuration, Unset):
                configuration = UNSET
            else:
                configuration = DeploymentConfiguration.from_dict(_configuration)

        except (TypeError, ValueError, AttributeError, KeyError) as _exception:
            raise ParseError.wrap(cls.__name__, _field, _exception) from _exception
        deployment_release = cls(
            number=number,
            model=model,
            version=version,
            created_at=created_at,
            created_by=created_by,
            configuration=configuration,
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
