//! The likelihood model: how likely a coded event is to be a real event, right in type, place
//! and date, from the features it fires (`coder/features.rs`). A logistic regression trained on
//! the blindly annotated fresh rounds (`tools/train_likelihood.py`), shipped as
//! `data/events/likelihood.tsv`: one weight per feature, so every score is explained by the
//! features that made it. The probability is the record's confidence; an article whose most
//! likely event is under the threshold codes no event, and an event under the event floor is
//! dropped unless it is its article's most likely.

use rasd_kb::{DataDir, KbError, Tsv};

const FILE: &str = "events/likelihood.tsv";
/// The intercept's row.
const BIAS: &str = "(bias)";
/// The row of the probability an article's most likely event must reach for the article to code
/// events.
const THRESHOLD: &str = "(threshold)";
/// The row of the probability under which an event is dropped, unless no event of its article
/// is more likely.
const EVENT_FLOOR: &str = "(event floor)";

/// The compiled model.
#[derive(Debug, Default)]
pub(crate) struct Likelihood {
    /// A fast hash: every coded event looks up some sixty features.
    weights: ahash::AHashMap<String, f32>,
    bias: f32,
    threshold: f32,
    event_floor: f32,
}

impl Likelihood {
    /// Loads `data/events/likelihood.tsv` (columns `feature`, `weight`).
    pub(crate) fn load(dir: &DataDir) -> Result<Self, KbError> {
        let text = dir.read(FILE)?;
        let table = Tsv::parse(FILE, &text, &["feature", "weight"])?;
        let mut model = Likelihood::default();
        for row in table.rows() {
            let weight: f32 = row.parse("weight")?;
            match row.require("feature")? {
                BIAS => model.bias = weight,
                THRESHOLD => model.threshold = weight,
                EVENT_FLOOR => model.event_floor = weight,
                feature => {
                    model.weights.insert(feature.to_string(), weight);
                }
            }
        }
        Ok(model)
    }

    /// The weight of a feature (0 for one the model does not know).
    pub(crate) fn weight(&self, feature: &str) -> f32 {
        self.weights.get(feature).copied().unwrap_or(0.0)
    }

    /// The probability that an event is real, from the sum of its features' weights.
    pub(crate) fn logistic(&self, sum: f32) -> f32 {
        1.0 / (1.0 + (-(self.bias + sum)).exp())
    }

    /// The probability that an event with these features is real.
    #[cfg(test)]
    fn probability(&self, features: &[String]) -> f32 {
        self.logistic(features.iter().map(|f| self.weight(f)).sum())
    }

    /// Whether an article whose most likely event has this probability codes events.
    pub(crate) fn keeps(&self, probability: f32) -> bool {
        probability >= self.threshold
    }

    /// Whether an event with this probability stays beside the article's most likely event:
    /// when it reaches the event floor, or is itself the most likely (an article keeps at least
    /// its best reading).
    pub(crate) fn keeps_event(&self, probability: f32, most_likely: f32) -> bool {
        probability >= self.event_floor || probability >= most_likely
    }

    /// The weight of each feature that has one, largest effect first.
    pub(crate) fn contributions(&self, features: &[String]) -> Vec<(String, f32)> {
        let mut out: Vec<(String, f32)> =
            features.iter().filter_map(|f| self.weights.get(f).map(|w| (f.clone(), *w))).collect();
        out.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then_with(|| a.0.cmp(&b.0)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::Likelihood;

    fn model() -> Likelihood {
        let weights = [("sub=Air/drone strike", 1.0), ("place=country", -2.0), ("cue=killed", 0.5)];
        Likelihood {
            weights: weights.iter().map(|(f, w)| (f.to_string(), *w)).collect(),
            bias: -0.5,
            threshold: 0.3,
            event_floor: 0.2,
        }
    }

    fn features(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_probability_is_the_logistic_of_the_bias_and_the_weights_fired() {
        let m = model();
        assert!((m.probability(&[]) - 1.0 / (1.0 + 0.5f32.exp())).abs() < 1e-6);
        let strike = features(&["sub=Air/drone strike", "cue=killed", "unknown=feature"]);
        assert!((m.probability(&strike) - 1.0 / (1.0 + (-1.0f32).exp())).abs() < 1e-6);
        assert!(m.keeps(m.probability(&strike)));
        assert!(!m.keeps(m.probability(&features(&["place=country"]))));
    }

    #[test]
    fn an_event_under_the_floor_stays_only_as_its_articles_most_likely() {
        let m = model();
        assert!(m.keeps_event(0.25, 0.9));
        assert!(!m.keeps_event(0.1, 0.9));
        assert!(m.keeps_event(0.1, 0.1));
    }

    #[test]
    fn contributions_list_the_features_with_a_weight_largest_effect_first() {
        let m = model();
        let got = m.contributions(&features(&["cue=killed", "place=country", "unknown=feature"]));
        assert_eq!(got, vec![("place=country".to_string(), -2.0), ("cue=killed".to_string(), 0.5)]);
    }

    #[test]
    fn a_bad_weight_is_an_error_naming_the_file_and_line() {
        let dir = std::env::temp_dir().join(format!("rasd-likelihood-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("events")).unwrap();
        std::fs::write(dir.join("events/likelihood.tsv"), "feature\tweight\n(bias)\t0.5\nsub=Arrests\tmany\n").unwrap();
        let err = Likelihood::load(&rasd_kb::DataDir::at(&dir)).unwrap_err().to_string();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(err.contains("events/likelihood.tsv:3") && err.contains("many"), "{err}");
    }

    #[test]
    fn the_shipped_model_loads_with_its_bias_and_weights() {
        let m = Likelihood::load(&rasd_kb::DataDir::embedded()).expect("the model loads");
        assert!(m.weights.len() > 100, "{} weights", m.weights.len());
        assert!(m.bias != 0.0);
    }
}
