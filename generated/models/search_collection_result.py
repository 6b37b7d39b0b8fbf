from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

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


@_attrs_define
class SearchCollectionResult:
    name: str
    slug: str
    description: None | str | Unset = UNSET
    models: list[str] | None | Unset = UNSET
    """ `owner/name` of each model in it. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def __repr__(self) -> str:
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        slug = self.slug

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        models: list[str] | None | Unset
        if isinstance(self.models, Unset):
            models = UNSET
        elif isinstance(self.models, list):
            models = self.models

        else:
            models = self.models

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "slug": slug,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if models is not UNSET:
            field_dict["models"] = models

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
            _field = "name"
            name = check_str(d.pop("name"))

            _field = "slug"
            slug = check_str(d.pop("slug"))

            _field = "description"

            def _parse_description(data: object) -> None | str | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                if not isinstance(data, str):
                    raise TypeError(f"expected a string or null, got {kind_of(data)}")
                description_type_0 = check_str(data)

                return description_type_0

            description = _parse_description(d.pop("description", UNSET))

            _field = "models"

            def _parse_models(data: object) -> list[str] | None | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                if not isinstance(data, list):
                    raise TypeError(f"expected an array or null, got {kind_of(data)}")
                models_type_0 = []
                for _models_type_0_index, models_type_0_item_data in enumerate(check_list(data)):
                    try:
                        models_type_0_item = check_str(models_type_0_item_data)

                    except (TypeError, ValueError, AttributeError, KeyError) as _exception:
                        raise ParseError.wrap(
                            "", f"[{_models_type_0_index}]", _exception
                        ) from _exception
                    models_type_0.append(models_type_0_item)

                return models_type_0

            models = _parse_models(d.pop("models", UNSET))

        except (TypeError, ValueError, AttributeError, KeyError) as _exception:
            raise ParseError.wrap(cls.__name__, _field, _exception) from _exception
        search_collection_result = cls(
            name=name,
            slug=slug,
            description=description,
            models=models,
        )

        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional = prop_dict

            additional_properties[prop_name] = additional

        search_collection_result.additional_properties = additional_properties
        return search_collection_result

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
