//! Replays scenario files against a fresh account each (SPEC.md section 7).
//!
//! ```sh
//! cargo run --example replay -- [--seed N] FILE...   # `-` reads standard input
//! ```
//!
//! Prints one `STATUS BODY` line per request. A broken fixture or an unreadable file stops the
//! run: the message (file, line, error) goes to standard error and the exit status is 1. A bad
//! command line exits with status 2. The scenario format is documented in
//! `smartag_rules::wire::scenario`.

use std::io::{self, BufWriter, Read, Write};
use std::process::ExitCode;

use smartag_rules::wire::scenario::Scenario;

const USAGE: &str = "usage: replay [--seed N] FILE...   (`-` for standard input)";

fn main() -> ExitCode {
    let (seed, files) = match parse_args(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("replay: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for file in &files {
        if let Err(message) = replay(file, seed, &mut out) {
            let _ = out.flush();
            eprintln!("replay: {message}");
            return ExitCode::from(1);
        }
    }
    if let Err(e) = out.flush() {
        eprintln!("replay: cannot write the output: {e}");
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// `Ok(None)` asks for the usage text.
fn parse_args(
    mut args: impl Iterator<Item = String>,
) -> Result<Option<(u64, Vec<String>)>, String> {
    let mut seed = 0u64;
    let mut files = Vec::new();
    let mut options_done = false;
    while let Some(arg) = args.next() {
        let seed_text = match arg.as_str() {
            _ if options_done => {
                files.push(arg);
                continue;
            }
            "-h" | "--help" => return Ok(None),
            "--" => {
                options_done = true;
                continue;
            }
            "--seed" => args.next().ok_or("--seed needs a value")?,
            other => match other.strip_prefix("--seed=") {
                Some(value) => value.to_owned(),
                None if other.starts_with("--") => return Err(format!("unknown option {other}")),
                None => {
                    files.push(arg);
                    continue;
                }
            },
        };
        seed = seed_text
            .parse()
            .map_err(|_| format!("--seed {seed_text}: not a whole number from 0 to 2^64-1"))?;
    }
    if files.is_empty() {
        return Err("no scenario file given".to_owned());
    }
    Ok(Some((seed, files)))
}

fn replay(file: &str, seed: u64, out: &mut impl Write) -> Result<(), String> {
    let (name, text) = if file == "-" {
        let mut text = String::new();
        io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| format!("<stdin>: cannot read: {e}"))?;
        ("<stdin>", text)
    } else {
        let text =
            std::fs::read_to_string(file).map_err(|e| format!("{file}: cannot read: {e}"))?;
        (file, text)
    };
    let mut scenario = Scenario::new(seed);
    for line in text.lines() {
        match scenario.step(line) {
            Ok(Some(output)) => {
                writeln!(out, "{output}").map_err(|e| format!("cannot write the output: {e}"))?
            }
            Ok(None) => {}
            Err(e) => return Err(format!("{name}:{}: {}", e.line, e.error)),
        }
    }
    Ok(())
}
