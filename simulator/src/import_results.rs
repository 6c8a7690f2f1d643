//! What an import found: Okta's import results screen ("N users scanned,
//! N new, …", docs/okta-wire.md#6-importing-users DOC O-PLAN C9304, C9338) and how the
//! paging went (§6, §9). Read them with [`crate::OktaOrg::user_import`] and
//! [`crate::OktaOrg::group_import`].

use serde::{Deserialize, Serialize};

/// The results of the last *Import Now* of users (§6).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserImport {
    /// How the paging went.
    pub paging: Paging,
    /// App users with `active:false`: not imported (§6 DOC O-CONCEPT, O-PLAN
    /// C9303).
    pub inactive: u64,
    /// Active app users, Okta's "N users scanned" ([OBS R-ROSTR]: 9 listed,
    /// 1 inactive → "8 scanned").
    pub scanned: u64,
    /// Scanned app users that exactly match an Okta user under the app's
    /// [`crate::ImportMatching`] rule; Okta stored their `id` on that user's
    /// app user (the match confirmed).
    pub matched: Vec<ImportedUser>,
    /// Scanned app users no Okta user matches (the "NO" column: offered as a
    /// new Okta user, or ignored, §6 OBS R-ROSTR). Okta writes nothing.
    pub unmatched: Vec<ImportedUser>,
}

/// One scanned app user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedUser {
    /// Its SCIM `id`.
    pub scim_id: String,
    /// Its `userName` (empty when the resource had none).
    pub user_name: String,
    /// Its primary (else first) e-mail, when it had one.
    pub email: Option<String>,
    /// The Okta login it matched, for [`UserImport::matched`].
    pub okta_login: Option<String>,
}

/// The results of the last group import or *Refresh App Groups* (§7).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupImport {
    /// How the paging went.
    pub paging: Paging,
    /// Groups listed, Okta's "N groups scanned" (§6 DOC O-PLAN C9338); they
    /// are in [`crate::OktaOrg::app_groups`].
    pub scanned: u64,
    /// Members read from those groups' `members` (§7).
    pub memberships: u64,
}

/// How the list pages of one import went: `GET /<resource>?startIndex=1&count=100`,
/// then 101, 201… while `startIndex-1+100 < totalResults` (§6, §9).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paging {
    /// Pages requested (retries of one page not counted).
    pub pages: u32,
    /// Resources the pages held, repeats included.
    pub listed: u64,
    /// The last `totalResults` answered.
    pub total_results: Option<u64>,
    /// Why the paging stopped.
    pub stop: PagingStop,
    /// What the server did wrong on the way, in order.
    pub anomalies: Vec<PagingAnomaly>,
}

/// Why an import stopped paging.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PagingStop {
    /// The last page reached `totalResults` (§6).
    Complete,
    /// A page listed no resource before `totalResults` was reached (§6: stop
    /// on an empty page).
    EmptyPage,
    /// [`crate::ImportSettings::max_pages`] pages were read and
    /// `totalResults` promised more: the simulator's bound, not Okta's.
    PageLimit,
    /// A page failed; the import failed with it.
    Failed,
}

/// Something a server did that makes an import lose or repeat resources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "anomaly", rename_all = "snake_case")]
pub enum PagingAnomaly {
    /// The answer's `startIndex` is not the one requested: the server
    /// ignores paging.
    StartIndexIgnored { requested: u64, answered: u64 },
    /// The page repeated resources (by `id`) an earlier page listed: the
    /// server ignores `startIndex` or its order is unstable (§6: "ordering
    /// must be stable across pages").
    RepeatedResources { start_index: u64, count: u64 },
    /// A page before the last held fewer than 100 resources: Okta advances
    /// by 100 whatever a page held, so the rest are never seen (§6,
    /// **UNCONFIRMED** by recording).
    ShortPage { start_index: u64, returned: u64 },
    /// The answer had no `totalResults`: Okta reads it as 0 and stops.
    MissingTotalResults { start_index: u64 },
    /// Resources skipped because they lack what Okta needs (`id`; for groups
    /// also `displayName`).
    InvalidResources {
        start_index: u64,
        count: u64,
        reason: String,
    },
}

impl Default for Paging {
    fn default() -> Self {
        Self {
            pages: 0,
            listed: 0,
            total_results: None,
            stop: PagingStop::Failed,
            anomalies: Vec::new(),
        }
    }
}

impl Paging {
    /// Whether every page was read and the server paged correctly.
    pub fn is_clean(&self) -> bool {
        self.stop == PagingStop::Complete && self.anomalies.is_empty()
    }

    /// Whether the server answered as if `startIndex` did not exist: another
    /// `startIndex` came back, or resources repeated.
    pub fn start_index_ignored(&self) -> bool {
        self.anomalies.iter().any(|a| {
            matches!(
                a,
                PagingAnomaly::StartIndexIgnored { .. } | PagingAnomaly::RepeatedResources { .. }
            )
        })
    }
}
