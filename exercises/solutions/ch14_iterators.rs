//! Generator expressions, `itertools`, and pull pipelines. (Worked
//! solution.)

/// `odd_squares(limit)`: `(n * n for n in range(limit) if n % 2 == 1)`.
pub fn odd_squares(limit: u64) -> impl Iterator<Item = u64> {
    (0..limit).filter(|n| n % 2 == 1).map(|n| n * n)
}

/// `running_max(values)`: `list(itertools.accumulate(values, max))`.
pub fn running_max(values: &[i64]) -> Vec<i64> {
    values
        .iter()
        .scan(i64::MIN, |best, &value| {
            *best = (*best).max(value);
            Some(*best)
        })
        .collect()
}

/// `largest_ok(log)`: the largest size of a `200` line.
pub fn largest_ok(log: &str) -> Option<u64> {
    log.lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>())
        .filter(|fields| fields.get(2) == Some(&"200"))
        .filter_map(|fields| fields.get(3)?.parse::<u64>().ok())
        .max()
}
