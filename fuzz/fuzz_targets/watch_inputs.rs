//! Fuzzes what `rasd watch` reads from others: sitemaps from the network and `watch.toml`
//! files: `cargo fuzz run watch_inputs` (from `fuzz/`). Every input must give an answer or a
//! reason, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (bool, &[u8])| {
    let (as_config, bytes) = input;
    if as_config {
        if let Ok(text) = std::str::from_utf8(bytes) {
            if let Err(reason) = rasd_watch::Config::parse(text, std::path::Path::new("/fuzz")) {
                assert!(!reason.is_empty());
            }
        }
    } else if let Err(reason) = rasd_watch::listing::read_sitemap(bytes) {
        assert!(!reason.is_empty());
    }
});
