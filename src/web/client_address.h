// client_address.h
//
// Whose request it is, behind a reverse proxy. Login throttling counts
// failures per client address (service/sessions.h); behind nginx or HAProxy
// every request reaches the server from the proxy, so without this a
// hundred wrong passwords from one person would lock out everyone. The
// proxy says who the client was in X-Forwarded-For (or X-Real-IP), but
// anyone can send those headers, so they count only when the request came
// from a proxy the operator named (`rollcall serve --trusted-proxy`).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rollcall::web {

// An IP address as the server writes it (IPv4 dotted, IPv6 in its short
// form, an IPv4-mapped IPv6 address as the IPv4 one), from one address with
// nothing around it but spaces (an IPv6 one may be in [brackets]); nullopt
// for anything else (a port, a host name, "unknown", two addresses).
std::optional<std::string> CanonicalAddress(std::string_view text);

// The client's address, for login throttling and the logs. `peer` is the
// socket's. Behind a reverse proxy every request comes from the proxy, so
// when `peer` is one of `trusted_proxies` (addresses, any form
// CanonicalAddress takes) the client is the LAST address of
// `forwarded_for` (the X-Forwarded-For header, its lines joined by commas:
// the one the proxy itself appended; those before it are whatever the
// client sent), or failing that `real_ip` (X-Real-IP). When neither holds
// one valid address, or `peer` is not trusted (anyone can send the
// headers), the answer is `peer`.
std::string ClientAddress(std::string_view peer, std::string_view forwarded_for,
                          std::string_view real_ip,
                          const std::vector<std::string>& trusted_proxies);

}  // namespace rollcall::web
