//! Who is calling, by network address: the client address the limits are keyed on, the trusted
//! proxies (a list of networks) and the rule that picks the client out of a chain of forwarded
//! hops. Reading the headers is the HTTP edge's business; the rule is here so that it is one
//! pure, tested function.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The address of the client of one request, as far as the api can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClientAddress(IpAddr);

impl ClientAddress {
    pub fn new(ip: IpAddr) -> Self {
        // An IPv4 client seen through an IPv6 socket is the same client.
        Self(match ip {
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => IpAddr::V4(v4),
                None => IpAddr::V6(v6),
            },
            v4 => v4,
        })
    }

    /// When no address is known (not over TCP): every such request shares one key.
    pub const fn unknown() -> Self {
        Self(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
    }

    pub fn ip(self) -> IpAddr {
        self.0
    }

    /// What limits count per address. An IPv6 subscriber is handed a whole /64 and can pick any
    /// address in it, so IPv6 clients are counted per /64.
    pub fn limit_key(self) -> String {
        match self.0 {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => {
                let s = v6.segments();
                let prefix = Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
                format!("{prefix}/64")
            }
        }
    }
}

impl fmt::Display for ClientAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a network: expected an address or address/prefix, e.g. 10.0.0.0/8")]
pub struct NetworkError(pub String);

/// One network in CIDR form (`10.0.0.0/8`, `fd00::/8`); a bare address is a /32 or /128.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpNetwork {
    base: IpAddr,
    prefix: u8,
}

fn mask_v4(ip: Ipv4Addr, prefix: u8) -> u32 {
    let bits = u32::from(ip);
    if prefix == 0 {
        0
    } else {
        bits & (u32::MAX << (32 - u32::from(prefix)))
    }
}

fn mask_v6(ip: Ipv6Addr, prefix: u8) -> u128 {
    let bits = u128::from(ip);
    if prefix == 0 {
        0
    } else {
        bits & (u128::MAX << (128 - u32::from(prefix)))
    }
}

impl IpNetwork {
    pub fn parse(raw: &str) -> Result<Self, NetworkError> {
        let raw = raw.trim();
        let error = || NetworkError(raw.to_owned());
        let (addr, prefix) = match raw.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (raw, None),
        };
        let base: IpAddr = addr.parse().map_err(|_| error())?;
        let max = if base.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {
                p.parse::<u8>().map_err(|_| error())?
            }
            Some(_) => return Err(error()),
            None => max,
        };
        if prefix > max {
            return Err(error());
        }
        Ok(Self { base, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ClientAddress::new(ip).ip();
        match (self.base, ip) {
            (IpAddr::V4(base), IpAddr::V4(ip)) => {
                mask_v4(base, self.prefix) == mask_v4(ip, self.prefix)
            }
            (IpAddr::V6(base), IpAddr::V6(ip)) => {
                mask_v6(base, self.prefix) == mask_v6(ip, self.prefix)
            }
            _ => false,
        }
    }
}

impl fmt::Display for IpNetwork {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.base, self.prefix)
    }
}

/// The proxies in front of the api whose forwarding headers are believed. Empty by default: the
/// peer is the client and forwarding headers are ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNetwork>);

impl TrustedProxies {
    pub fn none() -> Self {
        Self::default()
    }

    /// A comma-separated list of networks (`10.0.0.0/8, 192.168.0.0/16, ::1`).
    pub fn parse(raw: &str) -> Result<Self, NetworkError> {
        raw.split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(IpNetwork::parse)
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }

    pub fn networks(&self) -> &[IpNetwork] {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|n| n.contains(ip))
    }

    /// The client of a request that reached us from `peer` carrying the forwarded `hops`
    /// (oldest first, as `X-Forwarded-For` lists them; `None` for a hop that is not an address).
    ///
    /// Only a trusted proxy's word is taken: walking from the peer towards the origin, the first
    /// address not in the list is the client. Everything left of it was written by the client
    /// itself (a spoofed leftmost hop changes nothing). A hop that is not an address ends the
    /// walk at the proxy that reported it. When every hop is trusted, the oldest one is the client.
    pub fn client(&self, peer: IpAddr, hops: &[Option<IpAddr>]) -> ClientAddress {
        let mut client = peer;
        if !self.trusts(client) {
            return ClientAddress::new(client);
        }
        for hop in hops.iter().rev() {
            let Some(hop) = *hop else {
                break;
            };
            client = hop;
            if !self.trusts(hop) {
                break;
            }
        }
        ClientAddress::new(client)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("address")
    }

    fn hops(list: &[&str]) -> Vec<Option<IpAddr>> {
        list.iter().map(|h| h.parse().ok()).collect()
    }

    fn proxies(raw: &str) -> TrustedProxies {
        TrustedProxies::parse(raw).expect("networks")
    }

    #[test]
    fn networks_parse_in_cidr_form_and_refuse_anything_else() {
        let net = IpNetwork::parse("10.0.0.0/8").expect("v4");
        assert!(net.contains(ip("10.200.3.4")));
        assert!(!net.contains(ip("11.0.0.1")));
        assert!(
            IpNetwork::parse("192.168.1.7")
                .expect("bare")
                .contains(ip("192.168.1.7"))
        );
        assert!(
            !IpNetwork::parse("192.168.1.7")
                .expect("bare")
                .contains(ip("192.168.1.8"))
        );
        let v6 = IpNetwork::parse("fd00::/8").expect("v6");
        assert!(v6.contains(ip("fd12:3456::1")));
        assert!(!v6.contains(ip("10.0.0.1")));
        assert!(
            IpNetwork::parse("0.0.0.0/0")
                .expect("all")
                .contains(ip("8.8.8.8"))
        );
        // An IPv4 peer seen through an IPv6 socket.
        assert!(net.contains(ip("::ffff:10.1.2.3")));
        for bad in [
            "",
            "10.0.0.0/33",
            "10.0.0.0/",
            "10.0.0/8",
            "::/129",
            "a.b.c.d",
            "10.0.0.0/+8",
        ] {
            assert!(IpNetwork::parse(bad).is_err(), "{bad}");
        }
        assert!(TrustedProxies::parse("10.0.0.0/8, nonsense").is_err());
        assert!(TrustedProxies::parse("").expect("empty").is_empty());
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client_whatever_the_headers_say() {
        let none = TrustedProxies::none();
        let client = none.client(ip("203.0.113.7"), &hops(&["1.2.3.4"]));
        assert_eq!(client.ip(), ip("203.0.113.7"));
    }

    #[test]
    fn a_peer_that_is_not_a_trusted_proxy_is_the_client() {
        let trusted = proxies("10.0.0.0/8");
        let client = trusted.client(ip("198.51.100.9"), &hops(&["1.2.3.4", "10.0.0.2"]));
        assert_eq!(client.ip(), ip("198.51.100.9"));
    }

    #[test]
    fn a_spoofed_leftmost_hop_is_ignored() {
        let trusted = proxies("10.0.0.0/8");
        // The client sent "X-Forwarded-For: 1.1.1.1"; the proxy appended the real address.
        let client = trusted.client(ip("10.0.0.1"), &hops(&["1.1.1.1", "203.0.113.7"]));
        assert_eq!(client.ip(), ip("203.0.113.7"));
    }

    #[test]
    fn a_chain_of_trusted_proxies_is_walked_to_the_first_untrusted_hop() {
        let trusted = proxies("10.0.0.0/8,192.168.0.0/16");
        let chain = hops(&["6.6.6.6", "203.0.113.7", "192.168.1.1", "10.1.1.1"]);
        assert_eq!(
            trusted.client(ip("10.0.0.1"), &chain).ip(),
            ip("203.0.113.7")
        );
        // Every hop trusted: the oldest is the client.
        let internal = hops(&["192.168.5.5", "10.1.1.1"]);
        assert_eq!(
            trusted.client(ip("10.0.0.1"), &internal).ip(),
            ip("192.168.5.5")
        );
        // No hops at all: the trusted peer itself.
        assert_eq!(trusted.client(ip("10.0.0.1"), &[]).ip(), ip("10.0.0.1"));
    }

    #[test]
    fn ipv6_hops_and_proxies_work_alike() {
        let trusted = proxies("fd00::/8, ::1");
        let chain = hops(&["2001:db8::dead", "2001:db8:1::7", "fd00::5"]);
        let client = trusted.client(ip("::1"), &chain);
        assert_eq!(client.ip(), ip("2001:db8:1::7"));
        assert_eq!(client.limit_key(), "2001:db8:1::/64");
        assert_eq!(
            ClientAddress::new(ip("2001:db8:1::8")).limit_key(),
            client.limit_key(),
            "one /64 is one subscriber"
        );
        assert_eq!(
            ClientAddress::new(ip("::ffff:1.2.3.4")).limit_key(),
            "1.2.3.4"
        );
    }

    #[test]
    fn a_malformed_hop_ends_the_walk_at_the_proxy_that_reported_it() {
        let trusted = proxies("10.0.0.0/8");
        let chain = hops(&["1.2.3.4", "garbage", "10.0.0.9"]);
        assert_eq!(trusted.client(ip("10.0.0.1"), &chain).ip(), ip("10.0.0.9"));
        let chain = hops(&["_hidden"]);
        assert_eq!(trusted.client(ip("10.0.0.1"), &chain).ip(), ip("10.0.0.1"));
    }
}
