from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.model_create_request_visibility import (
    ModelCreateRequestVisibility,
    check_model_create_request_visibility,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="ModelCreateRequest")


@_attrs_define
class ModelCreateRequest:
    owner: str
    """ Must be the account that owns the token. """
    name: str
    """ Unique among the owner's models. """
    visibility: ModelCreateRequestVisibility
    hardware: str
    """ A SKU from the hardware list. """
    description: str | Unset = UNSET
    github_url: str | Unset = UNSET
    paper_url: str | Unset = UNSET
    license_url: str | Unset = UNSET
    cover_image_url: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        owner = self.owner

        name = self.name

        visibility: str = self.visibility

        hardware = self.hardware

        description = self.description

        github_url = self.github_url

        paper_url = self.paper_url

        license_url = self.license_url

        cover_image_url = self.cover_image_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "owner": owner,
                "name": name,
                "visibility": visibility,
                "hardware": hardware,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if github_url is not UNSET:
            field_dict["github_url"] = github_url
        if paper_url is not UNSET:
            field_dict["paper_url"] = paper_url
        if license_url is not UNSET:
            field_dict["license_url"] = license_url
        if cover_image_url is not UNSET:
            field_dict["cover_image_url"] = cover_image_url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        owner = d.pop("owner")

        name = d.pop("name")

        visibility = check_model_create_request_visibility(d.pop("visibility"))

        hardware = d.pop("hardware")

        description = d.pop("description", UNSET)

        github_url = d.pop("github_url", UNSET)

        paper_url = d.pop("paper_url", UNSET)

        license_url = d.pop("license_url", UNSET)

        cover_image_url = d.pop("cover_image_url", UNSET)

        model_create_request = cls(
            owner=owner,
            name=name,
            visibility=visibility,
            hardware=hardware,
            description=description,
            github_url=github_url,
            paper_url=paper_url,
            license_url=license_url,
            cover_image_url=cover_image_url,
        )

        model_create_request.additional_properties = d
        return model_create_request

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
