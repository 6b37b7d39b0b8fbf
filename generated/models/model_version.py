from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self

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

if TYPE_CHECKING:
    from ..models.model_version_openapi_schema_type_0 import (
        ModelVersionOpenapiSchemaType0,
    )


@_attrs_define
class ModelVersion:
    """A version of a model, with the schemas of its input and output."""

    id: str
    """ The version's 64-character id. """
    created_at: datetime.datetime
    cog_version: None | str | Unset = UNSET
    """ The Cog release that built it. """
    openapi_schema: ModelVersionOpenapiSchemaType0 | None | Unset = UNSET
    """ OpenAPI document of the version; `components.schemas.Input` and `Output` describe what it takes and returns.
    """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def __repr__(self) -> str:
        return model_repr(self)

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
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.model_version_openapi_schema_type_0 import (
            ModelVersionOpenapiSchemaType0,  # noqa: PLC0415
        )

        if not isinstance(src_dict, Mapping):
            raise ParseError(cls.__name__, "", f"expected an object, got {kind_of(src_dict)}")
        d = dict(src_dict)
        # Each value is read and checked in turn; whatever goes wrong is one
        # ParseError that names the field.
        _field = ""
        try:
            _field = "id"
            id = check_str(d.pop("id"))

            _field = "created_at"
            created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

            _field = "cog_version"

            def _parse_cog_version(data: object) -> None | str | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                if not isinstance(data, str):
                    raise TypeError(f"expected a string or null, got {kind_of(data)}")
                cog_version_type_0 = check_str(data)

                return cog_version_type_0

            cog_version = _parse_cog_version(d.pop("cog_version", UNSET))

            _field = "openapi_schema"

            def _parse_openapi_schema(
                data: object,
            ) -> ModelVersionOpenapiSchemaType0 | None | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                if not isinstance(data, dict):
                    raise TypeError(f"expected an object or null, got {kind_of(data)}")
                openapi_schema_type_0 = ModelVersionOpenapiSchemaType0.from_dict(data)

                return openapi_schema_type_0

            openapi_schema = _parse_openapi_schema(d.pop("openapi_schema", UNSET))

        except (TypeError, ValueError, AttributeError, KeyError) as _exception:
            raise ParseError.wrap(cls.__name__, _field, _exception) from _exception
        model_version = cls(
            id=id,
            created_at=created_at,
            cog_version=cog_version,
            openapi_schema=openapi_schema,
        )

        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional = prop_dict

            additional_properties[prop_name] = additional

        model_version.additional_properties = additional_properties
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
