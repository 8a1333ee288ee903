//! The behaviour suite: one test per row of the protocol table, run
//! against every backend.
//!
//! Two forms of the same table, tied together:
//!
//! * [`ROWS`]: each row as an op script on a demo with the transcript
//!   CPython prints for it. Data, so that it can be run live (`pygen
//!   compare`), checked against `python3` itself, and printed as the
//!   README's protocol table (the root package's tests do all three).
//! * `behaviour_suite!` (feature `testing`): one test per row, named
//!   after it, which runs the row's transcript and then checks what a
//!   transcript cannot show (drop, `inspect.getgeneratorstate`, exact
//!   values, payloads). A test, `every_row_of_the_table_has_a_test`, fails
//!   if a row has no test or a row test has no row.
//!
//! A backend crate invokes `behaviour_suite!` (feature `testing`, which
//! only dev-dependencies turn on) with the path of a module that has the demo functions and `demo`, and
//! gets these tests. Every expectation is what CPython 3.11 does; the
//! comment above each is the Python that shows it.

/// Expand to the behaviour suite for the backend module at `$backend`.
///
/// Test support, behind the feature `testing`, which only the backend
/// crates' dev-dependencies turn on.
#[cfg(feature = "testing")]
#[macro_export]
macro_rules! behaviour_suite {
    ($backend:path) => {
        use $backend as backend;
        use $crate::conformance::__suite::*;

        fn int(n: i64) -> BigInt {
            BigInt::from(n)
        }

        fn stop<R>(value: R) -> Raised<R> {
            Raised::StopIteration(Some(value))
        }

        fn bare_stop<R>() -> Raised<R> {
            Raised::StopIteration(None)
        }

        fn raise<R>(exception: Exception) -> Raised<R> {
            Raised::Exception(exception)
        }

        /// Run the row of [`ROWS`] called `name` against this backend, as
        /// a transcript, and compare it with CPython's.
        fn check_row(name: &str) {
            let Some(row) = ROWS.iter().find(|row| row.name == name) else {
                panic!("no row named {name} in ROWS");
            };
            let log = Log::new();
            let mut g = backend::demo(row.demo, &log);
            let ops = parse_ops(row.ops).expect("the rows' ops are valid");
            assert_eq!(transcript(&mut *g, &log, &ops), row.transcript, "{name}");
        }

        $crate::__row_tests! {
        // g = guarded()      # nothing printed: no 'cleanup' without a start
        // del g
        creating_runs_none_of_the_body {
            let log = Log::new();
            let g: Generator<_, BigInt> = Generator::new(backend::guarded::<BigInt>(log.clone()));
            assert_eq!(g.state(), GeneratorState::Created);
            drop(g);
            assert!(log.take().is_empty());
        }

        // next(g) == 0; next(g) == 1; ... the Fibonacci numbers
        next_runs_to_the_next_yield {
            let mut g: Generator<_, BigInt> = Generator::new(backend::fibonacci());
            let first: Vec<String> = (0..10).map(|_| g.next().unwrap().to_string()).collect();
            assert_eq!(first, ["0", "1", "1", "2", "3", "5", "8", "13", "21", "34"]);
            assert_eq!(g.state(), GeneratorState::Suspended);
        }

        // g = echo(); next(g) is None; g.send(5) == 5; next(g) is None
        send_becomes_the_value_of_yield {
            let mut g = Generator::new(backend::echo());
            assert_eq!(g.next(), Ok(None));
            assert_eq!(g.send(int(5)), Ok(Some(int(5))));
            assert_eq!(g.send(int(-7)), Ok(Some(int(-7))));
            assert_eq!(g.next(), Ok(None));
        }

        // g = running_sum(); g.send(5) -> TypeError; next(g) == 0
        // TypeError: can't send non-None value to a just-started generator
        send_non_none_before_start_is_type_error {
            let mut g = Generator::new(backend::running_sum());
            let just_started = Exception::TypeError
                .with_message("can't send non-None value to a just-started generator");
            assert_eq!(g.send(int(5)), Err(raise(just_started.clone())));
            assert_eq!(g.state(), GeneratorState::Created);
            assert_eq!(g.send(int(5)), Err(raise(just_started)));
            assert_eq!(g.next(), Ok(int(0)));
            assert_eq!(g.send(int(5)), Ok(int(5)));
        }

        // g = running_sum(); next(g); g.send(2); g.send(3); g.send(None) -> StopIteration(5)
        return_is_stop_iteration_with_value {
            let mut g = Generator::new(backend::running_sum());
            assert_eq!(g.next(), Ok(int(0)));
            assert_eq!(g.send(int(2)), Ok(int(2)));
            assert_eq!(g.send(int(3)), Ok(int(5)));
            assert_eq!(g.next(), Err(stop(int(5))));
            assert_eq!(g.state(), GeneratorState::Closed);

            let mut c: Generator<_, BigInt> = Generator::new(backend::countdown());
            let values: Vec<_> = (0..3).map(|_| c.next()).collect();
            assert_eq!(values, [Ok(3), Ok(2), Ok(1)]);
            assert_eq!(c.next(), Err(stop("liftoff")));
        }

        // after the end: next, send, throw all raise (StopIteration bare, or E)
        every_call_after_the_end_is_stop_iteration {
            let mut g: Generator<_, BigInt> = Generator::new(backend::countdown());
            while g.next().is_ok() {}
            for _ in 0..3 {
                assert_eq!(g.next(), Err(bare_stop()));
                assert_eq!(g.send(int(1)), Err(bare_stop()));
            }
            assert_eq!(g.close(), Ok(()));
            assert_eq!(g.next(), Err(bare_stop()));
            assert_eq!(g.state(), GeneratorState::Closed);
        }

        // g = guarded(); next(g); g.throw(ValueError) == 'recovered'
        throw_caught_and_yielding_returns_the_value {
            let log = Log::new();
            let mut g: Generator<_, BigInt> = Generator::new(backend::guarded(log.clone()));
            assert_eq!(g.next(), Ok("waiting"));
            assert_eq!(g.throw(Exception::ValueError), Ok("recovered"));
            assert_eq!(g.next(), Ok("waiting"));
            assert_eq!(g.state(), GeneratorState::Suspended);
            assert!(log.take().is_empty());
        }

        // g = guarded(); next(g); g.throw(KeyError) -> KeyError, 'cleanup' logged, finished
        throw_uncaught_propagates_and_finishes {
            let log = Log::new();
            let mut g: Generator<_, BigInt> = Generator::new(backend::guarded(log.clone()));
            g.next().unwrap();
            assert_eq!(
                g.throw(Exception::KeyError),
                Err(raise(Exception::KeyError))
            );
            assert_eq!(log.take(), ["cleanup"]);
            assert_eq!(g.state(), GeneratorState::Closed);
            assert_eq!(g.next(), Err(bare_stop()));

            // A ValueError at the 'recovered' yield is outside the inner try.
            let mut g: Generator<_, BigInt> = Generator::new(backend::guarded(log.clone()));
            g.next().unwrap();
            assert_eq!(g.throw(Exception::ValueError), Ok("recovered"));
            assert_eq!(
                g.throw(Exception::ValueError),
                Err(raise(Exception::ValueError))
            );
            assert_eq!(log.take(), ["cleanup"]);
        }

        // g = guarded(); g.throw(ValueError) -> ValueError; next(g) -> StopIteration
        throw_before_start_comes_straight_back {
            let log = Log::new();
            let mut g: Generator<_, BigInt> = Generator::new(backend::guarded(log.clone()));
            assert_eq!(
                g.throw(Exception::ValueError),
                Err(raise(Exception::ValueError))
            );
            assert_eq!(g.state(), GeneratorState::Closed);
            assert_eq!(g.next(), Err(bare_stop()));
            assert!(log.take().is_empty());
        }

        // after the end, g.throw(KeyError) -> KeyError
        throw_after_the_end_comes_straight_back {
            let mut g: Generator<_, BigInt> = Generator::new(backend::countdown());
            while g.next().is_ok() {}
            assert_eq!(
                g.throw(Exception::KeyError),
                Err(raise(Exception::KeyError))
            );
            assert_eq!(
                g.throw(Exception::ValueError),
                Err(raise(Exception::ValueError))
            );
            assert_eq!(g.next(), Err(bare_stop()));
        }

        // g = guarded(); next(g); g.close() logs 'cleanup' and returns None
        close_raises_generator_exit_and_runs_cleanup {
            let log = Log::new();
            let mut g: Generator<_, BigInt> = Generator::new(backend::guarded(log.clone()));
            g.next().unwrap();
            assert_eq!(g.close(), Ok(()));
            assert_eq!(log.take(), ["cleanup"]);
            assert_eq!(g.state(), GeneratorState::Closed);
            assert_eq!(g.next(), Err(bare_stop()));
            assert_eq!(g.close(), Ok(()));
            assert!(log.take().is_empty());
        }

        // g = stubborn(); next(g); g.close() -> RuntimeError, still suspended
        close_of_a_body_that_yields_again_is_runtime_error {
            let log = Log::new();
            let mut g: Generator<_, BigInt> = Generator::new(backend::stubborn(log.clone()));
            assert_eq!(g.next(), Ok("still here"));
            assert_eq!(
                g.close(),
                Err(Exception::RuntimeError.with_message("generator ignored GeneratorExit"))
            );
            assert_eq!(log.take(), ["ignoring close"]);
            assert_eq!(g.state(), GeneratorState::Suspended);
            assert_eq!(g.next(), Ok("still here"));
            assert_eq!(g.throw(Exception::GeneratorExit), Ok("still here"));
            assert_eq!(
                g.throw(Exception::KeyError),
                Err(raise(Exception::KeyError))
            );
            assert_eq!(g.state(), GeneratorState::Closed);
        }

        // g = countdown(); g.close(); next(g) -> StopIteration
        close_before_start_or_after_the_end_does_nothing {
            let log = Log::new();
            let mut g: Generator<_, BigInt> = Generator::new(backend::guarded(log.clone()));
            assert_eq!(g.close(), Ok(()));
            assert_eq!(g.state(), GeneratorState::Closed);
            assert_eq!(g.next(), Err(bare_stop()));
            assert!(log.take().is_empty());

            let mut c: Generator<_, BigInt> = Generator::new(backend::countdown());
            while c.next().is_ok() {}
            assert_eq!(c.close(), Ok(()));
        }

        // g = batches(); next(g) == 0; g.send(2) == 2; g.send(3) == 5;
        // g.send(None) == 'batch 1: 5'; next(g) == 0  (a new running_sum)
        yield_from_forwards_send_and_hands_back_the_return_value {
            let mut g = Generator::new(backend::batches::<BigInt>());
            assert_eq!(g.next(), Ok(Batch::Total(int(0))));
            assert_eq!(g.send(int(2)), Ok(Batch::Total(int(2))));
            assert_eq!(g.send(int(3)), Ok(Batch::Total(int(5))));
            assert_eq!(g.next(), Ok(Batch::Summary("batch 1: 5".to_owned())));
            assert_eq!(g.send(int(9)), Ok(Batch::Total(int(0))));
            assert_eq!(g.next(), Ok(Batch::Summary("batch 2: 0".to_owned())));
        }

        // g = batches(); next(g); g.throw(ValueError) -> ValueError out of both
        yield_from_forwards_throw {
            let mut g = Generator::new(backend::batches::<BigInt>());
            g.next().unwrap();
            g.send(int(4)).unwrap();
            assert_eq!(
                g.throw(Exception::ValueError),
                Err(raise(Exception::ValueError))
            );
            assert_eq!(g.state(), GeneratorState::Closed);
            assert_eq!(g.next(), Err(bare_stop()));
        }

        // g = batches(); next(g); g.close()  # closes running_sum, then batches
        yield_from_forwards_close {
            let mut g = Generator::new(backend::batches::<BigInt>());
            g.next().unwrap();
            assert_eq!(g.close(), Ok(()));
            assert_eq!(g.state(), GeneratorState::Closed);
            assert_eq!(g.next(), Err(bare_stop()));
        }

        // def words(): text = 'the quick brown fox'; for word in text.split(): reply = yield word ...
        // g = words(); for w in g: if w == 'quick': break
        // g.send(7) == 'brown'  # logs 'quick: 7'; the rest of the loop; return 4
        a_body_borrows_its_own_local_across_yield {
            let log = Log::new();
            // Pinned where it lives, with no box: nightly's body borrows
            // `text` across its yields, so it must not move once started.
            // ANCHOR: for_break_send
            let body = pin!(backend::words(log.clone()));
            let mut g: Generator<_, BigInt> = Generator::new(body);
            for word in g.iter() {
                if word == Ok("quick".to_owned()) {
                    break;
                }
            }
            assert_eq!(g.state(), GeneratorState::Suspended);
            assert_eq!(g.send(int(7)), Ok("brown".to_owned()));
            assert_eq!(log.take(), ["quick: 7"]);
            let mut rest = g.iter();
            let tail: Result<Vec<String>, Exception> = rest.by_ref().collect();
            assert_eq!(tail, Ok(vec!["fox".to_owned()]));
            assert_eq!(rest.return_value(), Some(4));
            // ANCHOR_END: for_break_send
            assert_eq!(g.state(), GeneratorState::Closed);
        }

        // g = account(); next(g) == 10; g.send(-20) -> Overdrawn('balance 10, asked -20')
        // for b in account(): ...  # one balance, then StopIteration(10) ends the loop
        raise_of_a_user_exception_carries_its_payload {
            let mut g = Generator::new(backend::account());
            assert_eq!(g.next(), Ok(int(10)));
            let overdrawn = Overdrawn {
                balance: int(10),
                asked: int(-20),
            };
            // ANCHOR: catch_user_exception
            let Err(Raised::Exception(e)) = g.send(int(-20)) else {
                panic!("account() let send(-20) through");
            };
            assert_eq!(e.downcast_ref::<Overdrawn>(), Some(&overdrawn));
            assert_eq!(e.to_string(), "Overdrawn: balance 10, asked -20");
            // ANCHOR_END: catch_user_exception
            assert_eq!(g.state(), GeneratorState::Closed);

            // A caller throws one in; uncaught, it comes back with its payload.
            let mut g = Generator::new(backend::account());
            g.next().unwrap();
            let thrown = Exception::new(overdrawn.clone());
            assert_eq!(g.throw(thrown.clone()), Err(raise(thrown)));

            // `for` keeps the return value.
            let mut g = Generator::new(backend::account());
            let mut balances = g.iter();
            assert_eq!(balances.next(), Some(Ok(int(10))));
            assert_eq!(balances.next(), None);
            assert_eq!(balances.return_value(), Some(int(10)));
        }

        // p = pipeline(); p.send(4)  # 'a got 4', 'b got 4'; p.send(3) filtered out
        // p.throw(KeyError)  # every stage's finally: 'a closed', 'b closed'; KeyError
        throw_cascades_through_a_pipeline {
            let log = Log::new();
            let mut p = backend::pipeline(log.clone());
            assert_eq!(p.state(), GeneratorState::Suspended, "primed");
            assert_eq!(p.send(int(4)), Ok(()));
            assert_eq!(log.take(), ["a got 4", "b got 4"]);
            assert_eq!(p.send(int(3)), Ok(()));
            assert!(log.take().is_empty());
            assert_eq!(
                p.throw(Exception::KeyError),
                Err(raise(Exception::KeyError))
            );
            assert_eq!(log.take(), ["a closed", "b closed"]);
            assert_eq!(p.state(), GeneratorState::Closed);
        }

        // p = pipeline(); p.send(2); p.close()  # 'a closed', 'b closed'
        // del pipeline()  # the same cleanup when a suspended pipeline is dropped
        close_cascades_through_a_pipeline {
            let log = Log::new();
            let mut p = backend::pipeline(log.clone());
            p.send(int(2)).unwrap();
            assert_eq!(log.take(), ["a got 2", "b got 2"]);
            assert_eq!(p.close(), Ok(()));
            assert_eq!(log.take(), ["a closed", "b closed"]);
            assert_eq!(p.next(), Err(bare_stop()));

            let p = backend::pipeline(log.clone());
            drop(p);
            assert_eq!(log.take(), ["a closed", "b closed"]);
        }

        // g = guarded(); next(g); del g   # 'cleanup': the finaliser closes it
        // h = stubborn(); next(h); del h   # except GeneratorExit runs too
        del_of_a_suspended_generator_closes_it {
            let log = Log::new();
            let mut g: Generator<_, BigInt> = Generator::new(backend::guarded(log.clone()));
            g.next().unwrap();
            let reported = unraisable_during(|| drop(g));
            assert_eq!(log.take(), ["cleanup"]);
            assert!(reported.is_empty(), "{reported:?}");

            // Delegating: the sub-generator is closed first, then the
            // delegating body; both end, and nothing is reported.
            let mut b = Generator::new(backend::batches::<BigInt>());
            b.next().unwrap();
            b.send(int(4)).unwrap();
            assert!(unraisable_during(|| drop(b)).is_empty());

            // Dropped while a panic unwinds: closed all the same, and no
            // abort (a panic escaping a drop during an unwind would be one).
            let mut g: Generator<_, BigInt> = Generator::new(backend::guarded(log.clone()));
            g.next().unwrap();
            let unwound = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
                let _g = g;
                panic!("the caller fails");
            }));
            assert!(unwound.is_err());
            assert_eq!(log.take(), ["cleanup"]);
        }

        // h = stubborn(); next(h); del h
        // Exception ignored in: <generator object stubborn at 0x...>
        // RuntimeError: generator ignored GeneratorExit
        del_of_a_generator_that_ignores_generator_exit_is_reported {
            let log = Log::new();
            let mut h: Generator<_, BigInt> = Generator::new(backend::stubborn(log.clone()));
            h.next().unwrap();
            let reported = unraisable_during(|| drop(h));
            assert_eq!(log.take(), ["ignoring close"]);
            assert_eq!(reported, [Unraisable::Raised(
                Exception::RuntimeError.with_message("generator ignored GeneratorExit")
            )]);

            // Also while a panic unwinds: reported, never a second panic.
            let mut h: Generator<_, BigInt> = Generator::new(backend::stubborn(log.clone()));
            h.next().unwrap();
            let reported = unraisable_during(|| {
                let unwound = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
                    let _h = h;
                    panic!("the caller fails");
                }));
                assert!(unwound.is_err());
            });
            assert_eq!(log.take(), ["ignoring close"]);
            assert_eq!(reported, [Unraisable::Raised(
                Exception::RuntimeError.with_message("generator ignored GeneratorExit")
            )]);
        }

        // del guarded()                     # never started: nothing runs
        // g = guarded(); next(g); g.close(); del g   # closed: nothing more
        del_before_start_or_after_the_end_runs_nothing {
            let log = Log::new();
            let g: Generator<_, BigInt> = Generator::new(backend::guarded(log.clone()));
            assert!(unraisable_during(|| drop(g)).is_empty());
            assert!(log.take().is_empty());

            let mut g: Generator<_, BigInt> = Generator::new(backend::guarded(log.clone()));
            g.next().unwrap();
            g.close().unwrap();
            assert_eq!(log.take(), ["cleanup"]);
            assert!(unraisable_during(|| drop(g)).is_empty());
            assert!(log.take().is_empty());

            // finalize() is the drop, done early; the drop then does nothing.
            let mut h: Generator<_, BigInt> = Generator::new(backend::stubborn(log.clone()));
            h.next().unwrap();
            let reported = unraisable_during(|| h.finalize());
            assert_eq!(reported.len(), 1);
            assert_eq!(h.state(), GeneratorState::Closed);
            assert_eq!(log.take(), ["ignoring close"]);
            assert!(unraisable_during(|| drop(h)).is_empty());
            assert!(log.take().is_empty());
        }

        // p = pipeline(); p.send(4); del p   # 'a closed', 'b closed'
        del_cascades_through_a_pipeline {
            let log = Log::new();
            let mut p = backend::pipeline(log.clone());
            p.send(int(4)).unwrap();
            assert_eq!(log.take(), ["a got 4", "b got 4"]);
            assert!(unraisable_during(|| drop(p)).is_empty());
            assert_eq!(log.take(), ["a closed", "b closed"]);
        }

        // g = inventory(); next(g); g.send(7) == 'fig'     # KeyError(7), a LookupError
        // g.throw(ValueError) == 'ValueError'             # an Exception
        // g.close()                                       # GeneratorExit is not one
        except_matches_a_class_and_its_subclasses {
            let log = Log::new();
            let mut g = Generator::new(backend::inventory(log.clone()));
            assert_eq!(g.next(), Ok(None));
            assert_eq!(g.send(int(7)), Ok(Some("fig")));
            assert_eq!(log.take(), ["missing 7"]);
            assert_eq!(g.throw(Exception::ValueError), Ok(Some("ValueError")));
            assert_eq!(g.throw(Exception::RuntimeError), Ok(Some("RuntimeError")));
            // A class of the program's own is an Exception too.
            let overdrawn = Overdrawn { balance: int(1), asked: int(-2) };
            assert_eq!(g.throw(Exception::new(overdrawn)), Ok(Some("Overdrawn")));
            assert!(log.take().is_empty());
            assert_eq!(g.close(), Ok(()));
            assert_eq!(g.state(), GeneratorState::Closed);
        }

        // g = inventory(); next(g); g.throw(KeyError('plum'))  # logs "missing 'plum'"
        // a RuntimeError('boom') thrown into guarded() comes back as it went in
        a_thrown_exception_keeps_its_own_message {
            let log = Log::new();
            let mut g = Generator::new(backend::inventory(log.clone()));
            g.next().unwrap();
            let plum = Exception::KeyError.with_message("'plum'");
            assert_eq!(g.throw(plum), Ok(Some("fig")));
            assert_eq!(log.take(), ["missing 'plum'"]);

            let mut g: Generator<_, BigInt> = Generator::new(backend::guarded(log.clone()));
            g.next().unwrap();
            let boom = Exception::RuntimeError.with_message("boom");
            let Err(Raised::Exception(back)) = g.throw(boom.clone()) else {
                panic!("guarded() caught a RuntimeError");
            };
            assert_eq!(back, boom);
            assert_eq!(back.to_string(), "RuntimeError: boom");
            assert_eq!(log.take(), ["cleanup"]);
        }

        // g = inventory(); next(g); g.send(7); g.throw(KeyError)
        // RuntimeError: generator raised StopIteration   (__cause__: StopIteration())
        a_stop_iteration_escaping_the_body_is_runtime_error {
            let log = Log::new();
            let mut g = Generator::new(backend::inventory(log.clone()));
            g.next().unwrap();
            assert_eq!(g.send(int(7)), Ok(Some("fig")));
            let Err(Raised::Exception(e)) = g.throw(Exception::KeyError) else {
                panic!("inventory() had a second spare");
            };
            assert_eq!(e.to_string(), "RuntimeError: generator raised StopIteration");
            assert_eq!(e.cause(), Some(Exception::StopIteration));
            assert!(e.is_instance(&Class::RUNTIME_ERROR));
            assert_eq!(g.state(), GeneratorState::Closed);
            assert_eq!(log.take(), ["missing 7", "missing "]);
        }
        }

        /// Run the row of [`ASYNC_ROWS`] called `name` against this
        /// backend, as an async transcript, and compare it with CPython's.
        fn check_async_row(name: &str) {
            let Some(row) = ASYNC_ROWS.iter().find(|row| row.name == name) else {
                panic!("no row named {name} in ASYNC_ROWS");
            };
            let log = Log::new();
            let mut g = backend::async_demo(row.demo, &log);
            let ops = parse_async_ops(row.ops).expect("the rows' ops are valid");
            assert_eq!(async_transcript(&mut *g, &log, &ops), row.transcript, "{name}");
        }

        $crate::__async_row_tests! {
        // g = ticker(); await anext(g) == 0   # the await is pending once first
        anext_awaits_and_runs_to_the_next_yield {
            let log = Log::new();
            let mut g = AsyncGenerator::new(Box::pin(backend::ticker::<BigInt>(log.clone())));
            assert_eq!(g.state(), AsyncGeneratorState::Created);
            {
                let mut op = pin!(g.anext());
                let mut cx = Context::from_waker(Waker::noop());
                assert_eq!(op.as_mut().poll(&mut cx), Poll::Pending, "asyncio.sleep(0)");
                assert_eq!(op.as_mut().poll(&mut cx), Poll::Ready(Ok(0)));
            }
            assert_eq!(g.state(), AsyncGeneratorState::Suspended);
            assert_eq!(block_on(g.anext()), Ok(1));
        }

        // g = running_mean(); await anext(g) is None; await g.asend(4) == 4; await g.asend(8) == 6
        asend_becomes_the_value_of_yield {
            let mut g = AsyncGenerator::new(Box::pin(backend::running_mean(Log::new())));
            assert_eq!(block_on(g.anext()), Ok(None));
            assert_eq!(block_on(g.asend(int(4))), Ok(Some(int(4))));
            assert_eq!(block_on(g.asend(int(8))), Ok(Some(int(6))));
            assert_eq!(block_on(g.asend(int(-13))), Ok(Some(int(-1))), "floor division");
        }

        // g = running_mean(); await g.asend(5) -> TypeError; await anext(g) is None
        asend_non_none_before_start_is_type_error {
            let mut g = AsyncGenerator::new(Box::pin(backend::running_mean(Log::new())));
            assert_eq!(
                block_on(g.asend(int(5))),
                Err(Exception::TypeError
                    .with_message("can't send non-None value to a just-started async generator"))
            );
            assert_eq!(g.state(), AsyncGeneratorState::Created);
            assert_eq!(block_on(g.anext()), Ok(None));
        }

        // g = running_mean(); await anext(g); await g.asend(None) -> StopAsyncIteration, and after
        the_end_is_stop_async_iteration {
            let mut g = AsyncGenerator::new(Box::pin(backend::running_mean(Log::new())));
            block_on(g.anext()).unwrap();
            assert_eq!(block_on(g.anext()), Err(Exception::StopAsyncIteration));
            assert_eq!(g.state(), AsyncGeneratorState::Closed);
            assert_eq!(block_on(g.asend(int(1))), Err(Exception::StopAsyncIteration));
        }

        // g = running_mean(); ...; await g.athrow(ValueError) is None  # logs 'reset'
        athrow_caught_and_yielding_returns_the_value {
            let log = Log::new();
            let mut g = AsyncGenerator::new(Box::pin(backend::running_mean(log.clone())));
            block_on(g.anext()).unwrap();
            block_on(g.asend(int(3))).unwrap();
            assert_eq!(block_on(g.athrow(Exception::ValueError)), Ok(Some(None)));
            assert_eq!(log.take(), ["reset"]);
            assert_eq!(block_on(g.asend(int(1))), Ok(Some(int(1))));
        }

        // g = ticker(); await anext(g); await g.athrow(KeyError) -> KeyError, 'ticker closed'
        athrow_uncaught_propagates_and_finishes {
            let log = Log::new();
            let mut g = AsyncGenerator::new(Box::pin(backend::ticker::<BigInt>(log.clone())));
            block_on(g.anext()).unwrap();
            assert_eq!(block_on(g.athrow(Exception::KeyError)), Err(Exception::KeyError));
            assert_eq!(log.take(), ["ticker closed"]);
            assert_eq!(g.state(), AsyncGeneratorState::Closed);
        }

        // g = ticker(); await g.athrow(ValueError) -> ValueError, none of the body run
        athrow_before_start_comes_straight_back {
            let log = Log::new();
            let mut g = AsyncGenerator::new(Box::pin(backend::ticker::<BigInt>(log.clone())));
            assert_eq!(block_on(g.athrow(Exception::ValueError)), Err(Exception::ValueError));
            assert_eq!(g.state(), AsyncGeneratorState::Closed);
            assert!(log.take().is_empty());
        }

        // after the end, await g.athrow(KeyError) is None in 3.11
        athrow_after_the_end_returns_none {
            let mut g = AsyncGenerator::new(Box::pin(backend::ticker::<BigInt>(Log::new())));
            block_on(g.anext()).unwrap();
            block_on(g.aclose()).unwrap();
            assert_eq!(block_on(g.athrow(Exception::KeyError)), Ok(None));
        }

        // g = ticker(); await anext(g); await g.aclose()  # 'ticker closed'
        aclose_raises_generator_exit_and_runs_cleanup {
            let log = Log::new();
            let mut g = AsyncGenerator::new(Box::pin(backend::ticker::<BigInt>(log.clone())));
            block_on(g.anext()).unwrap();
            assert_eq!(block_on(g.aclose()), Ok(()));
            assert_eq!(log.take(), ["ticker closed"]);
            assert_eq!(g.state(), AsyncGeneratorState::Closed);
            assert_eq!(block_on(g.aclose()), Ok(()));
        }

        // g = stubborn_async(); await anext(g); await g.aclose() -> RuntimeError, still suspended
        aclose_of_a_body_that_yields_again_is_runtime_error {
            let log = Log::new();
            let mut g = AsyncGenerator::new(Box::pin(backend::stubborn_async::<BigInt>(log.clone())));
            block_on(g.anext()).unwrap();
            assert_eq!(
                block_on(g.aclose()),
                Err(Exception::RuntimeError.with_message("async generator ignored GeneratorExit"))
            );
            assert_eq!(log.take(), ["ignoring aclose"]);
            assert_eq!(g.state(), AsyncGeneratorState::Suspended);
        }

        // ... then await g.aclose() and await g.athrow(E) -> StopAsyncIteration; anext still runs it
        aclose_or_athrow_after_a_failed_aclose_is_stop_async_iteration {
            let log = Log::new();
            let mut g = AsyncGenerator::new(Box::pin(backend::stubborn_async::<BigInt>(log.clone())));
            block_on(g.anext()).unwrap();
            block_on(g.aclose()).unwrap_err();
            assert_eq!(block_on(g.aclose()), Err(Exception::StopAsyncIteration));
            assert_eq!(block_on(g.athrow(Exception::KeyError)), Err(Exception::StopAsyncIteration));
            assert_eq!(block_on(g.anext()), Ok("still here"));
            assert_eq!(log.take(), ["ignoring aclose"]);
        }

        // g = ticker(); await g.aclose(); await anext(g) -> StopAsyncIteration
        aclose_before_start_or_after_the_end_does_nothing {
            let log = Log::new();
            let mut g = AsyncGenerator::new(Box::pin(backend::ticker::<BigInt>(log.clone())));
            assert_eq!(block_on(g.aclose()), Ok(()));
            assert_eq!(g.state(), AsyncGeneratorState::Closed);
            assert!(log.take().is_empty());
        }

        // async for n in ticker(): if n == 2: break   # then g.aclose()
        async_for_is_a_stream {
            let log = Log::new();
            let mut g = AsyncGenerator::new(Box::pin(backend::ticker::<BigInt>(log.clone())));
            // ANCHOR: async_for
            let seen = block_on(async {
                let mut seen = Vec::new();
                // futures::StreamExt's `g.next()` is this `poll_fn`.
                while let Some(n) = std::future::poll_fn(|cx| Pin::new(&mut g).poll_next(cx)).await {
                    let n = n.unwrap();
                    seen.push(n);
                    if n == 2 {
                        break;
                    }
                }
                seen
            });
            // ANCHOR_END: async_for
            assert_eq!(seen, [0, 1, 2]);
            assert_eq!(block_on(g.aclose()), Ok(()));
            assert_eq!(log.take(), ["ticker closed"]);
        }
        }

        // g = ticker(); await anext(g); del g   # 'ticker closed' (finalised)
        #[test]
        fn finally_runs_on_drop_of_a_suspended_async_generator() {
            let log = Log::new();
            let mut g = AsyncGenerator::new(Box::pin(backend::ticker::<BigInt>(log.clone())));
            block_on(g.anext()).unwrap();
            drop(g);
            assert_eq!(log.take(), ["ticker closed"]);
        }

        // an operation dropped while its body awaits leaves it AGEN_RUNNING;
        // a new one is RuntimeError ("asynchronous generator is already running")
        #[test]
        fn an_operation_abandoned_mid_await_leaves_it_running() {
            let mut g = AsyncGenerator::new(Box::pin(backend::ticker::<BigInt>(Log::new())));
            {
                let mut op = pin!(g.anext());
                let mut cx = Context::from_waker(Waker::noop());
                assert_eq!(op.as_mut().poll(&mut cx), Poll::Pending);
            }
            assert_eq!(g.state(), AsyncGeneratorState::Running);
            assert_eq!(
                block_on(g.anext()),
                Err(Exception::RuntimeError
                    .with_message("anext(): asynchronous generator is already running"))
            );
        }

        // g = guarded(); next(g); del g   # 'cleanup' runs
        #[test]
        fn finally_runs_on_drop_of_a_suspended_generator() {
            let log = Log::new();
            let mut g: Generator<_, BigInt> = Generator::new(backend::guarded(log.clone()));
            g.next().unwrap();
            assert!(log.take().is_empty());
            drop(g);
            assert_eq!(log.take(), ["cleanup"]);

            // The raw body, without the wrapper, has the same destructor.
            let mut body = backend::guarded::<BigInt>(log.clone());
            let _ = Pin::new(&mut body).resume(Ok(None));
            drop(body);
            assert_eq!(log.take(), ["cleanup"]);
        }

        // inspect.getgeneratorstate: CREATED, SUSPENDED, CLOSED
        #[test]
        fn generator_state_follows_inspect() {
            let mut g: Generator<_, BigInt> = Generator::new(backend::countdown());
            assert_eq!(g.state(), GeneratorState::Created);
            g.next().unwrap();
            assert_eq!(g.state(), GeneratorState::Suspended);
            while g.next().is_ok() {}
            assert_eq!(g.state(), GeneratorState::Closed);
        }

        // the thousandth value, F(999), as Python's ints give it
        #[test]
        fn fibonacci_is_unbounded() {
            let g: Generator<_, BigInt> = Generator::new(backend::fibonacci());
            let thousandth = g.into_iter().nth(999).unwrap().unwrap();
            assert_eq!(thousandth.to_string(), $crate::conformance::FIBONACCI_999);
        }

        // the u64 flavour ends after F(93) = 12200160415121876738
        #[test]
        fn fibonacci_u64_ends_after_f93() {
            let mut g: Generator<_, BigInt> = Generator::new(backend::fibonacci_u64());
            let mut values = Vec::new();
            let end = loop {
                match g.next() {
                    Ok(value) => values.push(value),
                    Err(end) => break end,
                }
            };
            assert_eq!(values.len(), 94);
            assert_eq!(values[93], 12_200_160_415_121_876_738);
            assert_eq!(end, stop(()));
        }

        // Python's ints never overflow; neither does running_sum over BigInt
        #[test]
        fn running_sum_adds_big_integers() {
            let mut g = Generator::new(backend::running_sum());
            g.next().unwrap();
            let big: BigInt = "100000000000000000000000000000".parse().unwrap();
            g.send(big.clone()).unwrap();
            assert_eq!(g.send(big.clone()), Ok(&big + &big));
        }

        // every demo through the type-erased transcript path
        #[test]
        fn transcripts_of_every_demo() {
            let script = parse_ops([
                "next",
                "send 5",
                "throw ValueError",
                "next",
                "close",
                "next",
            ])
            .unwrap();
            let expected: [(&str, &[&str]); 7] = [
                (
                    "fibonacci",
                    &[
                        "next: yield 0",
                        "send 5: yield 1",
                        "throw ValueError: raise ValueError",
                        "next: raise StopIteration",
                        "close: closed",
                        "next: raise StopIteration",
                    ],
                ),
                (
                    "echo",
                    &[
                        "next: yield None",
                        "send 5: yield 5",
                        "throw ValueError: raise ValueError",
                        "next: raise StopIteration",
                        "close: closed",
                        "next: raise StopIteration",
                    ],
                ),
                (
                    "running_sum",
                    &[
                        "next: yield 0",
                        "send 5: yield 5",
                        "throw ValueError: raise ValueError",
                        "next: raise StopIteration",
                        "close: closed",
                        "next: raise StopIteration",
                    ],
                ),
                (
                    "countdown",
                    &[
                        "next: yield 3",
                        "send 5: yield 2",
                        "throw ValueError: raise ValueError",
                        "next: raise StopIteration",
                        "close: closed",
                        "next: raise StopIteration",
                    ],
                ),
                (
                    "guarded",
                    &[
                        "next: yield 'waiting'",
                        "send 5: yield 'waiting'",
                        "throw ValueError: yield 'recovered'",
                        "next: yield 'waiting'",
                        "close: log 'cleanup'; closed",
                        "next: raise StopIteration",
                    ],
                ),
                (
                    "stubborn",
                    &[
                        "next: yield 'still here'",
                        "send 5: yield 'still here'",
                        "throw ValueError: raise ValueError",
                        "next: raise StopIteration",
                        "close: closed",
                        "next: raise StopIteration",
                    ],
                ),
                (
                    "batches",
                    &[
                        "next: yield 0",
                        "send 5: yield 5",
                        "throw ValueError: raise ValueError",
                        "next: raise StopIteration",
                        "close: closed",
                        "next: raise StopIteration",
                    ],
                ),
            ];
            for (name, lines) in expected {
                let log = Log::new();
                let mut g = backend::demo(name.parse().unwrap(), &log);
                assert_eq!(transcript(&mut *g, &log, &script), lines, "{name}");
            }
        }
    };
}

use crate::{AsyncDemo, Demo};

/// F(999), the thousandth value of `fibonacci()`, as Python's ints give
/// it: 209 digits, far past any machine integer.
pub const FIBONACCI_999: &str = concat!(
    "26863810024485359386146727202142923967616609318986952340123175997617981",
    "70024788168933836965448335656419182785616144335631297667364221035032463",
    "4850410377680367334151172899169723197082763985615764450078474174626",
);

/// One row of the protocol table, as an op script and CPython's transcript.
#[derive(Clone, Copy, Debug)]
pub struct Row<D = Demo> {
    /// The row's name, which is also the name of its test in
    /// `behaviour_suite!`.
    pub name: &'static str,
    /// The Python behaviour the row pins down.
    pub python: &'static str,
    /// The demo generator the script drives.
    pub demo: D,
    /// The op script.
    pub ops: &'static [&'static str],
    /// What CPython 3.11 prints for it.
    pub transcript: &'static [&'static str],
}

/// The protocol table, row by row, as transcripts.
pub const ROWS: &[Row] = &[
    Row {
        name: "creating_runs_none_of_the_body",
        python: "calling a generator function runs none of its body",
        demo: Demo::Guarded,
        ops: &["close", "next"],
        transcript: &["close: closed", "next: raise StopIteration"],
    },
    Row {
        name: "next_runs_to_the_next_yield",
        python: "next(g) runs to the next yield",
        demo: Demo::Countdown,
        ops: &["next", "next"],
        transcript: &["next: yield 3", "next: yield 2"],
    },
    Row {
        name: "send_becomes_the_value_of_yield",
        python: "g.send(v): v becomes the value of the yield expression",
        demo: Demo::Echo,
        ops: &["next", "send 5", "send None"],
        transcript: &[
            "next: yield None",
            "send 5: yield 5",
            "send None: yield None",
        ],
    },
    Row {
        name: "send_non_none_before_start_is_type_error",
        python: "g.send(v), v not None, before the first yield: TypeError, still unstarted",
        demo: Demo::RunningSum,
        ops: &["send 5", "next", "send 5"],
        transcript: &[
            "send 5: raise TypeError",
            "next: yield 0",
            "send 5: yield 5",
        ],
    },
    Row {
        name: "return_is_stop_iteration_with_value",
        python: "return r: StopIteration carrying r",
        demo: Demo::RunningSum,
        ops: &["next", "send 2", "send None"],
        transcript: &["next: yield 0", "send 2: yield 2", "send None: return 2"],
    },
    Row {
        name: "every_call_after_the_end_is_stop_iteration",
        python: "any call on a finished generator: bare StopIteration",
        demo: Demo::Countdown,
        ops: &["next", "next", "next", "next", "next", "send 1"],
        transcript: &[
            "next: yield 3",
            "next: yield 2",
            "next: yield 1",
            "next: return 'liftoff'",
            "next: raise StopIteration",
            "send 1: raise StopIteration",
        ],
    },
    Row {
        name: "throw_caught_and_yielding_returns_the_value",
        python: "g.throw(E) caught by the body, which yields: throw returns that value",
        demo: Demo::Guarded,
        ops: &["next", "throw ValueError", "next"],
        transcript: &[
            "next: yield 'waiting'",
            "throw ValueError: yield 'recovered'",
            "next: yield 'waiting'",
        ],
    },
    Row {
        name: "throw_uncaught_propagates_and_finishes",
        python: "g.throw(E) not caught: E propagates out, the generator is finished",
        demo: Demo::Guarded,
        ops: &["next", "throw KeyError", "next"],
        transcript: &[
            "next: yield 'waiting'",
            "throw KeyError: log 'cleanup'; raise KeyError",
            "next: raise StopIteration",
        ],
    },
    Row {
        name: "throw_before_start_comes_straight_back",
        python: "g.throw(E) before the first yield: E comes straight back, finished",
        demo: Demo::Guarded,
        ops: &["throw ValueError", "next"],
        transcript: &[
            "throw ValueError: raise ValueError",
            "next: raise StopIteration",
        ],
    },
    Row {
        name: "throw_after_the_end_comes_straight_back",
        python: "g.throw(E) after the end: E comes straight back",
        demo: Demo::Countdown,
        ops: &["next", "next", "next", "next", "throw KeyError"],
        transcript: &[
            "next: yield 3",
            "next: yield 2",
            "next: yield 1",
            "next: return 'liftoff'",
            "throw KeyError: raise KeyError",
        ],
    },
    Row {
        name: "close_raises_generator_exit_and_runs_cleanup",
        python: "g.close(): GeneratorExit at the yield, cleanup runs, returns normally",
        demo: Demo::Guarded,
        ops: &["next", "close", "next"],
        transcript: &[
            "next: yield 'waiting'",
            "close: log 'cleanup'; closed",
            "next: raise StopIteration",
        ],
    },
    Row {
        name: "close_of_a_body_that_yields_again_is_runtime_error",
        python: "body yields after GeneratorExit: close() raises RuntimeError, still suspended",
        demo: Demo::Stubborn,
        ops: &["next", "close", "next"],
        transcript: &[
            "next: yield 'still here'",
            "close: log 'ignoring close'; raise RuntimeError",
            "next: yield 'still here'",
        ],
    },
    Row {
        name: "close_before_start_or_after_the_end_does_nothing",
        python: "close() before the start or after the end does nothing",
        demo: Demo::Countdown,
        ops: &["close", "next", "close"],
        transcript: &[
            "close: closed",
            "next: raise StopIteration",
            "close: closed",
        ],
    },
    Row {
        name: "yield_from_forwards_send_and_hands_back_the_return_value",
        python: "yield from sub: sends go to sub, its return value is the expression's",
        demo: Demo::Batches,
        ops: &["next", "send 2", "send 3", "send None", "next"],
        transcript: &[
            "next: yield 0",
            "send 2: yield 2",
            "send 3: yield 5",
            "send None: yield 'batch 1: 5'",
            "next: yield 0",
        ],
    },
    Row {
        name: "yield_from_forwards_throw",
        python: "yield from sub: throw goes to sub, and out of both",
        demo: Demo::Batches,
        ops: &["next", "send 4", "throw ValueError", "next"],
        transcript: &[
            "next: yield 0",
            "send 4: yield 4",
            "throw ValueError: raise ValueError",
            "next: raise StopIteration",
        ],
    },
    Row {
        name: "yield_from_forwards_close",
        python: "yield from sub: close closes sub, then the delegating generator",
        demo: Demo::Batches,
        ops: &["next", "close", "next"],
        transcript: &[
            "next: yield 0",
            "close: closed",
            "next: raise StopIteration",
        ],
    },
    Row {
        name: "a_body_borrows_its_own_local_across_yield",
        python: "for x in local: yield x, a body borrowing its own local across yield",
        demo: Demo::Words,
        ops: &["next", "send 7", "next", "next", "next"],
        transcript: &[
            "next: yield 'the'",
            "send 7: log 'the: 7'; yield 'quick'",
            "next: yield 'brown'",
            "next: yield 'fox'",
            "next: return 4",
        ],
    },
    Row {
        name: "raise_of_a_user_exception_carries_its_payload",
        python: "raise E(msg), E a class of the program's own: the caller gets E with its message",
        demo: Demo::Account,
        ops: &["next", "send -20", "next"],
        transcript: &[
            "next: yield 10",
            "send -20: raise Overdrawn: balance 10, asked -20",
            "next: raise StopIteration",
        ],
    },
    Row {
        name: "throw_cascades_through_a_pipeline",
        python: "throw into a primed pipeline: each stage's finally closes the next",
        demo: Demo::Pipeline,
        ops: &["send 4", "send None", "throw KeyError", "next"],
        transcript: &[
            "send 4: log 'a got 4'; log 'b got 4'; yield None",
            "send None: yield None",
            "throw KeyError: log 'a closed'; log 'b closed'; raise KeyError",
            "next: raise StopIteration",
        ],
    },
    Row {
        name: "close_cascades_through_a_pipeline",
        python: "close() of a pipeline closes every stage behind it",
        demo: Demo::Pipeline,
        ops: &["send 2", "close", "next"],
        transcript: &[
            "send 2: log 'a got 2'; log 'b got 2'; yield None",
            "close: log 'a closed'; log 'b closed'; closed",
            "next: raise StopIteration",
        ],
    },
    Row {
        name: "del_of_a_suspended_generator_closes_it",
        python: "del g of a suspended generator: CPython's finaliser calls g.close()",
        demo: Demo::Guarded,
        ops: &["next", "del"],
        transcript: &["next: yield 'waiting'", "del: log 'cleanup'; collected"],
    },
    Row {
        name: "del_of_a_generator_that_ignores_generator_exit_is_reported",
        python: "a close that fails in the finaliser goes to sys.unraisablehook",
        demo: Demo::Stubborn,
        ops: &["next", "del"],
        transcript: &[
            "next: yield 'still here'",
            "del: log 'ignoring close'; ignored RuntimeError",
        ],
    },
    Row {
        name: "del_before_start_or_after_the_end_runs_nothing",
        python: "del g before the start or after the end runs none of the body",
        demo: Demo::Guarded,
        ops: &["next", "close", "del"],
        transcript: &[
            "next: yield 'waiting'",
            "close: log 'cleanup'; closed",
            "del: collected",
        ],
    },
    Row {
        name: "del_cascades_through_a_pipeline",
        python: "del p of a primed pipeline closes every stage, as p.close() does",
        demo: Demo::Pipeline,
        ops: &["send 4", "del"],
        transcript: &[
            "send 4: log 'a got 4'; log 'b got 4'; yield None",
            "del: log 'a closed'; log 'b closed'; collected",
        ],
    },
    Row {
        name: "except_matches_a_class_and_its_subclasses",
        python: "except LookupError catches a KeyError; except Exception anything but GeneratorExit",
        demo: Demo::Inventory,
        ops: &[
            "next",
            "send 1",
            "send 7",
            "throw ValueError",
            "throw TypeError",
            "close",
        ],
        transcript: &[
            "next: yield None",
            "send 1: yield 'apple'",
            "send 7: log 'missing 7'; yield 'fig'",
            "throw ValueError: yield 'ValueError'",
            "throw TypeError: yield 'TypeError'",
            "close: closed",
        ],
    },
    Row {
        name: "a_thrown_exception_keeps_its_own_message",
        python: "g.throw(E('msg')) arrives with its message; E thrown by class has none",
        demo: Demo::Inventory,
        ops: &["next", "throw KeyError", "send 2"],
        transcript: &[
            "next: yield None",
            "throw KeyError: log 'missing '; yield 'fig'",
            "send 2: yield 'pear'",
        ],
    },
    Row {
        name: "a_stop_iteration_escaping_the_body_is_runtime_error",
        python: "StopIteration escaping the body: RuntimeError('generator raised StopIteration'), from it (PEP 479)",
        demo: Demo::Inventory,
        ops: &["next", "send 7", "throw KeyError", "next"],
        transcript: &[
            "next: yield None",
            "send 7: log 'missing 7'; yield 'fig'",
            "throw KeyError: log 'missing '; raise RuntimeError",
            "next: raise StopIteration",
        ],
    },
];

/// One row of the async generators' protocol table (PEP 525): a [`Row`]
/// whose demo is an async generator and whose script is async ops, each
/// awaited to completion on one event loop.
pub type AsyncRow = Row<AsyncDemo>;

/// The async generators' protocol table, row by row, as transcripts.
pub const ASYNC_ROWS: &[AsyncRow] = &[
    AsyncRow {
        name: "anext_awaits_and_runs_to_the_next_yield",
        python: "await anext(g) runs the body, awaits included, to the next yield",
        demo: AsyncDemo::Ticker,
        ops: &["anext", "anext"],
        transcript: &["anext: yield 0", "anext: yield 1"],
    },
    AsyncRow {
        name: "asend_becomes_the_value_of_yield",
        python: "await g.asend(v): v becomes the value of the yield expression",
        demo: AsyncDemo::RunningMean,
        ops: &["anext", "asend 4", "asend 8", "asend None"],
        transcript: &[
            "anext: yield None",
            "asend 4: yield 4",
            "asend 8: yield 6",
            "asend None: raise StopAsyncIteration",
        ],
    },
    AsyncRow {
        name: "asend_non_none_before_start_is_type_error",
        python: "await g.asend(v), v not None, before the first yield: TypeError, still unstarted",
        demo: AsyncDemo::RunningMean,
        ops: &["asend 5", "anext", "asend 5"],
        transcript: &[
            "asend 5: raise TypeError",
            "anext: yield None",
            "asend 5: yield 5",
        ],
    },
    AsyncRow {
        name: "the_end_is_stop_async_iteration",
        python: "the body ends (no return value): StopAsyncIteration, and for every anext after",
        demo: AsyncDemo::RunningMean,
        ops: &["anext", "asend None", "anext", "asend 1"],
        transcript: &[
            "anext: yield None",
            "asend None: raise StopAsyncIteration",
            "anext: raise StopAsyncIteration",
            "asend 1: raise StopAsyncIteration",
        ],
    },
    AsyncRow {
        name: "athrow_caught_and_yielding_returns_the_value",
        python: "await g.athrow(E) caught by the body, which yields: athrow returns that value",
        demo: AsyncDemo::RunningMean,
        ops: &["anext", "asend 3", "athrow ValueError", "asend 1"],
        transcript: &[
            "anext: yield None",
            "asend 3: yield 3",
            "athrow ValueError: log 'reset'; yield None",
            "asend 1: yield 1",
        ],
    },
    AsyncRow {
        name: "athrow_uncaught_propagates_and_finishes",
        python: "await g.athrow(E) not caught: E propagates out, finally runs, finished",
        demo: AsyncDemo::Ticker,
        ops: &["anext", "athrow KeyError", "anext"],
        transcript: &[
            "anext: yield 0",
            "athrow KeyError: log 'ticker closed'; raise KeyError",
            "anext: raise StopAsyncIteration",
        ],
    },
    AsyncRow {
        name: "athrow_before_start_comes_straight_back",
        python: "await g.athrow(E) before the first yield: E comes straight back, finished",
        demo: AsyncDemo::Ticker,
        ops: &["athrow ValueError", "anext"],
        transcript: &[
            "athrow ValueError: raise ValueError",
            "anext: raise StopAsyncIteration",
        ],
    },
    AsyncRow {
        name: "athrow_after_the_end_returns_none",
        python: "await g.athrow(E) after the end: None, E is not raised (3.11)",
        demo: AsyncDemo::Ticker,
        ops: &["anext", "aclose", "athrow KeyError"],
        transcript: &[
            "anext: yield 0",
            "aclose: log 'ticker closed'; closed",
            "athrow KeyError: yield None",
        ],
    },
    AsyncRow {
        name: "aclose_raises_generator_exit_and_runs_cleanup",
        python: "await g.aclose(): GeneratorExit at the yield, finally runs, returns normally",
        demo: AsyncDemo::Ticker,
        ops: &["anext", "aclose", "anext"],
        transcript: &[
            "anext: yield 0",
            "aclose: log 'ticker closed'; closed",
            "anext: raise StopAsyncIteration",
        ],
    },
    AsyncRow {
        name: "aclose_of_a_body_that_yields_again_is_runtime_error",
        python: "body yields after GeneratorExit: aclose() raises RuntimeError, still suspended",
        demo: AsyncDemo::StubbornAsync,
        ops: &["anext", "aclose", "anext"],
        transcript: &[
            "anext: yield 'still here'",
            "aclose: log 'ignoring aclose'; raise RuntimeError",
            "anext: yield 'still here'",
        ],
    },
    AsyncRow {
        name: "aclose_or_athrow_after_a_failed_aclose_is_stop_async_iteration",
        python: "after a failed aclose(): aclose() and athrow(E) raise StopAsyncIteration (3.11), anext still runs",
        demo: AsyncDemo::StubbornAsync,
        ops: &["anext", "aclose", "aclose", "athrow ValueError", "anext"],
        transcript: &[
            "anext: yield 'still here'",
            "aclose: log 'ignoring aclose'; raise RuntimeError",
            "aclose: raise StopAsyncIteration",
            "athrow ValueError: raise StopAsyncIteration",
            "anext: yield 'still here'",
        ],
    },
    AsyncRow {
        name: "aclose_before_start_or_after_the_end_does_nothing",
        python: "aclose() before the start or after the end does nothing",
        demo: AsyncDemo::Ticker,
        ops: &["aclose", "anext", "aclose"],
        transcript: &[
            "aclose: closed",
            "anext: raise StopAsyncIteration",
            "aclose: closed",
        ],
    },
    AsyncRow {
        name: "async_for_is_a_stream",
        python: "async for x in g: the generator is a Stream; break, then aclose()",
        demo: AsyncDemo::Ticker,
        ops: &["anext", "anext", "anext", "aclose"],
        transcript: &[
            "anext: yield 0",
            "anext: yield 1",
            "anext: yield 2",
            "aclose: log 'ticker closed'; closed",
        ],
    },
];

/// The protocol table as Markdown, one line per row of [`ROWS`]: what
/// Python does, the test that pins it down in every backend, and the op
/// script with CPython's transcript. The README's table is this text,
/// checked by the root package's tests, so the two cannot drift.
pub fn markdown_table() -> String {
    let mut table = String::from(
        "| Python | test, run against every backend | demo: ops → CPython's transcript |\n|---|---|---|\n",
    );
    for row in ROWS {
        let steps: Vec<String> = row
            .transcript
            .iter()
            .map(|line| format!("`{line}`"))
            .collect();
        table.push_str(&format!(
            "| {} | `{}` | `{}`: {} |\n",
            row.python.replace('|', "\\|"),
            row.name,
            row.demo,
            steps.join("<br>").replace('|', "\\|"),
        ));
    }
    for row in ASYNC_ROWS {
        let steps: Vec<String> = row
            .transcript
            .iter()
            .map(|line| format!("`{line}`"))
            .collect();
        table.push_str(&format!(
            "| {} | `{}` | `{}`: {} |\n",
            row.python.replace('|', "\\|"),
            row.name,
            row.demo,
            steps.join("<br>").replace('|', "\\|"),
        ));
    }
    table
}

/// The row tests of `behaviour_suite!`: each
/// `name { body }` becomes `#[test] fn name()`, which runs the row of
/// [`ROWS`] with that name as a transcript and then runs `body`; and one
/// more test checks that the names are exactly the rows' names, in order.
#[cfg(feature = "testing")]
#[doc(hidden)]
#[macro_export]
macro_rules! __row_tests {
    ($($name:ident $body:block)*) => {
        $(
            #[test]
            fn $name() {
                check_row(stringify!($name));
                $body
            }
        )*

        #[test]
        fn every_row_of_the_table_has_a_test() {
            let tested: &[&str] = &[$(stringify!($name)),*];
            let rows: Vec<&str> = ROWS.iter().map(|row| row.name).collect();
            assert_eq!(rows, tested);
        }
    };
}

/// The async row tests of `behaviour_suite!`, as [`__row_tests!`] is for
/// [`ROWS`]: each `name { body }` runs the row of [`ASYNC_ROWS`] with that
/// name, then `body`.
#[cfg(feature = "testing")]
#[doc(hidden)]
#[macro_export]
macro_rules! __async_row_tests {
    ($($name:ident $body:block)*) => {
        $(
            #[test]
            fn $name() {
                check_async_row(stringify!($name));
                $body
            }
        )*

        #[test]
        fn every_async_row_of_the_table_has_a_test() {
            let tested: &[&str] = &[$(stringify!($name)),*];
            let rows: Vec<&str> = ASYNC_ROWS.iter().map(|row| row.name).collect();
            assert_eq!(rows, tested);
        }
    };
}

#[cfg(feature = "testing")]
#[doc(hidden)]
pub mod __suite {
    pub use crate::conformance::ASYNC_ROWS;
    pub use crate::{
        Batch, Log, Overdrawn, ROWS, async_transcript, block_on, parse_async_ops, parse_ops,
        transcript,
    };
    pub use futures_core::Stream;
    pub use num_bigint::BigInt;
    pub use pygen_protocol::{AsyncGenerator, AsyncGeneratorState};
    pub use pygen_protocol::{
        Class, Coroutine, Exception, Generator, GeneratorState, Raised, Unraisable,
    };
    pub use std::future::Future;
    pub use std::pin::Pin;
    pub use std::pin::pin;
    pub use std::task::{Context, Poll, Waker};

    /// What the generators dropped during `f` reported to the unraisable
    /// hook (Python's `sys.unraisablehook`), in order.
    pub fn unraisable_during(f: impl FnOnce()) -> Vec<Unraisable> {
        crate::transcript::unraisable_during(f)
    }
}
