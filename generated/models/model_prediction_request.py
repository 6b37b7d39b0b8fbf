from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.webhook_event import WebhookEvent, check_webhook_event
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.model_prediction_request_input import ModelPredictionRequestInput


T = TypeVar("T", bound="ModelPredictionRequest")


@_attrs_define
class ModelPredictionRequest:
    input_: ModelPredictionRequestInput
    """ The model's input. Files go as HTTPS URLs or, up to 256 KB, as data URLs. """
    webhook: str | Unset = UNSET
    """ HTTPS URL that receives the prediction on the chosen events. """
    webhook_events_filter: list[WebhookEvent] | Unset = UNSET
    """ Events that trigger a webhook; all of them when omitted. """
    stream: bool | Unset = UNSET
    """ Ignored; streaming models always get `urls.stream`. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        input_ = self.input_.to_dict()

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
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.model_prediction_request_input import ModelPredictionRequestInput  # noqa: PLC0415

        d = dict(src_dict)
        input_ = ModelPredictionRequestInput.from_dict(d.pop("input"))

        webhook = d.pop("webhook", UNSET)

        _webhook_events_filter = d.pop("webhook_events_filter", UNSET)
        webhook_events_filter: list[WebhookEvent] | Unset = UNSET
        if _webhook_events_filter is not UNSET:
            webhook_events_filter = []
            for webhook_events_filter_item_data in _webhook_events_filter:
                webhook_events_filter_item = check_webhook_event(webhook_events_filter_item_data)

                webhook_events_filter.append(webhook_events_filter_item)

        stream = d.pop("stream", UNSET)

        model_prediction_request = cls(
            input_=input_,
            webhook=webhook,
            webhook_events_filter=webhook_events_filter,
            stream=stream,
        )

        model_prediction_request.additional_properties = d
        return model_prediction_request

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
