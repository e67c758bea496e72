//! How long the nightly FSRS optimisation of one learner takes: `compute_parameters` on a
//! synthetic log of 10,000 reviews (500 cards × 20), with and without card ids, and the two
//! `evaluate` passes that decide adoption. Prints figures; run with
//! `cargo bench -p lingo-worker --bench fsrs_optimise`.

#[path = "../tests/optimise/simulate.rs"]
mod simulate;

use lingo_learning::optimise::{self, items_with_cards};
use lingo_learning::scheduler::DEFAULT_PARAMETERS;
use std::time::Instant;

fn main() {
    let histories = simulate::histories(500, 20, 7);
    let reviews: usize = histories.iter().map(Vec::len).sum();
    let (train_set, card_ids) = items_with_cards(&histories);
    println!(
        "fsrs_optimise: {reviews} reviews, {} items",
        train_set.len()
    );

    let started = Instant::now();
    let plain = optimise::compute(train_set.clone(), None).expect("compute_parameters");
    let without_ids = started.elapsed();
    println!("compute_parameters (no card ids):   {without_ids:>10.2?}");

    let started = Instant::now();
    optimise::compute(train_set.clone(), Some(card_ids)).expect("compute_parameters");
    let with_ids = started.elapsed();
    println!("compute_parameters (card ids):      {with_ids:>10.2?}");

    let started = Instant::now();
    let fitted = optimise::fit(&DEFAULT_PARAMETERS, &histories)
        .expect("fit")
        .expect("enough data");
    let whole = started.elapsed();
    println!("fit = compute (card ids) + 2 evals: {whole:>10.2?}");
    println!(
        "log loss: defaults {:.4}, fitted {:.4}",
        fitted.old_loss, fitted.new_loss
    );
    let drift = plain
        .iter()
        .zip(&fitted.parameters)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0_f64, f64::max);
    println!("largest parameter difference with / without card ids: {drift:.4}");
}
