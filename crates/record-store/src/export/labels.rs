//! Texts that the export writes into cells: outcomes and price units.

use i18n::Language;
use replenish_core::model::PricingUnit;

use crate::outcome::Outcome;
use crate::session::SessionId;

/// Returns the outcome as a manager reads it. A duplicate names the session that contains its
/// lines, so its empty row is not mistaken for an empty restock.
pub(crate) fn outcome_label(
    outcome: Outcome,
    duplicate_of: Option<SessionId>,
    language: Language,
) -> String {
    if let Some(existing) = duplicate_of {
        return match language {
            Language::ZhCn => format!("重复清单（见会话 {existing}）"),
            Language::En => format!("duplicate of session {existing}"),
        };
    }

    let (chinese, english) = match outcome {
        Outcome::InProgress => ("进行中", "in progress"),
        Outcome::Final => ("已完成", "completed"),
        Outcome::Failure => ("服务器拒绝", "refused by server"),
        Outcome::DoorFailed => ("开门失败", "door did not open"),
        Outcome::DoorTimedOut => ("等待开门超时", "door wait timed out"),
        Outcome::ConnectFailed => ("连接失败", "connection failed"),
        Outcome::ConnectionLost => ("连接断开", "connection lost"),
        Outcome::Cancelled => ("已取消", "cancelled"),
        Outcome::Interrupted => ("程序中断", "app stopped"),
    };
    match language {
        Language::ZhCn => chinese.to_owned(),
        Language::En => english.to_owned(),
    }
}

/// Returns the unit a line's prices are in: per piece (元/件) or per jin (元/斤, 500 g).
pub(crate) fn unit_label(unit: PricingUnit, language: Language) -> &'static str {
    match (unit, language) {
        (PricingUnit::Piece, Language::ZhCn) => "元/件",
        (PricingUnit::Jin, Language::ZhCn) => "元/斤",
        (PricingUnit::Piece, Language::En) => "yuan/piece",
        (PricingUnit::Jin, Language::En) => "yuan/jin",
    }
}
