//! [`demo`]: pick a demo by name at run time, for transcripts and the CLI.

use num_bigint::BigInt;
use pygen_protocol::{Demo, Generator, Log, PyGenerator};

use crate::{batches, countdown, echo, fibonacci, guarded, running_sum, stubborn};

/// The demo generator `demo`, ready to be driven by a transcript with
/// Python ints as sent values. `log` receives what `guarded` and
/// `stubborn` log.
pub fn demo(demo: Demo, log: &Log) -> Box<dyn PyGenerator> {
    let log = log.clone();
    match demo {
        Demo::Fibonacci => boxed(fibonacci()),
        Demo::Echo => boxed(echo()),
        Demo::RunningSum => boxed(running_sum()),
        Demo::Countdown => boxed(countdown()),
        Demo::Guarded => boxed(guarded(log)),
        Demo::Stubborn => boxed(stubborn(log)),
        Demo::Batches => boxed(batches()),
    }
}

fn boxed<G: 'static>(body: G) -> Box<dyn PyGenerator>
where
    Generator<G, BigInt>: PyGenerator,
{
    Box::new(Generator::<G, BigInt>::new(body))
}
