// hosted.h
//
// Many schools in one process (`rollcall serve --schools FILE`): Hosted holds
// one App per school and hands each request to its school's App, chosen by
//   - the path prefix /s/URN/, on any host name, or else
//   - the Host header (port removed, any case), for a school given host
//     names in the schools file, which is then served at /.
// A request that names no school is answered 404 with a page that lists
// nothing (which schools are served is no stranger's business), except
// GET /healthz, which answers for the process. With a fallback handler
// (`rollcall demo`: the primary school at /, the secondary under its
// prefix), every request that names no school goes to the fallback as it
// came, /healthz included, except a /s/ prefix with a URN not served here:
// that names a school wrongly and is answered 404 as above.
//
// Under the prefix, App sees the path without it (/s/100001/pupils/7 is
// /pupils/7 to the App) and never knows the prefix: Hosted puts it back on
// the answer, so that the browser stays under it:
//   - a Location or HX-Redirect header starting with one '/';
//   - a Set-Cookie's Path (Path=/ becomes Path=/s/URN/), so the browser sends
//     a school's login cookie back to that school's prefix alone;
//   - in a text/html body, every root-relative URL in a tag's href, src,
//     action, formaction, hx-get/post/put/delete/patch and data-* attribute.
//     Protocol-relative (//host) and absolute URLs are left as they are.
// JSON is not rewritten: an API client uses the prefix it called. The pages'
// own scripts build no root-relative URL (app.js loads uPlot from beside
// itself, govuk-init.js imports relative to itself), so the rewriting of the
// HTML is the only moving part: no setting, no base element.
//
// Under host routing nothing is rewritten; the browser keeps each host's
// cookies to itself. Either way a session is bound to its school: each App
// reads its school's store alone (on PostgreSQL, row-level security keyed on
// the school), so a token of another school finds no session and the
// request is not logged in.
//
// Hosted owns no App and opens no store: the caller makes them (serve opens
// one PostgreSQL store per school; tests use SQLite in memory), so the same
// routing is tested without a database server.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "web/handler.h"
#include "web/http.h"

namespace rollcall::web {

// One line of a schools file.
struct SchoolsFileEntry {
  std::string urn;
  std::vector<std::string> hosts;  // lower case, no port
  int line = 0;
};

// Reads a schools file: one school a line, `URN [HOST ...]`, separated by
// spaces or tabs; `#` starts a comment; blank lines are skipped.
// InvalidArgument (SCHOOLS_FILE) naming the file, the line and the problem
// for a URN that is not 1 to 64 letters, digits, '-' or '_', a host name
// that is not letters, digits, '-' and '.' (a port is not part of it), a URN
// or host name listed twice, or a file that lists no school; kErrFileRead
// when it cannot be read.
core::StatusOr<std::vector<SchoolsFileEntry>> ReadSchoolsFile(const std::string& path);
// The same, of the file's text (`path` names it in messages).
core::StatusOr<std::vector<SchoolsFileEntry>> ParseSchoolsFile(std::string_view text,
                                                               const std::string& path);

// A school served: its URN, its host names and its App (not owned).
struct HostedSchool {
  std::string urn;
  std::vector<std::string> hosts;
  RequestHandler* app = nullptr;
};

class Hosted : public RequestHandler {
 public:
  // `schools` as ReadSchoolsFile checked them (distinct URNs and hosts);
  // each app must outlive this. `secure_cookies`: the answers Hosted makes
  // itself carry HSTS, as App's do under AppConfig::secure_cookies.
  // `fallback` (not owned; null: none) answers every request that names no
  // school and has no /s/ prefix, unchanged.
  Hosted(std::vector<HostedSchool> schools, bool secure_cookies,
         RequestHandler* fallback = nullptr);

  Response Handle(const Request& request) override;
  bool HashesPasswords(const Request& request) const override;

  const std::vector<HostedSchool>& schools() const { return schools_; }

 private:
  // Where a request goes: its school (null: none), and the target the
  // school's App sees; `prefix` is "/s/URN" when the path chose it, "" when
  // the host did.
  struct Routed {
    const HostedSchool* school = nullptr;
    std::string target;
    std::string prefix;
  };
  Routed Route(const Request& request) const;
  // Whether the fallback answers `request` (routed to no school).
  bool ForFallback(const Request& request, const Routed& routed) const;

  std::vector<HostedSchool> schools_;
  bool secure_;
  RequestHandler* fallback_ = nullptr;
};

// The rewriting of an App's answer for the prefix (e.g. "/s/100001"), apart
// so tests can check each: a root-relative location gets the prefix, any
// other is returned as it is.
std::string PrefixLocation(std::string_view prefix, std::string_view location);
// A Set-Cookie value with its Path under the prefix: Path=/ is Path=/s/URN/,
// Path=/login is Path=/s/URN/login; a cookie without Path gets Path=/s/URN/.
std::string PrefixCookiePath(std::string_view prefix, std::string_view set_cookie);
// An HTML document with every root-relative URL in the attributes above
// under the prefix, and nothing else changed.
std::string PrefixHtml(std::string_view prefix, std::string_view html);
// The Host header's name: lower case, without its port ("[::1]:80" ->
// "[::1]").
std::string HostName(std::string_view host_header);

}  // namespace rollcall::web
