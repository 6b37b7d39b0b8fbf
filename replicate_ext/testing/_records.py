"""The server's stored objects (models, versions, deployments, files) and their JSON shapes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ._jobs import Runner
from ._util import iso, utcnow


@dataclass
class Version:
    """A model version: an id, a Cog OpenAPI schema and the code that runs it."""

    id: str
    created_at: datetime
    openapi_schema: dict[str, Any]
    runner: Runner
    trainer: Runner | None = None
    cog_version: str = "0.9.6"

    @property
    def streams(self) -> bool:
        """Whether the output is an iterator, which is what gives a prediction a stream URL."""
        output: dict[str, Any] = self.openapi_schema["components"]["schemas"].get("Output", {})
        return bool(output.get("type") == "array" and output.get("x-cog-array-type") == "iterator")

    def to_json(self) -> dict[str, Any]:
        """The version object."""
        return {
            "id": self.id,
            "created_at": iso(self.created_at),
            "cog_version": self.cog_version,
            "openapi_schema": self.openapi_schema,
        }


@dataclass
class ModelRecord:
    """A model with its versions, newest last."""

    owner: str
    name: str
    description: str | None = None
    visibility: str = "public"
    github_url: str | None = None
    paper_url: str | None = None
    license_url: str | None = None
    cover_image_url: str | None = None
    weights_url: str | None = None
    readme: str = ""
    hardware: str = "cpu"
    is_official: bool = False
    tags: tuple[str, ...] = ()
    run_count: int = 0
    created_at: datetime = field(default_factory=utcnow)
    versions: list[Version] = field(default_factory=list)
    default_example: dict[str, Any] | None = None
    bundled: bool = False

    @property
    def full_name(self) -> str:
        """``owner/name``."""
        return f"{self.owner}/{self.name}"

    @property
    def latest_version(self) -> Version | None:
        """The most recently pushed version, if any."""
        return self.versions[-1] if self.versions else None

    def find_version(self, version_id: str) -> Version | None:
        """A version of this model by id."""
        return next((v for v in self.versions if v.id == version_id), None)

    def to_json(self) -> dict[str, Any]:
        """The model object."""
        latest = self.latest_version
        return {
            "url": f"https://replicate.com/{self.full_name}",
            "owner": self.owner,
            "name": self.name,
            "description": self.description,
            "visibility": self.visibility,
            "github_url": self.github_url,
            "paper_url": self.paper_url,
            "license_url": self.license_url,
            "run_count": self.run_count,
            "cover_image_url": self.cover_image_url,
            "default_example": self.default_example,
            "latest_version": latest.to_json() if latest else None,
            "is_official": self.is_official,
        }


@dataclass
class Release:
    """One release of a deployment."""

    number: int
    model: str
    version: str
    hardware: str
    min_instances: int
    max_instances: int
    created_at: datetime = field(default_factory=utcnow)


@dataclass
class Deployment:
    """A deployment: a name pointing at a model version with scaling settings."""

    owner: str
    name: str
    release: Release
    created_at: datetime = field(default_factory=utcnow)

    def to_json(self, account: dict[str, Any]) -> dict[str, Any]:
        """The deployment object; ``created_by`` is the server's single account."""
        release = self.release
        return {
            "owner": self.owner,
            "name": self.name,
            "current_release": {
                "number": release.number,
                "model": release.model,
                "version": release.version,
                "created_at": iso(release.created_at),
                "created_by": account,
                "configuration": {
                    "hardware": release.hardware,
                    "min_instances": release.min_instances,
                    "max_instances": release.max_instances,
                },
            },
        }


@dataclass
class StoredFile:
    """An uploaded file, kept in memory."""

    id: str
    name: str
    content_type: str
    content: bytes
    metadata: dict[str, Any]
    owner: str
    sha256: str
    md5: str
    created_at: datetime
    expires_at: datetime

    def to_json(self, origin: str) -> dict[str, Any]:
        """The file object."""
        return {
            "id": self.id,
            "name": self.name,
            "content_type": self.content_type,
            "size": len(self.content),
            "etag": self.md5,
            "checksums": {"sha256": self.sha256, "md5": self.md5},
            "metadata": self.metadata,
            "created_at": iso(self.created_at),
            "expires_at": iso(self.expires_at),
            "urls": {"get": f"{origin}/v1/files/{self.id}"},
        }


@dataclass(frozen=True)
class Collection:
    """A curated list of models."""

    slug: str
    name: str
    description: str
    models: tuple[str, ...]
