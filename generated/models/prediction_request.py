from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import ParseError
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
    from ..models.prediction_request_input import PredictionRequestInput


@_attrs_define
class PredictionRequest:
    version: str
    """ The version to run: a 64-character id, `owner/name:id`, or `owner/name` for an official model. """
    input: PredictionRequestInput
    """ The model's input. Files go as HTTPS URLs or, up to 256 KB, as data URLs. """
    webhook: str | Unset = UNSET
    """ HTTPS URL that receives the prediction on the chosen events. """
    webhook_events_filter: list[WebhookEvent] | Unset = UNSET
    """ Events that trigger a webhook; all of them when omitted. """
    stream: bool | Unset = UNSET
    """ Ignored; streaming models always get `urls.stream`. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def __repr__(self) -> str:
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        version = self.version

        input_ = self.input.to_dict()

        webhook = self.webhook

        webhook_events_filter: list[str] | Unset = UNSET
        if not isinstance(self.webhook_events_filter, Unset):
            webhook_events_filter = []
            for webhook_events_filter_item_data in self.webhook_events_filter:
                webhook_events_filter_item: str = webhook_events_filter_item_data
                webhook_events_filter.append(webhook_events_filter_item)

        stream = self.stream

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "version": version,
                "input": input_,
            }
        )
        if webhook is not UNSET:
            field_dict["webhook"] = webhook
        if webhook_events_filter is not UNSET:
            field_dict["webhook_events_filter"] = webhook_events_filter
        if stream is not UNSET:
            field_dict["stream"] = stream

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.prediction_request_input import PredictionRequestInput  # noqa: PLC0415

        if not isinstance(src_dict, Mapping):
            raise ParseError(cls.__name__, "", f"expected an object, got {kind_of(src_dict)}")
        d = dict(src_dict)
        # Each value is read and checked in turn; whatever goes wrong is one
        # ParseError that names the field.
        _field = ""
        try:
            _field = "version"
            version = check_str(d.pop("version"))

            _field = "input"
            input_ = PredictionRequestInput.from_dict(d.pop("input"))

            _field = "webhook"
            _webhook = d.pop("webhook", UNSET)
            webhook: str | Unset
            if isinstance(_webhook, Unset):
                webhook = UNSET
            else:
                webhook = check_str(_webhook)

            _field = "webhook_events_filter"
            _webhook_events_filter = d.pop("webhook_events_filter", UNSET)
            webhook_events_filter: list[WebhookEvent] | Unset = UNSET
            if not isinstance(_webhook_events_filter, Unset):
                webhook_events_filter = []
                for _webhook_events_filter_index, webhook_events_filter_item_data in enumerate(
                    check_list(_webhook_events_filter)
                ):
                    try:
                        webhook_events_filter_item = check_webhook_event(
                            webhook_events_filter_item_data
                        )

                    except (TypeError, ValueError, AttributeError, KeyError) as _exception:
                        raise ParseError.wrap(
                            "", f"[{_webhook_events_filter_index}]", _exception
                        ) from _exception
                    webhook_events_filter.append(webhook_events_filter_item)

            _field = "stream"
            _stream = d.pop("stream", UNSET)
            stream: bool | Unset
            if isinstance(_stream, Unset):
                stream = UNSET
            else:
                stream = check_bool(_stream)

        except (TypeError, ValueError, AttributeError, KeyError) as _exception:
            raise ParseError.wrap(cls.__name__, _field, _exception) from _exception
        prediction_request = cls(
            version=version,
            input=input_,
            webhook=webhook,
            webhook_events_filter=webhook_events_filter,
            stream=stream,
        )

        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional = prop_dict

            additional_properties[prop_name] = additional

        prediction_request.additional_properties = additional_properties
        return prediction_request

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
