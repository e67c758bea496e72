//! Logging and tracing, set up once per process: `tracing` with human or JSON output,
//! OpenTelemetry spans (exported over OTLP/HTTP when an endpoint is configured), and W3C trace
//! context that travels inside queued jobs so one trace spans api → queue → worker.

use crate::config::{LogFormat, TelemetryConfig};
use opentelemetry::propagation::TextMapPropagator;
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::SdkTracerProvider;
use std::collections::{BTreeMap, HashMap};
use tracing_opentelemetry::OpenTelemetrySpanExt;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

/// Flushes spans when dropped; keep it alive for the life of the process.
pub struct TelemetryGuard {
    provider: SdkTracerProvider,
}

impl Drop for TelemetryGuard {
    fn drop(&mut self) {
        if let Err(e) = self.provider.shutdown() {
            eprintln!("telemetry shutdown: {e}");
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TelemetryError {
    #[error("invalid LINGO_LOG filter: {0}")]
    Filter(String),
    #[error("OTLP exporter: {0}")]
    Exporter(String),
    #[error("a global subscriber is already set: {0}")]
    AlreadySet(String),
}

fn provider(config: &TelemetryConfig, process: &str) -> Result<SdkTracerProvider, TelemetryError> {
    let resource = opentelemetry_sdk::Resource::builder()
        .with_service_name(format!("{}-{process}", config.service_name))
        .build();
    let mut builder = SdkTracerProvider::builder().with_resource(resource);
    if let Some(endpoint) = &config.otlp_endpoint {
        use opentelemetry_otlp::WithExportConfig;
        let exporter = opentelemetry_otlp::SpanExporter::builder()
            .with_http()
            .with_endpoint(endpoint.clone())
            .build()
            .map_err(|e| TelemetryError::Exporter(e.to_string()))?;
        builder = builder.with_batch_exporter(exporter);
    }
    Ok(builder.build())
}

/// Installs the global subscriber for `process` (api, worker, scheduler, admin).
pub fn init(config: &TelemetryConfig, process: &str) -> Result<TelemetryGuard, TelemetryError> {
    let provider = provider(config, process)?;
    opentelemetry::global::set_text_map_propagator(TraceContextPropagator::new());
    let tracer = provider.tracer("lingo");
    let filter = EnvFilter::try_new(&config.log_filter)
        .map_err(|e| TelemetryError::Filter(e.to_string()))?;
    let output = match config.log_format {
        LogFormat::Json => tracing_subscriber::fmt::layer()
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .boxed(),
        LogFormat::Pretty => tracing_subscriber::fmt::layer().compact().boxed(),
    };
    // OpenTelemetry spans cost an allocation or two per span: only built when exported.
    let otel = config
        .otlp_endpoint
        .is_some()
        .then(|| tracing_opentelemetry::layer().with_tracer(tracer));
    tracing_subscriber::registry()
        .with(filter)
        .with(output)
        .with(otel)
        .try_init()
        .map_err(|e| TelemetryError::AlreadySet(e.to_string()))?;
    Ok(TelemetryGuard { provider })
}

/// The W3C trace context of the current span, to put inside a job being enqueued (empty when
/// traces are not exported).
pub fn current_trace_context() -> BTreeMap<String, String> {
    let context = tracing::Span::current().context();
    let mut carrier = HashMap::new();
    TraceContextPropagator::new().inject_context(&context, &mut carrier);
    carrier.into_iter().collect()
}

/// Makes `span` a child of the trace a job was enqueued in.
pub fn continue_trace(span: &tracing::Span, carrier: &BTreeMap<String, String>) {
    if carrier.is_empty() {
        return;
    }
    let carrier: HashMap<String, String> = carrier
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let parent = TraceContextPropagator::new().extract(&carrier);
    let _ = span.set_parent(parent);
}

/// The trace id of `span`, as logged and exported (hex), when it has one.
pub fn trace_id(span: &tracing::Span) -> Option<String> {
    use opentelemetry::trace::TraceContextExt;
    let context = span.context();
    let span_context = context.span().span_context().clone();
    span_context
        .is_valid()
        .then(|| span_context.trace_id().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_span_continues_the_trace_of_the_span_that_enqueued_it() {
        let provider = SdkTracerProvider::builder().build();
        let subscriber = tracing_subscriber::registry()
            .with(tracing_opentelemetry::layer().with_tracer(provider.tracer("test")));
        tracing::subscriber::with_default(subscriber, || {
            let request = tracing::info_span!("http.request");
            let carrier = request.in_scope(current_trace_context);
            let traceparent = carrier.get("traceparent").expect("traceparent injected");
            assert!(traceparent.starts_with("00-"), "{traceparent}");

            let job = tracing::info_span!("job");
            continue_trace(&job, &carrier);
            let request_trace = trace_id(&request).expect("request trace");
            assert_eq!(trace_id(&job), Some(request_trace.clone()));
            assert!(traceparent.contains(&request_trace));

            let unrelated = tracing::info_span!("other");
            assert_ne!(trace_id(&unrelated), Some(request_trace));
        });
    }

    #[test]
    fn without_a_trace_the_carrier_is_empty_and_nothing_breaks() {
        assert!(current_trace_context().is_empty());
        continue_trace(&tracing::Span::none(), &BTreeMap::new());
    }
}
