from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.prediction_status import PredictionStatus, check_prediction_status
from ..models.source import Source, check_source
from ..models.webhook_event import WebhookEvent, check_webhook_event
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.metrics import Metrics
    from ..models.prediction_input_type_0 import PredictionInputType0
    from ..models.prediction_urls import PredictionUrls


T = TypeVar("T", bound="Prediction")


@_attrs_define
class Prediction:
    """One run of a model version on an input. Unknown fields may appear and are kept."""

    id: str
    model: str
    """ `owner/name` of the model. """
    version: str
    """ The version's 64-character id, or `hidden` when the owner hides it. """
    input_: None | PredictionInputType0
    """ The input the run was given; removed (null or empty) with the data. """
    status: PredictionStatus
    """ `starting` (waiting for a worker), `processing` (the model is running), then one of the terminal states
    `succeeded`, `failed` or `canceled`. """
    created_at: datetime.datetime
    urls: PredictionUrls
    """ Links to act on a prediction. """
    output: Any | Unset = UNSET
    """ The model's output, any JSON value; files are URLs. Null until there is output and after the data was
    removed. """
    logs: None | str | Unset = UNSET
    """ What the model printed so far. """
    error: None | str | Unset = UNSET
    """ Why the run failed. """
    source: Source | Unset = UNSET
    """ Where the prediction or training was created. """
    data_removed: bool | Unset = UNSET
    """ True once input, output and logs were deleted. """
    started_at: datetime.datetime | None | Unset = UNSET
    completed_at: datetime.datetime | None | Unset = UNSET
    deadline: datetime.datetime | None | Unset = UNSET
    """ When the server cancels it if it has not ended. """
    deployment: None | str | Unset = UNSET
    """ `owner/name` of the deployment that ran it, if any. """
    metrics: Metrics | Unset = UNSET
    """ Measurements of a finished run; more keys may appear. """
    webhook: None | str | Unset = UNSET
    webhook_events_filter: list[WebhookEvent] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.prediction_input_type_0 import PredictionInputType0  # noqa: PLC0415

        id = self.id

        model = self.model

        version = self.version

        input_: dict[str, Any] | None
        if isinstance(self.input_, PredictionInputType0):
            input_ = self.input_.to_dict()
        else:
            input_ = self.input_

        status: str = self.status

        created_at = self.created_at.isoformat()

        urls = self.urls.to_dict()

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

        deadline: None | str | Unset
        if isinstance(self.deadline, Unset):
            deadline = UNSET
        elif isinstance(self.deadline, datetime.datetime):
            deadline = self.deadline.isoformat()
        else:
            deadline = self.deadline

        deployment: None | str | Unset
        if isinstance(self.deployment, Unset):
            deployment = UNSET
        else:
            deployment = self.deployment

        metrics: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metrics, Unset):
            metrics = self.metrics.to_dict()

        webhook: None | str | Unset
        if isinstance(self.webhook, Unset):
            webhook = UNSET
        else:
            webhook = self.webhook

        webhook_events_filter: list[str] | None | Unset
        if isinstance(self.webhook_events_filter, Unset):
            webhook_events_filter = UNSET
        elif isinstance(self.webhook_events_filter, list):
            webhook_events_filter = []
            for webhook_events_filter_type_0_item_data in self.webhook_events_filter:
                webhook_events_filter_type_0_item: str = webhook_events_filter_type_0_item_data
                webhook_events_filter.append(webhook_events_filter_type_0_item)

        else:
            webhook_events_filter = self.webhook_events_filter

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
        if deadline is not UNSET:
            field_dict["deadline"] = deadline
        if deployment is not UNSET:
            field_dict["deployment"] = deployment
        if metrics is not UNSET:
            field_dict["metrics"] = metrics
        if webhook is not UNSET:
            field_dict["webhook"] = webhook
        if webhook_events_filter is not UNSET:
            field_dict["webhook_events_filter"] = webhook_events_filter

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.metrics import Metrics  # noqa: PLC0415
        from ..models.prediction_input_type_0 import PredictionInputType0  # noqa: PLC0415
        from ..models.prediction_urls import PredictionUrls  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        model = d.pop("model")

        version = d.pop("version")

        def _parse_input_(data: object) -> None | PredictionInputType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                input_type_0 = PredictionInputType0.from_dict(data)

                return input_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PredictionInputType0, data)

        input_ = _parse_input_(d.pop("input"))

        status = check_prediction_status(d.pop("status"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        urls = PredictionUrls.from_dict(d.pop("urls"))

        output = d.pop("output", UNSET)

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

        def _parse_deadline(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                deadline_type_0 = datetime.datetime.fromisoformat(data)

                return deadline_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        deadline = _parse_deadline(d.pop("deadline", UNSET))

        def _parse_deployment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        deployment = _parse_deployment(d.pop("deployment", UNSET))

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

        def _parse_webhook_events_filter(data: object) -> list[WebhookEvent] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                webhook_events_filter_type_0 = []
                _webhook_events_filter_type_0 = data
                for webhook_events_filter_type_0_item_data in _webhook_events_filter_type_0:
                    webhook_events_filter_type_0_item = check_webhook_event(
                        webhook_events_filter_type_0_item_data
                    )

                    webhook_events_filter_type_0.append(webhook_events_filter_type_0_item)

                return webhook_events_filter_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[WebhookEvent] | None | Unset, data)

        webhook_events_filter = _parse_webhook_events_filter(d.pop("webhook_events_filter", UNSET))

        prediction = cls(
            id=id,
            model=model,
            version=version,
            input_=input_,
            status=status,
            created_at=created_at,
            urls=urls,
            output=output,
            logs=logs,
            error=error,
            source=source,
            data_removed=data_removed,
            started_at=started_at,
            completed_at=completed_at,
            deadline=deadline,
            deployment=deployment,
            metrics=metrics,
            webhook=webhook,
            webhook_events_filter=webhook_events_filter,
        )

        prediction.additional_properties = d
        return prediction

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
