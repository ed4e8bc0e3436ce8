// tls.h
//
// The server's TLS settings: a context for HTTPS from a PEM certificate
// (chain) and key, TLS 1.2 and 1.3 only, with forward-secret AEAD ciphers.
// Reading the files is all it does; the server (server.cc) uses the context
// for its connections and calls this again on SIGHUP.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <string>
#include <utility>  // before Asio: Boost 1.74 with g++ 12 in C++20 mode

#include "core/status.h"

namespace rollcall::web {

// The context for `cert_file` (PEM: the certificate, then any chain) and
// `key_file` (its unencrypted PEM key). InvalidArgument TLS_CERT_INVALID,
// naming the flag and file, when a file is missing or unreadable, is not
// PEM, or the key is not the certificate's.
core::StatusOr<boost::asio::ssl::context> MakeTlsContext(const std::string& cert_file,
                                                         const std::string& key_file);

}  // namespace rollcall::web
