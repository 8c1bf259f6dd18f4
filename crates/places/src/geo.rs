//! Compass directions (distances: `rasd_text::geo`).

/// One of the eight compass directions, as used in "شرق X" and "ريف X الشمالي الغربي".
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub enum Direction {
    /// North.
    N,
    /// North-east.
    NE,
    /// East.
    E,
    /// South-east.
    SE,
    /// South.
    S,
    /// South-west.
    SW,
    /// West.
    W,
    /// North-west.
    NW,
}

impl Direction {
    /// All eight, clockwise from north.
    pub const ALL: [Direction; 8] = [
        Direction::N,
        Direction::NE,
        Direction::E,
        Direction::SE,
        Direction::S,
        Direction::SW,
        Direction::W,
        Direction::NW,
    ];

    /// Reads `N`, `NE`, … as written in the data files.
    pub fn parse(s: &str) -> Option<Self> {
        Direction::ALL.into_iter().find(|d| d.code() == s)
    }

    /// The code used in the data files.
    pub fn code(self) -> &'static str {
        ["N", "NE", "E", "SE", "S", "SW", "W", "NW"][self as usize]
    }

    /// Compass bearing in degrees.
    pub fn bearing(self) -> f64 {
        self as usize as f64 * 45.0
    }

    /// Whether `to` lies in this direction from `from` (within ±60° for the four cardinal
    /// directions, ±45° for the diagonals), on a local flat approximation.
    pub fn contains(self, from: (f64, f64), to: (f64, f64)) -> bool {
        let dy = to.0 - from.0;
        let dx = (to.1 - from.1) * from.0.to_radians().cos();
        let bearing = dx.atan2(dy).to_degrees().rem_euclid(360.0);
        let diff = (bearing - self.bearing()).abs();
        let diff = diff.min(360.0 - diff);
        let cardinal = matches!(self, Direction::N | Direction::E | Direction::S | Direction::W);
        diff <= if cardinal { 60.0 } else { 45.0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directions() {
        assert!(Direction::N.contains((36.2, 37.1), (36.6, 37.2)));
        assert!(!Direction::S.contains((36.2, 37.1), (36.6, 37.2)));
        assert!(Direction::SE.contains((35.3, 40.1), (34.9, 40.6)));
        assert_eq!(Direction::parse("NW"), Some(Direction::NW));
    }
}
