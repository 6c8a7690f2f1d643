//! The names the checks find a run's parts by: the data-driven scenarios
//! they judge (`fixtures/scenarios/<name>.toml`) and the labels of Okta's
//! admin actions within them. One place, so that no check area owns a name
//! another area borrows.

pub const DEACTIVATE_SUSPENDS: &str = "deactivate-suspends";
pub const DOMAIN_NOT_ALLOWED: &str = "domain-not-allowed-user";
pub const EMAIL_CHANGE: &str = "email-change";
pub const EMAIL_CHANGE_NOT_ALLOWED: &str = "email-change-not-allowed";
pub const EMAIL_DIFFERS: &str = "email-differs-reinvite";
pub const EXISTING_MEMBER_ANY_CASE: &str = "existing-member-linked-any-case";
pub const EXISTING_MEMBER_LINKED: &str = "existing-member-linked";
pub const GROUP_MEMBERSHIP: &str = "group-membership";
pub const GROUP_RELINK_AFTER_LEAVE: &str = "group-relink-after-leave";
pub const GROUP_RENAME: &str = "group-rename";
pub const GROUP_UNLINK_DELETE: &str = "group-unlink-delete";
pub const GUEST_UNTOUCHED: &str = "guest-untouched";
pub const IMPORT_GROUPS: &str = "import-groups";
pub const IMPORT_USERS_PAGED: &str = "import-users-paged";
pub const LINK_BUILTIN_GROUP: &str = "link-builtin-group";
pub const LINK_EXISTING_GROUP: &str = "link-existing-group";
pub const NEW_USER_INVITED: &str = "new-user-invited";
pub const PROFILE_ATTRIBUTE_CLEARED: &str = "profile-attribute-cleared";
pub const PROFILE_UPDATE: &str = "profile-update";
pub const PROVISIONING_OFF: &str = "provisioning-off";
pub const PUBLIC_DOMAIN: &str = "public-domain-user";
pub const PUSH_GROUP_AFTER_UNLINK: &str = "push-group-after-unlink";
pub const PUSH_GROUP_AGAIN: &str = "push-group-again";
pub const PUSH_GROUP_AGAIN_NO_LOOKUP: &str = "push-group-again-no-lookup";
pub const PUSH_GROUP_NAME_EXISTS: &str = "push-group-name-exists";
pub const PUSH_GROUP_NAME_EXISTS_NO_LOOKUP: &str = "push-group-name-exists-no-lookup";
pub const PUSH_GROUP_NEW: &str = "push-group-new";
pub const PUSH_PAUSED: &str = "push-paused";
pub const PUSH_PAUSED_MEMBER_REMOVED: &str = "push-paused-member-removed";
pub const REACTIVATE: &str = "reactivate";
pub const UNASSIGN_SUSPENDS: &str = "unassign-suspends";

// Okta's action labels (prefixes) the checks look for.
pub const IMPORT_GROUPS_ACTION: &str = "import groups";
pub const IMPORT_USERS: &str = "import users";
pub const PUSH_GROUP: &str = "push group";
pub const UPDATE_PROFILE: &str = "update profile of";
