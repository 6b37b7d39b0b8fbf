from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.search_collection_result import SearchCollectionResult
    from ..models.search_model_result import SearchModelResult
    from ..models.search_page_result import SearchPageResult


T = TypeVar("T", bound="SearchResponse")


@_attrs_define
class SearchResponse:
    query: str
    models: list[SearchModelResult]
    collections: list[SearchCollectionResult] | Unset = UNSET
    pages: list[SearchPageResult] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

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
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.search_collection_result import SearchCollectionResult  # noqa: PLC0415
        from ..models.search_model_result import SearchModelResult  # noqa: PLC0415
        from ..models.search_page_result import SearchPageResult  # noqa: PLC0415

        d = dict(src_dict)
        query = d.pop("query")

        models = []
        _models = d.pop("models")
        for models_item_data in _models:
            models_item = SearchModelResult.from_dict(models_item_data)

            models.append(models_item)

        _collections = d.pop("collections", UNSET)
        collections: list[SearchCollectionResult] | Unset = UNSET
        if _collections is not UNSET:
            collections = []
            for collections_item_data in _collections:
                collections_item = SearchCollectionResult.from_dict(collections_item_data)

                collections.append(collections_item)

        _pages = d.pop("pages", UNSET)
        pages: list[SearchPageResult] | Unset = UNSET
        if _pages is not UNSET:
            pages = []
            for pages_item_data in _pages:
                pages_item = SearchPageResult.from_dict(pages_item_data)

                pages.append(pages_item)

        search_response = cls(
            query=query,
            models=models,
            collections=collections,
            pages=pages,
        )

        search_response.additional_properties = d
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
