#include "web/client_address.h"

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <boost/system/error_code.hpp>

namespace rollcall::web {

namespace net = boost::asio;

std::optional<std::string> CanonicalAddress(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.size() > 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  if (text.empty() || text.size() > 64) return std::nullopt;
  boost::system::error_code ec;
  net::ip::address address = net::ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    address = net::ip::make_address_v4(net::ip::v4_mapped, address.to_v6());
  }
  return address.to_string();
}

std::string ClientAddress(std::string_view peer, std::string_view forwarded_for,
                          std::string_view real_ip,
                          const std::vector<std::string>& trusted_proxies) {
  const std::optional<std::string> from = CanonicalAddress(peer);
  const bool trusted = from && std::any_of(trusted_proxies.begin(), trusted_proxies.end(),
                                           [&](const std::string& proxy) {
                                             return CanonicalAddress(proxy) == from;
                                           });
  if (!trusted) return std::string(peer);
  // Only the last entry is the proxy's own: the client may have sent a
  // header of its own, which the proxy keeps in front of what it appends.
  const size_t comma = forwarded_for.rfind(',');
  const std::string_view last =
      comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1);
  if (std::optional<std::string> client = CanonicalAddress(last)) return *client;
  if (std::optional<std::string> client = CanonicalAddress(real_ip)) return *client;
  return std::string(peer);
}

}  // namespace rollcall::web
