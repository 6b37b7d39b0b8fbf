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
    from ..models.partial_model_version_openapi_schema_type_0 import (
        PartialModelVersionOpenapiSchemaType0,
    )


@_attrs_define
class PartialModelVersion:
    """A version as a model's `latest_version` holds it. Replicate's schema leaves that object free-form, so nothing is
    required, and a value that does not read as its field's type leaves the field unset and is kept as sent with the
    unknown fields: the model around it is always readable.

    """

    id: str | Unset = UNSET
    """ The version's 64-character id. """
    created_at: datetime.datetime | Unset = UNSET
    cog_version: None | str | Unset = UNSET
    """ The Cog release that built it. """
    openapi_schema: None | PartialModelVersionOpenapiSchemaType0 | Unset = UNSET
    """ OpenAPI document of the version; `components.schemas.Input` and `Output` describe what it takes and returns.
    """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def __repr__(self) -> str:
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        from ..models.partial_model_version_openapi_schema_type_0 import (
            PartialModelVersionOpenapiSchemaType0,  # noqa: PLC0415
        )

        id = self.id

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        cog_version: None | str | Unset
        if isinstance(self.cog_version, Unset):
            cog_version = UNSET
        else:
            cog_version = self.cog_version

        openapi_schema: dict[str, Any] | None | Unset
        if isinstance(self.openapi_schema, Unset):
            openapi_schema = UNSET
        elif isinstance(self.openapi_schema, PartialModelVersionOpenapiSchemaType0):
            openapi_schema = self.openapi_schema.to_dict()
        else:
            openapi_schema = self.openapi_schema

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if cog_version is not UNSET:
            field_dict["cog_version"] = cog_version
        if openapi_schema is not UNSET:
            field_dict["openapi_schema"] = openapi_schema

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.partial_model_version_openapi_schema_type_0 import (
            PartialModelVersionOpenapiSchemaType0,  # noqa: PLC0415
        )

        if not isinstance(src_dict, Mapping):
            raise ParseError(cls.__name__, "", f"expected an object, got {kind_of(src_dict)}")
        d = dict(src_dict)
        # A best-effort reading: a value that does not read as its field's type
        # leaves the field Unset and stays, as sent, in additional_properties, so
        # the object around this one is never lost over it.
        try:
            _id = d.get("id", UNSET)
            id: str | Unset
            if isinstance(_id, Unset):
                id = UNSET
            else:
                id = check_str(_id)

            d.pop("id", None)
        except (TypeError, ValueError, AttributeError, KeyError):
            id = UNSET

        try:
            _created_at = d.get("created_at", UNSET)
            created_at: datetime.datetime | Unset
            if isinstance(_created_at, Unset):
                created_at = UNSET
            else:
                created_at = datetime.datetime.fromisoformat(_created_at)

            d.pop("created_at", None)
        except (TypeError, ValueError, AttributeError, KeyError):
            created_at = UNSET

        try:

            def _parse_cog_version(data: object) -> None | str | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                if not isinstance(data, str):
                    raise TypeError(f"expected a string or null, got {kind_of(data)}")
                cog_version_type_0 = check_str(data)

                return cog_version_type_0

            cog_version = _parse_cog_version(d.get("cog_version", UNSET))

            d.pop("cog_version", None)
        except (TypeError, ValueError, AttributeError, KeyError):
            cog_version = UNSET

        try:

            def _parse_openapi_schema(
                data: object,
            ) -> None | PartialModelVersionOpenapiSchemaType0 | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                if not isinstance(data, dict):
                    raise TypeError(f"expected an object or null, got {kind_of(data)}")
                openapi_schema_type_0 = PartialModelVersionOpenapiSchemaType0.from_dict(data)

                return openapi_schema_type_0

            openapi_schema = _parse_openapi_schema(d.get("openapi_schema", UNSET))

            d.pop("openapi_schema", None)
        except (TypeError, ValueError, AttributeError, KeyError):
            openapi_schema = UNSET

        partial_model_version = cls(
            id=id,
            created_at=created_at,
            cog_version=cog_version,
            openapi_schema=openapi_schema,
        )

        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional = prop_dict

            additional_properties[prop_name] = additional

        partial_model_version.additional_properties = additional_properties
        return partial_model_version

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
