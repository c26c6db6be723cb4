//! Distributions of handle time, after-call work, patience and IVR delays.
//!
//! A `Dist` is validated at construction (positive means, finite parameters), so sampling never
//! fails. Samples are seconds. `rand_distr` does the work for lognormal and gamma; exponential
//! uses the ziggurat of `rand_distr::Exp1`.

use rand::Rng;
use rand_distr::{Distribution, Exp1};

/// A validated duration distribution; all values in seconds.
#[derive(Debug, Clone)]
pub enum Dist {
    /// Exponential with the given mean.
    Exponential { mean: f64 },
    /// Always the same value.
    Deterministic { value: f64 },
    /// Lognormal with the given mean and coefficient of variation. With
    /// σ² = ln(1 + cv²) and μ = ln(mean) − σ²/2 the mean and cv are exact.
    LogNormal {
        mean: f64,
        cv: f64,
        inner: rand_distr::LogNormal<f64>,
    },
    /// Gamma with the given mean and cv: shape k = 1/cv², scale = mean·cv².
    Gamma {
        mean: f64,
        cv: f64,
        inner: rand_distr::Gamma<f64>,
    },
    /// Uniform on [min, max].
    Uniform { min: f64, max: f64 },
    /// Resampling of observed values: each draw is one of the values, all equally likely.
    Empirical { values: Vec<f64> },
}

impl Dist {
    pub fn exponential(mean: f64) -> Result<Dist, String> {
        positive("mean", mean)?;
        Ok(Dist::Exponential { mean })
    }

    pub fn deterministic(value: f64) -> Result<Dist, String> {
        non_negative("value", value)?;
        Ok(Dist::Deterministic { value })
    }

    pub fn lognormal(mean: f64, cv: f64) -> Result<Dist, String> {
        positive("mean", mean)?;
        positive("cv", cv)?;
        let sigma2 = (1.0 + cv * cv).ln();
        let mu = mean.ln() - sigma2 / 2.0;
        let inner = rand_distr::LogNormal::new(mu, sigma2.sqrt()).map_err(|e| e.to_string())?;
        Ok(Dist::LogNormal { mean, cv, inner })
    }

    pub fn gamma(mean: f64, cv: f64) -> Result<Dist, String> {
        positive("mean", mean)?;
        positive("cv", cv)?;
        let shape = 1.0 / (cv * cv);
        let inner = rand_distr::Gamma::new(shape, mean / shape).map_err(|e| e.to_string())?;
        Ok(Dist::Gamma { mean, cv, inner })
    }

    pub fn uniform(min: f64, max: f64) -> Result<Dist, String> {
        non_negative("min", min)?;
        non_negative("max", max)?;
        if max < min {
            return Err(format!("max ({max}s) is below min ({min}s)"));
        }
        Ok(Dist::Uniform { min, max })
    }

    pub fn empirical(values: Vec<f64>) -> Result<Dist, String> {
        if values.is_empty() {
            return Err("an empirical distribution needs at least one value".into());
        }
        for &v in &values {
            non_negative("value", v)?;
        }
        if values.iter().all(|&v| v == 0.0) {
            return Err("an empirical distribution needs a positive value".into());
        }
        Ok(Dist::Empirical { values })
    }

    /// The mean in seconds.
    pub fn mean(&self) -> f64 {
        match self {
            Dist::Exponential { mean }
            | Dist::LogNormal { mean, .. }
            | Dist::Gamma { mean, .. } => *mean,
            Dist::Deterministic { value } => *value,
            Dist::Uniform { min, max } => (min + max) / 2.0,
            Dist::Empirical { values } => values.iter().sum::<f64>() / values.len() as f64,
        }
    }

    /// True for the exponential distribution (Erlang formulas are exact only then).
    pub fn is_exponential(&self) -> bool {
        matches!(self, Dist::Exponential { .. })
    }

    /// A short description for `hotline check`.
    pub fn describe(&self) -> String {
        let m = crate::time::format_duration(crate::time::Seconds(self.mean().round()));
        match self {
            Dist::Exponential { .. } => format!("exponential, mean {m}"),
            Dist::Deterministic { .. } => format!("deterministic {m}"),
            Dist::LogNormal { cv, .. } => format!("lognormal, mean {m}, cv {cv}"),
            Dist::Gamma { cv, .. } => format!("gamma, mean {m}, cv {cv}"),
            Dist::Uniform { min, max } => format!("uniform {min}s..{max}s"),
            Dist::Empirical { values } => format!("empirical, {} values, mean {m}", values.len()),
        }
    }

    /// One draw in seconds.
    #[inline(always)]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        if let Dist::Exponential { mean } = self {
            let e: f64 = Exp1.sample(rng);
            return e * mean;
        }
        self.sample_other(rng)
    }

    #[inline(never)]
    fn sample_other<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            Dist::Exponential { mean } => {
                let e: f64 = Exp1.sample(rng);
                e * mean
            }
            Dist::Deterministic { value } => *value,
            Dist::LogNormal { inner, .. } => inner.sample(rng),
            Dist::Gamma { inner, .. } => inner.sample(rng),
            Dist::Uniform { min, max } => min + (max - min) * unit(rng),
            Dist::Empirical { values } => {
                let i = ((rng.next_u64() >> 11) as f64
                    * (1.0 / (1u64 << 53) as f64)
                    * values.len() as f64) as usize;
                values[i.min(values.len() - 1)]
            }
        }
    }
}

#[inline]
fn unit<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

fn positive(name: &str, v: f64) -> Result<(), String> {
    if v.is_finite() && v > 0.0 {
        Ok(())
    } else {
        Err(format!("{name} must be positive and finite (got {v})"))
    }
}

fn non_negative(name: &str, v: f64) -> Result<(), String> {
    if v.is_finite() && v >= 0.0 {
        Ok(())
    } else {
        Err(format!(
            "{name} must be zero or positive and finite (got {v})"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::{Purpose, StreamKey};

    /// Sample mean of n draws against the stated mean, within 5 standard errors (sd = mean·cv).
    fn check_mean(d: &Dist, cv: f64) {
        let mut rng = StreamKey::new(3, 0).long_lived(Purpose::Extra, 0);
        let n = 200_000;
        let sum: f64 = (0..n).map(|_| d.sample(&mut rng)).sum();
        let se = d.mean() * cv / (n as f64).sqrt();
        let got = sum / n as f64;
        assert!(
            (got - d.mean()).abs() < 5.0 * se,
            "{d:?}: mean {got} vs {}",
            d.mean()
        );
    }

    #[test]
    fn sample_means_match_stated_means() {
        check_mean(&Dist::exponential(180.0).unwrap(), 1.0);
        check_mean(&Dist::lognormal(180.0, 0.8).unwrap(), 0.8);
        check_mean(&Dist::gamma(180.0, 0.5).unwrap(), 0.5);
        check_mean(&Dist::uniform(60.0, 120.0).unwrap(), 17.320508 / 90.0);
        let e = Dist::empirical(vec![10.0, 20.0, 60.0]).unwrap();
        check_mean(&e, 21.602469 / 30.0);
    }

    /// Sample variance of `d` against (mean·cv)², by batch means: 100 batches of 4,000 draws,
    /// each giving an unbiased variance; their mean must lie within 5 standard errors of the
    /// exact variance, and the standard error must be below 1/12 of the gap to the variance of
    /// the lognormal bug σ = cv (cv' = √(e^{cv²} − 1)), so that bug fails.
    fn check_cv(d: &Dist, cv: f64) {
        let mut rng = StreamKey::new(5, 0).long_lived(Purpose::Extra, 1);
        let (batches, n) = (100, 4000);
        let vars: Vec<f64> = (0..batches)
            .map(|_| {
                let x: Vec<f64> = (0..n).map(|_| d.sample(&mut rng)).collect();
                let m = x.iter().sum::<f64>() / n as f64;
                x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (n - 1) as f64
            })
            .collect();
        let mean_var = vars.iter().sum::<f64>() / batches as f64;
        let se = (vars.iter().map(|v| (v - mean_var).powi(2)).sum::<f64>()
            / (batches - 1) as f64
            / batches as f64)
            .sqrt();
        let exact = (d.mean() * cv).powi(2);
        let wrong = (d.mean().powi(2)) * ((cv * cv).exp() - 1.0);
        assert!(
            se < (wrong - exact).abs() / 12.0,
            "{d:?}: se {se} of the variance too large to tell cv {cv} from the σ = cv bug"
        );
        assert!(
            (mean_var - exact).abs() < 5.0 * se,
            "{d:?}: sample cv {} vs {cv}",
            mean_var.sqrt() / d.mean()
        );
    }

    #[test]
    fn sample_cvs_match_stated_cvs() {
        check_cv(&Dist::exponential(180.0).unwrap(), 1.0);
        check_cv(&Dist::lognormal(180.0, 0.8).unwrap(), 0.8);
        check_cv(&Dist::lognormal(240.0, 0.3).unwrap(), 0.3);
        check_cv(&Dist::gamma(180.0, 0.5).unwrap(), 0.5);
        check_cv(&Dist::gamma(30.0, 1.5).unwrap(), 1.5);
        // Uniform on [a, b]: sd = (b − a)/√12.
        check_cv(
            &Dist::uniform(60.0, 120.0).unwrap(),
            60.0 / 12f64.sqrt() / 90.0,
        );
        // Empirical: the population sd of the values (10, 20, 60: mean 30, variance 1400/3).
        let e = Dist::empirical(vec![10.0, 20.0, 60.0]).unwrap();
        check_cv(&e, (1400.0f64 / 3.0).sqrt() / 30.0);
        // Deterministic: every draw is the value.
        let d = Dist::deterministic(42.0).unwrap();
        let mut rng = StreamKey::new(5, 0).long_lived(Purpose::Extra, 1);
        assert!((0..1000).all(|_| d.sample(&mut rng) == 42.0));
    }

    #[test]
    fn invalid_parameters_are_rejected() {
        assert!(Dist::exponential(0.0).is_err());
        assert!(Dist::exponential(-3.0).is_err());
        assert!(Dist::lognormal(10.0, 0.0).is_err());
        assert!(Dist::uniform(5.0, 1.0).is_err());
        assert!(Dist::empirical(vec![]).is_err());
        assert!(Dist::gamma(f64::NAN, 1.0).is_err());
    }
}
