//! Replays scenario files against a fresh account each (the rules document, `RULES.md`, section
//! "Replay scenarios"; `replay --help` prints the format, the options and the exit codes).
//!
//! ```sh
//! cargo run --example replay -- [--seed N] FILE...   # `-` reads standard input
//! ```
//!
//! Prints one `STATUS BODY` line per request. A broken fixture, a malformed request line, an
//! unknown first word or an unreadable file stops the run: the message (file, line, error) goes
//! to standard error and the exit status is 1. A bad command line exits with status 2. The
//! scenario format is documented in `smartag_rules::wire::scenario`.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::process::ExitCode;

use smartag_rules::wire::scenario::Scenario;

const USAGE: &str = "usage: replay [--seed N] FILE...   (`-` for standard input; --help for more)";

const HELP: &str = "\
replay: runs Smart Access Gateway API scenarios offline, each file on a fresh account, and
prints one line per request: the HTTP status, a space and the compact body.

usage: replay [--seed N] FILE...

  FILE       a scenario file; `-` reads standard input
  --seed N   seeds request IDs and generated names, passwords and instance IDs (default 0):
             the same files and seed always print the same bytes
  -h, --help prints this text
  --         ends the options (a file named `--seed`, say, comes after it)

A scenario is UTF-8 text, one entry per line; blank lines and lines starting with `#` are
skipped. The first word of a line says what it is:

  instance <id> region=<region> users=<quota> [cidr=<block>,...] [code=<code>]
           [max-bandwidth=<Kbit/s>] [kind=app|hardware]
      an SAG instance (`users` is its user quota, `cidr` its client pool)
  used <id> <user name>
      marks a user as used this month (it cannot be deleted then)
  online <id> <user name>
      connects the user once more (an online session, dated 0; prints nothing; a connect the
      rules refuse stops the run)
  Action=CreateSmartAccessGatewayClientUser&RegionId=cn-shanghai&...
      a request in RPC query form (a first word holding `=`), values percent-encoded
  GET|POST [name:value]... ? [QUERY] [| BODY]
      a whole HTTP request: headers (no whitespace in them), the lone word `?`, the query
      string, and after a lone `|` a body (read for a POST with the header
      content-type:application/x-www-form-urlencoded), e.g. as the newer SDKs send it:
      POST x-acs-action:RoamClientUser x-acs-version:2018-03-13 ? RegionId=ap-southeast-1&...

exit status:
  0  every file ran (error answers such as 400 are output lines, not failures)
  1  a fixture broke a rule (or a connect was refused), a GET/POST line is malformed, a first word is unknown (a typo
     such as `instnace`: never sent as a request) or a file cannot be read; the lines before
     it are printed, the message `replay: FILE:LINE: reason` goes to standard error
  2  a bad command line
";

fn main() -> ExitCode {
    let (seed, files) = match parse_args(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("replay: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
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

/// `Ok(None)` asks for the help text.
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
    if file == "-" {
        replay_from("<stdin>", io::stdin().lock(), seed, out)
    } else {
        let input = File::open(file).map_err(|e| format!("{file}: cannot read: {e}"))?;
        replay_from(file, BufReader::with_capacity(1 << 16, input), seed, out)
    }
}

/// Replays `input` line by line, read into one reused buffer.
fn replay_from(
    name: &str,
    mut input: impl BufRead,
    seed: u64,
    out: &mut impl Write,
) -> Result<(), String> {
    let mut scenario = Scenario::new(seed);
    let mut line = String::new();
    loop {
        line.clear();
        let read = input
            .read_line(&mut line)
            .map_err(|e| format!("{name}: cannot read: {e}"))?;
        if read == 0 {
            return Ok(());
        }
        let text = line.strip_suffix('\n').unwrap_or(&line);
        let text = text.strip_suffix('\r').unwrap_or(text);
        match scenario.step(text) {
            Ok(Some(output)) => out
                .write_all(output.as_bytes())
                .and_then(|()| out.write_all(b"\n"))
                .map_err(|e| format!("cannot write the output: {e}"))?,
            Ok(None) => {}
            Err(e) => return Err(format!("{name}:{}: {}", e.line, e.error)),
        }
    }
}
