//! Long because one type, `Account`, keeps the account's invariants in one
//! place; its writes are already split into `state/`.
//!
//! The account itself: members, groups, settings and the effect log, with
//! every rule of backend/API.md. Pure data and logic: no HTTP, no locking
//! (the server keeps one [`Account`] behind one mutex).
//!
//! Writes live in `state/members.rs` and `state/groups.rs`, and run through
//! `state/log.rs`, which keeps the effect log. Each one:
//! - answers `provisioning_disabled` first when provisioning is off;
//! - checks everything before it changes anything, so a refusal changes
//!   nothing and logs exactly one `refused` effect;
//! - answers [`Applied`] with `changed: false` and logs nothing for a no-op;
//! - otherwise bumps `version`/`updated_at` of what it changed and logs at
//!   most one effect, reading the clock once.

mod groups;
pub(crate) mod log;
mod members;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::clock::Clock;
use crate::domains;
use crate::ids::IdGenerator;
use crate::model::{
    AccountSettings, AccountSnapshot, BuiltinGroup, ErrorBody, Group, GroupId, Member, MemberId,
    MemberKind, Page, Refusal, SettingsUpdate,
};
use crate::seed::AccountSeed;

/// The fake 1Password account.
pub struct Account {
    settings: AccountSettings,
    /// In creation order; deleting shifts the later ones (deletes are rare:
    /// 1Password's bridge never deletes). Shared with the snapshots taken
    /// since the last write ([`Account::members_mut`] copies on write).
    members: Arc<Vec<Member>>,
    member_pos: HashMap<MemberId, usize>,
    /// Positions in `members` of the members, then of the guests, in
    /// creation order: a page of one kind is read without a scan (members
    /// never change kind; a delete, rare, indexes them again).
    kind_positions: [Vec<usize>; 2],
    /// Lower-cased `email` and `pending_email` of every member.
    by_email: HashMap<String, MemberId>,
    by_external_id: HashMap<String, Vec<MemberId>>,
    /// In creation order, built-in groups first.
    groups: Vec<GroupEntry>,
    group_pos: HashMap<GroupId, usize>,
    effects: log::EffectLog,
    clock: Arc<dyn Clock>,
    ids: IdGenerator,
}

/// A group and the set of its member ids, for O(1) membership tests.
struct GroupEntry {
    group: Group,
    member_set: HashSet<MemberId>,
}

/// The account at one moment, borrowed: serializes exactly like
/// [`AccountSnapshot`] without copying the account first.
#[derive(Serialize)]
pub(crate) struct SnapshotRef<'a> {
    settings: &'a AccountSettings,
    members: &'a [Member],
    groups: Vec<&'a Group>,
}

impl Account {
    /// The account a seed describes, with the built-in groups (Owners,
    /// Administrators, Team Members, Security, Provision Managers, all
    /// unmanaged) and an empty effect log. Every seeded object is created at
    /// the clock's first reading.
    pub fn new(seed: &AccountSeed, clock: Arc<dyn Clock>, ids: IdGenerator) -> Account {
        let now = clock.now();
        let mut account = Account {
            settings: seed.settings().clone(),
            members: Arc::new(Vec::with_capacity(seed.members().len())),
            member_pos: HashMap::with_capacity(seed.members().len()),
            kind_positions: [Vec::with_capacity(seed.members().len()), Vec::new()],
            by_email: HashMap::with_capacity(seed.members().len()),
            by_external_id: HashMap::new(),
            groups: Vec::new(),
            group_pos: HashMap::new(),
            effects: log::EffectLog::default(),
            clock,
            ids,
        };
        for builtin in BuiltinGroup::ALL {
            account.insert_group(builtin.name(), false, Some(builtin), None, now);
        }
        for group in seed.groups() {
            account.insert_group(&group.name, group.managed, None, None, now);
        }
        let by_name: HashMap<String, usize> = account
            .groups
            .iter()
            .enumerate()
            .filter(|(_, e)| e.group.builtin != Some(BuiltinGroup::TeamMembers))
            .map(|(position, e)| (e.group.name.to_ascii_lowercase(), position))
            .collect();
        for seeded in seed.members() {
            let member = Member {
                id: account.new_member_id(),
                email: seeded.email.clone(),
                pending_email: None,
                given_name: seeded.given_name.clone(),
                family_name: seeded.family_name.clone(),
                display_name: seeded.display_name(),
                state: seeded.state,
                kind: seeded.kind,
                provisioned: seeded.provisioned,
                external_id: seeded.external_id.clone(),
                created_at: now,
                updated_at: now,
                version: 1,
            };
            let id = member.id.clone();
            account.insert_member(member, now);
            // The seed was checked: every name resolves and guests have none.
            // Team Members is joined by `insert_member` already.
            for name in &seeded.groups {
                if let Some(&position) = by_name.get(&name.to_ascii_lowercase()) {
                    account.join(position, &id, now);
                }
            }
        }
        // Seeded objects start at version 1 whatever joined them.
        for entry in &mut account.groups {
            entry.group.version = 1;
        }
        account
    }

    /// Name, provisioning and allowed domains.
    pub fn settings(&self) -> &AccountSettings {
        &self.settings
    }

    /// `provisioning_disabled` when provisioning is off: the account refuses
    /// every call under `/v1/invitations`, `/v1/members` and `/v1/groups`,
    /// reads included (backend/API.md, "Provisioning off").
    pub fn ensure_provisioning(&self) -> Result<(), ErrorBody> {
        if self.settings.provisioning {
            Ok(())
        } else {
            Err(ErrorBody::new(
                Refusal::ProvisioningDisabled,
                format!(
                    "provisioning users & groups is turned off for the account {:?}",
                    self.settings.name
                ),
            ))
        }
    }

    /// The test control `PATCH /v1/account`: changes settings, logs nothing.
    pub fn update_settings(&mut self, update: &SettingsUpdate) -> AccountSettings {
        if let Some(on) = update.provisioning {
            self.settings.provisioning = on;
        }
        if let Some(domains) = &update.allowed_domains {
            self.settings.allowed_domains = domains.clone();
        }
        self.settings.clone()
    }

    /// The test control `PUT /_scimulate/account`: the account becomes the
    /// one `seed` describes, with an empty effect log (sequence numbers
    /// start at 1 again); ids come from `ids`, the clock is kept.
    pub fn replace(&mut self, seed: &AccountSeed, ids: IdGenerator) {
        *self = Account::new(seed, Arc::clone(&self.clock), ids);
    }

    /// The member with this id.
    pub fn member(&self, id: &str) -> Option<&Member> {
        self.member_pos.get(id).and_then(|&p| self.members.get(p))
    }

    /// The member whose `email` or `pending_email` is this address, in any
    /// case. There is at most one: the account keeps addresses unique.
    pub fn member_by_email(&self, email: &str) -> Option<&Member> {
        self.by_email
            .get(&domains::email_key(email))
            .and_then(|id| self.member(id))
    }

    /// Members with this external id (exact), in creation order.
    pub fn members_by_external_id(&self, external_id: &str) -> Vec<&Member> {
        let mut found: Vec<&Member> = self
            .by_external_id
            .get(external_id)
            .into_iter()
            .flatten()
            .filter_map(|id| self.member(id))
            .collect();
        found.sort_by_key(|m| self.member_pos.get(&m.id));
        found
    }

    /// Members in creation order, guests included; `total` counts all.
    pub fn list_members(&self, offset: usize, limit: Option<usize>) -> Page<&Member> {
        page(self.members.iter(), self.members.len(), offset, limit)
    }

    /// Members of one kind (members or guests) in creation order, paged:
    /// what a bridge lists without fetching the whole account per page.
    /// Costs the page, not the account: a 100,000-member import reads
    /// 1,000 pages in linear time.
    pub fn list_members_of_kind(
        &self,
        kind: MemberKind,
        offset: usize,
        limit: Option<usize>,
    ) -> Page<&Member> {
        let positions = &self.kind_positions[kind_index(kind)];
        let from = offset.min(positions.len());
        page(
            positions[from..]
                .iter()
                .filter_map(|&p| self.members.get(p)),
            positions.len(),
            0,
            limit,
        )
    }

    /// The group with this id.
    pub fn group(&self, id: &str) -> Option<&Group> {
        self.group_pos
            .get(id)
            .and_then(|&p| self.groups.get(p))
            .map(|e| &e.group)
    }

    /// Groups with this name, in any case, in creation order (the account
    /// allows duplicate names, backend/API.md).
    pub fn groups_by_name(&self, name: &str) -> Vec<&Group> {
        self.groups
            .iter()
            .map(|e| &e.group)
            .filter(|g| g.name.eq_ignore_ascii_case(name))
            .collect()
    }

    /// The account's own groups (no built-in one), in creation order: what
    /// a bridge reads to show users' groups without the built-in Team
    /// Members group, which lists every member.
    pub fn list_own_groups(&self, offset: usize, limit: Option<usize>) -> Page<&Group> {
        let own = || {
            self.groups
                .iter()
                .map(|e| &e.group)
                .filter(|g| g.builtin.is_none())
        };
        page(own(), own().count(), offset, limit)
    }

    /// Groups in creation order, built-in first.
    pub fn list_groups(&self, offset: usize, limit: Option<usize>) -> Page<&Group> {
        page(
            self.groups.iter().map(|e| &e.group),
            self.groups.len(),
            offset,
            limit,
        )
    }

    /// A copy of everything.
    pub fn snapshot(&self) -> AccountSnapshot {
        AccountSnapshot {
            settings: self.settings.clone(),
            members: self.members.clone(),
            groups: self.groups.iter().map(|e| e.group.clone()).collect(),
        }
    }

    /// The members, to change: copied first when a snapshot still shares
    /// them.
    fn members_mut(&mut self) -> &mut Vec<Member> {
        Arc::make_mut(&mut self.members)
    }

    /// Indexes the members by kind again (after a delete shifted them).
    fn index_kinds(&mut self) {
        let mut positions = [Vec::new(), Vec::new()];
        for (position, member) in self.members.iter().enumerate() {
            positions[kind_index(member.kind)].push(position);
        }
        self.kind_positions = positions;
    }

    pub(crate) fn snapshot_ref(&self) -> SnapshotRef<'_> {
        SnapshotRef {
            settings: &self.settings,
            members: &self.members,
            groups: self.groups.iter().map(|e| &e.group).collect(),
        }
    }

    fn new_member_id(&mut self) -> MemberId {
        loop {
            let id = self.ids.member_id();
            if !self.member_pos.contains_key(&id) {
                return id;
            }
        }
    }

    fn new_group_id(&mut self) -> GroupId {
        loop {
            let id = self.ids.group_id();
            if !self.group_pos.contains_key(&id) {
                return id;
            }
        }
    }

    /// Adds a member with its indexes; non-guests join Team Members.
    fn insert_member(&mut self, member: Member, now: DateTime<Utc>) {
        let id = member.id.clone();
        self.by_email
            .insert(domains::email_key(&member.email), id.clone());
        if let Some(pending) = &member.pending_email {
            self.by_email
                .insert(domains::email_key(pending), id.clone());
        }
        if let Some(external_id) = &member.external_id {
            self.by_external_id
                .entry(external_id.clone())
                .or_default()
                .push(id.clone());
        }
        let guest = member.kind == MemberKind::Guest;
        self.member_pos.insert(id.clone(), self.members.len());
        self.kind_positions[kind_index(member.kind)].push(self.members.len());
        self.members_mut().push(member);
        // "Team Members holds every member who is not a guest"
        // (support.1password.com/groups, backend/API.md).
        if !guest && let Some(position) = self.builtin_position(BuiltinGroup::TeamMembers) {
            self.join(position, &id, now);
        }
    }

    fn insert_group(
        &mut self,
        name: &str,
        managed: bool,
        builtin: Option<BuiltinGroup>,
        external_id: Option<String>,
        now: DateTime<Utc>,
    ) -> Group {
        let group = Group {
            id: self.new_group_id(),
            name: name.to_string(),
            managed,
            builtin,
            members: Vec::new(),
            external_id,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        self.group_pos.insert(group.id.clone(), self.groups.len());
        self.groups.push(GroupEntry {
            group: group.clone(),
            member_set: HashSet::new(),
        });
        group
    }

    fn builtin_position(&self, builtin: BuiltinGroup) -> Option<usize> {
        self.groups
            .iter()
            .position(|e| e.group.builtin == Some(builtin))
    }

    /// Adds a member to the group at `position` (no-op if already in it).
    fn join(&mut self, position: usize, member_id: &str, now: DateTime<Utc>) -> bool {
        let Some(entry) = self.groups.get_mut(position) else {
            return false;
        };
        if !entry.member_set.insert(member_id.to_string()) {
            return false;
        }
        entry.group.members.push(member_id.to_string());
        touch_group(&mut entry.group, now);
        true
    }

    /// Removes a member from the group at `position` (no-op if not in it).
    fn leave(&mut self, position: usize, member_id: &str, now: DateTime<Utc>) -> bool {
        let Some(entry) = self.groups.get_mut(position) else {
            return false;
        };
        if !entry.member_set.remove(member_id) {
            return false;
        }
        entry.group.members.retain(|m| m != member_id);
        touch_group(&mut entry.group, now);
        true
    }
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("settings", &self.settings)
            .field("members", &self.members.len())
            .field("groups", &self.groups.len())
            .field("effects", &self.effects.kept.len())
            .finish_non_exhaustive()
    }
}

fn touch_group(group: &mut Group, now: DateTime<Utc>) {
    group.version += 1;
    group.updated_at = now;
}

fn touch_member(member: &mut Member, now: DateTime<Utc>) {
    member.version += 1;
    member.updated_at = now;
}

/// One page of `items` (of which there are `total`), cloning nothing.
fn page<'a, T: 'a>(
    items: impl Iterator<Item = &'a T>,
    total: usize,
    offset: usize,
    limit: Option<usize>,
) -> Page<&'a T> {
    let items = items
        .skip(offset)
        .take(limit.unwrap_or(usize::MAX))
        .collect();
    Page { total, items }
}

/// Where [`Account::kind_positions`] keeps a kind.
fn kind_index(kind: MemberKind) -> usize {
    match kind {
        MemberKind::Member => 0,
        MemberKind::Guest => 1,
    }
}

/// `items` as one page: `total` counts all of them.
pub(crate) fn page_of<T>(items: Vec<&T>, offset: usize, limit: Option<usize>) -> Page<&T> {
    let total = items.len();
    page(items.into_iter(), total, offset, limit)
}

/// `unknown_member` for an id the account does not know.
fn unknown_member(id: &str) -> ErrorBody {
    ErrorBody::new(Refusal::UnknownMember, format!("no member with id {id:?}"))
}

/// `unknown_group` for an id the account does not know.
fn unknown_group(id: &str) -> ErrorBody {
    ErrorBody::new(Refusal::UnknownGroup, format!("no group with id {id:?}"))
}

/// `guest` for a write aimed at a guest.
fn guest(member: &Member) -> ErrorBody {
    ErrorBody::new(
        Refusal::Guest,
        format!(
            "{} ({}) is a guest; guests are not managed by provisioning (support.1password.com/scim-best-practices)",
            member.email, member.id
        ),
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use chrono::TimeDelta;

    use super::*;
    use crate::clock::SteppingClock;
    use crate::model::{EffectKind, InviteRequest, MemberState};
    use crate::seed::{SeedGroup, SeedMember};

    pub(crate) fn start() -> DateTime<Utc> {
        "2026-01-01T00:00:00Z".parse().unwrap()
    }

    /// The account a seed describes, with a stepping clock and id seed 1.
    pub(crate) fn account_from(seed: &AccountSeed) -> Account {
        let clock = SteppingClock::new(start(), TimeDelta::seconds(1));
        Account::new(seed, Arc::new(clock), IdGenerator::from_seed(1))
    }

    /// The same people as `fixtures/accounts/acme.toml`.
    pub(crate) fn acme_seed() -> AccountSeed {
        let mut seed =
            AccountSeed::empty("Acme Corp").with_allowed_domains(["acme.com", "acme.io"]);
        for (name, managed) in [("Engineering", false), ("Design", true)] {
            let name = name.to_string();
            seed.add_group(SeedGroup { name, managed }).unwrap();
        }
        let mut alice = SeedMember::new("alice@acme.com", "Alice", "Owner");
        alice.groups.push("Owners".into());
        let mut bob = SeedMember::new("bob@acme.com", "Bob", "Builder");
        bob.groups.push("Engineering".into());
        let mut gina = SeedMember::new("gina@acme.com", "Gina", "Guest");
        gina.kind = MemberKind::Guest;
        let mut ivan = SeedMember::new("ivan@acme.com", "Ivan", "Invited");
        ivan.state = MemberState::Invited;
        let mut sam = SeedMember::new("sam@acme.com", "Sam", "Suspended");
        sam.state = MemberState::Suspended;
        for member in [alice, bob, gina, ivan, sam] {
            seed.add_member(member).unwrap();
        }
        seed
    }

    pub(crate) fn acme() -> Account {
        account_from(&acme_seed())
    }

    pub(crate) fn id_of(account: &Account, email: &str) -> String {
        account.member_by_email(email).unwrap().id.clone()
    }

    pub(crate) fn group_id(account: &Account, name: &str) -> String {
        account.groups_by_name(name)[0].id.clone()
    }

    /// The `kind` tags of the effect log, in order.
    pub(crate) fn kinds(account: &Account) -> Vec<String> {
        account
            .effects()
            .iter()
            .map(|e| {
                serde_json::to_value(&e.kind).unwrap()["kind"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    }

    /// The last effect, which must be a refusal: (action, target, reason).
    pub(crate) fn last_refusal(account: &Account) -> (String, Option<String>, Refusal) {
        match &account.effects().last().unwrap().kind {
            EffectKind::Refused {
                action,
                target,
                reason,
                ..
            } => (action.clone(), target.clone(), *reason),
            other => panic!("not a refusal: {other:?}"),
        }
    }

    pub(crate) fn invitation(email: &str) -> InviteRequest {
        InviteRequest {
            email: email.into(),
            given_name: "Carol".into(),
            family_name: "Chen".into(),
            ..InviteRequest::default()
        }
    }

    fn team_members(account: &Account) -> Vec<String> {
        account.groups_by_name("Team Members")[0].members.clone()
    }

    #[test]
    fn a_new_account_has_the_built_in_groups_first_and_unmanaged() {
        let account = account_from(&AccountSeed::default());
        let page = account.list_groups(0, None);
        let names: Vec<_> = page.items.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Owners",
                "Administrators",
                "Team Members",
                "Security",
                "Provision Managers"
            ]
        );
        for (group, builtin) in page.items.iter().zip(BuiltinGroup::ALL) {
            assert_eq!(group.builtin, Some(builtin));
            assert!(!group.managed);
            assert!(crate::ids::is_group_id(&group.id), "{}", group.id);
        }
    }

    #[test]
    fn seeding_logs_nothing_and_fills_groups() {
        let account = acme();
        assert!(account.effects().is_empty());
        let names: Vec<_> = account
            .list_groups(0, None)
            .items
            .iter()
            .map(|g| g.name.clone())
            .collect();
        assert_eq!(names[5..], ["Engineering", "Design"]);
        assert!(!account.groups_by_name("Engineering")[0].managed);
        assert!(account.groups_by_name("Design")[0].managed);
        let alice = id_of(&account, "alice@acme.com");
        let bob = id_of(&account, "bob@acme.com");
        assert_eq!(
            account.groups_by_name("Owners")[0].members,
            vec![alice.clone()]
        );
        assert_eq!(
            account.groups_by_name("Engineering")[0].members,
            vec![bob.clone()]
        );
        // Everyone but the guest, in seed order.
        let expected: Vec<_> = ["alice", "bob", "ivan", "sam"]
            .iter()
            .map(|n| id_of(&account, &format!("{n}@acme.com")))
            .collect();
        assert_eq!(team_members(&account), expected);
        for member in account.list_members(0, None).items {
            assert_eq!(
                (member.version, member.created_at, member.updated_at),
                (1, start(), start())
            );
            assert!(crate::ids::is_member_id(&member.id));
        }
        for group in account.list_groups(0, None).items {
            assert_eq!((group.version, group.created_at), (1, start()));
        }
    }

    #[test]
    fn listing_pages_in_creation_order_with_total() {
        let account = acme();
        let page = account.list_members(1, Some(2));
        assert_eq!(page.total, 5);
        let emails: Vec<_> = page.items.iter().map(|m| m.email.as_str()).collect();
        assert_eq!(emails, ["bob@acme.com", "gina@acme.com"]);
        assert_eq!(account.list_members(5, None).items.len(), 0);
        assert_eq!(account.list_members(99, Some(3)).total, 5);
        assert_eq!(account.list_groups(6, Some(10)).items.len(), 1);
    }

    #[test]
    fn lookups_by_email_ignore_case_and_see_pending_addresses() {
        let mut account = acme();
        let bob = id_of(&account, "bob@acme.com");
        assert_eq!(account.member_by_email("BOB@Acme.COM").unwrap().id, bob);
        account
            .request_email_change(&bob, "Robert@acme.io")
            .unwrap();
        assert_eq!(account.member_by_email("robert@ACME.io").unwrap().id, bob);
        assert_eq!(account.member_by_email("bob@acme.com").unwrap().id, bob);
        assert!(account.member_by_email("nobody@acme.com").is_none());
    }

    #[test]
    fn lookups_by_external_id_are_exact_and_in_creation_order() {
        let mut account = acme();
        let mut first = invitation("c1@acme.com");
        first.external_id = Some("00u1".into());
        let first = account.invite(&first).unwrap().value.id;
        let bob = id_of(&account, "bob@acme.com");
        let link = crate::model::LinkRequest {
            external_id: Some("00u1".into()),
        };
        account.link(&bob, &link).unwrap();
        let found: Vec<_> = account
            .members_by_external_id("00u1")
            .iter()
            .map(|m| m.id.clone())
            .collect();
        assert_eq!(found, vec![bob, first]);
        assert!(account.members_by_external_id("00U1").is_empty());
    }

    #[test]
    fn settings_updates_change_only_what_is_given() {
        let mut account = acme();
        let settings = account.update_settings(&SettingsUpdate {
            provisioning: None,
            allowed_domains: Some(vec!["newco.com".into()]),
        });
        assert!(settings.provisioning);
        assert_eq!(settings.allowed_domains, vec!["newco.com"]);
        assert_eq!(account.settings(), &settings);
    }

    #[test]
    #[ignore = "builds a 100,000-member account; run with --ignored"]
    fn a_hundred_thousand_members_stay_indexed() {
        let mut account = account_from(&AccountSeed::empty("Big"));
        for n in 0..100_000 {
            let mut request = invitation(&format!("user{n}@big.example"));
            request.external_id = Some(format!("00u{n}"));
            account.invite(&request).unwrap();
        }
        let last = account.member_by_email("USER99999@big.example").unwrap();
        assert_eq!(account.members_by_external_id("00u99999")[0].id, last.id);
        let page = account.list_members(99_990, Some(100));
        assert_eq!((page.total, page.items.len()), (100_000, 10));
        assert_eq!(team_members(&account).len(), 100_000);
        assert_eq!(account.effects().len(), 100_000);
    }

    #[test]
    fn the_borrowed_snapshot_serializes_like_the_owned_one() {
        let account = acme();
        assert_eq!(
            serde_json::to_value(account.snapshot_ref()).unwrap(),
            serde_json::to_value(account.snapshot()).unwrap()
        );
    }

    #[test]
    fn pages_of_one_kind_count_that_kind_only() {
        let account = acme();
        let all = account.list_members(0, None);
        let members = account.list_members_of_kind(MemberKind::Member, 0, None);
        let guests = account.list_members_of_kind(MemberKind::Guest, 0, None);
        assert!(guests.total > 0, "the acme seed has a guest");
        assert_eq!(members.total + guests.total, all.total);
        assert!(members.items.iter().all(|m| m.kind == MemberKind::Member));
        let second = account.list_members_of_kind(MemberKind::Member, 1, Some(1));
        assert_eq!(second.total, members.total);
        assert_eq!(second.items[0].id, members.items[1].id);
        let past = account.list_members_of_kind(MemberKind::Member, members.total + 5, Some(10));
        assert_eq!((past.total, past.items.len()), (members.total, 0));
        let gina = account.list_members_of_kind(MemberKind::Guest, 0, Some(1));
        assert_eq!(gina.items[0].email, "gina@acme.com");
    }

    #[test]
    fn own_groups_leave_the_built_in_ones_out() {
        let account = acme();
        let own = account.list_own_groups(0, None);
        assert!(own.items.iter().all(|g| g.builtin.is_none()));
        let builtin = account
            .list_groups(0, None)
            .items
            .iter()
            .filter(|g| g.builtin.is_some())
            .count();
        assert!(builtin > 0);
        assert_eq!(own.total + builtin, account.list_groups(0, None).total);
    }

    #[test]
    fn pages_of_filtered_items_count_all_matches() {
        let items = [1, 2, 3];
        let page = page_of(items.iter().collect(), 1, Some(1));
        assert_eq!((page.total, page.items), (3, vec![&2]));
    }
}
