//! The client's address, from the peer and the forwarding headers of trusted proxies
//! (`LINGO_HTTP_TRUSTED_PROXIES`). Reading the headers is here; the rule that picks the client
//! out of the hops is `lingo_kernel::TrustedProxies::client`.

use crate::state::AppState;
use actix_web::dev::Payload;
use actix_web::http::header::HeaderMap;
use actix_web::{FromRequest, HttpRequest, web};
use lingo_kernel::{ClientAddress, TrustedProxies};
use std::future::{Ready, ready};
use std::net::{IpAddr, SocketAddr};

/// One hop as a proxy writes it: `192.0.2.7`, `192.0.2.7:4711`, `2001:db8::1`,
/// `[2001:db8::1]:4711`, possibly quoted (`Forwarded`). `unknown`, obfuscated identifiers
/// (`_hidden`) and anything else are `None`.
fn hop(raw: &str) -> Option<IpAddr> {
    let raw = raw.trim().trim_matches('"');
    if let Ok(ip) = raw.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Some(rest) = raw.strip_prefix('[') {
        let (inside, _) = rest.split_once(']')?;
        return inside.parse().ok();
    }
    raw.parse::<SocketAddr>().ok().map(|s| s.ip())
}

/// The `for=` hops of every `Forwarded` header, oldest first; `None` when there is none.
fn forwarded_hops(headers: &HeaderMap) -> Option<Vec<Option<IpAddr>>> {
    let mut hops = Vec::new();
    let mut seen = false;
    for value in headers.get_all("forwarded") {
        seen = true;
        let Ok(value) = value.to_str() else {
            hops.push(None);
            continue;
        };
        for element in value.split(',') {
            let target = element.split(';').find_map(|pair| {
                let (name, value) = pair.split_once('=')?;
                name.trim().eq_ignore_ascii_case("for").then_some(value)
            });
            hops.push(target.and_then(hop));
        }
    }
    seen.then_some(hops)
}

/// The hops of every `X-Forwarded-For` header, oldest first.
fn x_forwarded_for_hops(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    headers
        .get_all("x-forwarded-for")
        .flat_map(|value| match value.to_str() {
            Ok(value) => value.split(',').map(hop).collect::<Vec<_>>(),
            Err(_) => vec![None],
        })
        .collect()
}

/// The client of a request that came from `peer` with `headers`: headers are read only when
/// the peer is a trusted proxy, and then only the hops trusted proxies wrote.
pub fn client_of(
    peer: Option<SocketAddr>,
    headers: &HeaderMap,
    proxies: &TrustedProxies,
) -> ClientAddress {
    let Some(peer) = peer.map(|p| p.ip()) else {
        return ClientAddress::unknown();
    };
    if !proxies.trusts(peer) {
        return ClientAddress::new(peer);
    }
    let hops = forwarded_hops(headers).unwrap_or_else(|| x_forwarded_for_hops(headers));
    proxies.client(peer, &hops)
}

pub fn client_of_request(req: &HttpRequest) -> ClientAddress {
    let proxies = req
        .app_data::<web::Data<AppState>>()
        .map(|state| state.trusted_proxies.clone())
        .unwrap_or_default();
    client_of(req.peer_addr(), req.headers(), &proxies)
}

/// The client's address as a handler argument.
#[derive(Debug, Clone, Copy)]
pub struct Client(pub ClientAddress);

impl FromRequest for Client {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Self(client_of_request(req))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::{HeaderName, HeaderValue};

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                HeaderName::from_bytes(name.as_bytes()).expect("name"),
                HeaderValue::from_str(value).expect("value"),
            );
        }
        map
    }

    fn peer(s: &str) -> Option<SocketAddr> {
        Some(s.parse().expect("socket address"))
    }

    fn proxies(raw: &str) -> TrustedProxies {
        TrustedProxies::parse(raw).expect("networks")
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    #[test]
    fn headers_from_an_untrusted_peer_are_ignored() {
        let spoofed = headers(&[("x-forwarded-for", "1.2.3.4"), ("forwarded", "for=5.6.7.8")]);
        let client = client_of(peer("203.0.113.7:5000"), &spoofed, &TrustedProxies::none());
        assert_eq!(client.ip(), ip("203.0.113.7"));
        let client = client_of(peer("203.0.113.7:5000"), &spoofed, &proxies("10.0.0.0/8"));
        assert_eq!(client.ip(), ip("203.0.113.7"));
    }

    #[test]
    fn the_rightmost_untrusted_hop_of_x_forwarded_for_is_the_client() {
        // Two header lines: the client's forged one first, then what the proxies appended.
        let h = headers(&[
            ("x-forwarded-for", "6.6.6.6, 7.7.7.7"),
            ("x-forwarded-for", "198.51.100.23:41234, 10.0.0.7"),
        ]);
        let client = client_of(peer("10.0.0.1:80"), &h, &proxies("10.0.0.0/8"));
        assert_eq!(client.ip(), ip("198.51.100.23"));
    }

    #[test]
    fn forwarded_is_read_with_quotes_ports_and_ipv6() {
        let h = headers(&[(
            "forwarded",
            r#"for=6.6.6.6, for="[2001:db8:cafe::17]:4711";proto=https, For=10.1.2.3"#,
        )]);
        let client = client_of(peer("[::ffff:10.0.0.1]:80"), &h, &proxies("10.0.0.0/8"));
        assert_eq!(client.ip(), ip("2001:db8:cafe::17"));
    }

    #[test]
    fn malformed_or_obfuscated_hops_stop_at_the_proxy_that_wrote_them() {
        let trusted = proxies("10.0.0.0/8");
        let h = headers(&[("x-forwarded-for", "1.2.3.4, not-an-ip, 10.0.0.9")]);
        assert_eq!(
            client_of(peer("10.0.0.1:80"), &h, &trusted).ip(),
            ip("10.0.0.9")
        );
        let h = headers(&[("forwarded", "for=_hidden")]);
        assert_eq!(
            client_of(peer("10.0.0.1:80"), &h, &trusted).ip(),
            ip("10.0.0.1")
        );
        let h = headers(&[("forwarded", "proto=https")]);
        assert_eq!(
            client_of(peer("10.0.0.1:80"), &h, &trusted).ip(),
            ip("10.0.0.1")
        );
        assert_eq!(client_of(None, &h, &trusted), ClientAddress::unknown());
    }
}
