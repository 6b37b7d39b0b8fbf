from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.model_visibility import ModelVisibility, check_model_visibility
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.model_version import ModelVersion
    from ..models.prediction import Prediction


T = TypeVar("T", bound="Model")


@_attrs_define
class Model:
    """A model. Unknown fields may appear and are kept."""

    url: str
    """ The model's page. """
    owner: str
    name: str
    description: None | str | Unset = UNSET
    visibility: ModelVisibility | Unset = UNSET
    github_url: None | str | Unset = UNSET
    paper_url: None | str | Unset = UNSET
    license_url: None | str | Unset = UNSET
    run_count: int | Unset = UNSET
    """ How many times it has run. """
    cover_image_url: None | str | Unset = UNSET
    default_example: None | Prediction | Unset = UNSET
    """ A prediction that shows the model at work. """
    latest_version: ModelVersion | None | Unset = UNSET
    """ The most recently pushed version. """
    is_official: bool | Unset = UNSET
    """ Official models run by name and are billed by output, not time. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.model_version import ModelVersion  # noqa: PLC0415
        from ..models.prediction import Prediction  # noqa: PLC0415

        url = self.url

        owner = self.owner

        name = self.name

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        visibility: str | Unset = UNSET
        if not isinstance(self.visibility, Unset):
            visibility = self.visibility

        github_url: None | str | Unset
        if isinstance(self.github_url, Unset):
            github_url = UNSET
        else:
            github_url = self.github_url

        paper_url: None | str | Unset
        if isinstance(self.paper_url, Unset):
            paper_url = UNSET
        else:
            paper_url = self.paper_url

        license_url: None | str | Unset
        if isinstance(self.license_url, Unset):
            license_url = UNSET
        else:
            license_url = self.license_url

        run_count = self.run_count

        cover_image_url: None | str | Unset
        if isinstance(self.cover_image_url, Unset):
            cover_image_url = UNSET
        else:
            cover_image_url = self.cover_image_url

        default_example: dict[str, Any] | None | Unset
        if isinstance(self.default_example, Unset):
            default_example = UNSET
        elif isinstance(self.default_example, Prediction):
            default_example = self.default_example.to_dict()
        else:
            default_example = self.default_example

        latest_version: dict[str, Any] | None | Unset
        if isinstance(self.latest_version, Unset):
            latest_version = UNSET
        elif isinstance(self.latest_version, ModelVersion):
            latest_version = self.latest_version.to_dict()
        else:
            latest_version = self.latest_version

        is_official = self.is_official

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "url": url,
                "owner": owner,
                "name": name,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if visibility is not UNSET:
            field_dict["visibility"] = visibility
        if github_url is not UNSET:
            field_dict["github_url"] = github_url
        if paper_url is not UNSET:
            field_dict["paper_url"] = paper_url
        if license_url is not UNSET:
            field_dict["license_url"] = license_url
        if run_count is not UNSET:
            field_dict["run_count"] = run_count
        if cover_image_url is not UNSET:
            field_dict["cover_image_url"] = cover_image_url
        if default_example is not UNSET:
            field_dict["default_example"] = default_example
        if latest_version is not UNSET:
            field_dict["latest_version"] = latest_version
        if is_official is not UNSET:
            field_dict["is_official"] = is_official

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.model_version import ModelVersion  # noqa: PLC0415
        from ..models.prediction import Prediction  # noqa: PLC0415

        d = dict(src_dict)
        url = d.pop("url")

        owner = d.pop("owner")

        name = d.pop("name")

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        _visibility = d.pop("visibility", UNSET)
        visibility: ModelVisibility | Unset
        if isinstance(_visibility, Unset):
            visibility = UNSET
        else:
            visibility = check_model_visibility(_visibility)

        def _parse_github_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        github_url = _parse_github_url(d.pop("github_url", UNSET))

        def _parse_paper_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        paper_url = _parse_paper_url(d.pop("paper_url", UNSET))

        def _parse_license_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        license_url = _parse_license_url(d.pop("license_url", UNSET))

        run_count = d.pop("run_count", UNSET)

        def _parse_cover_image_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        cover_image_url = _parse_cover_image_url(d.pop("cover_image_url", UNSET))

        def _parse_default_example(data: object) -> None | Prediction | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                default_example_type_0 = Prediction.from_dict(data)

                return default_example_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Prediction | Unset, data)

        default_example = _parse_default_example(d.pop("default_example", UNSET))

        def _parse_latest_version(data: object) -> ModelVersion | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                latest_version_type_0 = ModelVersion.from_dict(data)

                return latest_version_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ModelVersion | None | Unset, data)

        latest_version = _parse_latest_version(d.pop("latest_version", UNSET))

        is_official = d.pop("is_official", UNSET)

        model = cls(
            url=url,
            owner=owner,
            name=name,
            description=description,
            visibility=visibility,
            github_url=github_url,
            paper_url=paper_url,
            license_url=license_url,
            run_count=run_count,
            cover_image_url=cover_image_url,
            default_example=default_example,
            latest_version=latest_version,
            is_official=is_official,
        )

        model.additional_properties = d
        return model

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
