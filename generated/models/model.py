from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import ParseError
from ..models.visibility import Visibility, check_visibility
from ..types import (
    UNSET,
    Unset,
    check_bool,
    check_int,
    check_str,
    kind_of,
    model_repr,
)

if TYPE_CHECKING:
    from ..models.partial_model_version import PartialModelVersion
    from ..models.partial_prediction import PartialPrediction


@_attrs_define
class Model:
    """A model. Unknown fields may appear and are kept."""

    url: str
    """ The model's page. """
    owner: str
    name: str
    description: None | str | Unset = UNSET
    visibility: str | Unset | Visibility = UNSET
    github_url: None | str | Unset = UNSET
    paper_url: None | str | Unset = UNSET
    license_url: None | str | Unset = UNSET
    run_count: int | Unset = UNSET
    """ How many times it has run. """
    cover_image_url: None | str | Unset = UNSET
    default_example: None | PartialPrediction | Unset = UNSET
    """ A prediction that shows the model at work. """
    latest_version: None | PartialModelVersion | Unset = UNSET
    """ The most recently pushed version. """
    is_official: bool | Unset = UNSET
    """ Official models run by name and are billed by output, not time. """
    created_at: datetime.datetime | None | Unset = UNSET
    weights_url: None | str | Unset = UNSET
    """ Where the model's weights are published """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def __repr__(self) -> str:
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        from ..models.partial_model_version import PartialModelVersion  # noqa: PLC0415
        from ..models.partial_prediction import PartialPrediction  # noqa: PLC0415

        url = self.url

        owner = self.owner

        name = self.name

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        visibility: str | Unset
        if isinstance(self.visibility, Unset):
            visibility = UNSET
        elif isinstance(self.visibility, str):
            visibility = self.visibility
        else:
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
        elif isinstance(self.default_example, PartialPrediction):
            default_example = self.default_example.to_dict()
        else:
            default_example = self.default_example

        latest_version: dict[str, Any] | None | Unset
        if isinstance(self.latest_version, Unset):
            latest_version = UNSET
        elif isinstance(self.latest_version, PartialModelVersion):
            latest_version = self.latest_version.to_dict()
        else:
            latest_version = self.latest_version

        is_official = self.is_official

        created_at: None | str | Unset
        if isinstance(self.created_at, Unset):
            created_at = UNSET
        elif isinstance(self.created_at, datetime.datetime):
            created_at = self.created_at.isoformat()
        else:
            created_at = self.created_at

        weights_url: None | str | Unset
        if isinstance(self.weights_url, Unset):
            weights_url = UNSET
        else:
            weights_url = self.weights_url

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
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if weights_url is not UNSET:
            field_dict["weights_url"] = weights_url

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.partial_model_version import PartialModelVersion  # noqa: PLC0415
        from ..models.partial_prediction import PartialPrediction  # noqa: PLC0415

        if not isinstance(src_dict, Mapping):
            raise ParseError(cls.__name__, "", f"expected an object, got {kind_of(src_dict)}")
        d = dict(src_dict)
        # Each value is read and checked in turn; whatever goes wrong is one
        # ParseError that names the field.
        _field = ""
        try:
            _field = "url"
            url = check_str(d.pop("url"))

            _field = "owner"
            owner = check_str(d.pop("owner"))

            _field = "name"
            name = check_str(d.pop("name"))

            _field = "description"

            def _parse_description(data: object) -> None | str | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                if not isinstance(data, str):
                    raise TypeError(f"expected a string or null, got {kind_of(data)}")
                description_type_0 = check_str(data)

                return description_type_0

            description = _parse_description(d.pop("description", UNSET))

            _field = "visibility"

            def _parse_visibility(data: object) -> str | Unset | Visibility:
                if isinstance(data, Unset):
                    return data
                if isinstance(data, str):
                    try:
                        visibility_type_0 = check_visibility(data)

                        return visibility_type_0
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                if not isinstance(data, str):
                    raise TypeError(f"expected a string, got {kind_of(data)}")
                visibility_type_1 = check_str(data)

                return visibility_type_1

            visibility = _parse_visibility(d.pop("visibility", UNSET))

            _field = "github_url"

            def _parse_github_url(data: object) -> None | str | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                if not isinstance(data, str):
                    raise TypeError(f"expected a string or null, got {kind_of(data)}")
                github_url_type_0 = check_str(data)

                return github_url_type_0

            github_url = _parse_github_url(d.pop("github_url", UNSET))

            _field = "paper_url"

            def _parse_paper_url(data: object) -> None | str | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                if not isinstance(data, str):
                    raise TypeError(f"expected a string or null, got {kind_of(data)}")
                paper_url_type_0 = check_str(data)

                return paper_url_type_0

            paper_url = _parse_paper_url(d.pop("paper_url", UNSET))

            _field = "license_url"

            def _parse_license_url(data: object) -> None | str | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                if not isinstance(data, str):
                    raise TypeError(f"expected a string or null, got {kind_of(data)}")
                license_url_type_0 = check_str(data)

                return license_url_type_0

            license_url = _parse_license_url(d.pop("license_url", UNSET))

            _field = "run_count"
            _run_count = d.pop("run_count", UNSET)
            run_count: int | Unset
            if isinstance(_run_count, Unset):
                run_count = UNSET
            else:
                run_count = check_int(_run_count)

            _field = "cover_image_url"

            def _parse_cover_image_url(data: object) -> None | str | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                if not isinstance(data, str):
                    raise TypeError(f"expected a string or null, got {kind_of(data)}")
                cover_image_url_type_0 = check_str(data)

                return cover_image_url_type_0

            cover_image_url = _parse_cover_image_url(d.pop("cover_image_url", UNSET))

            _field = "default_example"

            def _parse_default_example(data: object) -> None | PartialPrediction | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                if not isinstance(data, dict):
                    raise TypeError(f"expected an object or null, got {kind_of(data)}")
                default_example_type_0 = PartialPrediction.from_dict(data)

                return default_example_type_0

            default_example = _parse_default_example(d.pop("default_example", UNSET))

            _field = "latest_version"

            def _parse_latest_version(data: object) -> None | PartialModelVersion | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                if not isinstance(data, dict):
                    raise TypeError(f"expected an object or null, got {kind_of(data)}")
                latest_version_type_0 = PartialModelVersion.from_dict(data)

                return latest_version_type_0

            latest_version = _parse_latest_version(d.pop("latest_version", UNSET))

            _field = "is_official"
            _is_official = d.pop("is_official", UNSET)
            is_official: bool | Unset
            if isinstance(_is_official, Unset):
                is_official = UNSET
            else:
                is_official = check_bool(_is_official)

            _field = "created_at"

            def _parse_created_at(data: object) -> datetime.datetime | None | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                if not isinstance(data, str):
                    raise TypeError(f"expected a date-time string or null, got {kind_of(data)}")
                created_at_type_0 = datetime.datetime.fromisoformat(data)

                return created_at_type_0

            created_at = _parse_created_at(d.pop("created_at", UNSET))

            _field = "weights_url"

            def _parse_weights_url(data: object) -> None | str | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                if not isinstance(data, str):
                    raise TypeError(f"expected a string or null, got {kind_of(data)}")
                weights_url_type_0 = check_str(data)

                return weights_url_type_0

            weights_url = _parse_weights_url(d.pop("weights_url", UNSET))

        except (TypeError, ValueError, AttributeError, KeyError) as _exception:
            raise ParseError.wrap(cls.__name__, _field, _exception) from _exception
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
            created_at=created_at,
            weights_url=weights_url,
        )

        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional = prop_dict

            additional_properties[prop_name] = additional

        model.additional_properties = additional_properties
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
