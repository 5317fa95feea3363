//! What the registry counts for its operators, served at `/metrics` in Prometheus' text
//! format: requests by route and status, pushed changes accepted and refused by cause,
//! conflicts recorded, the head of the log, and how long pushes wait for the write lock.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::refusal::Cause;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Request {
    method: &'static str,
    /// The route as declared (`/api/v1/tokens/{id}`), never the path asked for, so the
    /// set of labels stays small whatever clients send.
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Refused {
    cause: &'static str,
}

pub struct Metrics {
    registry: Registry,
    requests: Family<Request, Counter>,
    accepted: Counter,
    refused: Family<Refused, Counter>,
    conflicts: Counter,
    head: Gauge,
    lock_wait: Histogram,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("portfolio_registry");
        let requests = Family::<Request, Counter>::default();
        let accepted = Counter::default();
        let refused = Family::<Refused, Counter>::default();
        let conflicts = Counter::default();
        let head = Gauge::default();
        // From 0.1 ms to about 3 s.
        let lock_wait = Histogram::new(exponential_buckets(0.0001, 2.0, 16));
        registry.register("requests", "HTTP requests answered", requests.clone());
        registry.register(
            "changes_accepted",
            "Pushed changes the registry accepted",
            accepted.clone(),
        );
        registry.register(
            "changes_refused",
            "Pushed changes the registry refused, by cause",
            refused.clone(),
        );
        registry.register(
            "conflicts",
            "Accepted changes that overrode a concurrent change to the same field",
            conflicts.clone(),
        );
        registry.register(
            "head_seq",
            "The sequence number of the newest change in the log",
            head.clone(),
        );
        registry.register(
            "write_lock_wait_seconds",
            "How long a push waited for the write lock",
            lock_wait.clone(),
        );
        // Every cause is listed from the start, at zero, so a rate can be taken at once.
        for cause in Cause::ALL {
            drop(refused.get_or_create(&Refused {
                cause: cause.as_str(),
            }));
        }
        Metrics {
            registry,
            requests,
            accepted,
            refused,
            conflicts,
            head,
            lock_wait,
        }
    }
}

impl Metrics {
    pub fn request(&self, method: &'static str, route: &str, status: u16) {
        self.requests
            .get_or_create(&Request {
                method,
                route: route.to_owned(),
                status,
            })
            .inc();
    }

    /// A push committed: how many changes it added to the log, how many of those overrode
    /// a concurrent change, and the causes of those it refused.
    pub(crate) fn pushed(&self, accepted: u64, conflicts: u64, refused: &[Cause]) {
        self.accepted.inc_by(accepted);
        self.conflicts.inc_by(conflicts);
        for cause in refused {
            self.refused
                .get_or_create(&Refused {
                    cause: cause.as_str(),
                })
                .inc();
        }
    }

    pub(crate) fn waited_for_lock(&self, waited: std::time::Duration) {
        self.lock_wait.observe(waited.as_secs_f64());
    }

    /// The text Prometheus reads, the head of the log as it is now.
    pub fn render(&self, head: i64) -> String {
        self.head.set(head);
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry)
            .expect("writing to a String does not fail");
        out
    }
}
