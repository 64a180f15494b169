use std::fmt;
use std::str::FromStr;

use crate::error::ParseScenarioError;

/// Frame sequence the simulator plays on every accepted WebSocket.
///
/// `door_delay` and `door_open_for` of [`crate::SimConfig`] set the pauses: the door frame
/// comes `door_delay` after the handshake, and the final list `door_open_for` after the door
/// frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scenario {
    /// Door opened, then the contract's example list of three drinks (record 33116).
    ThreeDrinks,
    /// Door frame with `success` "false"; no final list follows.
    DoorFailed,
    /// Door opened, then a final frame with an empty list and no `recordId`.
    Empty,
    /// Failure frame "操作失败" at once, without a door frame.
    FailureOperationFailed,
    /// Failure frame "有人正在购物" at once, without a door frame.
    FailureSomeoneShopping,
    /// Failure frame "该设备已处于补货状态" at once, without a door frame.
    FailureAlreadyReplenishing,
    /// Door opened, then 600 lines over 6 cabinets with a `recordId` above 2^53.
    Large,
    /// Door opened, then silence for `door_open_for` while the simulator replies to pings,
    /// then the three-drinks list.
    DoorHeld,
    /// Door opened, then the TCP connection is dropped after `door_open_for` without a Close
    /// frame.
    DropBeforeFinal,
    /// Door opened, then frames that are not valid messages, then the three-drinks list.
    MalformedFrames,
    /// Door opened, then a list whose pictures are broken in different ways.
    BrokenImages,
    /// Like three-drinks, but one product's name and category contain HTML markup.
    HtmlName,
    /// First connection: door opened, then Close 1011 (internal error) after `door_open_for`.
    /// Every later connection plays three-drinks.
    DropOnce1011,
    /// First connection: door opened, then a TCP reset (RST, no Close frame) after
    /// `door_open_for`. Every later connection plays three-drinks.
    ResetOnce,
    /// Every connection: door opened, then Close 1008 (policy violation) after `door_open_for`.
    Close1008Always,
    /// The handshake completes, then nothing is sent; pings get their Pong.
    Silent,
    /// Door opened, then the simulator stops reading the socket, so pings go unanswered.
    SilentNoPong,
    /// The handshake gets 302 Found to another host, never with 101.
    Redirect,
    /// Door opened, a text frame whose bytes are not UTF-8, then the three drinks.
    InvalidUtf8,
    /// Door opened, binary frames (one contains a valid empty final list), then the three drinks.
    BinaryFrames,
    /// Door opened, one 100 MiB text message, then the three drinks.
    HugeFrame,
    /// Door opened, JSON nested 100 000 levels deep, then the three drinks.
    DeepNesting,
    /// 10 000 frames of an unknown type or malformed, sent at once, then door and the three
    /// drinks.
    Flood,
    /// Door opened, then the three drinks with a product name of 10 000 characters.
    LongNames,
    /// Door opened, then the three drinks named with control and invisible characters.
    ControlChars,
    /// Door opened, then a final list with quantities such as 1e9 and -5 and prices such as
    /// "NaN" and "Infinity".
    AbsurdNumbers,
}

const ALL: [Scenario; 26] = [
    Scenario::ThreeDrinks,
    Scenario::DoorFailed,
    Scenario::Empty,
    Scenario::FailureOperationFailed,
    Scenario::FailureSomeoneShopping,
    Scenario::FailureAlreadyReplenishing,
    Scenario::Large,
    Scenario::DoorHeld,
    Scenario::DropBeforeFinal,
    Scenario::MalformedFrames,
    Scenario::BrokenImages,
    Scenario::HtmlName,
    Scenario::DropOnce1011,
    Scenario::ResetOnce,
    Scenario::Close1008Always,
    Scenario::Silent,
    Scenario::SilentNoPong,
    Scenario::Redirect,
    Scenario::InvalidUtf8,
    Scenario::BinaryFrames,
    Scenario::HugeFrame,
    Scenario::DeepNesting,
    Scenario::Flood,
    Scenario::LongNames,
    Scenario::ControlChars,
    Scenario::AbsurdNumbers,
];

impl Scenario {
    /// Returns the kebab-case name used on the command line, e.g. `three-drinks`.
    pub fn name(&self) -> &'static str {
        match self {
            Scenario::ThreeDrinks => "three-drinks",
            Scenario::DoorFailed => "door-failed",
            Scenario::Empty => "empty",
            Scenario::FailureOperationFailed => "failure-operation-failed",
            Scenario::FailureSomeoneShopping => "failure-someone-shopping",
            Scenario::FailureAlreadyReplenishing => "failure-already-replenishing",
            Scenario::Large => "large",
            Scenario::DoorHeld => "door-held",
            Scenario::DropBeforeFinal => "drop-before-final",
            Scenario::MalformedFrames => "malformed-frames",
            Scenario::BrokenImages => "broken-images",
            Scenario::HtmlName => "html-name",
            Scenario::DropOnce1011 => "drop-once-1011",
            Scenario::ResetOnce => "reset-once",
            Scenario::Close1008Always => "close-1008-always",
            Scenario::Silent => "silent",
            Scenario::SilentNoPong => "silent-no-pong",
            Scenario::Redirect => "redirect",
            Scenario::InvalidUtf8 => "invalid-utf8",
            Scenario::BinaryFrames => "binary-frames",
            Scenario::HugeFrame => "huge-frame",
            Scenario::DeepNesting => "deep-nesting",
            Scenario::Flood => "flood",
            Scenario::LongNames => "long-names",
            Scenario::ControlChars => "control-chars",
            Scenario::AbsurdNumbers => "absurd-numbers",
        }
    }

    /// Returns every scenario, in the order of the command-line list.
    pub fn all() -> &'static [Scenario] {
        &ALL
    }

    /// Returns a one-line description of the scenario's frames, for `--list-scenarios`.
    pub fn description(&self) -> &'static str {
        match self {
            Scenario::ThreeDrinks => "door opened, then the example final list of three drinks",
            Scenario::DoorFailed => "door did not open (success \"false\")",
            Scenario::Empty => "door opened, then a final list with no lines",
            Scenario::FailureOperationFailed => "failure \"操作失败\" (operation failed) at once",
            Scenario::FailureSomeoneShopping => {
                "failure \"有人正在购物\" (someone is shopping) at once"
            }
            Scenario::FailureAlreadyReplenishing => {
                "failure \"该设备已处于补货状态\" (already replenishing) at once"
            }
            Scenario::Large => "door opened, then 600 lines over 6 cabinets sharing 60 pictures",
            Scenario::DoorHeld => {
                "door opened, silence for the door-open time, then the three drinks"
            }
            Scenario::DropBeforeFinal => "door opened, then the TCP connection drops",
            Scenario::MalformedFrames => "door opened, invalid frames, then the three drinks",
            Scenario::BrokenImages => "door opened, then lines whose pictures are broken",
            Scenario::HtmlName => "three drinks, one named with HTML markup",
            Scenario::DropOnce1011 => {
                "first connection: door opened, then Close 1011; later ones: three drinks"
            }
            Scenario::ResetOnce => {
                "first connection: door opened, then a TCP reset; later ones: three drinks"
            }
            Scenario::Close1008Always => "every connection: door opened, then Close 1008",
            Scenario::Silent => "handshake, then nothing; pings are answered",
            Scenario::SilentNoPong => "door opened, then pings go unanswered (dead peer)",
            Scenario::Redirect => "handshake answered with 302 Found to another host",
            Scenario::InvalidUtf8 => "door opened, a text frame that is not UTF-8, three drinks",
            Scenario::BinaryFrames => "door opened, binary frames, then the three drinks",
            Scenario::HugeFrame => "door opened, one 100 MiB text message, three drinks",
            Scenario::DeepNesting => "door opened, JSON nested 100000 deep, three drinks",
            Scenario::Flood => "10000 invalid frames at once, then door and three drinks",
            Scenario::LongNames => "door opened, three drinks, one name 10000 characters long",
            Scenario::ControlChars => {
                "door opened, three drinks named with NUL, U+202E and zero-width characters"
            }
            Scenario::AbsurdNumbers => {
                "door opened, a list with quantities like 1e9 and -5 and prices like \"NaN\""
            }
        }
    }

    fn valid_names() -> String {
        ALL.iter()
            .map(Scenario::name)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl fmt::Display for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Scenario {
    type Err = ParseScenarioError;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        ALL.iter()
            .copied()
            .find(|scenario| scenario.name() == name)
            .ok_or_else(|| ParseScenarioError {
                name: name.to_owned(),
                valid: Scenario::valid_names(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for scenario in Scenario::all() {
            assert_eq!(scenario.name().parse::<Scenario>(), Ok(*scenario));
        }
    }

    #[test]
    fn unknown_name_lists_valid_names() {
        let error = "three_drinks".parse::<Scenario>().unwrap_err();
        let message = error.to_string();

        assert!(message.contains("\"three_drinks\""), "{message}");
        for scenario in Scenario::all() {
            assert!(message.contains(scenario.name()), "{message}");
        }
    }
}
