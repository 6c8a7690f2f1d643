//! The group push org the group tests start from: users linked by an
//! import, one deactivated, one never provisioned.

use scimulate_simulator::{AdminAction, App, ClientSettings, UserProfile};

use crate::harness::{
    GONE_ID, GONE_LOGIN, GROUP, LOGIN, NEW_LOGIN, OTHER_ID, OTHER_LOGIN, Run, SCIM_ID, app_user,
    org,
};
use crate::script::Script;

/// A group push org in `dialect` (Push Groups on): [`GROUP`] lists the
/// example user, [`NEW_LOGIN`] (never provisioned), [`GONE_LOGIN`]
/// (provisioned, then deactivated) and [`OTHER_LOGIN`], in that order. The
/// example and other users are linked by an import, so the only members
/// Okta pushes are `[SCIM_ID, OTHER_ID]`. The server is reset afterwards:
/// it has seen no request and answers nothing.
pub async fn group_run(app: App) -> Run {
    let mut app = app;
    app.provisioning.push_groups = true;
    let mut org = org(app);
    for login in [OTHER_LOGIN, NEW_LOGIN, GONE_LOGIN] {
        org.add_user(UserProfile::new(login, login, "Other", "User"))
            .expect("new login");
    }
    org.add_group(GROUP, [LOGIN, NEW_LOGIN, GONE_LOGIN, OTHER_LOGIN])
        .expect("members are users");
    let mut run = Run::with(org, ClientSettings::default()).await;
    let listed = vec![
        app_user(SCIM_ID, LOGIN, true),
        app_user(OTHER_ID, OTHER_LOGIN, true),
        app_user(GONE_ID, GONE_LOGIN, true),
    ];
    Script::new().users_listed(listed).mount(&run).await;
    run.succeeds(AdminAction::ImportUsers).await;
    Script::new()
        .patched_user(GONE_ID)
        .fetched_user(GONE_ID, app_user(GONE_ID, GONE_LOGIN, true))
        .replaced_user(GONE_ID, app_user(GONE_ID, GONE_LOGIN, false))
        .mount(&run)
        .await;
    run.succeeds(AdminAction::Deactivate {
        user: GONE_LOGIN.into(),
    })
    .await;
    run.server.reset().await;
    run
}
