//! rasd's work queue for distributed ingest, over NATS JetStream.
//!
//! A producer [`Queue::push`]es work items (an opaque payload plus a key, a kind and an origin);
//! workers [`Queue::pull`] them and [`Delivery::ack`], [`Delivery::retry`] or
//! [`Delivery::dead_letter`] each one. An item that is not acknowledged within `ack_wait` (its
//! worker died) is delivered again. The API is blocking: a [`Queue`] owns a small private tokio
//! runtime, so callers must not be inside a tokio runtime themselves.
//!
//! On the server there are two streams and one consumer:
//! - `<STREAM>` (work-queue retention, file storage, subject `<stream>.items`): the waiting and
//!   in-flight items; an item leaves it when acknowledged or terminated;
//! - `<STREAM>_DEAD` (limits retention, subject `<stream>.dead`): the dead letters, kept;
//! - the durable pull consumer `workers` on `<STREAM>`, shared by all workers.
#![deny(missing_docs)]

mod delivery;

use std::time::{Duration, SystemTime};

use async_nats::header::{HeaderMap, NATS_MESSAGE_ID};
use async_nats::jetstream::consumer::{pull, AckPolicy, PullConsumer};
use async_nats::jetstream::context::PublishAckFuture;
use async_nats::jetstream::message::PublishMessage;
use async_nats::jetstream::stream::{self, RawMessageErrorKind, RetentionPolicy, StorageType};
use async_nats::jetstream::{self, Context};
use futures::StreamExt;

pub use delivery::Delivery;

/// Name of the durable pull consumer that all workers share.
pub const CONSUMER: &str = "workers";
/// How long [`Queue::connect`] waits for the server before giving up.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// How many publishes [`Queue::push_many`] sends before it awaits their acknowledgements.
const PUSH_WINDOW: usize = 256;

const H_KIND: &str = "Rasd-Kind";
const H_ORIGIN: &str = "Rasd-Origin";
const H_REASON: &str = "Rasd-Reason";
const H_TRIES: &str = "Rasd-Tries";
const H_KEY: &str = "Rasd-Key";

/// Where the queue lives and how it treats failing items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueConfig {
    /// NATS server URL, e.g. `nats://127.0.0.1:4222`.
    pub url: String,
    /// Name of the work stream (letters, digits, `-`, `_`); the dead letters go to
    /// `<stream>_DEAD`. Default `RASD_WORK`.
    pub stream: String,
    /// How many times an item may be processed before it is dead-lettered. Default 5.
    pub max_tries: u32,
    /// How long a worker may hold an item before it is delivered to another. Default 60 s.
    pub ack_wait: Duration,
    /// Window within which pushing the same key again stores nothing. Default 2 minutes. Only
    /// applied when the stream is created.
    pub duplicate_window: Duration,
}

impl Default for QueueConfig {
    fn default() -> Self {
        QueueConfig {
            url: "nats://127.0.0.1:4222".to_string(),
            stream: "RASD_WORK".to_string(),
            max_tries: 5,
            ack_wait: Duration::from_secs(60),
            duplicate_window: Duration::from_secs(120),
        }
    }
}

/// What went wrong, naming the server and the stream.
#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    /// The server could not be reached.
    #[error("cannot connect to NATS at {url}: {reason}")]
    Connect {
        /// The server URL.
        url: String,
        /// Why.
        reason: String,
    },
    /// The configuration cannot work.
    #[error("bad queue configuration for stream {stream} at {url}: {reason}")]
    Config {
        /// The server URL.
        url: String,
        /// The work stream.
        stream: String,
        /// Why.
        reason: String,
    },
    /// An operation on the streams failed.
    #[error("NATS at {url}, stream {stream}: cannot {action}: {reason}")]
    Stream {
        /// The server URL.
        url: String,
        /// The stream concerned.
        stream: String,
        /// What was being done ("publish", "pull", "acknowledge", ...).
        action: &'static str,
        /// Why.
        reason: String,
    },
    /// The private tokio runtime could not start.
    #[error("cannot start the queue's runtime: {0}")]
    Runtime(#[source] std::io::Error),
}

/// One item to push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkItem {
    /// Identity of the item: a second push of the same key within the duplicate window is
    /// dropped.
    pub key: String,
    /// Short label: "file", "warc", "feed-item", "jsonl".
    pub kind: String,
    /// Where the item came from (path, URL).
    pub origin: String,
    /// The opaque payload.
    pub payload: Vec<u8>,
}

/// What [`Queue::push_many`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PushSummary {
    /// Items stored.
    pub pushed: usize,
    /// Items dropped as duplicates of a key pushed within the duplicate window.
    pub duplicates: usize,
}

/// A snapshot of the queue.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueStatus {
    /// Items never delivered yet.
    pub waiting: u64,
    /// Items delivered and not yet acknowledged (being processed, or waiting for a redelivery
    /// after a retry or a timeout).
    pub in_flight: u64,
    /// Items among the in-flight ones that were delivered more than once.
    pub redelivered: u64,
    /// Items in the work stream that will not be delivered again: they used up every delivery
    /// without being acknowledged or dead-lettered (a worker died on their last try).
    pub stuck: u64,
    /// Items in the dead-letter stream.
    pub dead: u64,
    /// The most recent dead letters, newest first.
    pub dead_letters: Vec<DeadLetter>,
}

/// An item moved to the dead-letter stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadLetter {
    /// The item's key.
    pub key: String,
    /// The item's kind.
    pub kind: String,
    /// Where the item came from.
    pub origin: String,
    /// How many times it was delivered.
    pub tries: u64,
    /// Why it was given up.
    pub reason: String,
    /// When it was dead-lettered.
    pub time: SystemTime,
    /// The item's payload.
    pub payload: Vec<u8>,
}

/// A connection to the work queue. Blocking: every method waits for the server's answer.
pub struct Queue {
    // Declared before `runtime` so that the NATS handles are dropped while it still runs.
    js: Context,
    consumer: PullConsumer,
    work: stream::Stream,
    dead: stream::Stream,
    config: QueueConfig,
    items_subject: String,
    dead_subject: String,
    dead_stream: String,
    runtime: tokio::runtime::Runtime,
}

impl std::fmt::Debug for Queue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Queue").field("config", &self.config).finish_non_exhaustive()
    }
}

impl Queue {
    /// Connects and creates (or checks) the work stream (work-queue retention, file storage,
    /// subject `<stream lowercase>.items`), the dead-letter stream (`<STREAM>_DEAD`, subject
    /// `<stream lowercase>.dead`, limits retention) and the durable pull consumer `workers`
    /// (explicit ack, at most `max_tries + 1` deliveries so that a worker can dead-letter an item
    /// on its last delivery, `ack_wait` as configured; an existing consumer is updated to the
    /// configuration). Idempotent: several processes may call it at once. Gives up after
    /// [`CONNECT_TIMEOUT`] when the server does not answer.
    pub fn connect(config: &QueueConfig) -> Result<Queue, QueueError> {
        if config.max_tries == 0 {
            return Err(QueueError::Config {
                url: config.url.clone(),
                stream: config.stream.clone(),
                reason: "max_tries must be at least 1".to_string(),
            });
        }
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("rasd-queue")
            .enable_all()
            .build()
            .map_err(QueueError::Runtime)?;
        let connect_err = |reason: String| QueueError::Connect { url: config.url.clone(), reason };
        let client = runtime.block_on(async {
            let connecting =
                async_nats::ConnectOptions::new().connection_timeout(CONNECT_TIMEOUT).connect(config.url.as_str());
            match tokio::time::timeout(CONNECT_TIMEOUT + Duration::from_secs(1), connecting).await {
                Ok(Ok(client)) => Ok(client),
                Ok(Err(err)) => Err(connect_err(err.to_string())),
                Err(_) => Err(connect_err(format!("no answer in {CONNECT_TIMEOUT:?}"))),
            }
        })?;
        // Building the context spawns its acknowledgement task: it needs the runtime.
        let js = runtime.block_on(async { jetstream::new(client) });
        let lower = config.stream.to_lowercase();
        let items_subject = format!("{lower}.items");
        let dead_subject = format!("{lower}.dead");
        let dead_stream = format!("{}_DEAD", config.stream);
        let fail = |stream: &str, action: &'static str, reason: String| QueueError::Stream {
            url: config.url.clone(),
            stream: stream.to_string(),
            action,
            reason,
        };
        let (work, dead, consumer) = runtime.block_on(async {
            let work = js
                .get_or_create_stream(stream::Config {
                    name: config.stream.clone(),
                    subjects: vec![items_subject.clone()],
                    retention: RetentionPolicy::WorkQueue,
                    storage: StorageType::File,
                    duplicate_window: config.duplicate_window,
                    ..Default::default()
                })
                .await
                .map_err(|e| fail(&config.stream, "create the work stream", e.to_string()))?;
            let info = work.cached_info();
            if info.config.retention != RetentionPolicy::WorkQueue || !info.config.subjects.contains(&items_subject) {
                return Err(fail(
                    &config.stream,
                    "use the existing stream",
                    format!(
                        "it exists with retention {:?} and subjects {:?}, not a work queue on {items_subject}",
                        info.config.retention, info.config.subjects
                    ),
                ));
            }
            let dead = js
                .get_or_create_stream(stream::Config {
                    name: dead_stream.clone(),
                    subjects: vec![dead_subject.clone()],
                    retention: RetentionPolicy::Limits,
                    storage: StorageType::File,
                    ..Default::default()
                })
                .await
                .map_err(|e| fail(&dead_stream, "create the dead-letter stream", e.to_string()))?;
            let consumer: PullConsumer = work
                .create_consumer(pull::Config {
                    durable_name: Some(CONSUMER.to_string()),
                    ack_policy: AckPolicy::Explicit,
                    ack_wait: config.ack_wait,
                    max_deliver: i64::from(config.max_tries) + 1,
                    ..Default::default()
                })
                .await
                .map_err(|e| fail(&config.stream, "create the consumer", e.to_string()))?;
            Ok((work, dead, consumer))
        })?;
        Ok(Queue {
            js,
            consumer,
            work,
            dead,
            config: config.clone(),
            items_subject,
            dead_subject,
            dead_stream,
            runtime,
        })
    }

    /// The configuration this queue was opened with.
    pub fn config(&self) -> &QueueConfig {
        &self.config
    }

    /// Deletes the work stream and its dead letters, with every item in them: the end of a
    /// job, or of a test.
    pub fn delete(self) -> Result<(), QueueError> {
        let fail = |stream: &str, e: String| QueueError::Stream {
            url: self.config.url.clone(),
            stream: stream.to_string(),
            action: "delete the stream",
            reason: e,
        };
        self.runtime.block_on(async {
            for stream in [&self.config.stream, &self.dead_stream] {
                self.js.delete_stream(stream).await.map_err(|e| fail(stream, e.to_string()))?;
            }
            Ok(())
        })
    }

    /// Publishes one work item and waits until JetStream has stored it. `key` becomes the
    /// `Nats-Msg-Id` header, so that pushing the same key again within the duplicate window
    /// stores nothing; `kind` and `origin` go into headers too. Returns `false` when the item
    /// was such a duplicate.
    pub fn push(&self, key: &str, kind: &str, origin: &str, payload: &[u8]) -> Result<bool, QueueError> {
        self.runtime.block_on(async {
            let ack = self.publish(key, kind, origin, payload.to_vec()).await?;
            let ack = ack.await.map_err(|e| self.fail("publish", e))?;
            Ok(!ack.duplicate)
        })
    }

    /// Pushes many items, sending them in windows of 256 before awaiting their acknowledgements.
    /// On an error, the items before it may already be stored; pushing them again is harmless
    /// within the duplicate window.
    pub fn push_many(&self, items: impl IntoIterator<Item = WorkItem>) -> Result<PushSummary, QueueError> {
        self.runtime.block_on(async {
            let mut summary = PushSummary::default();
            let mut pending = Vec::with_capacity(PUSH_WINDOW);
            let mut items = items.into_iter().peekable();
            while items.peek().is_some() {
                for item in items.by_ref().take(PUSH_WINDOW) {
                    pending.push(self.publish(&item.key, &item.kind, &item.origin, item.payload).await?);
                }
                for ack in pending.drain(..) {
                    match ack.await {
                        Ok(ack) if ack.duplicate => summary.duplicates += 1,
                        Ok(_) => summary.pushed += 1,
                        Err(e) => return Err(self.fail("publish", e)),
                    }
                }
            }
            Ok(summary)
        })
    }

    /// Pulls up to `max` items, waiting at most `wait` for the first one; returns what came
    /// (possibly nothing) as soon as no more are waiting. With a `wait` under a millisecond it
    /// only takes what is waiting already. Should an error cut a batch short, the items it had
    /// brought are delivered again after `ack_wait`.
    pub fn pull(&self, max: usize, wait: Duration) -> Result<Vec<Delivery>, QueueError> {
        if max == 0 {
            return Ok(Vec::new());
        }
        self.runtime.block_on(async {
            let mut fetch = self.consumer.fetch().max_messages(max);
            if wait >= Duration::from_millis(1) {
                fetch = fetch.expires(wait);
            }
            let mut batch = fetch.messages().await.map_err(|e| self.fail("pull", e))?;
            let mut out = Vec::new();
            while let Some(message) = batch.next().await {
                let message = message.map_err(|e| self.fail("pull", e))?;
                out.push(Delivery::new(message).map_err(|e| self.fail("pull", e))?);
            }
            Ok(out)
        })
    }

    /// Items waiting, in flight, redelivered, stuck and dead-lettered, plus the last
    /// `dead_letters` dead letters, newest first. The counts come from two reads (stream, then
    /// consumer): while workers run they are a close snapshot, not an exact one.
    pub fn status(&self, dead_letters: usize) -> Result<QueueStatus, QueueError> {
        self.runtime.block_on(async {
            let work = self.work.get_info().await.map_err(|e| self.fail("read the work stream", e))?;
            let consumer = self.work.consumer_info(CONSUMER).await.map_err(|e| self.fail("read the consumer", e))?;
            let dead = self.dead.get_info().await.map_err(|e| self.fail_dead("read the dead-letter stream", e))?;
            let in_flight = consumer.num_ack_pending as u64;
            let mut letters = Vec::new();
            if dead.state.messages > 0 {
                let mut seq = dead.state.last_sequence;
                while letters.len() < dead_letters && seq >= dead.state.first_sequence && seq > 0 {
                    match self.dead.get_raw_message(seq).await {
                        Ok(msg) => letters.push(dead_letter(msg)),
                        Err(e) if e.kind() == RawMessageErrorKind::NoMessageFound => {}
                        Err(e) => return Err(self.fail_dead("read a dead letter", e)),
                    }
                    seq -= 1;
                }
            }
            Ok(QueueStatus {
                waiting: consumer.num_pending,
                in_flight,
                redelivered: consumer.num_redelivered as u64,
                stuck: work.state.messages.saturating_sub(consumer.num_pending + in_flight),
                dead: dead.state.messages,
                dead_letters: letters,
            })
        })
    }

    /// Sends one item and returns the future of its acknowledgement.
    async fn publish(
        &self,
        key: &str,
        kind: &str,
        origin: &str,
        payload: Vec<u8>,
    ) -> Result<PublishAckFuture, QueueError> {
        let mut headers = HeaderMap::new();
        if !key.is_empty() {
            headers.insert(NATS_MESSAGE_ID, header_value(key));
        }
        headers.insert(H_KIND, header_value(kind));
        headers.insert(H_ORIGIN, header_value(origin));
        let message = PublishMessage::build().payload(payload.into()).headers(headers);
        self.js.send_publish(self.items_subject.clone(), message).await.map_err(|e| self.fail("publish", e))
    }

    fn fail(&self, action: &'static str, reason: impl std::fmt::Display) -> QueueError {
        QueueError::Stream {
            url: self.config.url.clone(),
            stream: self.config.stream.clone(),
            action,
            reason: reason.to_string(),
        }
    }

    fn fail_dead(&self, action: &'static str, reason: impl std::fmt::Display) -> QueueError {
        QueueError::Stream {
            url: self.config.url.clone(),
            stream: self.dead_stream.clone(),
            action,
            reason: reason.to_string(),
        }
    }
}

/// A header value: NATS headers cannot hold line breaks, so they become spaces.
fn header_value(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
}

/// The text of header `name`, or "" when absent.
fn header(headers: Option<&HeaderMap>, name: &str) -> String {
    headers.and_then(|h| h.get(name)).map(|v| v.as_str().to_string()).unwrap_or_default()
}

fn dead_letter(msg: jetstream::message::StreamMessage) -> DeadLetter {
    let headers = Some(&msg.headers);
    DeadLetter {
        key: header(headers, H_KEY),
        kind: header(headers, H_KIND),
        origin: header(headers, H_ORIGIN),
        tries: header(headers, H_TRIES).parse().unwrap_or(0),
        reason: header(headers, H_REASON),
        time: SystemTime::from(msg.time),
        payload: msg.payload.to_vec(),
    }
}
