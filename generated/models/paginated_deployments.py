from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import ParseError
from ..types import (
    UNSET,
    Unset,
    check_list,
    check_str,
    kind_of,
    model_repr,
)

if TYPE_CHECKING:
    from ..models.deployment import Deployment


@_attrs_define
class PaginatedDeployments:
    results: list[Deployment]
    next: None | str | Unset = UNSET
    previous: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def __repr__(self) -> str:
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        results = []
        for results_item_data in self.results:
            results_item = results_item_data.to_dict()
            results.append(results_item)

        next_: None | str | Unset
        if isinstance(self.next, Unset):
            next_ = UNSET
        else:
            next_ = self.next

        previous: None | str | Unset
        if isinstance(self.previous, Unset):
            previous = UNSET
        else:
            previous = self.previous

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "results": results,
            }
        )
        if next_ is not UNSET:
            field_dict["next"] = next_
        if previous is not UNSET:
            field_dict["previous"] = previous

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.deployment import Deployment  # noqa: PLC0415

        if not isinstance(src_dict, Mapping):
            raise ParseError(cls.__name__, "", f"expected an object, got {kind_of(src_dict)}")
        d = dict(src_dict)
        # Each value is read and checked in turn; whatever goes wrong is one
        # ParseError that names the field.
        _field = ""
        try:
            _field = "results"
            results = []
            for _results_index, results_item_data in enumerate(check_list(d.pop("results"))):
                try:
                    results_item = Deployment.from_dict(results_item_data)

                except (TypeError, ValueError, AttributeError, KeyError) as _exception:
                    raise ParseError.wrap("", f"[{_results_index}]", _exception) from _exception
                results.append(results_item)

            _field = "next"

            def _parse_next_(data: object) -> None | str | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                if not isinstance(data, str):
                    raise TypeError(f"expected a string or null, got {kind_of(data)}")
                next_type_0 = check_str(data)

                return next_type_0

            next_ = _parse_next_(d.pop("next", UNSET))

            _field = "previous"

            def _parse_previous(data: object) -> None | str | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                if not isinstance(data, str):
                    raise TypeError(f"expected a string or null, got {kind_of(data)}")
                previous_type_0 = check_str(data)

                return previous_type_0

            previous = _parse_previous(d.pop("previous", UNSET))

        except (TypeError, ValueError, AttributeError, KeyError) as _exception:
            raise ParseError.wrap(cls.__name__, _field, _exception) from _exception
        paginated_deployments = cls(
            results=results,
            next=next_,
            previous=previous,
        )

        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional = prop_dict

            additional_properties[prop_name] = additional

        paginated_deployments.additional_properties = additional_properties
        return paginated_deployments

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
