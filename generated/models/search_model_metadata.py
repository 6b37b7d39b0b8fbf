from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import ParseError
from ..types import (
    UNSET,
    Unset,
    check_float,
    check_list,
    check_str,
    kind_of,
    model_repr,
)


@_attrs_define
class SearchModelMetadata:
    generated_description: None | str | Unset = UNSET
    score: float | None | Unset = UNSET
    tags: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def __repr__(self) -> str:
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        generated_description: None | str | Unset
        if isinstance(self.generated_description, Unset):
            generated_description = UNSET
        else:
            generated_description = self.generated_description

        score: float | None | Unset
        if isinstance(self.score, Unset):
            score = UNSET
        else:
            score = self.score

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if generated_description is not UNSET:
            field_dict["generated_description"] = generated_description
        if score is not UNSET:
            field_dict["score"] = score
        if tags is not UNSET:
            field_dict["tags"] = tags

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
            _field = "generated_description"

            def _parse_generated_description(data: object) -> None | str | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                if not isinstance(data, str):
                    raise TypeError(f"expected a string or null, got {kind_of(data)}")
                generated_description_type_0 = check_str(data)

                return generated_description_type_0

            generated_description = _parse_generated_description(
                d.pop("generated_description", UNSET)
            )

            _field = "score"

            def _parse_score(data: object) -> float | None | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                if not (isinstance(data, int | float) and not isinstance(data, bool)):
                    raise TypeError(f"expected a number or null, got {kind_of(data)}")
                score_type_0 = check_float(data)

                return score_type_0

            score = _parse_score(d.pop("score", UNSET))

            _field = "tags"
            _tags = d.pop("tags", UNSET)
            tags: list[str] | Unset = UNSET
            if not isinstance(_tags, Unset):
                tags = []
                for _tags_index, tags_item_data in enumerate(check_list(_tags)):
                    try:
                        tags_item = check_str(tags_item_data)

                    except (TypeError, ValueError, AttributeError, KeyError) as _exception:
                        raise ParseError.wrap("", f"[{_tags_index}]", _exception) from _exception
                    tags.append(tags_item)

        except (TypeError, ValueError, AttributeError, KeyError) as _exception:
            raise ParseError.wrap(cls.__name__, _field, _exception) from _exception
        search_model_metadata = cls(
            generated_description=generated_description,
            score=score,
            tags=tags,
        )

        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional = prop_dict

            additional_properties[prop_name] = additional

        search_model_metadata.additional_properties = additional_properties
        return search_model_metadata

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
