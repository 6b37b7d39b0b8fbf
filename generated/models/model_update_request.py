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
class ModelUpdateRequest:
    """Only the fields sent change."""

    description: str | Unset = UNSET
    github_url: str | Unset = UNSET
    license_url: str | Unset = UNSET
    paper_url: str | Unset = UNSET
    readme: str | Unset = UNSET
    """ Markdown. """
    weights_url: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def __repr__(self) -> str:
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        description = self.description

        github_url = self.github_url

        license_url = self.license_url

        paper_url = self.paper_url

        readme = self.readme

        weights_url = self.weights_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if description is not UNSET:
            field_dict["description"] = description
        if github_url is not UNSET:
            field_dict["github_url"] = github_url
        if license_url is not UNSET:
            field_dict["license_url"] = license_url
        if paper_url is not UNSET:
            field_dict["paper_url"] = paper_url
        if readme is not UNSET:
            field_dict["readme"] = readme
        if weights_url is not UNSET:
            field_dict["weights_url"] = weights_url

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
            _field = "description"
            _description = d.pop("description", UNSET)
            description: str | Unset
            if isinstance(_description, Unset):
                description = UNSET
            else:
                description = check_str(_description)

            _field = "github_url"
            _github_url = d.pop("github_url", UNSET)
            github_url: str | Unset
            if isinstance(_github_url, Unset):
                github_url = UNSET
            else:
                github_url = check_str(_github_url)

            _field = "license_url"
            _license_url = d.pop("license_url", UNSET)
            license_url: str | Unset
            if isinstance(_license_url, Unset):
                license_url = UNSET
            else:
                license_url = check_str(_license_url)

            _field = "paper_url"
            _paper_url = d.pop("paper_url", UNSET)
            paper_url: str | Unset
            if isinstance(_paper_url, Unset):
                paper_url = UNSET
            else:
                paper_url = check_str(_paper_url)

            _field = "readme"
            _readme = d.pop("readme", UNSET)
            readme: str | Unset
            if isinstance(_readme, Unset):
                readme = UNSET
            else:
                readme = check_str(_readme)

            _field = "weights_url"
            _weights_url = d.pop("weights_url", UNSET)
            weights_url: str | Unset
            if isinstance(_weights_url, Unset):
                weights_url = UNSET
            else:
                weights_url = check_str(_weights_url)

        except (TypeError, ValueError, AttributeError, KeyError) as _exception:
            raise ParseError.wrap(cls.__name__, _field, _exception) from _exception
        model_update_request = cls(
            description=description,
            github_url=github_url,
            license_url=license_url,
            paper_url=paper_url,
            readme=readme,
            weights_url=weights_url,
        )

        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional = prop_dict

            additional_properties[prop_name] = additional

        model_update_request.additional_properties = additional_properties
        return model_update_request

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
