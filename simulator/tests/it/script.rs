//! The answers a test's SCIM server gives, scripted in the order they are
//! mounted: `Script::new().users_empty().created_user(user_resource(true))
//! .mount(&run).await`. Each step names the answer it stands for, so an
//! arrange block reads like the exchange it sets up; wiremock answers a
//! request with the first step that matches it.

use serde_json::Value;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, ResponseTemplate};

use crate::harness::{GROUP_ID, LOGIN, PREFIX, Run, json_response, list};

/// Answers to mount, in order.
#[must_use = "a script answers nothing until it is mounted"]
pub struct Script {
    mocks: Vec<Mock>,
}

impl Script {
    pub fn new() -> Self {
        Self { mocks: Vec::new() }
    }

    /// `verb <PREFIX><route>` answers `response`.
    pub fn at(mut self, verb: &str, route: &str, response: ResponseTemplate) -> Self {
        let mock = Mock::given(method(verb))
            .and(path(format!("{PREFIX}{route}")))
            .respond_with(response);
        self.mocks.push(mock);
        self
    }

    /// `verb /Users` (any query) answers `response`.
    pub fn users(self, verb: &str, response: ResponseTemplate) -> Self {
        self.at(verb, "/Users", response)
    }

    /// `GET /Users` lists `resources`.
    pub fn users_listed(self, resources: Vec<Value>) -> Self {
        self.users("GET", json_response(200, list(resources)))
    }

    /// `GET /Users` lists nobody.
    pub fn users_empty(self) -> Self {
        self.users_listed(Vec::new())
    }

    /// The existence check for the example user (§3.1) finds `resources`.
    pub fn lookup(mut self, resources: Vec<Value>) -> Self {
        let mock = Mock::given(method("GET"))
            .and(path(format!("{PREFIX}/Users")))
            .and(query_param("filter", format!("userName eq \"{LOGIN}\"")))
            .respond_with(json_response(200, list(resources)));
        self.mocks.push(mock);
        self
    }

    /// The existence check answers with `resources`, once: a later lookup
    /// gets what is mounted after.
    pub fn lookup_once(mut self, resources: Vec<Value>) -> Self {
        let mock = Mock::given(method("GET"))
            .and(path(format!("{PREFIX}/Users")))
            .and(query_param("filter", format!("userName eq \"{LOGIN}\"")))
            .respond_with(json_response(200, list(resources)))
            .up_to_n_times(1);
        self.mocks.push(mock);
        self
    }

    /// `POST /Users` answers 201 with `resource`.
    pub fn created_user(self, resource: Value) -> Self {
        self.users("POST", json_response(201, resource))
    }

    /// `verb /Users/{id}` answers `response`.
    pub fn user(self, verb: &str, id: &str, response: ResponseTemplate) -> Self {
        self.at(verb, &format!("/Users/{id}"), response)
    }

    /// `GET /Users/{id}` answers 200 with `resource`.
    pub fn fetched_user(self, id: &str, resource: Value) -> Self {
        self.user("GET", id, json_response(200, resource))
    }

    /// `PUT /Users/{id}` answers 200 with `resource`.
    pub fn replaced_user(self, id: &str, resource: Value) -> Self {
        self.user("PUT", id, json_response(200, resource))
    }

    /// `PATCH /Users/{id}` answers 204.
    pub fn patched_user(self, id: &str) -> Self {
        self.user("PATCH", id, ResponseTemplate::new(204))
    }

    /// `GET /Groups` lists `resources`.
    pub fn groups_listed(self, resources: Vec<Value>) -> Self {
        self.at("GET", "/Groups", json_response(200, list(resources)))
    }

    /// `GET /Groups` lists no group.
    pub fn groups_empty(self) -> Self {
        self.groups_listed(Vec::new())
    }

    /// `POST /Groups` answers 201 with `resource`.
    pub fn created_group(self, resource: Value) -> Self {
        self.at("POST", "/Groups", json_response(201, resource))
    }

    /// `verb /Groups/{GROUP_ID}` answers `response`.
    pub fn group(self, verb: &str, response: ResponseTemplate) -> Self {
        self.at(verb, &format!("/Groups/{GROUP_ID}"), response)
    }

    /// Mounts every answer on `run`'s server, in the script's order.
    pub async fn mount(self, run: &Run) {
        for mock in self.mocks {
            mock.mount(&run.server).await;
        }
    }
}
