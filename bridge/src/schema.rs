//! What the reference bridge supports of SCIM's User and Group schemas, as
//! static data: the one source of truth for `/Schemas` and for attribute
//! lookup in filters, PATCH and projection (names, `caseExact`,
//! `mutability`, `returned`).
//!
//! Attribute characteristics follow RFC 7643 §2.2 and the §8.7.1 schema
//! representation, trimmed to what a 1Password member or group can carry.
//! 1Password identifies people by e-mail, so `userName` is the e-mail.

mod attribute;

use scim_v2::filter::AttrPath;
use serde_json::{Value, json};

pub use attribute::{AttrDef, AttrType, Mutability, Returned};

/// RFC 7643 §8.7.1 / §4.1: the core User schema.
pub const USER_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
/// RFC 7643 §8.7.1 / §4.2: the core Group schema.
pub const GROUP_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
/// RFC 7643 §7: the schema of a `/Schemas` resource.
pub const SCHEMA_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:Schema";

/// A resource type the bridge serves (RFC 7643 §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResourceKind {
    User,
    Group,
}

impl ResourceKind {
    /// The core schema URN (RFC 7643 §8.7.1).
    pub fn schema_urn(self) -> &'static str {
        match self {
            ResourceKind::User => USER_URN,
            ResourceKind::Group => GROUP_URN,
        }
    }

    /// The endpoint, relative to the SCIM base URL (RFC 7644 §3.2).
    pub fn endpoint(self) -> &'static str {
        match self {
            ResourceKind::User => "/Users",
            ResourceKind::Group => "/Groups",
        }
    }

    /// The resource type name (`meta.resourceType`, RFC 7643 §3.1).
    pub fn name(self) -> &'static str {
        match self {
            ResourceKind::User => "User",
            ResourceKind::Group => "Group",
        }
    }
}

use AttrType::{Boolean, DateTime};
use Mutability::{Immutable, ReadOnly};

/// RFC 7643 §3: every resource's `schemas`. Read-only here: the bridge
/// decides which schemas a resource has.
const SCHEMAS: AttrDef = AttrDef::reference(
    "schemas",
    &["uri"],
    "The schema URIs the resource conforms to.",
)
.multi()
.required()
.mutability(ReadOnly)
.returned(Returned::Always)
.common();

/// RFC 7643 §3.1: `id`.
const ID: AttrDef = AttrDef::string(
    "id",
    "A unique identifier for a SCIM resource as defined by the service provider.",
)
.case_exact()
.mutability(ReadOnly)
.returned(Returned::Always)
.unique()
.common();

/// RFC 7643 §3.1: `externalId` ("caseExact" true).
const EXTERNAL_ID: AttrDef = AttrDef::string(
    "externalId",
    "A String that is an identifier for the resource as defined by the provisioning client.",
)
.case_exact()
.common();

const META_SUBS: &[AttrDef] = &[
    AttrDef::string("resourceType", "The name of the resource type of the resource.")
        .case_exact()
        .mutability(ReadOnly),
    AttrDef::new(
        "created",
        DateTime,
        "The DateTime that the resource was added to the service provider.",
    )
    .mutability(ReadOnly),
    AttrDef::new(
        "lastModified",
        DateTime,
        "The most recent DateTime that the details of this resource were updated at the service provider.",
    )
    .mutability(ReadOnly),
    AttrDef::reference("location", &["uri"], "The URI of the resource being returned.")
        .mutability(ReadOnly),
    AttrDef::string("version", "The version of the resource being returned.")
        .case_exact()
        .mutability(ReadOnly),
];

/// RFC 7643 §3.1: `meta`.
const META: AttrDef = AttrDef::complex(
    "meta",
    META_SUBS,
    "A complex attribute containing resource metadata.",
)
.mutability(ReadOnly)
.common();

const NAME_SUBS: &[AttrDef] = &[
    AttrDef::string(
        "formatted",
        "The full name, including all middle names, titles, and suffixes as appropriate, formatted for display.",
    ),
    AttrDef::string(
        "familyName",
        "The family name of the User, or last name in most Western languages.",
    ),
    AttrDef::string(
        "givenName",
        "The given name of the User, or first name in most Western languages.",
    ),
];

const EMAIL_SUBS: &[AttrDef] = &[
    AttrDef::string("value", "Email addresses for the user."),
    AttrDef::string(
        "display",
        "A human-readable name, primarily used for display purposes.",
    ),
    AttrDef::string(
        "type",
        "A label indicating the attribute's function, e.g., 'work' or 'home'.",
    )
    .canonical(&["work", "home", "other"]),
    AttrDef::new(
        "primary",
        Boolean,
        "A Boolean value indicating the 'primary' or preferred attribute value for this attribute. The primary attribute value 'true' MUST appear no more than once.",
    ),
];

const USER_GROUP_SUBS: &[AttrDef] = &[
    AttrDef::string("value", "The identifier of the User's group.")
        .case_exact()
        .mutability(ReadOnly),
    AttrDef::reference(
        "$ref",
        &["Group"],
        "The URI of the corresponding 'Group' resource to which the user belongs.",
    )
    .mutability(ReadOnly),
    AttrDef::string(
        "display",
        "A human-readable name, primarily used for display purposes.",
    )
    .mutability(ReadOnly),
    AttrDef::string(
        "type",
        "A label indicating the attribute's function, e.g., 'direct' or 'indirect'.",
    )
    .canonical(&["direct", "indirect"])
    .mutability(ReadOnly),
];

/// RFC 7643 §4.1 / §8.7.1 User attributes the bridge keeps.
static USER_ATTRIBUTES: &[AttrDef] = &[
    SCHEMAS,
    ID,
    EXTERNAL_ID,
    AttrDef::string(
        "userName",
        "Unique identifier for the User; for 1Password, the person's e-mail address. REQUIRED.",
    )
    .required()
    .unique(),
    AttrDef::complex("name", NAME_SUBS, "The components of the user's real name."),
    AttrDef::string("displayName", "The name of the User, suitable for display to end-users."),
    AttrDef::complex("emails", EMAIL_SUBS, "Email addresses for the user. Canonical type values of 'work', 'home', and 'other'.")
        .multi(),
    AttrDef::new("active", Boolean, "A Boolean value indicating the User's administrative status."),
    AttrDef::complex(
        "groups",
        USER_GROUP_SUBS,
        "A list of groups to which the user belongs, either through direct membership, through nested groups, or dynamically calculated.",
    )
    .multi()
    .mutability(ReadOnly),
    META,
];

const MEMBER_SUBS: &[AttrDef] = &[
    // RFC 7643 §8.7.1 says caseExact false; the value is a resource `id`,
    // which §3.1 makes caseExact, so members compare exactly here.
    AttrDef::string("value", "Identifier of the member of this Group.")
        .case_exact()
        .mutability(Immutable),
    AttrDef::reference(
        "$ref",
        &["User", "Group"],
        "The URI corresponding to a SCIM resource that is a member of this Group.",
    )
    .mutability(Immutable),
    AttrDef::string(
        "display",
        "A human-readable name, primarily used for display purposes.",
    ),
    AttrDef::string(
        "type",
        "A label indicating the type of resource, e.g., 'User' or 'Group'.",
    )
    .canonical(&["User", "Group"])
    .mutability(Immutable),
];

/// RFC 7643 §4.2 / §8.7.1 Group attributes the bridge keeps.
static GROUP_ATTRIBUTES: &[AttrDef] = &[
    SCHEMAS,
    ID,
    EXTERNAL_ID,
    // §4.2 prose: "displayName ... REQUIRED" (the §8.7.1 table says false;
    // the prose wins, as scim_v2 also reads it).
    AttrDef::string(
        "displayName",
        "A human-readable name for the Group. REQUIRED.",
    )
    .required(),
    AttrDef::complex("members", MEMBER_SUBS, "A list of members of the Group.").multi(),
    META,
];

/// Every attribute of `kind`, common ones included, in resource order.
pub fn attributes(kind: ResourceKind) -> &'static [AttrDef] {
    match kind {
        ResourceKind::User => USER_ATTRIBUTES,
        ResourceKind::Group => GROUP_ATTRIBUTES,
    }
}

/// The top-level attribute `name` of `kind`, case-insensitively.
pub fn attribute(kind: ResourceKind, name: &str) -> Option<&'static AttrDef> {
    attributes(kind)
        .iter()
        .find(|attr| attr.name.eq_ignore_ascii_case(name))
}

/// An attribute path resolved against a schema: the attribute and, for
/// `name.givenName`-style paths, the sub-attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResolvedAttr {
    pub attr: &'static AttrDef,
    pub sub: Option<&'static AttrDef>,
}

impl ResolvedAttr {
    /// The definition the path ends at.
    pub fn leaf(&self) -> &'static AttrDef {
        self.sub.unwrap_or(self.attr)
    }

    /// The canonical dotted path, e.g. `name.givenName`.
    pub fn path(&self) -> String {
        match self.sub {
            Some(sub) => format!("{}.{}", self.attr.name, sub.name),
            None => self.attr.name.to_string(),
        }
    }
}

/// Resolves an attribute path (RFC 7644 §3.10 standard attribute notation)
/// against `kind`'s schema.
///
/// Names match case-insensitively (RFC 7643 §2.1, RFC 7644 §3.4.2.2). A URN
/// prefix must be `kind`'s core schema (§3.10 allows the fully qualified
/// form); any other URN, e.g. the enterprise extension, is unknown here.
pub fn lookup(kind: ResourceKind, path: &AttrPath) -> Option<ResolvedAttr> {
    lookup_names(
        kind,
        path.uri.as_deref(),
        &path.name,
        path.sub_attr.as_deref(),
    )
}

/// [`lookup`] on the parts of a path.
pub fn lookup_names(
    kind: ResourceKind,
    uri: Option<&str>,
    name: &str,
    sub: Option<&str>,
) -> Option<ResolvedAttr> {
    if uri.is_some_and(|uri| !uri.eq_ignore_ascii_case(kind.schema_urn())) {
        return None;
    }
    let attr = attribute(kind, name)?;
    let sub = match sub {
        Some(sub) => Some(attr.sub_attribute(sub)?),
        None => None,
    };
    Some(ResolvedAttr { attr, sub })
}

/// The attribute names of `kind` for error messages:
/// `id, externalId, userName, name.{formatted, familyName, givenName}, …`.
pub fn attribute_list(kind: ResourceKind) -> String {
    let names: Vec<String> = attributes(kind)
        .iter()
        .map(|attr| {
            if attr.sub_attributes.is_empty() {
                attr.name.to_string()
            } else {
                let subs: Vec<&str> = attr.sub_attributes.iter().map(|s| s.name).collect();
                format!("{}.{{{}}}", attr.name, subs.join(", "))
            }
        })
        .collect();
    names.join(", ")
}

/// The RFC 7643 §7 representation of `kind`'s schema, without `meta.location`
/// (the handler knows the base URL). Common attributes (`schemas`, `id`,
/// `externalId`, `meta`) are left out, as in §8.7.1: §3.1 defines them for
/// every resource.
pub fn schema_json(kind: ResourceKind) -> Value {
    let attributes: Vec<Value> = attributes(kind)
        .iter()
        .filter(|attr| !attr.common)
        .map(AttrDef::representation)
        .collect();
    json!({
        "schemas": [SCHEMA_URN],
        "id": kind.schema_urn(),
        "name": kind.name(),
        "description": match kind {
            ResourceKind::User => "User Account",
            ResourceKind::Group => "Group",
        },
        "attributes": attributes,
        "meta": {"resourceType": "Schema"},
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(text: &str) -> AttrPath {
        match format!("{text} pr").parse::<scim_v2::filter::Filter>() {
            Ok(scim_v2::filter::Filter::Attr(scim_v2::filter::AttrExp::Present(p))) => p,
            other => panic!("{text}: {other:?}"),
        }
    }

    fn name_of(kind: ResourceKind, path: &AttrPath) -> Option<String> {
        lookup(kind, path).map(|resolved| resolved.path())
    }

    #[test]
    fn lookup_is_case_insensitive_and_canonicalises() {
        let resolved = lookup(ResourceKind::User, &path("USERNAME")).expect("userName");
        assert_eq!(resolved.path(), "userName");
        assert_eq!(
            name_of(ResourceKind::User, &path("Name.GIVENNAME")).as_deref(),
            Some("name.givenName")
        );
        assert_eq!(
            name_of(ResourceKind::Group, &path("MEMBERS.value")).as_deref(),
            Some("members.value")
        );
    }

    #[test]
    fn lookup_accepts_only_the_resources_own_urn() {
        let qualified = path("urn:ietf:params:scim:schemas:core:2.0:User:name.familyName");
        assert_eq!(
            name_of(ResourceKind::User, &qualified).as_deref(),
            Some("name.familyName")
        );
        assert_eq!(name_of(ResourceKind::Group, &qualified), None);
        let enterprise =
            path("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department");
        assert_eq!(name_of(ResourceKind::User, &enterprise), None);
    }

    #[test]
    fn lookup_rejects_unknown_names_and_sub_attributes() {
        assert_eq!(name_of(ResourceKind::User, &path("title")), None);
        assert_eq!(name_of(ResourceKind::User, &path("name.middle")), None);
        assert_eq!(name_of(ResourceKind::User, &path("members")), None);
        assert_eq!(name_of(ResourceKind::Group, &path("userName")), None);
    }

    #[test]
    fn characteristics_follow_rfc_7643() {
        let user = |name| attribute(ResourceKind::User, name).expect(name);
        assert!(user("id").case_exact);
        assert_eq!(user("id").returned, Returned::Always);
        assert_eq!(user("id").mutability, Mutability::ReadOnly);
        assert!(user("externalId").case_exact);
        assert!(!user("userName").case_exact);
        assert!(user("userName").required);
        assert_eq!(user("userName").uniqueness, attribute::Uniqueness::Server);
        assert_eq!(user("groups").mutability, Mutability::ReadOnly);
        assert!(user("emails").multi_valued);
        let members = attribute(ResourceKind::Group, "members").expect("members");
        let value = members.sub_attribute("VALUE").expect("value");
        assert_eq!(value.mutability, Mutability::Immutable);
        assert!(
            attribute(ResourceKind::Group, "displayName")
                .expect("displayName")
                .required
        );
    }

    #[test]
    fn schema_json_is_the_rfc_7643_section_7_shape() {
        let schema = schema_json(ResourceKind::User);
        assert_eq!(schema["id"], USER_URN);
        assert_eq!(schema["name"], "User");
        assert_eq!(schema["schemas"], json!([SCHEMA_URN]));
        let attributes = schema["attributes"].as_array().expect("attributes");
        let names: Vec<&str> = attributes
            .iter()
            .filter_map(|a| a["name"].as_str())
            .collect();
        assert_eq!(
            names,
            [
                "userName",
                "name",
                "displayName",
                "emails",
                "active",
                "groups"
            ]
        );
        let user_name = &attributes[0];
        assert_eq!(user_name["type"], "string");
        assert_eq!(user_name["required"], true);
        assert_eq!(user_name["caseExact"], false);
        assert_eq!(user_name["uniqueness"], "server");
        let emails = &attributes[3];
        assert_eq!(emails["multiValued"], true);
        assert_eq!(
            emails["subAttributes"][2]["canonicalValues"],
            json!(["work", "home", "other"])
        );
        assert_eq!(attributes[4]["type"], "boolean");
        assert!(attributes[4].get("caseExact").is_none());
        assert_eq!(
            attributes[5]["subAttributes"][1]["referenceTypes"],
            json!(["Group"])
        );
        assert!(schema["meta"].get("location").is_none());
    }

    #[test]
    fn group_schema_lists_display_name_and_members() {
        let schema = schema_json(ResourceKind::Group);
        assert_eq!(schema["id"], GROUP_URN);
        let attributes = schema["attributes"].as_array().expect("attributes");
        assert_eq!(attributes.len(), 2);
        assert_eq!(attributes[1]["subAttributes"][0]["mutability"], "immutable");
    }

    #[test]
    fn resource_kinds_name_their_endpoints() {
        assert_eq!(ResourceKind::User.endpoint(), "/Users");
        assert_eq!(ResourceKind::Group.endpoint(), "/Groups");
        assert_eq!(ResourceKind::Group.name(), "Group");
        assert_eq!(ResourceKind::User.schema_urn(), USER_URN);
    }

    #[test]
    fn attribute_list_spells_out_sub_attributes() {
        let list = attribute_list(ResourceKind::User);
        assert!(list.contains("userName"), "{list}");
        assert!(
            list.contains("name.{formatted, familyName, givenName}"),
            "{list}"
        );
    }
}
