"""OpenTelemetry for every process: traces and metrics exported over OTLP when
`OTEL_EXPORTER_OTLP_ENDPOINT` is set, trace ids in every log line either way."""

import logging
import os

from opentelemetry import metrics, propagate, trace
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [trace=%(trace_id)s span=%(span_id)s] %(message)s"

tracer = trace.get_tracer("iq_runtime")
meter = metrics.get_meter("iq_runtime")


def configure(service: str, region: str, log_level: str = "INFO") -> None:
    resource = Resource.create({"service.name": f"iq-{service}", "service.namespace": "iq", "iq.region": region})
    tracer_provider = TracerProvider(resource=resource)
    readers = []
    if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
        from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        tracer_provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
        readers.append(PeriodicExportingMetricReader(OTLPMetricExporter()))
    trace.set_tracer_provider(tracer_provider)
    metrics.set_meter_provider(MeterProvider(resource=resource, metric_readers=readers))
    _log_with_trace_ids(log_level)


class _TraceIds(logging.Filter):
    """Stamps every record with the active trace and span id, so logs join traces."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = trace.get_current_span().get_span_context()
        record.trace_id = format(context.trace_id, "032x") if context.is_valid else "-"
        record.span_id = format(context.span_id, "016x") if context.is_valid else "-"
        return True


def _log_with_trace_ids(level: str) -> None:
    logging.basicConfig(level=level, format=LOG_FORMAT, force=True)
    for handler in logging.getLogger().handlers:
        handler.addFilter(_TraceIds())


def current_traceparent() -> dict[str, str]:
    """The active trace context as W3C headers, to store with an outbox row."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier


def context_from(carrier: dict[str, str] | None):
    return propagate.extract(carrier or {})
