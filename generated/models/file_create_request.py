from __future__ import annotations

import json
from collections.abc import Mapping
from io import BytesIO
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import types
from ..types import UNSET, File, Unset

if TYPE_CHECKING:
    from ..models.file_create_request_metadata import FileCreateRequestMetadata


T = TypeVar("T", bound="FileCreateRequest")


@_attrs_define
class FileCreateRequest:
    content: File
    """ The bytes, at most 100 MiB. """
    filename: str | Unset = UNSET
    type_: str | Unset = UNSET
    """ The MIME type. """
    metadata: FileCreateRequestMetadata | Unset = UNSET
    """ A JSON object stored with the file. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        content = self.content.to_tuple()

        filename = self.filename

        type_ = self.type_

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "content": content,
            }
        )
        if filename is not UNSET:
            field_dict["filename"] = filename
        if type_ is not UNSET:
            field_dict["type"] = type_
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("content", self.content.to_tuple()))

        if not isinstance(self.filename, Unset):
            files.append(("filename", (None, str(self.filename).encode(), "text/plain")))

        if not isinstance(self.type_, Unset):
            files.append(("type", (None, str(self.type_).encode(), "text/plain")))

        if not isinstance(self.metadata, Unset):
            files.append(
                (
                    "metadata",
                    (None, json.dumps(self.metadata.to_dict()).encode(), "application/json"),
                )
            )

        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))

        return files

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.file_create_request_metadata import FileCreateRequestMetadata  # noqa: PLC0415

        d = dict(src_dict)
        content = File(payload=BytesIO(d.pop("content")))

        filename = d.pop("filename", UNSET)

        type_ = d.pop("type", UNSET)

        _metadata = d.pop("metadata", UNSET)
        metadata: FileCreateRequestMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = FileCreateRequestMetadata.from_dict(_metadata)

        file_create_request = cls(
            content=content,
            filename=filename,
            type_=type_,
            metadata=metadata,
        )

        file_create_request.additional_properties = d
        return file_create_request

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
