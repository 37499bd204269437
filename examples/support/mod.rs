//! What the measuring examples share: reading how many users or lines to make.

use std::fmt::Display;
use std::str::FromStr;

/// The count given as the program's first argument, or `default` without one. A count that does
/// not parse ends the program with exit code 2 and a message naming `program`.
pub fn count_arg<T: FromStr>(program: &str, default: T) -> T
where
    T::Err: Display,
{
    match std::env::args().nth(1).map(|a| a.parse()) {
        None => default,
        Some(Ok(n)) => n,
        Some(Err(e)) => {
            eprintln!("{program}: N must be a whole number: {e}");
            std::process::exit(2);
        }
    }
}
