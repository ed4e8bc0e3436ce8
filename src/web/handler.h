// handler.h
//
// What the server (server.h) hands each request to: one school's App, or
// Hosted (hosted.h), which chooses a school's App per request. The server
// needs two things of it: the answer, and whether the request hashes a
// password (such requests run on a pool of their own).
#pragma once

#include "web/http.h"

namespace rollcall::web {

class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  // Safe to call from many threads at once.
  virtual Response Handle(const Request& request) = 0;
  // True when answering `request` hashes a password (logins, password
  // changes, new accounts): the server runs it on its login pool.
  virtual bool HashesPasswords(const Request& request) const = 0;
};

}  // namespace rollcall::web
