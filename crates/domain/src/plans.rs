//! Protection plans (kế hoạch / phương án bảo vệ): their lifecycle and the fixed vocabularies of
//! their content. Storage and pages live elsewhere; what may follow what is decided here.
//!
//! The lifecycle is draft → submitted → approved (by a leader) → in effect → closed, with an
//! after-action report at closing. A leader may send a submitted plan back to draft. Approval is
//! the moment the plan becomes an official document (its number is drawn then), so nothing
//! goes back from approved: a plan that must change after approval is replaced by a new one.

use serde::{Deserialize, Serialize};

/// Where a plan is in its lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanState {
    Draft,
    Submitted,
    Approved,
    InEffect,
    Closed,
}

/// A change of state somebody asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Transition {
    /// The officer hands the draft to the leaders.
    Submit,
    /// A leader sends a submitted plan back for changes.
    Return,
    /// A leader approves; the plan is issued with its register number.
    Approve,
    /// The plan's period has begun and its forces are on duty.
    Start,
    /// The period is over; the after-action report is recorded.
    Close,
}

/// Which capability a transition needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// `plan.manage`: security officers and organisation administrators.
    Manage,
    /// `plan.approve`: leaders.
    Approve,
}

impl PlanState {
    pub const ALL: [PlanState; 5] = [
        PlanState::Draft,
        PlanState::Submitted,
        PlanState::Approved,
        PlanState::InEffect,
        PlanState::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PlanState::Draft => "draft",
            PlanState::Submitted => "submitted",
            PlanState::Approved => "approved",
            PlanState::InEffect => "in_effect",
            PlanState::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<PlanState> {
        PlanState::ALL.into_iter().find(|p| p.code() == s.trim())
    }

    /// Whether the content may still be edited.
    pub fn editable(self) -> bool {
        self == PlanState::Draft
    }

    /// Whether the plan has been issued as a document (partners may see it from then on).
    pub fn issued(self) -> bool {
        matches!(
            self,
            PlanState::Approved | PlanState::InEffect | PlanState::Closed
        )
    }

    /// The state a transition leads to from here, or `None` when it is not allowed.
    pub fn after(self, t: Transition) -> Option<PlanState> {
        use PlanState as S;
        use Transition as T;
        match (self, t) {
            (S::Draft, T::Submit) => Some(S::Submitted),
            (S::Submitted, T::Return) => Some(S::Draft),
            (S::Submitted, T::Approve) => Some(S::Approved),
            (S::Approved, T::Start) => Some(S::InEffect),
            (S::InEffect, T::Close) => Some(S::Closed),
            _ => None,
        }
    }

    /// The transitions open from here, in the order the page offers them.
    pub fn open(self) -> Vec<Transition> {
        Transition::ALL
            .into_iter()
            .filter(|t| self.after(*t).is_some())
            .collect()
    }
}

impl Transition {
    pub const ALL: [Transition; 5] = [
        Transition::Submit,
        Transition::Approve,
        Transition::Return,
        Transition::Start,
        Transition::Close,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Transition::Submit => "submit",
            Transition::Return => "return",
            Transition::Approve => "approve",
            Transition::Start => "start",
            Transition::Close => "close",
        }
    }

    pub fn parse(s: &str) -> Option<Transition> {
        Transition::ALL.into_iter().find(|t| t.code() == s.trim())
    }

    pub fn needs(self) -> Needs {
        match self {
            Transition::Approve | Transition::Return => Needs::Approve,
            _ => Needs::Manage,
        }
    }
}

/// The forces a plan deploys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ForceKind {
    /// Tiểu đội cảnh sát bảo vệ mục tiêu (a partner).
    GuardSquad,
    /// Lực lượng tự vệ cơ quan.
    SelfDefence,
    /// Lãnh đạo trực.
    Leader,
    /// Cán bộ trực.
    DutyOfficer,
    /// Đội PCCC và CNCH cơ sở.
    FireForce,
}

impl ForceKind {
    pub const ALL: [ForceKind; 5] = [
        ForceKind::GuardSquad,
        ForceKind::SelfDefence,
        ForceKind::Leader,
        ForceKind::DutyOfficer,
        ForceKind::FireForce,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ForceKind::GuardSquad => "guard_squad",
            ForceKind::SelfDefence => "self_defence",
            ForceKind::Leader => "leader",
            ForceKind::DutyOfficer => "duty_officer",
            ForceKind::FireForce => "fire_force",
        }
    }

    pub fn parse(s: &str) -> Option<ForceKind> {
        ForceKind::ALL.into_iter().find(|k| k.code() == s.trim())
    }
}

/// The situations a plan's playbooks answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Situation {
    /// Tụ tập đông người.
    Crowd,
    /// Gây rối trật tự.
    Disturbance,
    /// Cháy, nổ.
    Fire,
    /// Vật nghi là chất nổ, vật khả nghi.
    SuspiciousObject,
}

impl Situation {
    pub const ALL: [Situation; 4] = [
        Situation::Crowd,
        Situation::Disturbance,
        Situation::Fire,
        Situation::SuspiciousObject,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Situation::Crowd => "crowd",
            Situation::Disturbance => "disturbance",
            Situation::Fire => "fire",
            Situation::SuspiciousObject => "suspicious_object",
        }
    }

    pub fn parse(s: &str) -> Option<Situation> {
        Situation::ALL.into_iter().find(|k| k.code() == s.trim())
    }

    /// Vietnamese heading as printed in the document.
    pub fn heading_vi(self) -> &'static str {
        match self {
            Situation::Crowd => "Khi có tụ tập đông người trước trụ sở",
            Situation::Disturbance => "Khi có đối tượng gây rối trật tự",
            Situation::Fire => "Khi xảy ra cháy, nổ",
            Situation::SuspiciousObject => "Khi phát hiện vật khả nghi",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifecycle_goes_one_way_with_one_return() {
        use PlanState as S;
        use Transition as T;
        assert_eq!(S::Draft.after(T::Submit), Some(S::Submitted));
        assert_eq!(S::Submitted.after(T::Approve), Some(S::Approved));
        assert_eq!(S::Submitted.after(T::Return), Some(S::Draft));
        assert_eq!(S::Approved.after(T::Start), Some(S::InEffect));
        assert_eq!(S::InEffect.after(T::Close), Some(S::Closed));
        assert_eq!(S::Draft.after(T::Approve), None);
        assert_eq!(S::Approved.after(T::Return), None);
        assert_eq!(S::Closed.after(T::Start), None);
        assert!(S::Closed.open().is_empty());
        assert_eq!(S::Submitted.open(), vec![T::Approve, T::Return]);
    }

    #[test]
    fn only_approval_and_return_need_a_leader() {
        for t in Transition::ALL {
            let leader = matches!(t, Transition::Approve | Transition::Return);
            assert_eq!(t.needs() == Needs::Approve, leader, "{t:?}");
        }
    }

    #[test]
    fn codes_round_trip() {
        for s in PlanState::ALL {
            assert_eq!(PlanState::parse(s.code()), Some(s));
        }
        for k in ForceKind::ALL {
            assert_eq!(ForceKind::parse(k.code()), Some(k));
        }
        for k in Situation::ALL {
            assert_eq!(Situation::parse(k.code()), Some(k));
        }
        assert!(!PlanState::Submitted.editable());
        assert!(PlanState::Closed.issued() && !PlanState::Submitted.issued());
    }
}
