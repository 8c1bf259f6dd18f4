//! The gazetteer's public data types: places, their kinds, and place mentions found in a text.

use rasd_text::Span;

/// Index of a [`Place`] in a [`crate::Gazetteer`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct PlaceId(pub u32);

/// What sort of place an entry is.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub enum PlaceKind {
    /// A sovereign country.
    Country,
    /// A first-level unit (Syrian governorate, Lebanese or Jordanian governorate).
    Governorate,
    /// A second-level unit (Syrian district, منطقة).
    District,
    /// A third-level unit (Syrian subdistrict, ناحية).
    Subdistrict,
    /// A city.
    City,
    /// A town.
    Town,
    /// A village.
    Village,
    /// A quarter of a city (حي).
    Neighbourhood,
    /// A camp for refugees or displaced people (مخيم).
    Camp,
    /// A base, airport, border crossing, dam, oil or gas field, square, prison.
    Site,
    /// A named region without an administrative border (البادية، الغوطة، ريف حلب الشمالي).
    Region,
}

impl PlaceKind {
    /// The lowercase name used in the data files (`city`, `site` …).
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceKind::Country => "country",
            PlaceKind::Governorate => "governorate",
            PlaceKind::District => "district",
            PlaceKind::Subdistrict => "subdistrict",
            PlaceKind::City => "city",
            PlaceKind::Town => "town",
            PlaceKind::Village => "village",
            PlaceKind::Neighbourhood => "neighbourhood",
            PlaceKind::Camp => "camp",
            PlaceKind::Site => "site",
            PlaceKind::Region => "region",
        }
    }

    /// Reads a kind as written in the data files.
    pub fn parse(s: &str) -> Option<Self> {
        const ALL: [PlaceKind; 11] = [
            PlaceKind::Country,
            PlaceKind::Governorate,
            PlaceKind::District,
            PlaceKind::Subdistrict,
            PlaceKind::City,
            PlaceKind::Town,
            PlaceKind::Village,
            PlaceKind::Neighbourhood,
            PlaceKind::Camp,
            PlaceKind::Site,
            PlaceKind::Region,
        ];
        ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The geo-precision of a mention of a place of this kind read as "in it": 1 for a
    /// settlement, quarter or site, 2 for a district or subdistrict, 3 for a governorate,
    /// region or country.
    pub fn precision(self) -> u8 {
        match self {
            PlaceKind::City
            | PlaceKind::Town
            | PlaceKind::Village
            | PlaceKind::Neighbourhood
            | PlaceKind::Camp
            | PlaceKind::Site => 1,
            PlaceKind::District | PlaceKind::Subdistrict => 2,
            PlaceKind::Governorate | PlaceKind::Region | PlaceKind::Country => 3,
        }
    }

    /// Whether the kind is a populated place (city, town, village).
    pub fn is_settlement(self) -> bool {
        matches!(self, PlaceKind::City | PlaceKind::Town | PlaceKind::Village)
    }
}

/// One gazetteer entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    /// English name.
    pub name: String,
    /// Arabic name, when known.
    pub name_ar: Option<String>,
    /// First-level unit: for Syria one of the 14 canonical governorate names of the output
    /// contract; elsewhere the GeoNames admin1 name in English.
    pub admin1: Option<String>,
    /// Second-level unit (Syrian district), when known.
    pub admin2: Option<String>,
    /// Country name in English.
    pub country: String,
    /// ISO 3166-1 alpha-3 country code.
    pub iso3: String,
    /// Latitude (WGS84).
    pub lat: f64,
    /// Longitude (WGS84).
    pub lon: f64,
    /// What sort of place this is.
    pub kind: PlaceKind,
    /// Population (0 when unknown).
    pub population: u64,
    /// GeoNames id, when the entry comes from or matches GeoNames.
    pub geonameid: Option<u64>,
}

/// How a mention relates the event to the place named.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Relation {
    /// In the place itself.
    In,
    /// In its countryside (ريف X, X countryside).
    Countryside,
    /// Near it (قرب، محيط، أطراف، ضواحي، near, outskirts).
    Near,
    /// In a direction from it (شرق X, east of X).
    Direction,
}

/// A place mention found in a text and resolved to a gazetteer entry.
#[derive(Clone, Debug, PartialEq)]
pub struct PlaceMention {
    /// The name as written, proclitics excluded (`إدلب` in `بريف إدلب الجنوبي`).
    pub span: Span,
    /// The whole phrase read: cue words and direction included (`ريف إدلب الجنوبي`).
    pub phrase: Span,
    /// The place the mention resolves to.
    pub place: PlaceId,
    /// 1 the place itself, 2 near it or part of it, 3 a region or governorate.
    pub geo_precision: u8,
    /// How the text relates to the place.
    pub relation: Relation,
    /// Every candidate considered, with its score; the chosen one first.
    pub candidates: Vec<(PlaceId, f32)>,
}
