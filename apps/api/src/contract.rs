//! What every operation of the document says alike, added in one place so that the document
//! cannot forget it for a route (docs/api-contract.md):
//!
//! - `operationId` from method and path (`post_decks_by_id_words`): unique by construction and
//!   stable as long as the route is;
//! - every `{name}` of a path declared as a required path parameter (`{id}` as a UUID);
//! - the problems the middleware and extractors answer for any route: 401 with a required token,
//!   403 on admin routes, 400/413/415/422 with a body, 400/422 with a query, 404 with a path
//!   parameter, 429 on the rate-limited routes, 400/426 for `X-Client-Version`, 503 when a
//!   store is down, each `application/problem+json`;
//! - the `X-Client-Version` header everywhere and `Idempotency-Key` where it is honoured.
//!
//! It works on the JSON form of the document (`openapi::document`): utoipa's builders have no
//! way to read a security requirement back.

use crate::{client_version, idempotency};
use serde_json::{Map, Value, json};
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Routes answered before any store is asked.
const STORELESS: [&str; 2] = ["/api/v1/health", "/api/v1/openapi.json"];

/// Paths a rate limit can answer 429 on: the route classes of `routes::configure` (auth,
/// batches and learner imports, quizzes, lookups, search, text analysis, content) and the
/// limits of the account use cases under `/me/` (password change, verification and
/// address-change emails).
const RATE_LIMITED: &[&str] = &[
    "/api/v1/auth/",
    "/api/v1/me/",
    "/api/v1/reviews/batch",
    "/api/v1/decks/{id}/imports",
    "/api/v1/quizzes",
    "/api/v1/dictionary/",
    "/api/v1/texts/",
    "/api/v1/words/",
];

fn problem(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    })
}

/// `post /api/v1/decks/{id}/words` → `post_decks_by_id_words`.
pub fn operation_id(method: &str, path: &str) -> String {
    let mut id = method.to_owned();
    for segment in path.trim_start_matches("/api/v1").split('/') {
        if segment.is_empty() {
            continue;
        }
        id.push('_');
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(name) => {
                id.push_str("by_");
                id.push_str(name);
            }
            None => id.push_str(&segment.replace(['-', '.'], "_")),
        }
    }
    id
}

/// The names of the `{…}` segments of a path.
pub fn path_parameters(path: &str) -> Vec<&str> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .collect()
}

fn path_parameter_schema(name: &str) -> Value {
    use crate::routes::fields::patterns;
    match name {
        "id" => json!({"type": "string", "format": "uuid"}),
        "lang" => json!({"type": "string", "pattern": patterns::LANGUAGE}),
        "lemma" => json!({"type": "string", "pattern": patterns::LEMMA, "minLength": 1,
            "maxLength": 100}),
        "action" => json!({"type": "string",
            "enum": ["suspend", "unsuspend", "bury", "reset", "move"]}),
        _ => json!({"type": "string", "minLength": 1}),
    }
}

/// Whether the operation can only be called with a token (an empty requirement means optional).
pub fn requires_token(operation: &Value) -> bool {
    operation["security"].as_array().is_some_and(|reqs| {
        !reqs.is_empty()
            && reqs
                .iter()
                .all(|r| r.as_object().is_some_and(|o| !o.is_empty()))
    })
}

/// Whether the operation takes a token at all (required or not).
fn mentions_token(operation: &Value) -> bool {
    operation["security"]
        .as_array()
        .is_some_and(|reqs| reqs.iter().any(|r| r.get("bearer").is_some()))
}

fn has_parameter_in(operation: &Value, place: &str) -> bool {
    operation["parameters"]
        .as_array()
        .is_some_and(|ps| ps.iter().any(|p| p["in"] == place))
}

fn complete_parameters(operation: &mut Map<String, Value>, method: &str, path: &str) {
    let parameters = operation
        .entry("parameters")
        .or_insert_with(|| Value::Array(Vec::new()));
    let Some(parameters) = parameters.as_array_mut() else {
        return;
    };
    for name in path_parameters(path) {
        let declared = parameters
            .iter_mut()
            .find(|p| p["in"] == "path" && p["name"] == name);
        match declared {
            Some(p) => {
                p["required"] = Value::Bool(true);
                p["schema"] = path_parameter_schema(name);
            }
            None => parameters.push(json!({
                "name": name, "in": "path", "required": true,
                "schema": path_parameter_schema(name),
            })),
        }
    }
    parameters.push(json!({
        "name": "X-Client-Version", "in": "header", "required": false,
        "description": "The app's version; older than the server's minimum is answered 426 \
            (urn:lingo:problem:client-update-required).",
        "schema": {"type": "string", "pattern": client_version::PATTERN, "example": "1.4.0"},
    }));
    let pattern = path;
    if idempotency::ROUTES
        .iter()
        .any(|(m, p)| m.eq_ignore_ascii_case(method) && *p == pattern)
    {
        parameters.push(json!({
            "name": "Idempotency-Key", "in": "header", "required": false,
            "description": "A retry with the same key and body replays the first response \
                (header Idempotent-Replayed: true) instead of acting twice.",
            "schema": {"type": "string", "minLength": 1, "maxLength": idempotency::MAX_KEY_LENGTH,
                "pattern": "^[!-~]+$"},
        }));
    }
}

fn complete_responses(operation: &mut Value, method: &str, path: &str) {
    let mut wanted: Vec<(&str, &str)> = vec![
        ("400", "Malformed request (JSON, query string or a header)"),
        (
            "426",
            "The app is too old: update it (urn:lingo:problem:client-update-required)",
        ),
    ];
    if requires_token(operation) {
        wanted.push(("401", "No valid bearer token"));
    } else if mentions_token(operation) {
        wanted.push(("401", "A bearer token was sent but is not valid"));
    }
    if operation["tags"]
        .as_array()
        .is_some_and(|t| t.iter().any(|t| t == "admin"))
    {
        wanted.push(("403", "Not an administrator"));
    }
    if operation.get("requestBody").is_some() {
        wanted.push(("413", "The body is larger than the limit"));
        wanted.push(("415", "The body is not of the declared type"));
        wanted.push(("422", "Some fields are invalid; `errors` lists them"));
    }
    if has_parameter_in(operation, "query") {
        wanted.push(("422", "Some parameters are invalid; `errors` lists them"));
    }
    if !path_parameters(path).is_empty() {
        wanted.push(("404", "No such resource (or not the caller's)"));
    }
    if RATE_LIMITED.iter().any(|prefix| path.starts_with(prefix)) {
        wanted.push(("429", "Too many requests from this client; see Retry-After"));
    }
    if idempotency::ROUTES
        .iter()
        .any(|(m, p)| m.eq_ignore_ascii_case(method) && *p == path)
    {
        wanted.push((
            "409",
            "A request with this Idempotency-Key is still being served",
        ));
        wanted.push(("422", "This Idempotency-Key was used with another body"));
    }
    if !STORELESS.contains(&path) {
        wanted.push(("503", "A store or provider is unavailable; retry later"));
    }
    let responses = operation
        .as_object_mut()
        .map(|o| o.entry("responses").or_insert_with(|| json!({})));
    let Some(Value::Object(responses)) = responses else {
        return;
    };
    for (status, description) in wanted {
        responses
            .entry(status.to_owned())
            .or_insert_with(|| problem(description));
    }
    // Problems are application/problem+json, whatever the annotation said.
    for (status, response) in responses.iter_mut() {
        if !status.starts_with('4') && !status.starts_with('5') {
            continue;
        }
        if let Some(Value::Object(content)) = response.get_mut("content")
            && let Some(body) = content.remove("application/json")
        {
            content.insert("application/problem+json".to_owned(), body);
        }
    }
}

/// The component schemas a request body names, and those they name in turn.
fn request_schemas(doc: &Value) -> std::collections::BTreeSet<String> {
    fn refs(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(members) => {
                if let Some(Value::String(r)) = members.get("$ref")
                    && let Some(name) = r.strip_prefix("#/components/schemas/")
                {
                    out.push(name.to_owned());
                }
                members.values().for_each(|v| refs(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let mut pending = Vec::new();
    if let Some(Value::Object(paths)) = doc.get("paths") {
        for item in paths.values() {
            for method in METHODS {
                if let Some(body) = item.get(method).and_then(|o| o.get("requestBody")) {
                    refs(body, &mut pending);
                }
            }
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    while let Some(name) = pending.pop() {
        if seen.insert(name.clone())
            && let Some(schema) = doc.pointer(&format!("/components/schemas/{name}"))
        {
            refs(schema, &mut pending);
        }
    }
    seen
}

/// Request bodies refuse members they do not define (`#[serde(deny_unknown_fields)]`, a 422
/// naming the field), and the document says so: `additionalProperties: false` on every object
/// schema a request body uses.
fn close_request_schemas(doc: &mut Value) {
    fn close(schema: &mut Value) {
        match schema {
            Value::Object(members) => {
                if members.contains_key("properties")
                    && !members.contains_key("additionalProperties")
                {
                    members.insert("additionalProperties".to_owned(), Value::Bool(false));
                }
                for key in ["oneOf", "anyOf", "allOf", "items"] {
                    if let Some(inner) = members.get_mut(key) {
                        close(inner);
                    }
                }
                if let Some(Value::Object(properties)) = members.get_mut("properties") {
                    properties.values_mut().for_each(close);
                }
            }
            Value::Array(items) => items.iter_mut().for_each(close),
            _ => {}
        }
    }
    for name in request_schemas(doc) {
        if let Some(schema) = doc.pointer_mut(&format!("/components/schemas/{name}")) {
            close(schema);
        }
    }
}

/// A flattened tagged enum comes out of utoipa as `allOf: [{$ref: <oneOf of variants>}, {common
/// members}]`, which client generators cannot take ("allOf of a non-object"). It is the same as
/// a `oneOf` of each variant with the common members added, and is written so.
fn distribute_all_of(doc: &mut Value) {
    let Some(Value::Object(schemas)) = doc.pointer("/components/schemas").cloned() else {
        return;
    };
    for (name, schema) in &schemas {
        let Some([Value::Object(first), Value::Object(common)]) = schema
            .get("allOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        else {
            continue;
        };
        let Some(target) = first
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
        else {
            continue;
        };
        let Some(Value::Array(variants)) = schemas.get(target).and_then(|t| t.get("oneOf")) else {
            continue;
        };
        let merged: Vec<Value> = variants
            .iter()
            .map(|variant| {
                let mut v = variant.clone();
                if let Some(Value::Object(props)) = common.get("properties")
                    && let Some(Value::Object(into)) = v.get_mut("properties")
                {
                    for (k, p) in props {
                        into.insert(k.clone(), p.clone());
                    }
                }
                if let Some(Value::Array(required)) = common.get("required")
                    && let Some(Value::Array(into)) = v.get_mut("required")
                {
                    into.extend(required.iter().cloned());
                }
                v
            })
            .collect();
        let mut replacement = Map::new();
        if let Some(description) = first.get("description") {
            replacement.insert("description".to_owned(), description.clone());
        }
        replacement.insert("oneOf".to_owned(), Value::Array(merged));
        if let Some(slot) = doc.pointer_mut(&format!("/components/schemas/{name}")) {
            *slot = Value::Object(replacement);
        }
    }
}

/// The tag of an internally tagged enum variant as utoipa writes it: an object with one required
/// property whose schema is a one-value string enum. Returns the property and its value.
fn variant_tag(schema: &Value) -> Option<(String, String)> {
    let properties = schema.get("properties")?.as_object()?;
    let [(name, tag)] = properties.iter().collect::<Vec<_>>()[..] else {
        return None;
    };
    let required = schema.get("required")?.as_array()?;
    if required.len() != 1 || required[0] != Value::String(name.clone()) {
        return None;
    }
    let [value] = tag.get("enum")?.as_array()?.as_slice() else {
        return None;
    };
    Some((name.clone(), value.as_str()?.to_owned()))
}

/// An internally tagged enum (`#[serde(tag = "type")]`) comes out of utoipa as a `oneOf` of
/// `allOf: [{$ref: Variant}, {the tag}]`, which client generators cannot take ("invalid
/// property in union"). When a variant's schema is used nowhere else, the tag is written into it
/// and the union becomes a `oneOf` of references with a `discriminator`, which every generator
/// takes and which lets a Kotlin or Swift client pick the variant by the tag alone.
fn fold_variant_tags(doc: &mut Value) {
    let Some(Value::Object(schemas)) = doc.pointer("/components/schemas").cloned() else {
        return;
    };
    let text = doc.to_string();
    let used_once = |name: &str| {
        text.matches(&format!("\"#/components/schemas/{name}\""))
            .count()
            == 1
    };
    for (union, schema) in &schemas {
        let Some(members) = schema.get("oneOf").and_then(Value::as_array) else {
            continue;
        };
        let mut folded = Vec::new();
        for member in members {
            let Some([Value::Object(first), tag]) = member
                .get("allOf")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
            else {
                break;
            };
            let Some(target) = first
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
            else {
                break;
            };
            let Some((property, value)) = variant_tag(tag) else {
                break;
            };
            if !used_once(target)
                || schemas
                    .get(target)
                    .is_none_or(|t| t.get("properties").is_none())
            {
                break;
            }
            folded.push((target.to_owned(), property, value, tag.clone()));
        }
        if folded.len() != members.len()
            || folded
                .iter()
                .any(|(_, property, _, _)| *property != folded[0].1)
        {
            continue;
        }
        let mut mapping = Map::new();
        let mut refs = Vec::new();
        for (target, property, value, tag) in &folded {
            let Some(Value::Object(variant)) =
                doc.pointer_mut(&format!("/components/schemas/{target}"))
            else {
                continue;
            };
            if let Some(Value::Object(into)) = variant.get_mut("properties") {
                into.insert(property.clone(), tag["properties"][property].clone());
            }
            match variant.get_mut("required") {
                Some(Value::Array(required)) => required.push(Value::String(property.clone())),
                _ => {
                    variant.insert("required".to_owned(), json!([property]));
                }
            }
            let reference = format!("#/components/schemas/{target}");
            mapping.insert(value.clone(), Value::String(reference.clone()));
            refs.push(json!({ "$ref": reference }));
        }
        if let Some(Value::Object(slot)) = doc.pointer_mut(&format!("/components/schemas/{union}"))
        {
            slot.insert("oneOf".to_owned(), Value::Array(refs));
            slot.insert(
                "discriminator".to_owned(),
                json!({ "propertyName": folded[0].1, "mapping": mapping }),
            );
        }
    }
}

/// Completes the generated document (its JSON form) with what every operation says alike.
pub fn complete(doc: &mut Value) {
    distribute_all_of(doc);
    fold_variant_tags(doc);
    close_request_schemas(doc);
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        for method in METHODS {
            let Some(operation) = item.get_mut(method) else {
                continue;
            };
            operation["operationId"] = Value::String(operation_id(method, path));
            if let Some(o) = operation.as_object_mut() {
                complete_parameters(o, method, path);
            }
            complete_responses(operation, method, path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tagged_union_becomes_references_with_a_discriminator() {
        let tag = |v: &str| {
            json!({"type": "object", "required": ["type"],
                   "properties": {"type": {"type": "string", "enum": [v]}}})
        };
        let mut doc = json!({"components": {"schemas": {
            "Result": {"oneOf": [
                {"allOf": [{"$ref": "#/components/schemas/A"}, tag("a.job")]},
                {"allOf": [{"$ref": "#/components/schemas/B"}, tag("b.job")]},
            ]},
            "A": {"type": "object", "required": ["n"], "properties": {"n": {"type": "integer"}}},
            "B": {"type": "object", "properties": {"s": {"type": "string"}}},
        }}});
        fold_variant_tags(&mut doc);
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["Result"]["oneOf"],
            json!([{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}])
        );
        assert_eq!(
            schemas["Result"]["discriminator"],
            json!({"propertyName": "type", "mapping": {
                "a.job": "#/components/schemas/A", "b.job": "#/components/schemas/B"}})
        );
        assert_eq!(schemas["A"]["required"], json!(["n", "type"]));
        assert_eq!(schemas["B"]["required"], json!(["type"]));
        assert_eq!(schemas["B"]["properties"]["type"]["enum"], json!(["b.job"]));
    }

    #[test]
    fn a_variant_used_elsewhere_keeps_its_union_as_it_is() {
        let mut doc = json!({"components": {"schemas": {
            "Result": {"oneOf": [{"allOf": [{"$ref": "#/components/schemas/A"},
                {"type": "object", "required": ["type"],
                 "properties": {"type": {"type": "string", "enum": ["a.job"]}}}]}]},
            "Other": {"$ref": "#/components/schemas/A"},
            "A": {"type": "object", "properties": {"n": {"type": "integer"}}},
        }}});
        let before = doc.clone();
        fold_variant_tags(&mut doc);
        assert_eq!(doc, before);
    }

    #[test]
    fn operation_ids_follow_method_and_path() {
        assert_eq!(
            operation_id("post", "/api/v1/decks/{id}/words"),
            "post_decks_by_id_words"
        );
        assert_eq!(
            operation_id("post", "/api/v1/auth/logout-all"),
            "post_auth_logout_all"
        );
        assert_eq!(path_parameters("/a/{lang}/b/{lemma}"), ["lang", "lemma"]);
    }

    #[test]
    fn an_empty_requirement_makes_the_token_optional() {
        assert!(requires_token(&json!({"security": [{"bearer": []}]})));
        assert!(!requires_token(&json!({"security": [{}, {"bearer": []}]})));
        assert!(!requires_token(&json!({})));
    }
}
