//! A month at a glance (issue 20): reports of runs of 4–52 weeks — charts that stay inside their
//! axes, the days, weeks and heat maps a planner reads, the intervals that miss.

use std::path::Path;

use hotline::app::simulate::simulate_to;
use hotline::report::charts::render::{self, PlotRect};
use hotline::report::data::RunData;
use hotline::report::render_dir;
use hotline::scenario::Model;

/// The bundled bank hotline (28 days, four queues, nights and weekends closed).
fn bank_hotline() -> Model {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/bank-hotline.toml");
    hotline::scenario::load(&path).unwrap()
}

/// A pixel of a coloured series (the queue palette and the red marks), not the greys and black
/// of text, grid and axes, nor the white background: its channels differ by more than 60.
fn is_series_colour(p: &[u8]) -> bool {
    let (lo, hi) = (p.iter().min().unwrap(), p.iter().max().unwrap());
    hi - lo > 60
}

fn inside(rects: &[PlotRect], x: i32, y: i32) -> bool {
    rects
        .iter()
        .any(|r| x >= r.x0 && x < r.x1 && y >= r.y0 && y < r.y1)
}

#[test]
fn no_series_pixel_of_a_28_day_run_leaves_the_plot_area() {
    let dir = tempfile::tempdir().unwrap();
    simulate_to(&bank_hotline(), dir.path()).unwrap();
    render_dir(dir.path()).unwrap();
    let run = RunData::load(dir.path()).unwrap();
    let figs = hotline::report::charts::figures(&run);
    assert!(figs.len() >= 5, "{} charts", figs.len());
    for fig in &figs {
        let (rects, legend_x) = render::png_geometry(fig).unwrap();
        let img = image::open(dir.path().join(format!("{}.png", fig.stem)))
            .unwrap()
            .to_rgb8();
        let mut coloured_inside = 0;
        let mut outside = Vec::new();
        for (x, y, p) in img.enumerate_pixels() {
            let (x, y) = (x as i32, y as i32);
            if x >= legend_x || !is_series_colour(&p.0) {
                continue;
            }
            if inside(&rects, x, y) {
                coloured_inside += 1;
            } else {
                outside.push((x, y));
            }
        }
        assert!(coloured_inside > 0, "{}: no series drawn", fig.stem);
        assert!(
            outside.is_empty(),
            "{}: {} series pixels outside the plot {rects:?}, first {:?}",
            fig.stem,
            outside.len(),
            &outside[..outside.len().min(5)]
        );
    }
}
