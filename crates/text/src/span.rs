//! Spans: half-open byte ranges into the source text, and into its folded copy.

/// A half-open range `[start, end)` of UTF-8 byte offsets into the source text.
///
/// Invariant: `start <= end`, and both lie on `char` boundaries of the text the span was
/// made for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    /// First byte covered.
    pub start: usize,
    /// One past the last byte covered.
    pub end: usize,
}

impl Span {
    /// Makes a span; `start` and `end` are swapped if given in the wrong order.
    pub fn new(start: usize, end: usize) -> Self {
        if start <= end {
            Span { start, end }
        } else {
            Span { start: end, end: start }
        }
    }

    /// Number of bytes covered.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// Whether the span covers no byte.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// Whether `other` lies entirely inside `self`.
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// Whether the two spans share at least one byte.
    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The smallest span covering both.
    pub fn cover(&self, other: Span) -> Span {
        Span { start: self.start.min(other.start), end: self.end.max(other.end) }
    }

    /// Byte distance between two spans (0 when they overlap or touch).
    pub fn distance(&self, other: Span) -> usize {
        if other.start >= self.end {
            other.start - self.end
        } else {
            self.start.saturating_sub(other.end)
        }
    }

    /// The text covered, or `""` when the span does not fit `text`.
    pub fn slice<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }

    /// `[start, end]`, the wire form of the output contract.
    pub fn to_pair(self) -> [usize; 2] {
        [self.start, self.end]
    }
}

/// A half-open byte range into a [`crate::NormText`]'s folded copy. It becomes a source
/// [`Span`] only through [`crate::NormText::to_source`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NormSpan {
    /// First byte covered in the folded copy.
    pub start: usize,
    /// One past the last byte covered in the folded copy.
    pub end: usize,
}
