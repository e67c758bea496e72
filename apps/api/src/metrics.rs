//! Prometheus metrics: requests and latency per route and status, pool sizes, queue depth.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use std::time::Duration;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub method: String,
    /// The route pattern (`/api/v1/jobs/{id}`), never the raw path: bounded cardinality.
    pub route: String,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct PoolLabels {
    pub pool: String,
    pub state: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct QueueLabels {
    pub state: String,
}

type HistogramFamily = Family<RequestLabels, Histogram, fn() -> Histogram>;

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: HistogramFamily,
    pools: Family<PoolLabels, Gauge>,
    queue: Family<QueueLabels, Gauge>,
}

fn latency_histogram() -> Histogram {
    // 0.5 ms … ~16 s
    Histogram::new(exponential_buckets(0.0005, 2.0, 16))
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("lingo");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency: HistogramFamily = Family::new_with_constructor(latency_histogram);
        let pools = Family::<PoolLabels, Gauge>::default();
        let queue = Family::<QueueLabels, Gauge>::default();
        registry.register("http_requests", "HTTP requests served", requests.clone());
        registry.register(
            "http_request_duration_seconds",
            "HTTP request latency",
            latency.clone(),
        );
        registry.register("pool_connections", "Store connection pools", pools.clone());
        registry.register("queue_jobs", "Jobs in the queue by state", queue.clone());
        Self {
            registry,
            requests,
            latency,
            pools,
            queue,
        }
    }
}

impl Metrics {
    pub fn observe_request(&self, labels: RequestLabels, elapsed: Duration) {
        self.latency
            .get_or_create(&labels)
            .observe(elapsed.as_secs_f64());
        self.requests.get_or_create(&labels).inc();
    }

    /// Sets a pool's (open, idle) connection counts.
    pub fn set_pool(&self, pool: &str, (open, idle): (usize, usize)) {
        for (state, value) in [("open", open), ("idle", idle)] {
            self.pools
                .get_or_create(&PoolLabels {
                    pool: pool.to_owned(),
                    state: state.to_owned(),
                })
                .set(value as i64);
        }
    }

    pub fn set_queue(&self, stats: &lingo_kernel::jobs::QueueStats) {
        for (state, value) in [
            ("ready", stats.ready),
            ("in_flight", stats.in_flight),
            ("delayed", stats.delayed),
            ("dead", stats.dead),
        ] {
            self.queue
                .get_or_create(&QueueLabels {
                    state: state.to_owned(),
                })
                .set(value as i64);
        }
    }

    /// The Prometheus text exposition.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        if let Err(e) = prometheus_client::encoding::text::encode(&mut out, &self.registry) {
            tracing::error!(error = %e, "metrics encoding failed");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_counted_per_route_and_status() {
        let metrics = Metrics::default();
        let labels = RequestLabels {
            method: "GET".into(),
            route: "/api/v1/health".into(),
            status: 200,
        };
        metrics.observe_request(labels.clone(), Duration::from_millis(3));
        metrics.observe_request(labels, Duration::from_millis(5));
        let text = metrics.encode();
        assert!(
            text.contains(
                r#"lingo_http_requests_total{method="GET",route="/api/v1/health",status="200"} 2"#
            ),
            "{text}"
        );
        assert!(text.contains("lingo_http_request_duration_seconds_bucket"));
    }
}
