from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.invalid_field import InvalidField


T = TypeVar("T", bound="Problem")


@_attrs_define
class Problem:
    """An error, as RFC 9457 problem details."""

    title: str | Unset = UNSET
    """ Short summary of the kind of error. """
    detail: str | Unset = UNSET
    """ What went wrong with this request. """
    status: int | Unset = UNSET
    """ The HTTP status code. """
    invalid_fields: list[InvalidField] | Unset = UNSET
    """ On 422, each input that failed validation. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        title = self.title

        detail = self.detail

        status = self.status

        invalid_fields: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.invalid_fields, Unset):
            invalid_fields = []
            for invalid_fields_item_data in self.invalid_fields:
                invalid_fields_item = invalid_fields_item_data.to_dict()
                invalid_fields.append(invalid_fields_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if title is not UNSET:
            field_dict["title"] = title
        if detail is not UNSET:
            field_dict["detail"] = detail
        if status is not UNSET:
            field_dict["status"] = status
        if invalid_fields is not UNSET:
            field_dict["invalid_fields"] = invalid_fields

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.invalid_field import InvalidField  # noqa: PLC0415

        d = dict(src_dict)
        title = d.pop("title", UNSET)

        detail = d.pop("detail", UNSET)

        status = d.pop("status", UNSET)

        _invalid_fields = d.pop("invalid_fields", UNSET)
        invalid_fields: list[InvalidField] | Unset = UNSET
        if _invalid_fields is not UNSET:
            invalid_fields = []
            for invalid_fields_item_data in _invalid_fields:
                invalid_fields_item = InvalidField.from_dict(invalid_fields_item_data)

                invalid_fields.append(invalid_fields_item)

        problem = cls(
            title=title,
            detail=detail,
            status=status,
            invalid_fields=invalid_fields,
        )

        problem.additional_properties = d
        return problem

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
