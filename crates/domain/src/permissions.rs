//! Roles and what each may do. The matrix below is the single source: the scope extractor
//! reads it, `docs/PERMISSIONS.md` is checked against it by a test, and the web tests walk it
//! action by action.
//!
//! A role is always granted on a unit subtree; the matrix says which actions the role allows,
//! the grant says where.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Quản trị hệ thống: accounts, roles, configuration everywhere.
    Admin,
    /// Cán bộ Công an tỉnh: reads across the province, changes nothing.
    Overseer,
    /// Quản trị đơn vị: manages units, people and accounts of one organisation.
    OrgAdmin,
    /// Lãnh đạo: watches and approves.
    Leader,
    /// Cán bộ phụ trách công tác bảo vệ, ANTT: runs the day-to-day work.
    SecurityOfficer,
    /// Cấp ủy: the Party committee's view.
    PartyCommittee,
    /// Cán bộ, công chức, viên chức, người lao động.
    Staff,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Admin,
        Role::Overseer,
        Role::OrgAdmin,
        Role::Leader,
        Role::SecurityOfficer,
        Role::PartyCommittee,
        Role::Staff,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Overseer => "overseer",
            Role::OrgAdmin => "org_admin",
            Role::Leader => "leader",
            Role::SecurityOfficer => "security_officer",
            Role::PartyCommittee => "party_committee",
            Role::Staff => "staff",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == s.trim())
    }

    pub fn label_key(self) -> String {
        format!("role.{}", self.code())
    }

    /// Administrators and overseers must use a second factor: they reach the most data.
    pub fn requires_second_factor(self) -> bool {
        matches!(self, Role::Admin | Role::Overseer)
    }

    /// Whether a holder of `self` may grant `other` (always only inside their own subtree).
    pub fn may_grant(self, other: Role) -> bool {
        match self {
            Role::Admin => true,
            Role::OrgAdmin => !matches!(other, Role::Admin | Role::Overseer),
            _ => false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    UnitView,
    UnitManage,
    PersonView,
    PersonManage,
    PersonImport,
    PersonExport,
    PartnerView,
    PartnerManage,
    AccountView,
    AccountManage,
    AuditView,
    ModelView,
    ModelManage,
    NewsView,
    NewsManage,
    DirectiveView,
    DirectiveManage,
    CampaignView,
    CampaignManage,
    RosterView,
    RosterManage,
    PlanView,
    PlanManage,
    PlanApprove,
}

impl Action {
    pub const ALL: [Action; 24] = [
        Action::UnitView,
        Action::UnitManage,
        Action::PersonView,
        Action::PersonManage,
        Action::PersonImport,
        Action::PersonExport,
        Action::PartnerView,
        Action::PartnerManage,
        Action::AccountView,
        Action::AccountManage,
        Action::AuditView,
        Action::ModelView,
        Action::ModelManage,
        Action::NewsView,
        Action::NewsManage,
        Action::DirectiveView,
        Action::DirectiveManage,
        Action::CampaignView,
        Action::CampaignManage,
        Action::RosterView,
        Action::RosterManage,
        Action::PlanView,
        Action::PlanManage,
        Action::PlanApprove,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Action::UnitView => "unit.view",
            Action::UnitManage => "unit.manage",
            Action::PersonView => "person.view",
            Action::PersonManage => "person.manage",
            Action::PersonImport => "person.import",
            Action::PersonExport => "person.export",
            Action::PartnerView => "partner.view",
            Action::PartnerManage => "partner.manage",
            Action::AccountView => "account.view",
            Action::AccountManage => "account.manage",
            Action::AuditView => "audit.view",
            Action::ModelView => "model.view",
            Action::ModelManage => "model.manage",
            Action::NewsView => "news.view",
            Action::NewsManage => "news.manage",
            Action::DirectiveView => "directive.view",
            Action::DirectiveManage => "directive.manage",
            Action::CampaignView => "campaign.view",
            Action::CampaignManage => "campaign.manage",
            Action::RosterView => "roster.view",
            Action::RosterManage => "roster.manage",
            Action::PlanView => "plan.view",
            Action::PlanManage => "plan.manage",
            Action::PlanApprove => "plan.approve",
        }
    }
}

use Action as A;
use Role as R;

/// Role × action. Read top to bottom: the roles that may perform each action on their subtree.
pub const MATRIX: &[(Action, &[Role])] = &[
    (
        A::UnitView,
        &[
            R::Admin,
            R::Overseer,
            R::OrgAdmin,
            R::Leader,
            R::SecurityOfficer,
            R::PartyCommittee,
            R::Staff,
        ],
    ),
    (A::UnitManage, &[R::Admin, R::OrgAdmin]),
    (
        A::PersonView,
        &[
            R::Admin,
            R::Overseer,
            R::OrgAdmin,
            R::Leader,
            R::SecurityOfficer,
            R::PartyCommittee,
        ],
    ),
    (
        A::PersonManage,
        &[R::Admin, R::OrgAdmin, R::SecurityOfficer],
    ),
    (
        A::PersonImport,
        &[R::Admin, R::OrgAdmin, R::SecurityOfficer],
    ),
    (
        A::PersonExport,
        &[
            R::Admin,
            R::Overseer,
            R::OrgAdmin,
            R::Leader,
            R::SecurityOfficer,
        ],
    ),
    (
        A::PartnerView,
        &[
            R::Admin,
            R::Overseer,
            R::OrgAdmin,
            R::Leader,
            R::SecurityOfficer,
            R::PartyCommittee,
        ],
    ),
    (
        A::PartnerManage,
        &[R::Admin, R::OrgAdmin, R::SecurityOfficer],
    ),
    (A::AccountView, &[R::Admin, R::OrgAdmin]),
    (A::AccountManage, &[R::Admin, R::OrgAdmin]),
    (A::AuditView, &[R::Admin, R::Overseer, R::OrgAdmin]),
    (
        A::ModelView,
        &[
            R::Admin,
            R::Overseer,
            R::OrgAdmin,
            R::Leader,
            R::SecurityOfficer,
            R::PartyCommittee,
        ],
    ),
    (A::ModelManage, &[R::Admin, R::Leader, R::SecurityOfficer]),
    (
        A::NewsView,
        &[
            R::Admin,
            R::Overseer,
            R::OrgAdmin,
            R::Leader,
            R::SecurityOfficer,
            R::PartyCommittee,
            R::Staff,
        ],
    ),
    (A::NewsManage, &[R::Admin, R::OrgAdmin, R::SecurityOfficer]),
    // The library is read by everyone who watches the work; staff read the documents put
    // before them through their own campaigns, not the whole library.
    (
        A::DirectiveView,
        &[
            R::Admin,
            R::Overseer,
            R::OrgAdmin,
            R::Leader,
            R::SecurityOfficer,
            R::PartyCommittee,
        ],
    ),
    (
        A::DirectiveManage,
        &[R::Admin, R::OrgAdmin, R::SecurityOfficer],
    ),
    // Coverage figures and the lists of who has not signed or acknowledged.
    (
        A::CampaignView,
        &[
            R::Admin,
            R::Overseer,
            R::OrgAdmin,
            R::Leader,
            R::SecurityOfficer,
            R::PartyCommittee,
        ],
    ),
    // Launching and closing campaigns, recording paper copies and meeting briefings.
    (
        A::CampaignManage,
        &[R::Admin, R::OrgAdmin, R::SecurityOfficer],
    ),
    // Whole duty rosters with everyone's cells, setup and swap requests. A person's own duties
    // need no action: any account linked to a person sees that person's published shifts.
    (
        A::RosterView,
        &[
            R::Admin,
            R::Overseer,
            R::OrgAdmin,
            R::Leader,
            R::SecurityOfficer,
            R::PartyCommittee,
        ],
    ),
    // Building, solving, editing and publishing rosters; approving swaps.
    (
        A::RosterManage,
        &[R::Admin, R::OrgAdmin, R::SecurityOfficer],
    ),
    // Protection plans, peak periods and their lead times. Staff see their own duties through
    // rosters, not the plans; partners reach the plans naming them through their partner
    // account, not through a role.
    (
        A::PlanView,
        &[
            R::Admin,
            R::Overseer,
            R::OrgAdmin,
            R::Leader,
            R::SecurityOfficer,
            R::PartyCommittee,
        ],
    ),
    // Drafting, submitting, putting in effect and closing with the after-action report.
    (A::PlanManage, &[R::Admin, R::OrgAdmin, R::SecurityOfficer]),
    // Approval (and sending back) is the leader's alone: the plan is issued in their name.
    (A::PlanApprove, &[R::Leader]),
];

/// Whether `role` allows `action` anywhere it is granted.
pub fn allows(role: Role, action: Action) -> bool {
    MATRIX
        .iter()
        .any(|(a, roles)| *a == action && roles.contains(&role))
}

/// The matrix as the Markdown table kept in `docs/PERMISSIONS.md`.
pub fn matrix_markdown() -> String {
    let mut s = String::from("| action |");
    for r in Role::ALL {
        s.push_str(&format!(" {} |", r.code()));
    }
    s.push_str("\n|---|");
    for _ in Role::ALL {
        s.push_str("---|");
    }
    s.push('\n');
    for a in Action::ALL {
        s.push_str(&format!("| {} |", a.code()));
        for r in Role::ALL {
            s.push_str(if allows(r, a) { " ✓ |" } else { " · |" });
        }
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_is_in_the_matrix_once() {
        for a in Action::ALL {
            assert_eq!(MATRIX.iter().filter(|(x, _)| *x == a).count(), 1, "{a:?}");
        }
    }

    #[test]
    fn overseer_only_reads() {
        for a in [
            A::UnitManage,
            A::PersonManage,
            A::PersonImport,
            A::PartnerManage,
            A::AccountManage,
            A::ModelManage,
            A::NewsManage,
            A::DirectiveManage,
            A::CampaignManage,
            A::RosterManage,
            A::PlanManage,
            A::PlanApprove,
        ] {
            assert!(!allows(R::Overseer, a), "{a:?}");
        }
        assert!(allows(R::Overseer, A::PersonView));
    }

    #[test]
    fn staff_reads_units_and_news_only() {
        let staff: Vec<_> = Action::ALL
            .into_iter()
            .filter(|a| allows(R::Staff, *a))
            .collect();
        assert_eq!(staff, vec![A::UnitView, A::NewsView]);
    }

    #[test]
    fn only_leaders_approve_plans() {
        let approvers: Vec<_> = Role::ALL
            .into_iter()
            .filter(|r| allows(*r, A::PlanApprove))
            .collect();
        assert_eq!(approvers, vec![R::Leader]);
        assert!(!allows(R::Staff, A::PlanView));
    }

    #[test]
    fn grant_rules() {
        assert!(R::Admin.may_grant(R::Overseer));
        assert!(R::OrgAdmin.may_grant(R::SecurityOfficer));
        assert!(!R::OrgAdmin.may_grant(R::Admin));
        assert!(!R::SecurityOfficer.may_grant(R::Staff));
    }

    #[test]
    fn documented_matrix_matches_code() {
        let doc = include_str!("../../../docs/PERMISSIONS.md");
        assert!(
            doc.contains(&matrix_markdown()),
            "docs/PERMISSIONS.md is stale; its table must be:\n{}",
            matrix_markdown()
        );
    }
}
