from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.prediction_status import PredictionStatus, check_prediction_status
from ..models.source import Source, check_source
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.metrics import Metrics
    from ..models.training_input_type_0 import TrainingInputType0
    from ..models.training_output import TrainingOutput
    from ..models.training_urls import TrainingUrls


T = TypeVar("T", bound="Training")


@_attrs_define
class Training:
    """A fine-tuning run. Unknown fields may appear and are kept."""

    id: str
    model: str
    """ `owner/name` of the model being trained. """
    version: str
    """ The trained version's id. """
    input_: None | TrainingInputType0
    status: PredictionStatus
    """ `starting` (waiting for a worker), `processing` (the model is running), then one of the terminal states
    `succeeded`, `failed` or `canceled`. """
    created_at: datetime.datetime
    urls: TrainingUrls
    """ Links to act on a training. """
    destination: None | str | Unset = UNSET
    """ `owner/name` receiving the new version. """
    output: None | TrainingOutput | Unset = UNSET
    """ The training's output, usually `{version, weights}`; null until done. """
    logs: None | str | Unset = UNSET
    error: None | str | Unset = UNSET
    source: Source | Unset = UNSET
    """ Where the prediction or training was created. """
    data_removed: bool | Unset = UNSET
    started_at: datetime.datetime | None | Unset = UNSET
    completed_at: datetime.datetime | None | Unset = UNSET
    metrics: Metrics | Unset = UNSET
    """ Measurements of a finished run; more keys may appear. """
    webhook: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.training_input_type_0 import TrainingInputType0  # noqa: PLC0415
        from ..models.training_output import TrainingOutput  # noqa: PLC0415

        id = self.id

        model = self.model

        version = self.version

        input_: dict[str, Any] | None
        if isinstance(self.input_, TrainingInputType0):
            input_ = self.input_.to_dict()
        else:
            input_ = self.input_

        status: str = self.status

        created_at = self.created_at.isoformat()

        urls = self.urls.to_dict()

        destination: None | str | Unset
        if isinstance(self.destination, Unset):
            destination = UNSET
        else:
            destination = self.destination

        output: dict[str, Any] | None | Unset
        if isinstance(self.output, Unset):
            output = UNSET
        elif isinstance(self.output, TrainingOutput):
            output = self.output.to_dict()
        else:
            output = self.output

        logs: None | str | Unset
        if isinstance(self.logs, Unset):
            logs = UNSET
        else:
            logs = self.logs

        error: None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        source: str | Unset = UNSET
        if not isinstance(self.source, Unset):
            source = self.source

        data_removed = self.data_removed

        started_at: None | str | Unset
        if isinstance(self.started_at, Unset):
            started_at = UNSET
        elif isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        completed_at: None | str | Unset
        if isinstance(self.completed_at, Unset):
            completed_at = UNSET
        elif isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at

        metrics: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metrics, Unset):
            metrics = self.metrics.to_dict()

        webhook: None | str | Unset
        if isinstance(self.webhook, Unset):
            webhook = UNSET
        else:
            webhook = self.webhook

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "model": model,
                "version": version,
                "input": input_,
                "status": status,
                "created_at": created_at,
                "urls": urls,
            }
        )
        if destination is not UNSET:
            field_dict["destination"] = destination
        if output is not UNSET:
            field_dict["output"] = output
        if logs is not UNSET:
            field_dict["logs"] = logs
        if error is not UNSET:
            field_dict["error"] = error
        if source is not UNSET:
            field_dict["source"] = source
        if data_removed is not UNSET:
            field_dict["data_removed"] = data_removed
        if started_at is not UNSET:
            field_dict["started_at"] = started_at
        if completed_at is not UNSET:
            field_dict["completed_at"] = completed_at
        if metrics is not UNSET:
            field_dict["metrics"] = metrics
        if webhook is not UNSET:
            field_dict["webhook"] = webhook

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.metrics import Metrics  # noqa: PLC0415
        from ..models.training_input_type_0 import TrainingInputType0  # noqa: PLC0415
        from ..models.training_output import TrainingOutput  # noqa: PLC0415
        from ..models.training_urls import TrainingUrls  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        model = d.pop("model")

        version = d.pop("version")

        def _parse_input_(data: object) -> None | TrainingInputType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                input_type_0 = TrainingInputType0.from_dict(data)

                return input_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TrainingInputType0, data)

        input_ = _parse_input_(d.pop("input"))

        status = check_prediction_status(d.pop("status"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        urls = TrainingUrls.from_dict(d.pop("urls"))

        def _parse_destination(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        destination = _parse_destination(d.pop("destination", UNSET))

        def _parse_output(data: object) -> None | TrainingOutput | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_type_0 = TrainingOutput.from_dict(data)

                return output_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TrainingOutput | Unset, data)

        output = _parse_output(d.pop("output", UNSET))

        def _parse_logs(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        logs = _parse_logs(d.pop("logs", UNSET))

        def _parse_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        _source = d.pop("source", UNSET)
        source: Source | Unset
        if isinstance(_source, Unset):
            source = UNSET
        else:
            source = check_source(_source)

        data_removed = d.pop("data_removed", UNSET)

        def _parse_started_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        started_at = _parse_started_at(d.pop("started_at", UNSET))

        def _parse_completed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                completed_at_type_0 = datetime.datetime.fromisoformat(data)

                return completed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        completed_at = _parse_completed_at(d.pop("completed_at", UNSET))

        _metrics = d.pop("metrics", UNSET)
        metrics: Metrics | Unset
        if isinstance(_metrics, Unset):
            metrics = UNSET
        else:
            metrics = Metrics.from_dict(_metrics)

        def _parse_webhook(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        webhook = _parse_webhook(d.pop("webhook", UNSET))

        training = cls(
            id=id,
            model=model,
            version=version,
            input_=input_,
            status=status,
            created_at=created_at,
            urls=urls,
            destination=destination,
            output=output,
            logs=logs,
            error=error,
            source=source,
            data_removed=data_removed,
            started_at=started_at,
            completed_at=completed_at,
            metrics=metrics,
            webhook=webhook,
        )

        training.additional_properties = d
        return training

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
