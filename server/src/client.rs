//! Who a request comes from: its peer address, or the client a trusted proxy forwarded it for.

use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use services::ClientAddress;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// Proxies whose `X-Forwarded-For` is believed; empty believes none, so a client cannot pick
/// the address it is counted by.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpAddr>);

impl TrustedProxies {
    pub fn new(proxies: Vec<IpAddr>) -> Self {
        Self(proxies)
    }

    /// Reads `HIENTRUONG_TRUSTED_PROXIES`, a comma-separated list of addresses.
    pub fn parse(raw: &str) -> Result<Self, std::net::AddrParseError> {
        let proxies = raw.split(',').map(str::trim).filter(|ip| !ip.is_empty()).map(str::parse::<IpAddr>);
        proxies.collect::<Result<Vec<_>, _>>().map(Self)
    }

    /// The client a request comes from: its peer, or, when the peer is a trusted proxy, the
    /// nearest address in `X-Forwarded-For` that is not one of the trusted proxies.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.0.contains(&peer) {
            return peer;
        }
        let forwarded = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .filter_map(|hop| hop.trim().parse::<IpAddr>().ok())
            .collect::<Vec<_>>();
        forwarded.into_iter().rev().find(|hop| !self.0.contains(hop)).unwrap_or(peer)
    }
}

/// Marks each request that came through a socket with the [`ClientAddress`] it is counted by.
pub async fn identify(State(proxies): State<Arc<TrustedProxies>>, mut request: Request, next: Next) -> Response {
    if let Some(ConnectInfo(peer)) = request.extensions().get::<ConnectInfo<SocketAddr>>().copied() {
        let client = proxies.client(peer.ip(), request.headers());
        request.extensions_mut().insert(ClientAddress(counted_as(client)));
    }
    next.run(request).await
}

/// The address a client is counted by: an IPv4 address as it is, an IPv6 address by its /64
/// network, since one subscriber is handed a whole /64 and could otherwise change address at will.
pub fn counted_as(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(_) => address,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(std::net::Ipv6Addr::from(u128::from(v6) & !u128::from(u64::MAX))),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(raw: &str) -> IpAddr {
        raw.parse().expect("an address")
    }

    #[test]
    fn forwarded_addresses_are_believed_from_trusted_proxies_only() {
        let proxy = ip("10.0.0.2");
        let proxies = TrustedProxies::new(vec![proxy]);
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_static("198.51.100.7, 203.0.113.9, 10.0.0.2"));
        assert_eq!(proxies.client(proxy, &headers), ip("203.0.113.9"), "the nearest hop the proxies did not add");
        assert_eq!(proxies.client(ip("192.0.2.1"), &headers), ip("192.0.2.1"), "anyone else's header is ignored");
        assert_eq!(proxies.client(proxy, &HeaderMap::new()), proxy);
    }

    #[test]
    fn an_ipv6_client_is_counted_by_its_network() {
        assert_eq!(counted_as(ip("2001:db8:1:2:aaaa::1")), ip("2001:db8:1:2::"));
        assert_eq!(counted_as(ip("2001:db8:1:2:bbbb::9")), ip("2001:db8:1:2::"));
        assert_eq!(counted_as(ip("::ffff:203.0.113.5")), ip("203.0.113.5"));
        assert_eq!(counted_as(ip("203.0.113.5")), ip("203.0.113.5"));
    }

    #[test]
    fn the_setting_is_a_comma_separated_list() {
        assert_eq!(TrustedProxies::parse(" 10.0.0.2, ::1 ,"), Ok(TrustedProxies::new(vec![ip("10.0.0.2"), ip("::1")])));
        assert_eq!(TrustedProxies::parse(""), Ok(TrustedProxies::default()));
        assert!(TrustedProxies::parse("10.0.0.2, proxy.local").is_err());
    }
}
