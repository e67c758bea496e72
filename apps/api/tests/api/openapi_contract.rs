//! The served OpenAPI document says what the server does, in a form a client can be generated
//! from (docs/api-contract.md); schemathesis checks the server against it in CI.

use lingo_test_support::TestApp;
use serde_json::Value;
use std::collections::HashSet;

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

async fn document() -> Value {
    let app = TestApp::spawn().await;
    app.get("/api/v1/openapi.json")
        .await
        .json()
        .await
        .expect("json")
}

fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut found = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in METHODS {
            if let Some(op) = item.get(method) {
                found.push((method.to_owned(), path.clone(), op.clone()));
            }
        }
    }
    found
}

fn requires_token(op: &Value) -> bool {
    op["security"].as_array().is_some_and(|reqs| {
        !reqs.is_empty()
            && reqs
                .iter()
                .all(|r| r.as_object().is_some_and(|o| !o.is_empty()))
    })
}

#[tokio::test]
async fn every_path_segment_in_braces_is_a_declared_path_parameter() {
    let doc = document().await;
    for (method, path, op) in operations(&doc) {
        let names: Vec<&str> = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .collect();
        let params = op["parameters"].as_array().cloned().unwrap_or_default();
        for name in &names {
            let declared = params
                .iter()
                .find(|p| p["in"] == "path" && p["name"] == *name);
            let declared =
                declared.unwrap_or_else(|| panic!("{method} {path}: {{{name}}} undeclared"));
            assert_eq!(declared["required"], true, "{method} {path} {name}");
        }
        for p in params.iter().filter(|p| p["in"] == "path") {
            let name = p["name"].as_str().expect("name");
            assert!(
                names.contains(&name),
                "{method} {path}: path parameter {name} not in the path"
            );
        }
    }
}

#[tokio::test]
async fn query_filters_are_query_parameters() {
    let doc = document().await;
    let search = &doc["paths"]["/api/v1/dictionary/{lang}/search"]["get"]["parameters"];
    let q = search
        .as_array()
        .expect("params")
        .iter()
        .find(|p| p["name"] == "q")
        .expect("q");
    assert_eq!(q["in"], "query");
    let cards = &doc["paths"]["/api/v1/cards"]["get"]["parameters"];
    for p in cards.as_array().expect("params") {
        assert!(p["in"] == "query" || p["in"] == "header", "{p}");
    }
}

#[tokio::test]
async fn every_protected_operation_documents_401_and_its_token() {
    let doc = document().await;
    let protected: Vec<_> = operations(&doc)
        .into_iter()
        .filter(|(_, _, op)| requires_token(op))
        .collect();
    assert!(
        protected.len() > 30,
        "only {} protected operations",
        protected.len()
    );
    for (method, path, op) in protected {
        let unauthorized = &op["responses"]["401"];
        assert!(
            unauthorized["content"]["application/problem+json"].is_object(),
            "{method} {path}: no 401 problem"
        );
        if path.starts_with("/api/v1/admin/") {
            assert!(
                op["responses"]["403"].is_object(),
                "{method} {path}: no 403"
            );
        }
    }
    let me = &doc["paths"]["/api/v1/me"]["get"];
    assert!(requires_token(me));
}

#[tokio::test]
async fn problems_are_problem_json_and_operation_ids_unique() {
    let doc = document().await;
    let mut ids = HashSet::new();
    for (method, path, op) in operations(&doc) {
        let id = op["operationId"]
            .as_str()
            .unwrap_or_else(|| panic!("{method} {path}: no id"));
        assert!(
            ids.insert(id.to_owned()),
            "{method} {path}: operationId {id} twice"
        );
        for (status, response) in op["responses"].as_object().expect("responses") {
            if status.starts_with('4') || status.starts_with('5') {
                let content = response["content"].as_object();
                assert!(
                    content.is_some_and(|c| c.contains_key("application/problem+json")
                        && !c.contains_key("application/json")),
                    "{method} {path} {status}: {response}"
                );
            }
        }
        if op.get("requestBody").is_some() {
            for status in ["413", "415", "422"] {
                assert!(
                    op["responses"][status].is_object(),
                    "{method} {path}: no {status}"
                );
            }
        }
    }
}

/// An object schema that says nothing of its members, or a map whose values may be anything,
/// anywhere in the document.
fn untyped_objects(at: &str, schema: &Value, found: &mut Vec<String>) {
    match schema {
        Value::Object(map) => {
            let is_object = map.get("type").is_some_and(|t| {
                t == "object"
                    || t.as_array()
                        .is_some_and(|ts| ts.iter().any(|t| t == "object"))
            });
            let described = [
                "properties",
                "additionalProperties",
                "allOf",
                "oneOf",
                "anyOf",
                "$ref",
            ]
            .iter()
            .any(|k| map.contains_key(*k));
            if is_object && !described {
                found.push(at.to_owned());
            }
            // A map of anything (`additionalProperties: {}` or `true` with no members declared)
            // types nothing either. A problem declares its members and stays open to the
            // extension members RFC 9457 allows.
            if !map.contains_key("properties")
                && map.get("additionalProperties").is_some_and(|a| {
                    a == &Value::Bool(true) || a.as_object().is_some_and(|o| o.is_empty())
                })
            {
                found.push(format!("{at} (map of any value)"));
            }
            if at.ends_with("/schema") && map.is_empty() {
                found.push(format!("{at} (empty schema)"));
            }
            for (key, value) in map {
                untyped_objects(&format!("{at}/{key}"), value, found);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                untyped_objects(&format!("{at}/{i}"), item, found);
            }
        }
        _ => {}
    }
}

#[tokio::test]
async fn no_schema_is_an_untyped_object() {
    let doc = document().await;
    let mut found = Vec::new();
    untyped_objects("", &doc["paths"], &mut found);
    untyped_objects(
        "#/components/schemas",
        &doc["components"]["schemas"],
        &mut found,
    );
    assert!(found.is_empty(), "untyped objects:\n{}", found.join("\n"));
}

#[tokio::test]
async fn idempotency_keys_and_client_versions_are_declared() {
    let doc = document().await;
    for (method, path) in [
        ("post", "/api/v1/decks"),
        ("post", "/api/v1/quizzes"),
        ("post", "/api/v1/auth/phone/request"),
    ] {
        let params = doc["paths"][path][method]["parameters"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(
            params
                .iter()
                .any(|p| p["name"] == "Idempotency-Key" && p["in"] == "header"),
            "{path}"
        );
    }
    for (method, path, op) in operations(&doc) {
        let params = op["parameters"].as_array().cloned().unwrap_or_default();
        assert!(
            params.iter().any(|p| p["name"] == "X-Client-Version"),
            "{method} {path}"
        );
        assert!(op["responses"]["426"].is_object(), "{method} {path}");
    }
}

/// Every `$ref` string anywhere under `value`, with the JSON path where it was found.
fn references(value: &Value, at: &str, found: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                if key == "$ref"
                    && let Some(target) = child.as_str()
                {
                    found.push((at.to_owned(), target.to_owned()));
                }
                references(child, &format!("{at}/{key}"), found);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                references(child, &format!("{at}/{i}"), found);
            }
        }
        _ => {}
    }
}

#[tokio::test]
async fn every_reference_names_a_schema_the_document_defines() {
    let doc = document().await;
    let mut found = Vec::new();
    references(&doc, "#", &mut found);
    assert!(found.len() > 100, "the document references its schemas");
    let dangling: Vec<String> = found
        .iter()
        .filter(|(_, target)| {
            target
                .strip_prefix("#/components/schemas/")
                .is_none_or(|name| doc["components"]["schemas"].get(name).is_none())
        })
        .map(|(at, target)| format!("{at} → {target}"))
        .collect();
    assert!(dangling.is_empty(), "dangling references: {dangling:#?}");
}
