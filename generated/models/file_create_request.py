from __future__ import annotations

import json
from collections.abc import Mapping
from io import BytesIO
from typing import TYPE_CHECKING, Any, Self

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import types
from ..errors import ParseError
from ..types import (
    UNSET,
    File,
    Unset,
    check_str,
    kind_of,
    model_repr,
)

if TYPE_CHECKING:
    from ..models.file_create_request_metadata import FileCreateRequestMetadata


@_attrs_define
class FileCreateRequest:
    content: File
    """ The bytes, at most 100 MiB. """
    filename: str | Unset = UNSET
    type: str | Unset = UNSET
    """ The MIME type. """
    metadata: FileCreateRequestMetadata | Unset = UNSET
    """ A JSON object stored with the file. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def __repr__(self) -> str:
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        content = self.content.to_tuple()

        filename = self.filename

        type_ = self.type

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

        if not isinstance(self.type, Unset):
            files.append(("type", (None, str(self.type).encode(), "text/plain")))

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
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.file_create_request_metadata import FileCreateRequestMetadata  # noqa: PLC0415

        if not isinstance(src_dict, Mapping):
            raise ParseError(cls.__name__, "", f"expected an object, got {kind_of(src_dict)}")
        d = dict(src_dict)
        # Each value is read and checked in turn; whatever goes wrong is one
        # ParseError that names the field.
        _field = ""
        try:
            _field = "content"
            content = File(payload=BytesIO(d.pop("content")))

            _field = "filename"
            _filename = d.pop("filename", UNSET)
            filename: str | Unset
            if isinstance(_filename, Unset):
                filename = UNSET
            else:
                filename = check_str(_filename)

            _field = "type"
            _type_ = d.pop("type", UNSET)
            type_: str | Unset
            if isinstance(_type_, Unset):
                type_ = UNSET
            else:
                type_ = check_str(_type_)

            _field = "metadata"
            _metadata = d.pop("metadata", UNSET)
            metadata: FileCreateRequestMetadata | Unset
            if isinstance(_metadata, Unset):
                metadata = UNSET
            else:
                metadata = FileCreateRequestMetadata.from_dict(_metadata)

        except (TypeError, ValueError, AttributeError, KeyError) as _exception:
            raise ParseError.wrap(cls.__name__, _field, _exception) from _exception
        file_create_request = cls(
            content=content,
            filename=filename,
            type=type_,
            metadata=metadata,
        )

        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional = prop_dict

            additional_properties[prop_name] = additional

        file_create_request.additional_properties = additional_properties
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
