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
    check_int,
    check_str,
    kind_of,
    model_repr,
)

if TYPE_CHECKING:
    from ..models.file_checksums import FileChecksums
    from ..models.file_metadata import FileMetadata
    from ..models.file_urls import FileUrls


@_attrs_define
class File:
    id: str
    content_type: str
    size: int
    """ Bytes. """
    created_at: datetime.datetime
    urls: FileUrls
    name: str | Unset = UNSET
    etag: str | Unset = UNSET
    checksums: FileChecksums | Unset = UNSET
    metadata: FileMetadata | Unset = UNSET
    """ Whatever JSON object the uploader attached. """
    expires_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def __repr__(self) -> str:
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        content_type = self.content_type

        size = self.size

        created_at = self.created_at.isoformat()

        urls = self.urls.to_dict()

        name = self.name

        etag = self.etag

        checksums: dict[str, Any] | Unset = UNSET
        if not isinstance(self.checksums, Unset):
            checksums = self.checksums.to_dict()

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        elif isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "content_type": content_type,
                "size": size,
                "created_at": created_at,
                "urls": urls,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if etag is not UNSET:
            field_dict["etag"] = etag
        if checksums is not UNSET:
            field_dict["checksums"] = checksums
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.file_checksums import FileChecksums  # noqa: PLC0415
        from ..models.file_metadata import FileMetadata  # noqa: PLC0415
        from ..models.file_urls import FileUrls  # noqa: PLC0415

        if not isinstance(src_dict, Mapping):
            raise ParseError(cls.__name__, "", f"expected an object, got {kind_of(src_dict)}")
        d = dict(src_dict)
        # Each value is read and checked in turn; whatever goes wrong is one
        # ParseError that names the field.
        _field = ""
        try:
            _field = "id"
            id = check_str(d.pop("id"))

            _field = "content_type"
            content_type = check_str(d.pop("content_type"))

            _field = "size"
            size = check_int(d.pop("size"))

            _field = "created_at"
            created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

            _field = "urls"
            urls = FileUrls.from_dict(d.pop("urls"))

            _field = "name"
            _name = d.pop("name", UNSET)
            name: str | Unset
            if isinstance(_name, Unset):
                name = UNSET
            else:
                name = check_str(_name)

            _field = "etag"
            _etag = d.pop("etag", UNSET)
            etag: str | Unset
            if isinstance(_etag, Unset):
                etag = UNSET
            else:
                etag = check_str(_etag)

            _field = "checksums"
            _checksums = d.pop("checksums", UNSET)
            checksums: FileChecksums | Unset
            if isinstance(_checksums, Unset):
                checksums = UNSET
            else:
                checksums = FileChecksums.from_dict(_checksums)

            _field = "metadata"
            _metadata = d.pop("metadata", UNSET)
            metadata: FileMetadata | Unset
            if isinstance(_metadata, Unset):
                metadata = UNSET
            else:
                metadata = FileMetadata.from_dict(_metadata)

            _field = "expires_at"

            def _parse_expires_at(data: object) -> datetime.datetime | None | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                if not isinstance(data, str):
                    raise TypeError(f"expected a date-time string or null, got {kind_of(data)}")
                expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return expires_at_type_0

            expires_at = _parse_expires_at(d.pop("expires_at", UNSET))

        except (TypeError, ValueError, AttributeError, KeyError) as _exception:
            raise ParseError.wrap(cls.__name__, _field, _exception) from _exception
        file = cls(
            id=id,
            content_type=content_type,
            size=size,
            created_at=created_at,
            urls=urls,
            name=name,
            etag=etag,
            checksums=checksums,
            metadata=metadata,
            expires_at=expires_at,
        )

        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional = prop_dict

            additional_properties[prop_name] = additional

        file.additional_properties = additional_properties
        return file

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
