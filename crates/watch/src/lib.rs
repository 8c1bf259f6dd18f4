//! `rasd watch`: polls news sources and turns what is new into alerts an analyst can act on.
//!
//! This crate knows how to reach sources and destinations; the binary's `watch` command runs
//! what it lists through the same path as `rasd ingest` and keeps the state in the store.
//!
//! * [`config`]: `watch.toml`, its sources, HTTP manners and alert rules, checked up front;
//! * [`fetch`]: HTTP as a good citizen (conditional GET, gzip/br, timeouts, bounded redirects
//!   and sizes, robots.txt, per-host concurrency and pace, `Retry-After`);
//! * [`listing`]: what a feed, an index page, a sitemap or a folder lists, and article pages;
//! * [`schedule`]: when a source is next due, with back-off after failures;
//! * [`alerts`]: which touched clusters match a rule, the alert's content, and its delivery.
#![deny(missing_docs)]

pub mod alerts;
pub mod config;
pub mod fetch;
pub mod listing;
pub mod schedule;

pub use config::{Config, ConfigError, Kind, Source};
pub use fetch::{Fetcher, Validators};
pub use listing::{Entry, Failure, Listing};
