// tls.cc: the HTTPS context from PEM files (tls.h).
#include "web/tls.h"

#include <fmt/format.h>
#include <openssl/ssl.h>

#include <filesystem>
#include <system_error>

#include "core/error_codes.h"

namespace rollcall::web {
namespace {

namespace ssl = boost::asio::ssl;

// Mozilla's "intermediate" TLS 1.2 ciphers: forward secrecy and AEAD only.
// TLS 1.3's own suites are OpenSSL's defaults, all of them modern.
constexpr char kTls12Ciphers[] =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305";

}  // namespace

core::StatusOr<ssl::context> MakeTlsContext(const std::string& cert_file,
                                            const std::string& key_file) {
  for (const auto& [flag, file] : {std::pair{"--tls-cert", cert_file}, {"--tls-key", key_file}}) {
    std::error_code fs_ec;
    if (!std::filesystem::is_regular_file(file, fs_ec)) {
      return core::InvalidArgument(core::kErrTlsCertInvalid,
                                   fmt::format("{} {}: no such file", flag, file));
    }
  }
  ssl::context ctx(ssl::context::tls_server);
  ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                  ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                  ssl::context::single_dh_use | ssl::context::no_compression);
  SSL_CTX* native = ctx.native_handle();
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1) {
    return core::Internal(core::kErrTlsCertInvalid, "OpenSSL refused the TLS settings");
  }
  // No renegotiation (TLS 1.2): a client could otherwise make the server
  // redo the expensive part of a handshake at will.
  SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION);
  // The key before the certificate: OpenSSL refuses a key that is not the
  // loaded certificate's with a message about the key file, whereas a
  // certificate loaded after a key that is not its own only drops the key,
  // which the check below then reports as the mismatch it is.
  boost::system::error_code ec;
  ctx.use_private_key_file(key_file, ssl::context::pem, ec);
  if (ec) {
    return core::InvalidArgument(
        core::kErrTlsCertInvalid,
        fmt::format("--tls-key {}: not a PEM private key: {}", key_file, ec.message()));
  }
  ctx.use_certificate_chain_file(cert_file, ec);
  if (ec) {
    return core::InvalidArgument(
        core::kErrTlsCertInvalid,
        fmt::format("--tls-cert {}: not a PEM certificate (chain): {}", cert_file, ec.message()));
  }
  if (SSL_CTX_check_private_key(native) != 1) {
    return core::InvalidArgument(
        core::kErrTlsCertInvalid,
        fmt::format("--tls-key {} is not the key of the certificate in --tls-cert {}", key_file,
                    cert_file));
  }
  return ctx;
}

}  // namespace rollcall::web
