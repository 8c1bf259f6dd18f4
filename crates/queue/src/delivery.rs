//! One delivered item and what a worker does with it.

use std::time::Duration;

use async_nats::header::{HeaderMap, NATS_MESSAGE_ID};
use async_nats::jetstream::message::PublishMessage;
use async_nats::jetstream::{self, AckKind};

use crate::{header, header_value, Queue, QueueError, H_KEY, H_KIND, H_ORIGIN, H_REASON, H_TRIES};

/// An item handed to this worker. It must be settled with [`Delivery::ack`],
/// [`Delivery::retry`] or [`Delivery::dead_letter`] within the queue's `ack_wait`, else it is
/// delivered again (to any worker). Settle it through the [`Queue`] that pulled it, while that
/// queue is still open.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// The item's key (empty when it was pushed without one).
    pub key: String,
    /// The item's kind.
    pub kind: String,
    /// Where the item came from.
    pub origin: String,
    /// The item's payload.
    pub payload: Vec<u8>,
    /// Which delivery this is: 1 on the first, 2 on the first redelivery, and so on.
    pub tries: u64,
    /// The item's sequence number in the work stream.
    pub sequence: u64,
    message: jetstream::Message,
}

impl Delivery {
    pub(crate) fn new(message: jetstream::Message) -> Result<Delivery, async_nats::Error> {
        let info = message.info()?;
        let (tries, sequence) = (info.delivered.max(0) as u64, info.stream_sequence);
        let headers = message.headers.as_ref();
        Ok(Delivery {
            key: header(headers, NATS_MESSAGE_ID.as_ref()),
            kind: header(headers, H_KIND),
            origin: header(headers, H_ORIGIN),
            payload: message.payload.to_vec(),
            tries,
            sequence,
            message,
        })
    }

    /// Acknowledges the item as done, and waits for the server to confirm it: the item leaves
    /// the queue.
    pub fn ack(&self, queue: &Queue) -> Result<(), QueueError> {
        self.settle(queue, AckKind::Ack, "acknowledge")
    }

    /// Gives the item back to be delivered again after `delay` (immediately when zero).
    pub fn retry(&self, queue: &Queue, delay: Duration) -> Result<(), QueueError> {
        let delay = (!delay.is_zero()).then_some(delay);
        self.settle(queue, AckKind::Nak(delay), "retry")
    }

    /// Moves the item to the dead-letter stream, with `reason` and the number of tries in
    /// headers (`Rasd-Reason`, `Rasd-Tries`, `Rasd-Origin`, `Rasd-Kind`, `Rasd-Key`), then
    /// terminates it on the work stream so that it is never delivered again.
    pub fn dead_letter(&self, queue: &Queue, reason: &str) -> Result<(), QueueError> {
        let mut headers = HeaderMap::new();
        // Dead-lettering the same delivery twice (a crash between the two steps) stores it once.
        let id = format!("{}:{}", queue.config.stream, self.sequence);
        headers.insert(NATS_MESSAGE_ID, id.as_str());
        headers.insert(H_REASON, header_value(reason));
        headers.insert(H_TRIES, self.tries.to_string());
        headers.insert(H_ORIGIN, header_value(&self.origin));
        headers.insert(H_KIND, header_value(&self.kind));
        headers.insert(H_KEY, header_value(&self.key));
        let message = PublishMessage::build().payload(self.payload.clone().into()).headers(headers);
        queue.runtime.block_on(async {
            let ack = queue
                .js
                .send_publish(queue.dead_subject.clone(), message)
                .await
                .map_err(|e| queue.fail_dead("publish a dead letter", e))?;
            ack.await.map_err(|e| queue.fail_dead("publish a dead letter", e))?;
            Ok::<(), QueueError>(())
        })?;
        self.settle(queue, AckKind::Term, "terminate")
    }

    /// Whether this delivery is past the allowed tries (`tries > max_tries`): the caller should
    /// dead-letter it without processing it (it may be a poison item that kills workers).
    pub fn exhausted(&self, queue: &Queue) -> bool {
        self.tries > u64::from(queue.config.max_tries)
    }

    /// Sends `kind` and waits for the server to confirm it.
    fn settle(&self, queue: &Queue, kind: AckKind, action: &'static str) -> Result<(), QueueError> {
        queue.runtime.block_on(self.message.double_ack_with(kind)).map_err(|e| queue.fail(action, e))
    }
}
