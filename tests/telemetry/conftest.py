"""Fixtures for the telemetry tests: the SDK's in-memory exporter as the tracer provider.

The spans are recorded by OpenTelemetry's own SDK, set as the global tracer
provider for one test at a time, as an application sets it: the rest of the
suite runs with none set, as most users do.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.util._once import Once


def _forget_global_provider() -> None:
    # The API lets a process set its provider once; OpenTelemetry's own test
    # utilities reset these two globals between tests the same way.
    trace._TRACER_PROVIDER_SET_ONCE = Once()
    trace._TRACER_PROVIDER = None


class Spans:
    """The spans finished so far, by name and by id."""

    def __init__(self, exporter: InMemorySpanExporter) -> None:
        self.exporter = exporter

    def all(self) -> list[ReadableSpan]:
        return list(self.exporter.get_finished_spans())

    def ours(self) -> list[ReadableSpan]:
        """The spans of replicate_ext (not httpx's, nor the test's own)."""
        return [s for s in self.all() if s.instrumentation_scope.name == "replicate_ext"]

    def named(self, name: str) -> ReadableSpan:
        (span,) = [s for s in self.all() if s.name == name]
        return span

    def children(self, parent: ReadableSpan) -> list[ReadableSpan]:
        return [
            s
            for s in self.all()
            if s.parent is not None and s.parent.span_id == parent.context.span_id
        ]


@pytest.fixture
def spans() -> Iterator[Spans]:
    """The global tracer provider set to the SDK's, exporting to memory, for this test."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    _forget_global_provider()
    trace.set_tracer_provider(provider)
    try:
        yield Spans(exporter)
    finally:
        provider.shutdown()
        _forget_global_provider()
