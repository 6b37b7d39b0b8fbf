"""Every data model of the API, imported on first use.

Importing one model (or one operation) must not pay for all of them, so names
here resolve lazily through the module's ``__getattr__``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .account import Account
    from .account_type import AccountType
    from .collection import Collection
    from .deployment import Deployment
    from .deployment_configuration import DeploymentConfiguration
    from .deployment_create_request import DeploymentCreateRequest
    from .deployment_release import DeploymentRelease
    from .deployment_update_request import DeploymentUpdateRequest
    from .file import File
    from .file_checksums import FileChecksums
    from .file_create_request import FileCreateRequest
    from .file_create_request_metadata import FileCreateRequestMetadata
    from .file_metadata import FileMetadata
    from .file_urls import FileUrls
    from .hardware import Hardware
    from .invalid_field import InvalidField
    from .metrics import Metrics
    from .model import Model
    from .model_create_request import ModelCreateRequest
    from .model_prediction_request import ModelPredictionRequest
    from .model_prediction_request_input import ModelPredictionRequestInput
    from .model_update_request import ModelUpdateRequest
    from .model_version import ModelVersion
    from .model_version_openapi_schema_type_0 import ModelVersionOpenapiSchemaType0
    from .models_list_sort_by import ModelsListSortBy
    from .models_list_sort_direction import ModelsListSortDirection
    from .paginated_collections import PaginatedCollections
    from .paginated_deployments import PaginatedDeployments
    from .paginated_files import PaginatedFiles
    from .paginated_model_versions import PaginatedModelVersions
    from .paginated_models import PaginatedModels
    from .paginated_predictions import PaginatedPredictions
    from .paginated_trainings import PaginatedTrainings
    from .partial_model_version import PartialModelVersion
    from .partial_model_version_openapi_schema_type_0 import (
        PartialModelVersionOpenapiSchemaType0,
    )
    from .partial_prediction import PartialPrediction
    from .partial_prediction_input_type_0 import PartialPredictionInputType0
    from .prediction import Prediction
    from .prediction_input_type_0 import PredictionInputType0
    from .prediction_request import PredictionRequest
    from .prediction_request_input import PredictionRequestInput
    from .prediction_status import PredictionStatus
    from .prediction_urls import PredictionUrls
    from .predictions_list_source import PredictionsListSource
    from .problem import Problem
    from .search_collection_result import SearchCollectionResult
    from .search_model_metadata import SearchModelMetadata
    from .search_model_result import SearchModelResult
    from .search_page_result import SearchPageResult
    from .search_response import SearchResponse
    from .source import Source
    from .training import Training
    from .training_input_type_0 import TrainingInputType0
    from .training_output import TrainingOutput
    from .training_request import TrainingRequest
    from .training_request_input import TrainingRequestInput
    from .training_urls import TrainingUrls
    from .visibility import Visibility
    from .webhook_event import WebhookEvent
    from .webhook_secret import WebhookSecret

_MODULE_OF = {
    "Account": ".account",
    "AccountType": ".account_type",
    "Collection": ".collection",
    "Deployment": ".deployment",
    "DeploymentConfiguration": ".deployment_configuration",
    "DeploymentCreateRequest": ".deployment_create_request",
    "DeploymentRelease": ".deployment_release",
    "DeploymentUpdateRequest": ".deployment_update_request",
    "File": ".file",
    "FileChecksums": ".file_checksums",
    "FileCreateRequest": ".file_create_request",
    "FileCreateRequestMetadata": ".file_create_request_metadata",
    "FileMetadata": ".file_metadata",
    "FileUrls": ".file_urls",
    "Hardware": ".hardware",
    "InvalidField": ".invalid_field",
    "Metrics": ".metrics",
    "Model": ".model",
    "ModelCreateRequest": ".model_create_request",
    "ModelPredictionRequest": ".model_prediction_request",
    "ModelPredictionRequestInput": ".model_prediction_request_input",
    "ModelUpdateRequest": ".model_update_request",
    "ModelVersion": ".model_version",
    "ModelVersionOpenapiSchemaType0": ".model_version_openapi_schema_type_0",
    "ModelsListSortBy": ".models_list_sort_by",
    "ModelsListSortDirection": ".models_list_sort_direction",
    "PaginatedCollections": ".paginated_collections",
    "PaginatedDeployments": ".paginated_deployments",
    "PaginatedFiles": ".paginated_files",
    "PaginatedModelVersions": ".paginated_model_versions",
    "PaginatedModels": ".paginated_models",
    "PaginatedPredictions": ".paginated_predictions",
    "PaginatedTrainings": ".paginated_trainings",
    "PartialModelVersion": ".partial_model_version",
    "PartialModelVersionOpenapiSchemaType0": ".partial_model_version_openapi_schema_type_0",
    "PartialPrediction": ".partial_prediction",
    "PartialPredictionInputType0": ".partial_prediction_input_type_0",
    "Prediction": ".prediction",
    "PredictionInputType0": ".prediction_input_type_0",
    "PredictionRequest": ".prediction_request",
    "PredictionRequestInput": ".prediction_request_input",
    "PredictionStatus": ".prediction_status",
    "PredictionUrls": ".prediction_urls",
    "PredictionsListSource": ".predictions_list_source",
    "Problem": ".problem",
    "SearchCollectionResult": ".search_collection_result",
    "SearchModelMetadata": ".search_model_metadata",
    "SearchModelResult": ".search_model_result",
    "SearchPageResult": ".search_page_result",
    "SearchResponse": ".search_response",
    "Source": ".source",
    "Training": ".training",
    "TrainingInputType0": ".training_input_type_0",
    "TrainingOutput": ".training_output",
    "TrainingRequest": ".training_request",
    "TrainingRequestInput": ".training_request_input",
    "TrainingUrls": ".training_urls",
    "Visibility": ".visibility",
    "WebhookEvent": ".webhook_event",
    "WebhookSecret": ".webhook_secret",
}


def __getattr__(name: str) -> Any:
    try:
        module = _MODULE_OF[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = (
    "Account",
    "AccountType",
    "Collection",
    "Deployment",
    "DeploymentConfiguration",
    "DeploymentCreateRequest",
    "DeploymentRelease",
    "DeploymentUpdateRequest",
    "File",
    "FileChecksums",
    "FileCreateRequest",
    "FileCreateRequestMetadata",
    "FileMetadata",
    "FileUrls",
    "Hardware",
    "InvalidField",
    "Metrics",
    "Model",
    "ModelCreateRequest",
    "ModelPredictionRequest",
    "ModelPredictionRequestInput",
    "ModelsListSortBy",
    "ModelsListSortDirection",
    "ModelUpdateRequest",
    "ModelVersion",
    "ModelVersionOpenapiSchemaType0",
    "PaginatedCollections",
    "PaginatedDeployments",
    "PaginatedFiles",
    "PaginatedModels",
    "PaginatedModelVersions",
    "PaginatedPredictions",
    "PaginatedTrainings",
    "PartialModelVersion",
    "PartialModelVersionOpenapiSchemaType0",
    "PartialPrediction",
    "PartialPredictionInputType0",
    "Prediction",
    "PredictionInputType0",
    "PredictionRequest",
    "PredictionRequestInput",
    "PredictionsListSource",
    "PredictionStatus",
    "PredictionUrls",
    "Problem",
    "SearchCollectionResult",
    "SearchModelMetadata",
    "SearchModelResult",
    "SearchPageResult",
    "SearchResponse",
    "Source",
    "Training",
    "TrainingInputType0",
    "TrainingOutput",
    "TrainingRequest",
    "TrainingRequestInput",
    "TrainingUrls",
    "Visibility",
    "WebhookEvent",
    "WebhookSecret",
)
