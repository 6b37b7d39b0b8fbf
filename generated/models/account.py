from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import ParseError
from ..models.account_type import AccountType, check_account_type
from ..types import (
    UNSET,
    Unset,
    check_str,
    kind_of,
    model_repr,
)


@_attrs_define
class Account:
    type: AccountType | str
    username: str
    name: None | str | Unset = UNSET
    github_url: None | str | Unset = UNSET
    avatar_url: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def __repr__(self) -> str:
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        type_: str
        if isinstance(self.type, str):
            type_ = self.type
        else:
            type_ = self.type

        username = self.username

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        github_url: None | str | Unset
        if isinstance(self.github_url, Unset):
            github_url = UNSET
        else:
            github_url = self.github_url

        avatar_url: None | str | Unset
        if isinstance(self.avatar_url, Unset):
            avatar_url = UNSET
        else:
            avatar_url = self.avatar_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "username": username,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if github_url is not UNSET:
            field_dict["github_url"] = github_url
        if avatar_url is not UNSET:
            field_dict["avatar_url"] = avatar_url

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

            def _parse_type_(data: object) -> AccountType | str:
                if isinstance(data, str):
                    try:
                        type_type_0 = check_account_type(data)

                        return type_type_0
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                if not isinstance(data, str):
                    raise TypeError(f"expected a string, got {kind_of(data)}")
                type_type_1 = check_str(data)

                return type_type_1

            type_ = _parse_type_(d.pop("type"))

            _field = "username"
            username = check_str(d.pop("username"))

            _field = "name"

            def _parse_name(data: object) -> None | str | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                if not isinstance(data, str):
                    raise TypeError(f"expected a string or null, got {kind_of(data)}")
                name_type_0 = check_str(data)

                return name_type_0

            name = _parse_name(d.pop("name", UNSET))

            _field = "github_url"

            def _parse_github_url(data: object) -> None | str | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                if not isinstance(data, str):
                    raise TypeError(f"expected a string or null, got {kind_of(data)}")
                github_url_type_0 = check_str(data)

                return github_url_type_0

            github_url = _parse_github_url(d.pop("github_url", UNSET))

            _field = "avatar_url"

            def _parse_avatar_url(data: object) -> None | str | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                if not isinstance(data, str):
                    raise TypeError(f"expected a string or null, got {kind_of(data)}")
                avatar_url_type_0 = check_str(data)

                return avatar_url_type_0

            avatar_url = _parse_avatar_url(d.pop("avatar_url", UNSET))

        except (TypeError, ValueError, AttributeError, KeyError) as _exception:
            raise ParseError.wrap(cls.__name__, _field, _exception) from _exception
        account = cls(
            type=type_,
            username=username,
            name=name,
            github_url=github_url,
            avatar_url=avatar_url,
        )

        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional = prop_dict

            additional_properties[prop_name] = additional

        account.additional_properties = additional_properties
        return account

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
