from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import ParseError
from ..models.prediction_status import PredictionStatus, check_prediction_status
from ..models.source import Source, check_source
from ..types import (
    UNSET,
    Unset,
    check_bool,
    check_str,
    kind_of,
    model_repr,
)

if TYPE_CHECKING:
    from ..models.metrics import Metrics
    from ..models.training_input_type_0 import TrainingInputType0
    from ..models.training_output import TrainingOutput
    from ..models.training_urls import TrainingUrls


@_attrs_define
class Training:
    """A fine-tuning run. Unknown fields may appear and are kept (see `Prediction` on `required`)."""

    id: str
    version: str
    """ The trained version's id. """
    status: PredictionStatus | str
    """ A `PredictionStatus`, or a status added since this document was written. """
    created_at: datetime.datetime
    urls: TrainingUrls
    """ Links to act on a training. The creation answer gives them under `/v1/predictions/{id}` (which serve and
    cancel trainings too), a fetched training under `/v1/trainings/{id}`: follow them rather than build paths. """
    model: str | Unset = UNSET
    """ `owner/name` of the model being trained. """
    destination: None | str | Unset = UNSET
    """ `owner/name` receiving the new version. """
    input: None | TrainingInputType0 | Unset = UNSET
    output: None | TrainingOutput | Unset = UNSET
    """ The training's output, usually `{version, weights}`; null until done. """
    logs: None | str | Unset = UNSET
    error: None | str | Unset = UNSET
    source: Source | str | Unset = UNSET
    """ A `Source`, or one added since this document was written. """
    data_removed: bool | Unset = UNSET
    started_at: datetime.datetime | None | Unset = UNSET
    completed_at: datetime.datetime | None | Unset = UNSET
    metrics: Metrics | Unset = UNSET
    """ Measurements of a finished run; more keys may appear. """
    webhook: None | str | Unset = UNSET
    webhook_completed: datetime.datetime | None | Unset = UNSET
    """ When the `completed` webhook was delivered, if one was. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def __repr__(self) -> str:
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        from ..models.training_input_type_0 import TrainingInputType0  # noqa: PLC0415
        from ..models.training_output import TrainingOutput  # noqa: PLC0415

        id = self.id

        version = self.version

        status: str
        if isinstance(self.status, str):
            status = self.status
        else:
            status = self.status

        created_at = self.created_at.isoformat()

        urls = self.urls.to_dict()

        model = self.model

        destination: None | str | Unset
        if isinstance(self.destination, Unset):
            destination = UNSET
        else:
            destination = self.destination

        input_: dict[str, Any] | None | Unset
        if isinstance(self.input, Unset):
            input_ = UNSET
        elif isinstance(self.input, TrainingInputType0):
            input_ = self.input.to_dict()
        else:
            input_ = self.input

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

        source: str | Unset
        if isinstance(self.source, Unset):
            source = UNSET
        elif isinstance(self.source, str):
            source = self.source
        else:
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

        webhook_completed: None | str | Unset
        if isinstance(self.webhook_completed, Unset):
            webhook_completed = UNSET
        elif isinstance(self.webhook_completed, datetime.datetime):
            webhook_completed = self.webhook_completed.isoformat()
        else:
            webhook_completed = self.webhook_completed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "version": version,
                "status": status,
                "created_at": created_at,
                "urls": urls,
            }
        )
        if model is not UNSET:
            field_dict["model"] = model
        if destination is not UNSET:
            field_dict["destination"] = destination
        if input_ is not UNSET:
            field_dict["input"] = input_
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
        if webhook_completed is not UNSET:
            field_dict["webhook_completed"] = webhook_completed

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.metrics import Metrics  # noqa: PLC0415
        from ..models.training_input_type_0 import TrainingInputType0  # noqa: PLC0415
        from ..models.training_output import TrainingOutput  # noqa: PLC0415
        from ..models.training_urls import TrainingUrls  # noqa: PLC0415

        if not isinstance(src_dict, Mapping):
            raise ParseError(cls.__name__, "", f"expected an object, got {kind_of(src_dict)}")
        d = dict(src_dict)
        # Each value is read and checked in turn; whatever goes wrong is one
        # ParseError that names the field.
        _field = ""
        try:
            _field = "id"
            id = check_str(d.pop("id"))

            _field = "version"
            version = check_str(d.pop("version"))

            _field = "status"

            def _parse_status(data: object) -> PredictionStatus | str:
                if isinstance(data, str):
                    try:
                        componentsschemas_any_status_type_0 = check_prediction_status(data)

                        return componentsschemas_any_status_type_0
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                if not isinstance(data, str):
                    raise TypeError(f"expected a string, got {kind_of(data)}")
                componentsschemas_any_status_type_1 = check_str(data)

                return componentsschemas_any_status_type_1

            status = _parse_status(d.pop("status"))

            _field = "created_at"
            created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

            _field = "urls"
            urls = TrainingUrls.from_dict(d.pop("urls"))

            _field = "model"
            _model = d.pop("model", UNSET)
            model: str | Unset
            if isinstance(_model, Unset):
                model = UNSET
            else:
                model = check_str(_model)

            _field = "destination"

            def _parse_destination(data: object) -> None | str | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                if not isinstance(data, str):
                    raise TypeError(f"expected a string or null, got {kind_of(data)}")
                destination_type_0 = check_str(data)

                return destination_type_0

            destination = _parse_destination(d.pop("destination", UNSET))

            _field = "input"

            def _parse_input_(data: object) -> None | TrainingInputType0 | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                if not isinstance(data, dict):
                    raise TypeError(f"expected an object or null, got {kind_of(data)}")
                input_type_0 = TrainingInputType0.from_dict(data)

                return input_type_0

            input_ = _parse_input_(d.pop("input", UNSET))

            _field = "output"

            def _parse_output(data: object) -> None | TrainingOutput | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                if not isinstance(data, dict):
                    raise TypeError(f"expected an object or null, got {kind_of(data)}")
                output_type_0 = TrainingOutput.from_dict(data)

                return output_type_0

            output = _parse_output(d.pop("output", UNSET))

            _field = "logs"

            def _parse_logs(data: object) -> None | str | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                if not isinstance(data, str):
                    raise TypeError(f"expected a string or null, got {kind_of(data)}")
                logs_type_0 = check_str(data)

                return logs_type_0

            logs = _parse_logs(d.pop("logs", UNSET))

            _field = "error"

            def _parse_error(data: object) -> None | str | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                if not isinstance(data, str):
                    raise TypeError(f"expected a string or null, got {kind_of(data)}")
                error_type_0 = check_str(data)

                return error_type_0

            error = _parse_error(d.pop("error", UNSET))

            _field = "source"

            def _parse_source(data: object) -> Source | str | Unset:
                if isinstance(data, Unset):
                    return data
                if isinstance(data, str):
                    try:
                        componentsschemas_any_source_type_0 = check_source(data)

                        return componentsschemas_any_source_type_0
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                if not isinstance(data, str):
                    raise TypeError(f"expected a string, got {kind_of(data)}")
                componentsschemas_any_source_type_1 = check_str(data)

                return componentsschemas_any_source_type_1

            source = _parse_source(d.pop("source", UNSET))

            _field = "data_removed"
            _data_removed = d.pop("data_removed", UNSET)
            data_removed: bool | Unset
            if isinstance(_data_removed, Unset):
                data_removed = UNSET
            else:
                data_removed = check_bool(_data_removed)

            _field = "started_at"

            def _parse_started_at(data: object) -> datetime.datetime | None | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                if not isinstance(data, str):
                    raise TypeError(f"expected a date-time string or null, got {kind_of(data)}")
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0

            started_at = _parse_started_at(d.pop("started_at", UNSET))

            _field = "completed_at"

            def _parse_completed_at(data: object) -> datetime.datetime | None | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                if not isinstance(data, str):
                    raise TypeError(f"expected a date-time string or null, got {kind_of(data)}")
                completed_at_type_0 = datetime.datetime.fromisoformat(data)

                return completed_at_type_0

            completed_at = _parse_completed_at(d.pop("completed_at", UNSET))

            _field = "metrics"
            _metrics = d.pop("metrics", UNSET)
            metrics: Metrics | Unset
            if isinstance(_metrics, Unset):
                metrics = UNSET
            else:
                metrics = Metrics.from_dict(_metrics)

            _field = "webhook"

            def _parse_webhook(data: object) -> None | str | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                if not isinstance(data, str):
                    raise TypeError(f"expected a string or null, got {kind_of(data)}")
                webhook_type_0 = check_str(data)

                return webhook_type_0

            webhook = _parse_webhook(d.pop("webhook", UNSET))

            _field = "webhook_completed"

            def _parse_webhook_completed(data: object) -> datetime.datetime | None | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                if not isinstance(data, str):
                    raise TypeError(f"expected a date-time string or null, got {kind_of(data)}")
                webhook_completed_type_0 = datetime.datetime.fromisoformat(data)

                return webhook_completed_type_0

            webhook_completed = _parse_webhook_completed(d.pop("webhook_completed", UNSET))

        except (TypeError, ValueError, AttributeError, KeyError) as _exception:
            raise ParseError.wrap(cls.__name__, _field, _exception) from _exception
        training = cls(
            id=id,
            version=version,
            status=status,
            created_at=created_at,
            urls=urls,
            model=model,
            destination=destination,
            input=input_,
            output=output,
            logs=logs,
            error=error,
            source=source,
            data_removed=data_removed,
            started_at=started_at,
            completed_at=completed_at,
            metrics=metrics,
            webhook=webhook,
            webhook_completed=webhook_completed,
        )

        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional = prop_dict

            additional_properties[prop_name] = additional

        training.additional_properties = additional_properties
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
