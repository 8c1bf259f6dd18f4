//! Directories and standard input: which inputs to open, in which order.
//!
//! Arguments are read in the order given; a directory is listed when its turn comes (one level
//! at a time, entries sorted by name), so a directory of 10,000 files is never read up front.
//! Hidden entries (names starting with `.`) inside directories are skipped silently; a path
//! given explicitly is always read. A directory reached twice (a symlink loop) is read once.

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{self, BufReader};
use std::path::PathBuf;

use crate::detect::{self, Input};
use crate::Item;

/// A path still to read, or standard input.
enum Pending {
    Stdin,
    Path(PathBuf),
}

/// The inputs still to read, as a stack (the next one last).
pub(crate) struct Walk {
    stack: Vec<Pending>,
    seen_dirs: HashSet<PathBuf>,
}

impl Walk {
    /// Paths as the user gave them; `-` is standard input.
    pub(crate) fn new(paths: &[String]) -> Walk {
        let stack = paths
            .iter()
            .rev()
            .map(|p| if p == "-" { Pending::Stdin } else { Pending::Path(PathBuf::from(p)) })
            .collect();
        Walk { stack, seen_dirs: HashSet::new() }
    }

    /// The items of the next input (a file, standard input, or a failure), or `None` at the end.
    pub(crate) fn next(&mut self) -> Option<Box<dyn Iterator<Item = Item> + Send>> {
        loop {
            let path = match self.stack.pop()? {
                Pending::Stdin => {
                    let reader = Box::new(BufReader::new(io::stdin()));
                    return Some(detect::items(Input { origin: "-".into(), name: String::new(), reader, size: None }));
                }
                Pending::Path(path) => path,
            };
            let origin = path.display().to_string();
            let meta = match fs::metadata(&path) {
                Ok(meta) => meta,
                Err(e) => return Some(failed(origin, describe_io(&e))),
            };
            if meta.is_dir() {
                if let Err(reason) = self.list(&path) {
                    return Some(failed(origin, reason));
                }
                continue;
            }
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            return Some(match File::open(&path) {
                Ok(file) => detect::items(Input {
                    origin,
                    name,
                    reader: Box::new(BufReader::with_capacity(64 * 1024, file)),
                    size: Some(meta.len()),
                }),
                Err(e) => failed(origin, describe_io(&e)),
            });
        }
    }

    /// Pushes a directory's visible entries, sorted, so that the first is read next.
    fn list(&mut self, dir: &PathBuf) -> Result<(), String> {
        let canonical = fs::canonicalize(dir).map_err(|e| describe_io(&e))?;
        if !self.seen_dirs.insert(canonical) {
            return Ok(());
        }
        let mut entries = Vec::new();
        for entry in fs::read_dir(dir).map_err(|e| describe_io(&e))? {
            let entry = entry.map_err(|e| describe_io(&e))?;
            if !entry.file_name().to_string_lossy().starts_with('.') {
                entries.push(entry.path());
            }
        }
        entries.sort();
        self.stack.extend(entries.into_iter().rev().map(Pending::Path));
        Ok(())
    }
}

fn failed(origin: String, reason: String) -> Box<dyn Iterator<Item = Item> + Send> {
    Box::new(std::iter::once(Item::failed(origin, reason)))
}

/// An I/O error in words.
pub(crate) fn describe_io(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => format!("cannot read: {e}"),
    }
}
