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
}

const ALL: [Scenario; 12] = [
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
