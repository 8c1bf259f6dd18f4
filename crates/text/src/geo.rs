//! Distance on the sphere, for every crate that compares coordinates (the gazetteer, the
//! store's clustering, the dev-set scorer): one formula, one Earth radius.

/// Mean Earth radius in kilometres.
const EARTH_RADIUS_KM: f64 = 6371.0;

/// Great-circle distance between two points (degrees), in kilometres (haversine formula).
///
/// ```
/// let damascus_aleppo = rasd_text::geo::haversine_km(33.513, 36.292, 36.202, 37.134);
/// assert!((damascus_aleppo - 308.0).abs() < 5.0);
/// ```
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}
