from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import ParseError
from ..types import (
    UNSET,
    Unset,
    check_int,
    check_list,
    check_str,
    kind_of,
    model_repr,
)

if TYPE_CHECKING:
    from ..models.invalid_field import InvalidField


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

    def __repr__(self) -> str:
        return model_repr(self)

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
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.invalid_field import InvalidField  # noqa: PLC0415

        if not isinstance(src_dict, Mapping):
            raise ParseError(cls.__name__, "", f"expected an object, got {kind_of(src_dict)}")
        d = dict(src_dict)
        # Each value is read and checked in turn; whatever goes wrong is one
        # ParseError that names the field.
        _field = ""
        try:
            _field = "title"
            _title = d.pop("title", UNSET)
            title: str | Unset
            if isinstance(_title, Unset):
                title = UNSET
            else:
                title = check_str(_title)

            _field = "detail"
            _detail = d.pop("detail", UNSET)
            detail: str | Unset
            if isinstance(_detail, Unset):
                detail = UNSET
            else:
                detail = check_str(_detail)

            _field = "status"
            _status = d.pop("status", UNSET)
            status: int | Unset
            if isinstance(_status, Unset):
                status = UNSET
            else:
                status = check_int(_status)

            _field = "invalid_fields"
            _invalid_fields = d.pop("invalid_fields", UNSET)
            invalid_fields: list[InvalidField] | Unset = UNSET
            if not isinstance(_invalid_fields, Unset):
                invalid_fields = []
                for _invalid_fields_index, invalid_fields_item_data in enumerate(
                    check_list(_invalid_fields)
                ):
                    try:
                        invalid_fields_item = InvalidField.from_dict(invalid_fields_item_data)

                    except (TypeError, ValueError, AttributeError, KeyError) as _exception:
                        raise ParseError.wrap(
                            "", f"[{_invalid_fields_index}]", _exception
                        ) from _exception
                    invalid_fields.append(invalid_fields_item)

        except (TypeError, ValueError, AttributeError, KeyError) as _exception:
            raise ParseError.wrap(cls.__name__, _field, _exception) from _exception
        problem = cls(
            title=title,
            detail=detail,
            status=status,
            invalid_fields=invalid_fields,
        )

        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional = prop_dict

            additional_properties[prop_name] = additional

        problem.additional_properties = additional_properties
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
