//! Directories and standard input: which inputs to open, in which order.
//!
//! Arguments are read in the order given; a directory is listed when its turn comes (one level
//! at a time, entries sorted by name), so a directory of 10,000 files is never read up front.
//! Hidden entries (names starting with `.`) inside directories are skipped silently; a path
//! given explicitly is always read. A directory reached twice (a symlink loop) is read once.

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};

use crate::detect::{self, Input};
use crate::Item;

/// A path still to read, or standard input.
enum Pending {
    Stdin,
    /// A path the user gave: read whatever it is (a named pipe from `<(…)` included).
    Path(PathBuf),
    /// A path found in a directory: only regular files and directories are read.
    Listed(PathBuf),
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
            let (path, named) = match self.stack.pop()? {
                Pending::Stdin => {
                    let reader = Box::new(BufReader::new(io::stdin()));
                    return Some(detect::items(Input { origin: "-".into(), name: String::new(), reader, size: None }));
                }
                Pending::Path(path) => (path, true),
                Pending::Listed(path) => (path, false),
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
            if !named && !meta.is_file() {
                return Some(failed(origin, format!("skipped: {}, not a regular file", kind_of(&meta))));
            }
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            return Some(match open(&path, &meta) {
                Ok(file) => detect::items(Input {
                    origin,
                    name,
                    reader: Box::new(BufReader::with_capacity(64 * 1024, file)),
                    size: meta.is_file().then_some(meta.len()),
                }),
                Err(reason) => failed(origin, reason),
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
        self.stack.extend(entries.into_iter().rev().map(Pending::Listed));
        Ok(())
    }
}

/// Opens an input without ever blocking: a named pipe is opened non-blocking (no writer yet
/// means an empty input, not a hang), then read blocking like any file. Sockets are refused.
fn open(path: &Path, meta: &fs::Metadata) -> Result<File, String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
        let kind = meta.file_type();
        if kind.is_socket() {
            return Err("a socket, not a file".to_string());
        }
        if kind.is_fifo() {
            let file = fs::OpenOptions::new()
                .read(true)
                .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
                .open(path)
                .map_err(|e| describe_io(&e))?;
            let flags = rustix::fs::fcntl_getfl(&file).map_err(|e| format!("cannot read the pipe: {e}"))?;
            rustix::fs::fcntl_setfl(&file, flags - rustix::fs::OFlags::NONBLOCK)
                .map_err(|e| format!("cannot read the pipe: {e}"))?;
            return Ok(file);
        }
    }
    let _ = meta;
    File::open(path).map_err(|e| describe_io(&e))
}

/// What a file that is not a regular file is, in words.
fn kind_of(meta: &fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = meta.file_type();
        if kind.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
    }
    let _ = meta;
    "a special file"
}

/// Reads a whole file (a regular file, a named pipe, a device) as one document's bytes, never
/// more than `limit` bytes however long the file says it is or turns out to be.
pub fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let meta = fs::metadata(path).map_err(|e| describe_io(&e))?;
    if meta.is_dir() {
        return Err("is a directory; pass the files in it (e.g. DIR/*.txt)".to_string());
    }
    let too_large = |len: u64| {
        format!(
            "too large for one article: {:.1} MB (the limit is {} MB); split it into articles",
            len as f64 / 1e6,
            limit / (1024 * 1024)
        )
    };
    if meta.is_file() && meta.len() > limit {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::new();
    open(path, &meta)?.take(limit + 1).read_to_end(&mut bytes).map_err(|e| describe_io(&e))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
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
