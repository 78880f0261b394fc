//! The duty-roster model: horizon, shift types, staff, requests, cover and
//! fairness terms, with typed ids and a validating builder.
//!
//! One model serves both the Curtois–Qu benchmark files and the product's
//! rosters. The product-only parts (skills, cover by skill, minimum rest,
//! fairness) are empty in a parsed benchmark file, so they cost nothing there.
//!
//! Every soft term except cover is *separable per person* (it depends on one
//! person's row only). That is deliberate: it keeps delta evaluation to one
//! row plus a few cover counters, and lets the solver re-optimise a whole
//! row by dynamic programming. Fairness is therefore expressed as a target per
//! person (the product computes each person's fair share beforehand) and as a
//! per-cell burden weighted by that person's history, rather than as a global
//! variance that would couple every row.

use crate::error::Error;

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident, $inner:ty) => {
        $(#[$doc])*
        #[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name($inner);

        impl $name {
            /// The 0-based index of this id in its model table.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

typed_id!(
    /// A shift type, by its position in [`Model::shifts`].
    ShiftId,
    u16
);
typed_id!(
    /// A person, by position in [`Model::staff`].
    StaffId,
    u16
);
typed_id!(
    /// A skill or role (leader, self-defence, …), by position in [`Model::skills`].
    SkillId,
    u8
);

/// A day of the horizon, 0-based; day 0 is a Monday.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Day(pub u16);

impl Day {
    /// The 0-based index.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// The most skills a model may declare (skills are kept as a bit set).
pub const MAX_SKILLS: usize = 64;
/// The most shift types (cells store a shift in one byte, 0 meaning off).
pub const MAX_SHIFTS: usize = 254;

/// A shift type.
#[derive(Clone, Debug)]
pub struct ShiftType {
    /// The identifier used in files and the UI.
    pub name: String,
    /// Start time in minutes after midnight, when known (needed for rest rules).
    pub start_minute: Option<u16>,
    /// Length in minutes.
    pub minutes: u32,
}

/// One person's limits and availability.
#[derive(Clone, Debug)]
pub struct Staff {
    /// The identifier used in files and the UI.
    pub name: String,
    /// Skills held, as a bit set over [`SkillId`].
    pub skills: u64,
    /// Most shifts of each type over the horizon; `None` = unbounded, `Some(0)`
    /// = may never work that type.
    pub max_per_shift: Vec<Option<u32>>,
    /// Most minutes worked over the horizon (inclusive).
    pub max_minutes: u32,
    /// Fewest minutes worked over the horizon (inclusive).
    pub min_minutes: u32,
    /// Longest run of consecutive working days.
    pub max_consecutive: u32,
    /// Shortest run of working days not touching a border of the horizon.
    pub min_consecutive: u32,
    /// Shortest run of days off not touching a border of the horizon.
    pub min_days_off: u32,
    /// Most weekends (Saturday or Sunday worked) over the horizon.
    pub max_weekends: u32,
    /// Days this person must not work (leave, days off), one flag per day.
    pub days_off: Vec<bool>,
    /// Fair share of shifts for the fairness spread term, if any.
    pub target_shifts: Option<u32>,
    /// Burden shifts (e.g. holiday nights) worked in earlier rosters.
    pub burden_history: u32,
}

impl Staff {
    /// A person with no limits other than the horizon itself; set fields to
    /// restrict. `shifts` and `horizon` size the per-type and per-day tables.
    pub fn new(name: impl Into<String>, shifts: usize, horizon: usize) -> Self {
        Staff {
            name: name.into(),
            skills: 0,
            max_per_shift: vec![None; shifts],
            max_minutes: u32::MAX,
            min_minutes: 0,
            max_consecutive: u32::MAX,
            min_consecutive: 0,
            min_days_off: 0,
            max_weekends: u32::MAX,
            days_off: vec![false; horizon],
            target_shifts: None,
            burden_history: 0,
        }
    }

    /// Whether this person may ever work shift type `s`.
    pub fn eligible(&self, s: ShiftId) -> bool {
        self.max_per_shift[s.index()] != Some(0)
    }

    /// Whether this person holds skill `k`.
    pub fn has_skill(&self, k: SkillId) -> bool {
        self.skills & (1u64 << k.index()) != 0
    }
}

/// Whether a request asks for a shift or asks to be spared it.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum RequestKind {
    /// The person would like to work exactly this shift on this day.
    On,
    /// The person would like not to work this shift on this day.
    Off,
}

/// A weighted shift-on or shift-off request.
#[derive(Copy, Clone, Debug)]
pub struct Request {
    /// Who asks.
    pub staff: StaffId,
    /// For which day.
    pub day: Day,
    /// For which shift type.
    pub shift: ShiftId,
    /// Penalty when not honoured.
    pub weight: u32,
    /// On or off.
    pub kind: RequestKind,
}

/// A cover target for one day and shift type, optionally counting only the
/// holders of one skill (e.g. "at least one leader on the night shift").
#[derive(Copy, Clone, Debug)]
pub struct Cover {
    /// The day.
    pub day: Day,
    /// The shift type.
    pub shift: ShiftId,
    /// Count only people with this skill; `None` counts everyone.
    pub skill: Option<SkillId>,
    /// Target head count.
    pub target: u32,
    /// Penalty per person below the target.
    pub under: u32,
    /// Penalty per person above the target.
    pub over: u32,
}

/// A cell that weighs on whoever works it (a holiday night): cost
/// `weight × (1 + that person's burden history)`.
#[derive(Copy, Clone, Debug)]
pub struct Burden {
    /// The day.
    pub day: Day,
    /// The shift type.
    pub shift: ShiftId,
    /// Base weight.
    pub weight: u32,
}

/// A validated roster problem. Build it with [`ModelBuilder`] or
/// [`crate::parse::parse_instance`].
#[derive(Clone, Debug)]
pub struct Model {
    pub(crate) horizon: usize,
    pub(crate) shifts: Vec<ShiftType>,
    /// `forbidden[a * S + b]`: shift `b` may not follow shift `a` the next day.
    pub(crate) forbidden: Vec<bool>,
    pub(crate) skills: Vec<String>,
    pub(crate) staff: Vec<Staff>,
    pub(crate) requests: Vec<Request>,
    pub(crate) covers: Vec<Cover>,
    pub(crate) burdens: Vec<Burden>,
    /// Penalty per shift of distance between a person's shift count and target.
    pub(crate) spread_weight: u32,
}

impl Model {
    /// Number of days.
    pub fn horizon(&self) -> usize {
        self.horizon
    }
    /// Shift types in declaration order.
    pub fn shifts(&self) -> &[ShiftType] {
        &self.shifts
    }
    /// Skill names.
    pub fn skills(&self) -> &[String] {
        &self.skills
    }
    /// Staff in declaration order.
    pub fn staff(&self) -> &[Staff] {
        &self.staff
    }
    /// Shift-on and shift-off requests.
    pub fn requests(&self) -> &[Request] {
        &self.requests
    }
    /// Cover targets.
    pub fn covers(&self) -> &[Cover] {
        &self.covers
    }
    /// Burden cells (fairness).
    pub fn burdens(&self) -> &[Burden] {
        &self.burdens
    }
    /// Weight of the fairness spread term.
    pub fn spread_weight(&self) -> u32 {
        self.spread_weight
    }
    /// Whether shift `next` may not be worked the day after shift `prev`.
    pub fn is_forbidden(&self, prev: ShiftId, next: ShiftId) -> bool {
        self.forbidden[prev.index() * self.shifts.len() + next.index()]
    }
    /// Looks a shift type up by name.
    pub fn shift_by_name(&self, name: &str) -> Option<ShiftId> {
        self.shifts
            .iter()
            .position(|s| s.name == name)
            .map(|i| ShiftId(i as u16))
    }
    /// Looks a person up by name.
    pub fn staff_by_name(&self, name: &str) -> Option<StaffId> {
        self.staff
            .iter()
            .position(|s| s.name == name)
            .map(|i| StaffId(i as u16))
    }
    /// The id of the `i`-th shift type.
    pub fn shift_id(&self, i: usize) -> ShiftId {
        ShiftId(i as u16)
    }
    /// The id of the `i`-th person.
    pub fn staff_id(&self, i: usize) -> StaffId {
        StaffId(i as u16)
    }
}

/// Builds a [`Model`] step by step; [`ModelBuilder::build`] validates it.
#[derive(Clone, Debug)]
pub struct ModelBuilder {
    model: Model,
    min_rest: Option<u32>,
}

impl ModelBuilder {
    /// An empty problem over `horizon` days.
    pub fn new(horizon: usize) -> Self {
        ModelBuilder {
            model: Model {
                horizon,
                shifts: Vec::new(),
                forbidden: Vec::new(),
                skills: Vec::new(),
                staff: Vec::new(),
                requests: Vec::new(),
                covers: Vec::new(),
                burdens: Vec::new(),
                spread_weight: 0,
            },
            min_rest: None,
        }
    }

    /// Adds a shift type. Add all shift types before staff.
    pub fn shift(
        &mut self,
        name: &str,
        start_minute: Option<u16>,
        minutes: u32,
    ) -> Result<ShiftId, Error> {
        if self.model.shift_by_name(name).is_some() {
            return Err(Error::Model(format!("shift type {name} declared twice")));
        }
        if self.model.shifts.len() >= MAX_SHIFTS {
            return Err(Error::Model(format!("more than {MAX_SHIFTS} shift types")));
        }
        if !self.model.staff.is_empty() {
            return Err(Error::Model(format!("shift type {name} added after staff")));
        }
        self.model.shifts.push(ShiftType {
            name: name.to_string(),
            start_minute,
            minutes,
        });
        Ok(ShiftId(self.model.shifts.len() as u16 - 1))
    }

    /// Forbids shift `next` on the day after shift `prev`.
    pub fn forbid(&mut self, prev: ShiftId, next: ShiftId) {
        let n = self.model.shifts.len();
        if self.model.forbidden.len() != n * n {
            self.resize_forbidden();
        }
        self.model.forbidden[prev.index() * n + next.index()] = true;
    }

    fn resize_forbidden(&mut self) {
        let n = self.model.shifts.len();
        let old_n = (self.model.forbidden.len() as f64).sqrt() as usize;
        let mut table = vec![false; n * n];
        for a in 0..old_n {
            for b in 0..old_n {
                table[a * n + b] = self.model.forbidden[a * old_n + b];
            }
        }
        self.model.forbidden = table;
    }

    /// Requires at least `minutes` of rest between the end of one shift and
    /// the start of the next day's shift; needs start times on all shifts.
    pub fn min_rest(&mut self, minutes: u32) {
        self.min_rest = Some(minutes);
    }

    /// Declares a skill.
    pub fn skill(&mut self, name: &str) -> Result<SkillId, Error> {
        if self.model.skills.iter().any(|s| s == name) {
            return Err(Error::Model(format!("skill {name} declared twice")));
        }
        if self.model.skills.len() >= MAX_SKILLS {
            return Err(Error::Model(format!("more than {MAX_SKILLS} skills")));
        }
        self.model.skills.push(name.to_string());
        Ok(SkillId(self.model.skills.len() as u8 - 1))
    }

    /// A fresh [`Staff`] sized for this model, to fill in and pass to [`Self::staff`].
    pub fn new_staff(&self, name: &str) -> Staff {
        Staff::new(name, self.model.shifts.len(), self.model.horizon)
    }

    /// Adds a person.
    pub fn staff(&mut self, staff: Staff) -> Result<StaffId, Error> {
        if self.model.staff_by_name(&staff.name).is_some() {
            return Err(Error::Model(format!(
                "person {} declared twice",
                staff.name
            )));
        }
        if self.model.staff.len() >= u16::MAX as usize {
            return Err(Error::Model("too many staff".into()));
        }
        self.model.staff.push(staff);
        Ok(StaffId(self.model.staff.len() as u16 - 1))
    }

    /// Mutable access to a person already added (e.g. to add days off).
    pub fn staff_mut(&mut self, id: StaffId) -> &mut Staff {
        &mut self.model.staff[id.index()]
    }

    /// Looks a shift type up by name.
    pub fn shift_by_name(&self, name: &str) -> Option<ShiftId> {
        self.model.shift_by_name(name)
    }

    /// Looks a person up by name.
    pub fn staff_by_name(&self, name: &str) -> Option<StaffId> {
        self.model.staff_by_name(name)
    }

    /// Adds a request.
    pub fn request(&mut self, request: Request) {
        self.model.requests.push(request);
    }

    /// Adds a cover target.
    pub fn cover(&mut self, cover: Cover) {
        self.model.covers.push(cover);
    }

    /// Adds a burden cell.
    pub fn burden(&mut self, burden: Burden) {
        self.model.burdens.push(burden);
    }

    /// Sets the weight of the fairness spread term.
    pub fn spread_weight(&mut self, weight: u32) {
        self.model.spread_weight = weight;
    }

    /// Validates and returns the model.
    pub fn build(mut self) -> Result<Model, Error> {
        let n = self.model.shifts.len();
        if self.model.forbidden.len() != n * n {
            self.resize_forbidden();
        }
        if let Some(rest) = self.min_rest {
            self.apply_min_rest(rest)?;
        }
        validate(&self.model)?;
        Ok(self.model)
    }

    fn apply_min_rest(&mut self, rest: u32) -> Result<(), Error> {
        let n = self.model.shifts.len();
        for a in 0..n {
            for b in 0..n {
                let (sa, sb) = (&self.model.shifts[a], &self.model.shifts[b]);
                let (Some(start_a), Some(start_b)) = (sa.start_minute, sb.start_minute) else {
                    return Err(Error::Model(format!(
                        "minimum rest needs start times, shift {} has none",
                        if sa.start_minute.is_none() {
                            &sa.name
                        } else {
                            &sb.name
                        }
                    )));
                };
                let end_a = i64::from(start_a) + i64::from(sa.minutes);
                let gap = 1440 + i64::from(start_b) - end_a;
                if gap < i64::from(rest) {
                    self.model.forbidden[a * n + b] = true;
                }
            }
        }
        Ok(())
    }
}

fn validate(m: &Model) -> Result<(), Error> {
    let h = m.horizon;
    if h == 0 || h > u16::MAX as usize {
        return Err(Error::Model(format!("horizon of {h} days")));
    }
    if m.shifts.is_empty() {
        return Err(Error::Model("no shift types".into()));
    }
    if m.staff.is_empty() {
        return Err(Error::Model("no staff".into()));
    }
    let n = m.shifts.len();
    for p in &m.staff {
        if p.max_per_shift.len() != n || p.days_off.len() != h {
            return Err(Error::Model(format!(
                "person {} sized for another model",
                p.name
            )));
        }
        if p.min_minutes > p.max_minutes {
            return Err(Error::Model(format!(
                "person {}: minimum minutes {} above maximum {}",
                p.name, p.min_minutes, p.max_minutes
            )));
        }
        if m.skills.len() < MAX_SKILLS && p.skills >> m.skills.len() != 0 {
            return Err(Error::Model(format!(
                "person {} holds an undeclared skill",
                p.name
            )));
        }
    }
    for s in 0..n {
        let id = ShiftId(s as u16);
        if !m.staff.iter().any(|p| p.eligible(id)) {
            return Err(Error::Model(format!(
                "shift type {} cannot be worked by anybody (every limit is 0)",
                m.shifts[s].name
            )));
        }
    }
    for r in &m.requests {
        check_cell(m, r.staff.index(), r.day, r.shift, "request")?;
    }
    for c in &m.covers {
        if c.day.index() >= h || c.shift.index() >= n {
            return Err(Error::Model(format!(
                "cover on day {} out of range",
                c.day.0
            )));
        }
        if let Some(k) = c.skill
            && k.index() >= m.skills.len()
        {
            return Err(Error::Model("cover by an undeclared skill".into()));
        }
        if c.target > 0 {
            let able = m.staff.iter().any(|p| {
                p.eligible(c.shift)
                    && !p.days_off[c.day.index()]
                    && c.skill.is_none_or(|k| p.has_skill(k))
            });
            if !able {
                let who = c.skill.map_or(String::new(), |k| {
                    format!(" with skill {}", m.skills[k.index()])
                });
                return Err(Error::Model(format!(
                    "cover of {} on day {} for shift {} cannot be met: nobody{who} can work it",
                    c.target,
                    c.day.0,
                    m.shifts[c.shift.index()].name
                )));
            }
        }
    }
    for b in &m.burdens {
        if b.day.index() >= h || b.shift.index() >= n {
            return Err(Error::Model(format!(
                "burden on day {} out of range",
                b.day.0
            )));
        }
    }
    Ok(())
}

fn check_cell(m: &Model, staff: usize, day: Day, shift: ShiftId, what: &str) -> Result<(), Error> {
    if staff >= m.staff.len() || day.index() >= m.horizon || shift.index() >= m.shifts.len() {
        return Err(Error::Model(format!(
            "{what} refers to a cell outside the model"
        )));
    }
    Ok(())
}

/// Builds typed ids from raw indices; used by the parser and tests.
pub(crate) fn shift_id(i: usize) -> ShiftId {
    ShiftId(i as u16)
}
