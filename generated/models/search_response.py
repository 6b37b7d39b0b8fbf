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
    from ..models.search_collection_result import SearchCollectionResult
    from ..models.search_model_result import SearchModelResult
    from ..models.search_page_result import SearchPageResult


@_attrs_define
class SearchResponse:
    query: str
    models: list[SearchModelResult]
    collections: list[SearchCollectionResult] | Unset = UNSET
    pages: list[SearchPageResult] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def __repr__(self) -> str:
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        query = self.query

        models = []
        for models_item_data in self.models:
            models_item = models_item_data.to_dict()
            models.append(models_item)

        collections: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.collections, Unset):
            collections = []
            for collections_item_data in self.collections:
                collections_item = collections_item_data.to_dict()
                collections.append(collections_item)

        pages: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.pages, Unset):
            pages = []
            for pages_item_data in self.pages:
                pages_item = pages_item_data.to_dict()
                pages.append(pages_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "query": query,
                "models": models,
            }
        )
        if collections is not UNSET:
            field_dict["collections"] = collections
        if pages is not UNSET:
            field_dict["pages"] = pages

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.search_collection_result import SearchCollectionResult  # noqa: PLC0415
        from ..models.search_model_result import SearchModelResult  # noqa: PLC0415
        from ..models.search_page_result import SearchPageResult  # noqa: PLC0415

        if not isinstance(src_dict, Mapping):
            raise ParseError(cls.__name__, "", f"expected an object, got {kind_of(src_dict)}")
        d = dict(src_dict)
        # Each value is read and checked in turn; whatever goes wrong is one
        # ParseError that names the field.
        _field = ""
        try:
            _field = "query"
            query = check_str(d.pop("query"))

            _field = "models"
            models = []
            for _models_index, models_item_data in enumerate(check_list(d.pop("models"))):
                try:
                    models_item = SearchModelResult.from_dict(models_item_data)

                except (TypeError, ValueError, AttributeError, KeyError) as _exception:
                    raise ParseError.wrap("", f"[{_models_index}]", _exception) from _exception
                models.append(models_item)

            _field = "collections"
            _collections = d.pop("collections", UNSET)
            collections: list[SearchCollectionResult] | Unset = UNSET
            if not isinstance(_collections, Unset):
                collections = []
                for _collections_index, collections_item_data in enumerate(
                    check_list(_collections)
                ):
                    try:
                        collections_item = SearchCollectionResult.from_dict(collections_item_data)

                    except (TypeError, ValueError, AttributeError, KeyError) as _exception:
                        raise ParseError.wrap(
                            "", f"[{_collections_index}]", _exception
                        ) from _exception
                    collections.append(collections_item)

            _field = "pages"
            _pages = d.pop("pages", UNSET)
            pages: list[SearchPageResult] | Unset = UNSET
            if not isinstance(_pages, Unset):
                pages = []
                for _pages_index, pages_item_data in enumerate(check_list(_pages)):
                    try:
                        pages_item = SearchPageResult.from_dict(pages_item_data)

                    except (TypeError, ValueError, AttributeError, KeyError) as _exception:
                        raise ParseError.wrap("", f"[{_pages_index}]", _exception) from _exception
                    pages.append(pages_item)

        except (TypeError, ValueError, AttributeError, KeyError) as _exception:
            raise ParseError.wrap(cls.__name__, _field, _exception) from _exception
        search_response = cls(
            query=query,
            models=models,
            collections=collections,
            pages=pages,
        )

        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional = prop_dict

            additional_properties[prop_name] = additional

        search_response.additional_properties = additional_properties
        return search_response

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
