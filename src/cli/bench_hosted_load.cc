// `rollcall bench hosted-load`: the load of the hosted morning burst
// (scripts/bench-hosted), against servers already running. One thread runs
// every client on one io_context, with Beast's asynchronous HTTP/1.1 over
// keep-alive connections.
//
// Before the clock starts, the office of each school logs in on each
// target (a session cookie and CSRF token per school and target) and reads
// the class list and each form's register for the day, which gives the
// pupils to mark. Then, from the start:
//   - each register starts at its own time, drawn uniformly over `seconds`
//     with a fixed seed, and is taken as a teacher takes it: one PUT per
//     pupil, each sent when the previous one is answered, alternating
//     between the targets request by request, on the register's own two
//     connections (opened by its first requests, which count the connect);
//   - `readers` clients GET a random school's summary without pause, each
//     alternating between the targets, until the last register is done.
// A request's latency runs from its send (or connect, on a new connection)
// to the last byte of its answer. An error is any answer but 2xx, a broken
// connection or no whole answer within the timeout. Summary GETs answered
// after the end are not counted.
//
// With --baseline: the readers alone, for `seconds`, against one
// single-school server (its routes at the root, not under /s/URN/).
#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <sstream>
#include <utility>  // before Asio: Boost 1.74 with g++ 12 in C++20 mode
#include <vector>

#include "cli/commands.h"
#include "core/date.h"
#include "core/error_codes.h"

namespace rollcall::cli {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using Steady = std::chrono::steady_clock;
using Request = http::request<http::string_body>;
using nlohmann::json;

double MillisSince(Steady::time_point start) {
  return std::chrono::duration<double, std::milli>(Steady::now() - start).count();
}

struct Target {
  std::string host_port;  // for the Host header
  tcp::resolver::results_type endpoints;
};

// One answer, or why there was none.
struct Outcome {
  int status = 0;     // 0: no answer
  std::string error;  // "" when an answer came
  double ms = 0;
  std::string body;
  std::string cookies;  // "name=value; name=value" of its Set-Cookie headers
  bool ok() const { return error.empty() && status >= 200 && status < 300; }
  std::string What() const { return error.empty() ? fmt::format("status {}", status) : error; }
};

// A keep-alive connection to one target, one request at a time; it
// connects again on the next request after a failure or a close.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(net::io_context& io, const Target& target, std::chrono::milliseconds timeout)
      : stream_(io), target_(target), timeout_(timeout) {}

  void Send(Request request, std::function<void(Outcome)> done) {
    request_ = std::move(request);
    request_.set(http::field::host, target_.host_port);
    request_.keep_alive(true);
    request_.prepare_payload();
    done_ = std::move(done);
    start_ = Steady::now();
    if (open_) return Write();
    stream_.expires_after(timeout_);
    stream_.async_connect(target_.endpoints,
                          [self = shared_from_this()](beast::error_code ec, const tcp::endpoint&) {
                            if (ec) return self->Fail(ec, "connect");
                            self->open_ = true;
                            beast::error_code ignored;
                            self->stream_.socket().set_option(tcp::no_delay(true), ignored);
                            self->Write();
                          });
  }

  void Close() {
    if (!open_) return;
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
    open_ = false;
  }

 private:
  void Write() {
    stream_.expires_after(timeout_);
    http::async_write(stream_, request_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->Fail(ec, "write");
      self->Read();
    });
  }

  void Read() {
    response_ = {};
    http::async_read(stream_, buffer_, response_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) return self->Fail(ec, "read");
                       Outcome out;
                       out.ms = MillisSince(self->start_);
                       out.status = static_cast<int>(self->response_.result_int());
                       for (const auto& field : self->response_) {
                         if (field.name() != http::field::set_cookie) continue;
                         const std::string value(field.value().data(), field.value().size());
                         if (!out.cookies.empty()) out.cookies += "; ";
                         out.cookies += value.substr(0, value.find(';'));
                       }
                       out.body = std::move(self->response_.body());
                       if (!self->response_.keep_alive()) self->Close();
                       self->Finish(std::move(out));
                     });
  }

  void Fail(beast::error_code ec, std::string_view during) {
    Outcome out;
    out.ms = MillisSince(start_);
    out.error =
        ec == beast::error::timeout ? "timeout" : fmt::format("{}: {}", during, ec.message());
    open_ = true;  // so Close closes whatever is half open
    Close();
    buffer_.clear();
    Finish(std::move(out));
  }

  void Finish(Outcome out) {
    std::function<void(Outcome)> done = std::move(done_);
    done_ = nullptr;
    done(std::move(out));
  }

  beast::tcp_stream stream_;
  const Target& target_;
  std::chrono::milliseconds timeout_;
  bool open_ = false;
  beast::flat_buffer buffer_;
  Request request_;
  http::response<http::string_body> response_;
  std::function<void(Outcome)> done_;
  Steady::time_point start_;
};

struct Login {
  std::string cookie, csrf;
};
struct School {
  std::string urn;
  std::string prefix;         // "/s/URN", or "" against a single-school server
  std::vector<Login> logins;  // one a target
};
struct RegisterPlan {
  size_t school = 0;
  int64_t class_id = 0;
  std::vector<int64_t> pupils;
  double start_seconds = 0;
};

// Latencies and errors of one kind of request.
struct Tally {
  std::vector<double> ms;
  int64_t errors = 0;
  std::map<std::string, int64_t> why;  // error text: count
  void Add(const Outcome& o) {
    ms.push_back(o.ms);
    if (!o.ok()) {
      ++errors;
      ++why[o.What()];
    }
  }
  double Percentile(double p) {
    if (ms.empty()) return 0;
    std::sort(ms.begin(), ms.end());
    const size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(ms.size())));
    return ms[std::clamp<size_t>(rank, 1, ms.size()) - 1];
  }
  json Json(double seconds) {
    json errors_by = json::object();
    for (const auto& [what, n] : why) errors_by[what] = n;
    const auto n = static_cast<int64_t>(ms.size());
    return json{{"count", n},
                {"errors", errors},
                {"errors_by_kind", std::move(errors_by)},
                {"seconds", seconds},
                {"per_second", seconds > 0 ? static_cast<double>(n) / seconds : 0.0},
                {"p50_ms", Percentile(0.50)},
                {"p95_ms", Percentile(0.95)},
                {"p99_ms", Percentile(0.99)},
                {"max_ms", ms.empty() ? 0.0 : Percentile(1.0)}};
  }
};

Request Get(const std::string& target, const Login& login) {
  Request req{http::verb::get, target, 11};
  req.set(http::field::cookie, login.cookie);
  return req;
}

class HostedLoad {
 public:
  HostedLoad(const HostedLoadArgs& args, std::vector<Target> targets, std::vector<School> schools)
      : args_(args),
        targets_(std::move(targets)),
        schools_(std::move(schools)),
        timeout_(static_cast<int64_t>(args.timeout_seconds * 1000)) {}

  // Logs in and reads the registers; "" or what went wrong.
  std::string Prepare() {
    const size_t lanes = std::min<size_t>(8, schools_.size());
    for (size_t lane = 0; lane < lanes; ++lane) NextSchool(NewConnections());
    io_.run();
    io_.restart();
    return failure_;
  }

  // The timed run; the figures as JSON.
  json Run() {
    start_ = Steady::now();
    std::mt19937_64 rng(args_.seed);
    std::uniform_real_distribution<double> at(0, args_.seconds);
    for (RegisterPlan& plan : plans_) plan.start_seconds = at(rng);
    for (size_t i = 0; i < plans_.size(); ++i) {
      auto timer = std::make_shared<net::steady_timer>(
          io_,
          start_ + std::chrono::microseconds(static_cast<int64_t>(plans_[i].start_seconds * 1e6)));
      timer->async_wait([this, i, timer](beast::error_code) { TakeRegister(i); });
    }
    if (args_.baseline) {
      auto timer = std::make_shared<net::steady_timer>(
          io_, start_ + std::chrono::microseconds(static_cast<int64_t>(args_.seconds * 1e6)));
      timer->async_wait([this, timer](beast::error_code) { StopReaders(); });
    } else {
      // A server that cannot keep up must not keep the run going for ever:
      // at the give-up time the run ends, and what was not answered counts.
      give_up_.expires_at(
          start_ + std::chrono::microseconds(static_cast<int64_t>(args_.give_up_seconds * 1e6)));
      give_up_.async_wait([this](beast::error_code ec) {
        if (ec || registers_done_ == plans_.size()) return;
        gave_up_ = true;
        registers_end_ = Steady::now();
        StopReaders();
        io_.stop();
      });
    }
    for (int r = 0; r < args_.readers; ++r) {
      auto reader = std::make_shared<Reader>();
      reader->rng.seed(args_.seed * 7919 + static_cast<uint64_t>(r));
      reader->next_target = static_cast<size_t>(r) % targets_.size();
      reader->connections = NewConnections();
      Read(reader);
    }
    io_.run();
    json out{{"mode", args_.baseline ? "baseline" : "burst"},
             {"targets", args_.targets},
             {"schools", schools_.size()},
             {"readers", args_.readers},
             {"seconds_asked", args_.seconds},
             {"date", args_.date},
             {"session", args_.session}};
    out["summary_get"] = gets_.Json(Seconds(readers_end_));
    if (!args_.baseline) {
      out["registers"] = plans_.size();
      out["put"] = puts_.Json(Seconds(registers_end_));
      out["put"]["wrote"] = wrote_;
      // Registers still being taken at the give-up time: their PUTs not
      // answered are errors, as a teacher would see them.
      size_t planned = 0;
      for (const RegisterPlan& plan : plans_) planned += plan.pupils.size();
      const int64_t unanswered = static_cast<int64_t>(planned) - out["put"]["count"].get<int64_t>();
      out["put"]["gave_up"] = gave_up_;
      out["put"]["registers_unfinished"] = plans_.size() - registers_done_;
      out["put"]["unanswered"] = unanswered;
      out["put"]["errors"] = out["put"]["errors"].get<int64_t>() + unanswered;
    }
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    out["client_cpu_seconds"] =
        static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
        static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    return out;
  }

 private:
  using Connections = std::vector<std::shared_ptr<Connection>>;  // one a target

  Connections NewConnections() {
    Connections out;
    for (const Target& t : targets_) out.push_back(std::make_shared<Connection>(io_, t, timeout_));
    return out;
  }

  double Seconds(Steady::time_point end) const {
    return std::chrono::duration<double>(end - start_).count();
  }

  // --- Before the clock: logins and registers, a few schools at a time.

  void NextSchool(Connections lane) {
    if (!failure_.empty() || next_school_ >= schools_.size()) {
      for (auto& c : lane) c->Close();
      return;
    }
    LogIn(std::move(lane), next_school_++, 0);
  }

  void Fail(const School& school, std::string_view doing, const Outcome& o) {
    if (!failure_.empty()) return;
    failure_ = fmt::format("school {}: {}: {}", school.urn, doing, o.What());
    if (!o.body.empty()) failure_ += " " + o.body.substr(0, 300);
  }

  void LogIn(Connections lane, size_t s, size_t t) {
    if (t == targets_.size()) {
      if (args_.baseline) return NextSchool(std::move(lane));
      return ReadClasses(std::move(lane), s);
    }
    Request req{http::verb::post, schools_[s].prefix + "/api/v1/login", 11};
    req.set(http::field::content_type, "application/json");
    req.body() = json{{"username", args_.office_user}, {"password", args_.password}}.dump();
    auto conn = lane[t];
    conn->Send(std::move(req), [this, lane = std::move(lane), s, t](Outcome o) mutable {
      const json body = json::parse(o.body, nullptr, false);
      if (!o.ok() || o.cookies.empty() || !body.is_object() || !body.contains("csrf_token")) {
        Fail(schools_[s], fmt::format("logging in on {}", args_.targets[t]), o);
        return NextSchool(std::move(lane));
      }
      schools_[s].logins[t] = {o.cookies, body["csrf_token"].get<std::string>()};
      LogIn(std::move(lane), s, t + 1);
    });
  }

  void ReadClasses(Connections lane, size_t s) {
    auto conn = lane[0];
    conn->Send(Get(schools_[s].prefix + "/api/v1/classes", schools_[s].logins[0]),
               [this, lane = std::move(lane), s](Outcome o) mutable {
                 const json body = json::parse(o.body, nullptr, false);
                 std::vector<int64_t> ids;
                 if (o.ok() && body.is_object() && body["classes"].is_array()) {
                   for (const json& c : body["classes"]) ids.push_back(c.value("id", int64_t{0}));
                 }
                 if (static_cast<int>(ids.size()) < args_.registers) {
                   Fail(schools_[s],
                        fmt::format("reading its classes ({} found, {} registers asked)",
                                    ids.size(), args_.registers),
                        o);
                   return NextSchool(std::move(lane));
                 }
                 ids.resize(static_cast<size_t>(args_.registers));
                 ReadRegister(std::move(lane), s, std::move(ids), 0);
               });
  }

  void ReadRegister(Connections lane, size_t s, std::vector<int64_t> ids, size_t k) {
    if (k == ids.size()) return NextSchool(std::move(lane));
    const std::string path = fmt::format("{}/api/v1/registers/{}/{}?class={}", schools_[s].prefix,
                                         args_.date, args_.session, ids[k]);
    auto conn = lane[0];
    conn->Send(Get(path, schools_[s].logins[0]),
               [this, lane = std::move(lane), s, ids = std::move(ids), k](Outcome o) mutable {
                 const json body = json::parse(o.body, nullptr, false);
                 if (!o.ok() || !body.is_object() || !body["pupils"].is_array()) {
                   Fail(schools_[s], fmt::format("reading the register of class {}", ids[k]), o);
                   return NextSchool(std::move(lane));
                 }
                 // A register the office may not mark now would turn every PUT into
                 // an error: say why before timing anything.
                 if (body["read_only"].is_string()) {
                   o.error = "the register is read-only: " + body["read_only"].get<std::string>();
                   Fail(schools_[s], fmt::format("reading the register of class {}", ids[k]), o);
                   return NextSchool(std::move(lane));
                 }
                 RegisterPlan plan{s, ids[k], {}, 0};
                 for (const json& p : body["pupils"]) {
                   if (static_cast<int>(plan.pupils.size()) == args_.class_size) break;
                   plan.pupils.push_back(p.value("id", int64_t{0}));
                 }
                 plans_.push_back(std::move(plan));
                 ReadRegister(std::move(lane), s, std::move(ids), k + 1);
               });
  }

  // --- The timed run.

  struct RegisterRun {
    size_t plan = 0;
    size_t next = 0;  // the next pupil
    Connections connections;
  };

  void TakeRegister(size_t i) {
    auto run = std::make_shared<RegisterRun>();
    run->plan = i;
    run->connections = NewConnections();
    PutNext(run);
  }

  void PutNext(const std::shared_ptr<RegisterRun>& run) {
    const RegisterPlan& plan = plans_[run->plan];
    if (run->next == plan.pupils.size()) {
      for (auto& c : run->connections) c->Close();
      if (++registers_done_ == plans_.size()) {
        registers_end_ = Steady::now();
        StopReaders();
        give_up_.cancel();
      }
      return;
    }
    const size_t n = run->next++;
    const size_t t = (run->plan + n) % targets_.size();
    const School& school = schools_[plan.school];
    // A morning register: nearly everyone present, a few absent without a
    // reason yet, the odd pupil reported ill.
    const uint64_t h = (static_cast<uint64_t>(plan.pupils[n]) * 2654435761u) % 100u;
    const bool am = args_.session == "AM";
    const char* code = h < 4 ? "N" : h < 6 ? "I" : am ? "/" : "\\";
    Request req{http::verb::put,
                fmt::format("{}/api/v1/registers/{}/{}/marks/{}", school.prefix, args_.date,
                            args_.session, plan.pupils[n]),
                11};
    req.set(http::field::content_type, "application/json");
    req.set(http::field::cookie, school.logins[t].cookie);
    req.set("X-CSRF-Token", school.logins[t].csrf);
    req.body() = json{{"code", code}}.dump();
    auto conn = run->connections[t];
    conn->Send(std::move(req), [this, run](Outcome o) {
      puts_.Add(o);
      if (o.ok() && o.body.find("\"changed\":true") != std::string::npos) ++wrote_;
      PutNext(run);
    });
  }

  struct Reader {
    std::mt19937_64 rng;
    size_t next_target = 0;
    Connections connections;
  };

  void Read(const std::shared_ptr<Reader>& reader) {
    if (stopping_) {
      for (auto& c : reader->connections) c->Close();
      return;
    }
    const size_t s = std::uniform_int_distribution<size_t>(0, schools_.size() - 1)(reader->rng);
    const size_t t = reader->next_target;
    reader->next_target = (t + 1) % targets_.size();
    auto conn = reader->connections[t];
    conn->Send(Get(schools_[s].prefix + "/api/v1/school/summary", schools_[s].logins[t]),
               [this, reader](Outcome o) {
                 if (!stopping_) gets_.Add(o);
                 Read(reader);
               });
  }

  void StopReaders() {
    if (stopping_) return;
    stopping_ = true;
    readers_end_ = Steady::now();
  }

  const HostedLoadArgs& args_;
  net::io_context io_;
  std::vector<Target> targets_;
  std::vector<School> schools_;
  std::chrono::milliseconds timeout_;
  std::vector<RegisterPlan> plans_;
  size_t next_school_ = 0;
  std::string failure_;

  Steady::time_point start_, registers_end_, readers_end_;
  size_t registers_done_ = 0;
  bool stopping_ = false;
  net::steady_timer give_up_{io_};
  bool gave_up_ = false;
  Tally puts_, gets_;
  int64_t wrote_ = 0;
};

core::StatusOr<std::vector<Target>> Resolve(const std::vector<std::string>& urls) {
  static const std::regex url(R"(http://([^/:]+):([0-9]+)/?)");
  net::io_context io;
  tcp::resolver resolver(io);
  std::vector<Target> out;
  for (const std::string& u : urls) {
    std::smatch m;
    if (!std::regex_match(u, m, url)) {
      return core::InvalidArgument(core::kErrValueInvalid,
                                   fmt::format("--target {}: expected http://HOST:PORT", u));
    }
    beast::error_code ec;
    Target t{m[1].str() + ":" + m[2].str(), resolver.resolve(m[1].str(), m[2].str(), ec)};
    if (ec) {
      return core::InvalidArgument(core::kErrValueInvalid,
                                   fmt::format("--target {}: {}", u, ec.message()));
    }
    out.push_back(std::move(t));
  }
  return out;
}

core::StatusOr<std::vector<School>> ReadSchools(const HostedLoadArgs& args) {
  ASSIGN_OR_RETURN(const std::string text, ReadInput(args.schools));
  std::istringstream lines(text);
  std::vector<School> out;
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string urn;
    if (!(words >> urn) || urn.starts_with('#')) continue;
    out.push_back(
        School{urn, args.baseline ? "" : "/s/" + urn, std::vector<Login>(args.targets.size())});
  }
  if (out.empty()) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 fmt::format("--schools {}: no school in it", args.schools));
  }
  // The baseline server serves one school: its first.
  if (args.baseline) out.resize(1);
  return out;
}

core::Status CheckArgs(const HostedLoadArgs& args) {
  if (!core::Date::Parse(args.date)) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 fmt::format("--date {}: expected YYYY-MM-DD", args.date));
  }
  if (args.session != "AM" && args.session != "PM") {
    return core::InvalidArgument(core::kErrValueInvalid, "--session is AM or PM");
  }
  if (args.seconds <= 0 || args.seconds > 3600 || args.timeout_seconds <= 0) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "--seconds is above 0 and at most 3600; --timeout above 0");
  }
  if (args.readers < 0 || args.readers > 5000 || args.registers < 1 || args.class_size < 1) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "--readers is 0 to 5000; --registers and --class-size at least 1");
  }
  if (args.baseline && (args.targets.size() != 1 || args.readers == 0)) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "--baseline reads from one --target with at least one reader");
  }
  return core::OkStatus();
}

void PrintTally(std::string_view what, const json& t) {
  fmt::print(
      "  {}: {} in {:.1f} s ({:.0f}/s); p50 {:.1f} ms, p95 {:.1f} ms, p99 {:.1f} ms, max "
      "{:.1f} ms; {} errors\n",
      what, t["count"].get<int64_t>(), t["seconds"].get<double>(), t["per_second"].get<double>(),
      t["p50_ms"].get<double>(), t["p95_ms"].get<double>(), t["p99_ms"].get<double>(),
      t["max_ms"].get<double>(), t["errors"].get<int64_t>());
  for (const auto& [kind, n] : t["errors_by_kind"].items()) {
    fmt::print("    {} x {}\n", kind, n.get<int64_t>());
  }
}

core::Status Load(const HostedLoadArgs& args) {
  RETURN_IF_ERROR(CheckArgs(args));
  ASSIGN_OR_RETURN(std::vector<Target> targets, Resolve(args.targets));
  ASSIGN_OR_RETURN(std::vector<School> schools, ReadSchools(args));
  const size_t school_count = schools.size();
  HostedLoad load(args, std::move(targets), std::move(schools));
  const auto prepare_start = Steady::now();
  if (std::string failed = load.Prepare(); !failed.empty()) {
    return core::Unavailable(core::kErrValueInvalid, "before the clock: " + failed);
  }
  fmt::print(
      "rollcall bench hosted-load: {} school(s) logged in on {} target(s){} in {:.1f} s; "
      "the clock starts\n",
      school_count, args.targets.size(), args.baseline ? "" : " and their registers read",
      SecondsSince(prepare_start));
  std::fflush(stdout);
  const json out = load.Run();
  if (args.baseline) {
    fmt::print("rollcall bench hosted-load: baseline, {} readers of one school\n", args.readers);
  } else {
    fmt::print("rollcall bench hosted-load: {} registers of {} schools; {} PUTs wrote a mark\n",
               out["registers"].get<size_t>(), school_count, out["put"]["wrote"].get<int64_t>());
    PrintTally("register PUTs", out["put"]);
  }
  PrintTally("summary GETs", out["summary_get"]);
  fmt::print("  the load client itself used {:.1f} s of CPU\n",
             out["client_cpu_seconds"].get<double>());
  if (!args.json.empty()) RETURN_IF_ERROR(WriteOutput(args.json, out.dump(2) + "\n"));
  return core::OkStatus();
}

}  // namespace

int RunHostedLoad(const HostedLoadArgs& args) {
  if (core::Status s = Load(args); !s.ok()) return ReportProblem("bench hosted-load", s);
  return kExitOk;
}

}  // namespace rollcall::cli
