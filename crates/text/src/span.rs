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

/// Spans with a value each, sorted by start, to ask which of them contain or overlap a span in
/// logarithmic time instead of scanning them all (which makes a long text quadratic).
#[derive(Clone, Debug)]
pub struct SpanIndex<T> {
    items: Vec<(Span, T)>,
    longest: usize,
}

impl<T> SpanIndex<T> {
    /// Indexes `items` by their spans.
    pub fn new(items: impl IntoIterator<Item = (Span, T)>) -> Self {
        let mut items: Vec<(Span, T)> = items.into_iter().collect();
        items.sort_by_key(|(span, _)| span.start);
        let longest = items.iter().map(|(span, _)| span.len()).max().unwrap_or(0);
        SpanIndex { items, longest }
    }

    /// The items whose spans contain `span`.
    pub fn containing(&self, span: Span) -> impl Iterator<Item = &(Span, T)> {
        let from = self.items.partition_point(|(s, _)| s.start < span.end.saturating_sub(self.longest));
        let to = self.items.partition_point(|(s, _)| s.start <= span.start);
        self.items[from..to.max(from)].iter().filter(move |(s, _)| s.contains(span))
    }

    /// The items whose spans share a byte with `span`.
    pub fn overlapping(&self, span: Span) -> impl Iterator<Item = &(Span, T)> {
        let from = self.items.partition_point(|(s, _)| s.start < span.start.saturating_sub(self.longest));
        let to = self.items.partition_point(|(s, _)| s.start < span.end);
        self.items[from..to.max(from)].iter().filter(move |(s, _)| s.overlaps(span))
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

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn span_index_agrees_with_a_scan(
            spans in proptest::collection::vec((0usize..200, 0usize..40), 0..40),
            probe in (0usize..220, 0usize..30),
        ) {
            let spans: Vec<Span> = spans.into_iter().map(|(s, l)| Span::new(s, s + l)).collect();
            let index = SpanIndex::new(spans.iter().enumerate().map(|(i, s)| (*s, i)));
            let probe = Span::new(probe.0, probe.0 + probe.1);
            let mut containing: Vec<usize> = index.containing(probe).map(|(_, i)| *i).collect();
            let mut overlapping: Vec<usize> = index.overlapping(probe).map(|(_, i)| *i).collect();
            containing.sort_unstable();
            overlapping.sort_unstable();
            let want = |f: &dyn Fn(&Span) -> bool| -> Vec<usize> {
                spans.iter().enumerate().filter(|(_, s)| f(s)).map(|(i, _)| i).collect()
            };
            proptest::prop_assert_eq!(containing, want(&|s| s.contains(probe)));
            proptest::prop_assert_eq!(overlapping, want(&|s| s.overlaps(probe)));
        }
    }
}
