//! The three sources of the token: `--token T`, `--token -` (standard input) and
//! `REPLENISH_TOKEN`.

use std::env::VarError;
use std::io::{self, BufRead, Read};

use replenish_core::endpoint::MAX_TOKEN_BYTES;

/// The environment variable read when `--token` is absent.
pub const TOKEN_ENV: &str = "REPLENISH_TOKEN";

/// The `--token` value that means "read the first line of standard input".
pub const FROM_STDIN: &str = "-";

/// A failure to read the token.
#[derive(Debug)]
pub enum TokenError {
    /// Neither `--token` nor a non-empty `REPLENISH_TOKEN`.
    Missing,
    /// `--token -`, but the first line of standard input is empty.
    StdinEmpty,
    /// `--token -`, but standard input could not be read or is not UTF-8.
    StdinFailed(io::Error),
    /// `REPLENISH_TOKEN` is not valid Unicode.
    EnvNotUnicode,
}

/// Returns the token from the option, standard input or the environment, in that order.
///
/// `stdin` is read only for `--token -`, and only its first line, at most a few bytes more than
/// the longest token accepted, so a large input is not read into memory. `prompt` runs just before
/// that read. Surrounding spaces are kept: the session target trims them when it checks the token.
pub fn read_token(
    option: Option<&str>,
    environment: Result<String, VarError>,
    stdin: &mut dyn BufRead,
    prompt: &mut dyn FnMut(),
) -> Result<String, TokenError> {
    match option {
        Some(FROM_STDIN) => {
            prompt();
            read_first_line(stdin)
        }
        Some(token) => Ok(token.to_owned()),
        None => match environment {
            Ok(token) if !token.trim().is_empty() => Ok(token),
            Ok(_) | Err(VarError::NotPresent) => Err(TokenError::Missing),
            Err(VarError::NotUnicode(_)) => Err(TokenError::EnvNotUnicode),
        },
    }
}

fn read_first_line(stdin: &mut dyn BufRead) -> Result<String, TokenError> {
    // Room for the longest token, a CR LF and one byte more, so an over-long line still fails the
    // length check of the session target instead of being cut to a valid-looking token.
    let limit = MAX_TOKEN_BYTES as u64 + 3;
    let mut line = String::new();
    stdin
        .take(limit)
        .read_line(&mut line)
        .map_err(TokenError::StdinFailed)?;

    let token = line.trim();
    if token.is_empty() {
        return Err(TokenError::StdinEmpty);
    }
    Ok(token.to_owned())
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use super::*;

    fn read(
        option: Option<&str>,
        environment: Result<String, VarError>,
        stdin: &str,
    ) -> (Result<String, TokenError>, bool) {
        let mut prompted = false;
        let result = read_token(
            option,
            environment,
            &mut Cursor::new(stdin.as_bytes().to_vec()),
            &mut || prompted = true,
        );
        (result, prompted)
    }

    #[test]
    fn option_wins_over_environment() {
        let (token, prompted) = read(Some("from-option"), Ok("from-env".into()), "from-stdin");
        assert_eq!(token.unwrap(), "from-option");
        assert!(!prompted);
    }

    #[test]
    fn dash_reads_first_stdin_line() {
        let (token, prompted) = read(
            Some("-"),
            Ok("from-env".into()),
            "  tok+en/=&~ \r\nsecond\n",
        );
        assert_eq!(token.unwrap(), "tok+en/=&~");
        assert!(prompted);
    }

    #[test]
    fn empty_stdin_is_an_error() {
        let (token, _) = read(Some("-"), Err(VarError::NotPresent), "\nsecond\n");
        assert!(matches!(token, Err(TokenError::StdinEmpty)), "{token:?}");
    }

    #[test]
    fn environment_is_the_fallback() {
        let (token, _) = read(None, Ok("from-env".into()), "");
        assert_eq!(token.unwrap(), "from-env");
    }

    #[test]
    fn blank_environment_is_missing() {
        let (token, _) = read(None, Ok("  ".into()), "");
        assert!(matches!(token, Err(TokenError::Missing)), "{token:?}");

        let (token, _) = read(None, Err(VarError::NotPresent), "");
        assert!(matches!(token, Err(TokenError::Missing)), "{token:?}");
    }

    #[test]
    fn long_stdin_line_stays_too_long() {
        let long = "x".repeat(MAX_TOKEN_BYTES * 2);
        let (token, _) = read(Some("-"), Err(VarError::NotPresent), &long);
        assert!(token.unwrap().len() > MAX_TOKEN_BYTES);
    }
}
