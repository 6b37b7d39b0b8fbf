from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.model_version_openapi_schema_type_0 import (
        ModelVersionOpenapiSchemaType0,
    )


T = TypeVar("T", bound="ModelVersion")


@_attrs_define
class ModelVersion:
    id: str
    """ The version's 64-character id. """
    created_at: datetime.datetime
    cog_version: None | str | Unset = UNSET
    """ The Cog release that built it. """
    openapi_schema: ModelVersionOpenapiSchemaType0 | None | Unset = UNSET
    """ OpenAPI document of the version; `components.schemas.Input` and `Output` describe what it takes and returns.
    """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.model_version_openapi_schema_type_0 import (
            ModelVersionOpenapiSchemaType0,  # noqa: PLC0415
        )

        id = self.id

        created_at = self.created_at.isoformat()

        cog_version: None | str | Unset
        if isinstance(self.cog_version, Unset):
            cog_version = UNSET
        else:
            cog_version = self.cog_version

        openapi_schema: dict[str, Any] | None | Unset
        if isinstance(self.openapi_schema, Unset):
            openapi_schema = UNSET
        elif isinstance(self.openapi_schema, ModelVersionOpenapiSchemaType0):
            openapi_schema = self.openapi_schema.to_dict()
        else:
            openapi_schema = self.openapi_schema

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "created_at": created_at,
            }
        )
        if cog_version is not UNSET:
            field_dict["cog_version"] = cog_version
        if openapi_schema is not UNSET:
            field_dict["openapi_schema"] = openapi_schema

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.model_version_openapi_schema_type_0 import (
            ModelVersionOpenapiSchemaType0,  # noqa: PLC0415
        )

        d = dict(src_dict)
        id = d.pop("id")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_cog_version(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        cog_version = _parse_cog_version(d.pop("cog_version", UNSET))

        def _parse_openapi_schema(data: object) -> ModelVersionOpenapiSchemaType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                openapi_schema_type_0 = ModelVersionOpenapiSchemaType0.from_dict(data)

                return openapi_schema_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ModelVersionOpenapiSchemaType0 | None | Unset, data)

        openapi_schema = _parse_openapi_schema(d.pop("openapi_schema", UNSET))

        model_version = cls(
            id=id,
            created_at=created_at,
            cog_version=cog_version,
            openapi_schema=openapi_schema,
        )

        model_version.additional_properties = d
        return model_version

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
