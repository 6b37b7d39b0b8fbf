from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import ParseError
from ..models.prediction_status import PredictionStatus, check_prediction_status
from ..models.source import Source, check_source
from ..models.webhook_event import WebhookEvent, check_webhook_event
from ..types import (
    UNSET,
    Unset,
    check_bool,
    check_list,
    check_str,
    kind_of,
    model_repr,
)

if TYPE_CHECKING:
    from ..models.metrics import Metrics
    from ..models.partial_prediction_input_type_0 import PartialPredictionInputType0
    from ..models.prediction_urls import PredictionUrls


@_attrs_define
class PartialPrediction:
    """A prediction as a model's `default_example` holds it. Replicate's schema leaves that object free-form, so nothing is
    required, and a value that does not read as its field's type leaves the field unset and is kept as sent with the
    unknown fields: the model around it is always readable.

    """

    id: str | Unset = UNSET
    model: str | Unset = UNSET
    """ `owner/name` of the model. """
    version: str | Unset = UNSET
    """ The version's 64-character id, or `hidden` when the owner hides it. """
    input: None | PartialPredictionInputType0 | Unset = UNSET
    """ The input the run was given; removed (null or empty) with the data. """
    output: Any | Unset = UNSET
    """ The model's output, any JSON value; files are URLs. Null until there is output and after the data was
    removed. """
    logs: None | str | Unset = UNSET
    """ What the model printed so far. """
    error: None | str | Unset = UNSET
    """ Why the run failed. """
    status: PredictionStatus | str | Unset = UNSET
    """ A `PredictionStatus`, or a status added since this document was written. """
    source: Source | str | Unset = UNSET
    """ A `Source`, or one added since this document was written. """
    data_removed: bool | Unset = UNSET
    """ True once input, output and logs were deleted. """
    created_at: datetime.datetime | Unset = UNSET
    started_at: datetime.datetime | None | Unset = UNSET
    completed_at: datetime.datetime | None | Unset = UNSET
    deadline: datetime.datetime | None | Unset = UNSET
    """ When the server cancels it if it has not ended. """
    deployment: None | str | Unset = UNSET
    """ `owner/name` of the deployment that ran it, if any. """
    metrics: Metrics | Unset = UNSET
    """ Measurements of a finished run; more keys may appear. """
    urls: PredictionUrls | Unset = UNSET
    """ Links to act on a prediction. """
    webhook: None | str | Unset = UNSET
    webhook_events_filter: list[str | WebhookEvent] | None | Unset = UNSET
    webhook_completed: datetime.datetime | None | Unset = UNSET
    """ When the `completed` webhook was delivered, if one was. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def __repr__(self) -> str:
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        from ..models.partial_prediction_input_type_0 import PartialPredictionInputType0  # noqa: PLC0415

        id = self.id

        model = self.model

        version = self.version

        input_: dict[str, Any] | None | Unset
        if isinstance(self.input, Unset):
            input_ = UNSET
        elif isinstance(self.input, PartialPredictionInputType0):
            input_ = self.input.to_dict()
        else:
            input_ = self.input

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

        status: str | Unset
        if isinstance(self.status, Unset):
            status = UNSET
        elif isinstance(self.status, str):
            status = self.status
        else:
            status = self.status

        source: str | Unset
        if isinstance(self.source, Unset):
            source = UNSET
        elif isinstance(self.source, str):
            source = self.source
        else:
            source = self.source

        data_removed = self.data_removed

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

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

        urls: dict[str, Any] | Unset = UNSET
        if not isinstance(self.urls, Unset):
            urls = self.urls.to_dict()

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
                webhook_events_filter_type_0_item: str
                if isinstance(webhook_events_filter_type_0_item_data, str):
                    webhook_events_filter_type_0_item = webhook_events_filter_type_0_item_data
                else:
                    webhook_events_filter_type_0_item = webhook_events_filter_type_0_item_data
                webhook_events_filter.append(webhook_events_filter_type_0_item)

        else:
            webhook_events_filter = self.webhook_events_filter

        webhook_completed: None | str | Unset
        if isinstance(self.webhook_completed, Unset):
            webhook_completed = UNSET
        elif isinstance(self.webhook_completed, datetime.datetime):
            webhook_completed = self.webhook_completed.isoformat()
        else:
            webhook_completed = self.webhook_completed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if model is not UNSET:
            field_dict["model"] = model
        if version is not UNSET:
            field_dict["version"] = version
        if input_ is not UNSET:
            field_dict["input"] = input_
        if output is not UNSET:
            field_dict["output"] = output
        if logs is not UNSET:
            field_dict["logs"] = logs
        if error is not UNSET:
            field_dict["error"] = error
        if status is not UNSET:
            field_dict["status"] = status
        if source is not UNSET:
            field_dict["source"] = source
        if data_removed is not UNSET:
            field_dict["data_removed"] = data_removed
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
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
        if urls is not UNSET:
            field_dict["urls"] = urls
        if webhook is not UNSET:
            field_dict["webhook"] = webhook
        if webhook_events_filter is not UNSET:
            field_dict["webhook_events_filter"] = webhook_events_filter
        if webhook_completed is not UNSET:
            field_dict["webhook_completed"] = webhook_completed

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.metrics import Metrics  # noqa: PLC0415
        from ..models.partial_prediction_input_type_0 import PartialPredictionInputType0  # noqa: PLC0415
        from ..models.prediction_urls import PredictionUrls  # noqa: PLC0415

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
            _model = d.get("model", UNSET)
            model: str | Unset
            if isinstance(_model, Unset):
                model = UNSET
            else:
                model = check_str(_model)

            d.pop("model", None)
        except (TypeError, ValueError, AttributeError, KeyError):
            model = UNSET

        try:
            _version = d.get("version", UNSET)
            version: str | Unset
            if isinstance(_version, Unset):
                version = UNSET
            else:
                version = check_str(_version)

            d.pop("version", None)
        except (TypeError, ValueError, AttributeError, KeyError):
            version = UNSET

        try:

            def _parse_input_(data: object) -> None | PartialPredictionInputType0 | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                if not isinstance(data, dict):
                    raise TypeError(f"expected an object or null, got {kind_of(data)}")
                input_type_0 = PartialPredictionInputType0.from_dict(data)

                return input_type_0

            input_ = _parse_input_(d.get("input", UNSET))

            d.pop("input", None)
        except (TypeError, ValueError, AttributeError, KeyError):
            input_ = UNSET

        try:
            _output = d.get("output", UNSET)
            output: Any | Unset
            if isinstance(_output, Unset):
                output = UNSET
            else:
                output = _output

            d.pop("output", None)
        except (TypeError, ValueError, AttributeError, KeyError):
            output = UNSET

        try:

            def _parse_logs(data: object) -> None | str | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                if not isinstance(data, str):
                    raise TypeError(f"expected a string or null, got {kind_of(data)}")
                logs_type_0 = check_str(data)

                return logs_type_0

            logs = _parse_logs(d.get("logs", UNSET))

            d.pop("logs", None)
        except (TypeError, ValueError, AttributeError, KeyError):
            logs = UNSET

        try:

            def _parse_error(data: object) -> None | str | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                if not isinstance(data, str):
                    raise TypeError(f"expected a string or null, got {kind_of(data)}")
                error_type_0 = check_str(data)

                return error_type_0

            error = _parse_error(d.get("error", UNSET))

            d.pop("error", None)
        except (TypeError, ValueError, AttributeError, KeyError):
            error = UNSET

        try:

            def _parse_status(data: object) -> PredictionStatus | str | Unset:
                if isinstance(data, Unset):
                    return data
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

            status = _parse_status(d.get("status", UNSET))

            d.pop("status", None)
        except (TypeError, ValueError, AttributeError, KeyError):
            status = UNSET

        try:

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

            source = _parse_source(d.get("source", UNSET))

            d.pop("source", None)
        except (TypeError, ValueError, AttributeError, KeyError):
            source = UNSET

        try:
            _data_removed = d.get("data_removed", UNSET)
            data_removed: bool | Unset
            if isinstance(_data_removed, Unset):
                data_removed = UNSET
            else:
                data_removed = check_bool(_data_removed)

            d.pop("data_removed", None)
        except (TypeError, ValueError, AttributeError, KeyError):
            data_removed = UNSET

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

            def _parse_started_at(data: object) -> datetime.datetime | None | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                if not isinstance(data, str):
                    raise TypeError(f"expected a date-time string or null, got {kind_of(data)}")
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0

            started_at = _parse_started_at(d.get("started_at", UNSET))

            d.pop("started_at", None)
        except (TypeError, ValueError, AttributeError, KeyError):
            started_at = UNSET

        try:

            def _parse_completed_at(data: object) -> datetime.datetime | None | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                if not isinstance(data, str):
                    raise TypeError(f"expected a date-time string or null, got {kind_of(data)}")
                completed_at_type_0 = datetime.datetime.fromisoformat(data)

                return completed_at_type_0

            completed_at = _parse_completed_at(d.get("completed_at", UNSET))

            d.pop("completed_at", None)
        except (TypeError, ValueError, AttributeError, KeyError):
            completed_at = UNSET

        try:

            def _parse_deadline(data: object) -> datetime.datetime | None | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                if not isinstance(data, str):
                    raise TypeError(f"expected a date-time string or null, got {kind_of(data)}")
                deadline_type_0 = datetime.datetime.fromisoformat(data)

                return deadline_type_0

            deadline = _parse_deadline(d.get("deadline", UNSET))

            d.pop("deadline", None)
        except (TypeError, ValueError, AttributeError, KeyError):
            deadline = UNSET

        try:

            def _parse_deployment(data: object) -> None | str | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                if not isinstance(data, str):
                    raise TypeError(f"expected a string or null, got {kind_of(data)}")
                deployment_type_0 = check_str(data)

                return deployment_type_0

            deployment = _parse_deployment(d.get("deployment", UNSET))

            d.pop("deployment", None)
        except (TypeError, ValueError, AttributeError, KeyError):
            deployment = UNSET

        try:
            _metrics = d.get("metrics", UNSET)
            metrics: Metrics | Unset
            if isinstance(_metrics, Unset):
                metrics = UNSET
            else:
                metrics = Metrics.from_dict(_metrics)

            d.pop("metrics", None)
        except (TypeError, ValueError, AttributeError, KeyError):
            metrics = UNSET

        try:
            _urls = d.get("urls", UNSET)
            urls: PredictionUrls | Unset
            if isinstance(_urls, Unset):
                urls = UNSET
            else:
                urls = PredictionUrls.from_dict(_urls)

            d.pop("urls", None)
        except (TypeError, ValueError, AttributeError, KeyError):
            urls = UNSET

        try:

            def _parse_webhook(data: object) -> None | str | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                if not isinstance(data, str):
                    raise TypeError(f"expected a string or null, got {kind_of(data)}")
                webhook_type_0 = check_str(data)

                return webhook_type_0

            webhook = _parse_webhook(d.get("webhook", UNSET))

            d.pop("webhook", None)
        except (TypeError, ValueError, AttributeError, KeyError):
            webhook = UNSET

        try:

            def _parse_webhook_events_filter(
                data: object,
            ) -> list[str | WebhookEvent] | None | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                if not isinstance(data, list):
                    raise TypeError(f"expected an array or null, got {kind_of(data)}")
                webhook_events_filter_type_0 = []
                for (
                    _webhook_events_filter_type_0_index,
                    webhook_events_filter_type_0_item_data,
                ) in enumerate(check_list(data)):
                    try:

                        def _parse_webhook_events_filter_type_0_item(
                            data: object,
                        ) -> str | WebhookEvent:
                            if isinstance(data, str):
                                try:
                                    componentsschemas_any_webhook_event_type_0 = (
                                        check_webhook_event(data)
                                    )

                                    return componentsschemas_any_webhook_event_type_0
                                except (TypeError, ValueError, AttributeError, KeyError):
                                    pass
                            if not isinstance(data, str):
                                raise TypeError(f"expected a string, got {kind_of(data)}")
                            componentsschemas_any_webhook_event_type_1 = check_str(data)

                            return componentsschemas_any_webhook_event_type_1

                        webhook_events_filter_type_0_item = (
                            _parse_webhook_events_filter_type_0_item(
                                webhook_events_filter_type_0_item_data
                            )
                        )

                    except (TypeError, ValueError, AttributeError, KeyError) as _exception:
                        raise ParseError.wrap(
                            "", f"[{_webhook_events_filter_type_0_index}]", _exception
                        ) from _exception
                    webhook_events_filter_type_0.append(webhook_events_filter_type_0_item)

                return webhook_events_filter_type_0

            webhook_events_filter = _parse_webhook_events_filter(
                d.get("webhook_events_filter", UNSET)
            )

            d.pop("webhook_events_filter", None)
        except (TypeError, ValueError, AttributeError, KeyError):
            webhook_events_filter = UNSET

        try:

            def _parse_webhook_completed(data: object) -> datetime.datetime | None | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                if not isinstance(data, str):
                    raise TypeError(f"expected a date-time string or null, got {kind_of(data)}")
                webhook_completed_type_0 = datetime.datetime.fromisoformat(data)

                return webhook_completed_type_0

            webhook_completed = _parse_webhook_completed(d.get("webhook_completed", UNSET))

            d.pop("webhook_completed", None)
        except (TypeError, ValueError, AttributeError, KeyError):
            webhook_completed = UNSET

        partial_prediction = cls(
            id=id,
            model=model,
            version=version,
            input=input_,
            output=output,
            logs=logs,
            error=error,
            status=status,
            source=source,
            data_removed=data_removed,
            created_at=created_at,
            started_at=started_at,
            completed_at=completed_at,
            deadline=deadline,
            deployment=deployment,
            metrics=metrics,
            urls=urls,
            webhook=webhook,
            webhook_events_filter=webhook_events_filter,
            webhook_completed=webhook_completed,
        )

        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional = prop_dict

            additional_properties[prop_name] = additional

        partial_prediction.additional_properties = additional_properties
        return partial_prediction

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
