// serve_command.cc: `rollcall serve` (one school, or with --schools every
// school a file lists), `rollcall demo`, `rollcall migrate` and `rollcall
// user add`: the commands that open a school database.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>

#include "cli/commands.h"
#include "cli/system_clock.h"
#include "core/error_codes.h"
#include "demo/demo_school.h"
#include "service/job_workers.h"
#include "service/la_directory.h"
#include "service/password.h"
#include "store/store.h"
#include "web/app.h"
#include "web/client_address.h"
#include "web/hosted.h"
#include "web/server.h"

namespace rollcall::cli {
namespace {

int Fail(const core::Status& status, std::string_view command) {
  std::cerr << "rollcall " << command << ": " << status.message() << " [" << status.code() << "]\n";
  return status.kind() == core::ErrorKind::kInvalidArgument ? kExitInvalidInput : kExitFailure;
}

// With a PostgreSQL --db, the connections every store of the process shares;
// null for SQLite, whose stores each open their own file.
core::StatusOr<std::shared_ptr<store::PostgresPool>> OpenServePool(const ServeArgs& args) {
  if (!store::IsPostgresUri(args.db)) return std::shared_ptr<store::PostgresPool>();
  // A server thread runs one request at a time, and so does each thread of
  // the write pool (as many) and of the login pool (half as many); the two
  // more let the scheduled jobs and the LA views' refresh run without
  // queueing behind them.
  const int connections =
      args.db_connections > 0 ? args.db_connections : 2 * args.threads + args.threads / 2 + 2;
  return store::OpenPostgresPool(args.db, connections);
}

// The school `school` of a PostgreSQL database on the process's pool, or
// without one (SQLite) the file `db` as OpenSchoolStore opens it.
core::StatusOr<std::unique_ptr<store::Store>> OpenPooledSchool(
    const std::shared_ptr<store::PostgresPool>& pool, const std::string& db,
    const std::string& school) {
  if (pool == nullptr || school.empty()) return OpenSchoolStore(db, school);
  return store::OpenPostgresStore(pool, school);
}

// The settings every school's App gets from the command line.
web::AppConfig AppConfigFor(const ServeArgs& args) {
  web::AppConfig config;
  const bool tls = !args.tls_cert.empty() || !args.tls_key.empty();
  config.secure_cookies = args.behind_tls || tls;
  if (!store::IsPostgresUri(args.db)) config.database_file = args.db;
  config.real_clock = args.now.empty();
  config.outside_write_check_ms = args.outside_check_ms.value_or(0);
  return config;
}

web::ServerOptions ServerOptionsFor(const ServeArgs& args) {
  web::ServerOptions options;
  options.address = args.address;
  options.port = args.port;
  options.threads = args.threads;
  options.log_requests = !args.quiet;
  options.handle_signals = true;
  options.tls_cert_file = args.tls_cert;
  options.tls_key_file = args.tls_key;
  options.trusted_proxies = args.trusted_proxies;
  return options;
}

// Scheduled work (webhooks, messages, the daily share, the purge) of every
// App, on threads of their own beside the request threads, until the
// server stops. All its state is in the database, so stopping it at any
// point loses nothing. One school's failure is logged and never stops the
// others' work: each round runs every school's jobs.
//
// A round runs the schools on up to kJobWorkers threads, each taking the
// next school as it finishes one (service::RunEachOnWorkers): a school
// whose webhook URL never answers holds up one worker until its request
// times out, not every school after it. The round ends when all are done,
// so one school's jobs never run twice at once.
constexpr size_t kJobWorkers = 4;

std::jthread RunJobs(std::vector<web::App*> apps, std::chrono::milliseconds interval) {
  return std::jthread([apps = std::move(apps), interval](std::stop_token stop) {
    std::mutex mu;
    std::condition_variable_any wake;
    while (!stop.stop_requested()) {
      service::RunEachOnWorkers(apps.size(), kJobWorkers, stop, [&apps](size_t i) {
        try {
          (void)apps[i]->RunScheduledJobs();  // it logs its own failures
        } catch (const std::exception& e) {
          // A fault in one round of jobs must not stop the server; the
          // work is in the database and is tried again next round.
          spdlog::error("scheduled jobs: {}", e.what());
        } catch (...) {
          spdlog::error("scheduled jobs: an unknown exception");
        }
      });
      std::unique_lock lock(mu);
      wake.wait_for(lock, stop, interval, [] { return false; });
    }
  });
}

// A school served under its own prefix /s/URN/ beside the one at / (the
// demo's secondary school).
struct PrefixedSchool {
  std::string urn;
  store::Store* store = nullptr;  // not owned
};

int Serve(store::Store& store, const core::Clock& clock, const ServeArgs& args,
          const std::shared_ptr<store::PostgresPool>& pool, std::string_view command,
          const std::function<void(uint16_t)>& on_listening,
          const std::vector<PrefixedSchool>& prefixed = {}) {
  const web::AppConfig config = AppConfigFor(args);
  const bool tls = !args.tls_cert.empty() || !args.tls_key.empty();
  web::App app(store, clock, config);
  if (core::Status s = app.Load(); !s.ok()) return Fail(s, command);
  std::vector<std::unique_ptr<web::App>> prefixed_apps;
  std::vector<web::HostedSchool> hosted_schools;
  for (const PrefixedSchool& school : prefixed) {
    auto school_app = std::make_unique<web::App>(*school.store, clock, config);
    if (core::Status s = school_app->Load(); !s.ok()) return Fail(s, command);
    hosted_schools.push_back({school.urn, {}, school_app.get()});
    prefixed_apps.push_back(std::move(school_app));
  }
  // The LA's other schools, each opened as its own store.
  std::vector<std::unique_ptr<store::Store>> others;
  std::vector<store::Store*> schools{&store};
  for (const std::string& other : args.la_schools) {
    core::StatusOr<std::unique_ptr<store::Store>> opened =
        store::IsPostgresUri(args.db) ? OpenPooledSchool(pool, args.db, other)
        : std::filesystem::exists(other)
            ? store::OpenSqliteStore(other)
            : core::StatusOr<std::unique_ptr<store::Store>>(core::NotFound(
                  core::kErrDbMissing, "--la-school " + other + ": no such database"));
    if (!opened.ok()) return Fail(opened.status(), command);
    schools.push_back(opened->get());
    others.push_back(std::move(opened).value());
  }
  for (const PrefixedSchool& school : prefixed) schools.push_back(school.store);
  service::LaDirectory directory(schools);
  app.SetLaDirectory(&directory);
  std::vector<web::App*> apps{&app};
  for (const std::unique_ptr<web::App>& school_app : prefixed_apps) {
    school_app->SetLaDirectory(&directory);
    apps.push_back(school_app.get());
  }
  // With prefixed schools, Hosted hands each request under /s/URN/ to its
  // school and every other request to the school at /, as it came.
  web::Hosted hosted(std::move(hosted_schools), config.secure_cookies, &app);
  web::RequestHandler& handler = prefixed.empty() ? static_cast<web::RequestHandler&>(app) : hosted;
  web::Server server(handler, ServerOptionsFor(args));
  if (core::Status s = server.Start(); !s.ok()) return Fail(s, command);
  std::jthread jobs = RunJobs(apps, std::chrono::milliseconds(args.jobs_interval_ms));
  on_listening(server.port());
  if (const std::string code = app.SetupCode(); !code.empty()) {
    // The one-time code keeps the first-run page from anyone else on the
    // network; whoever started the server sees it here.
    std::cout << "\nThis database has no school yet. To set it up, open\n  "
              << (tls ? "https://" : "http://") << args.address << ":" << server.port()
              << "/setup?code=" << code << "\n(or stop the server and run rollcall init).\n"
              << std::endl;
  }
  server.Run();
  spdlog::info("stopped");
  return kExitOk;
}

// The clock of --now: running from that UK local time, or the real one.
core::StatusOr<int64_t> ClockOffset(const ServeArgs& args) {
  if (args.now.empty()) return int64_t{0};
  return OffsetToLocalTime(args.now);
}

// The demo sends its email and text messages into folders beside its
// database (outbox/email as .eml files, outbox/sms as JSON), so they can be
// read without a relay or a Notify account. Set once, on a database whose
// message settings were never saved: a head's own settings are kept.
core::Status SetDemoMessaging(store::Store& store, const ServeArgs& args, int64_t now) {
  if (store::IsPostgresUri(args.db)) return core::OkStatus();
  ASSIGN_OR_RETURN(store::MessageSettings settings, store.GetMessageSettings());
  if (settings.version != 0) return core::OkStatus();
  ASSIGN_OR_RETURN(const store::School school, store.GetSchool());
  std::error_code ec;
  std::filesystem::path db = std::filesystem::absolute(args.db, ec);
  if (ec) db = args.db;
  const std::filesystem::path outbox = db.parent_path() / "outbox";
  settings.email_transport = "folder:" + (outbox / "email").string();
  settings.sms_transport = "folder:" + (outbox / "sms").string();
  settings.from_address = "office@riverside-primary.example.org";
  settings.from_name = school.name;
  settings.public_url = args.port != 0 ? fmt::format("http://localhost:{}", args.port) : "";
  settings.set_at = now;
  settings.set_by = "rollcall demo";
  return store.SaveMessageSettings(settings).status();
}

// `serve --schools FILE`: every school the file lists, in one process
// (web::Hosted). The file is checked whole, and every school opened and
// read, before the server listens: any problem stops it.
int ServeSchools(const core::Clock& clock, const ServeArgs& args) {
  core::StatusOr<std::vector<web::SchoolsFileEntry>> entries = web::ReadSchoolsFile(args.schools);
  if (!entries.ok()) return Fail(entries.status(), "serve");
  struct Served {
    web::SchoolsFileEntry entry;
    std::string name;
    std::unique_ptr<store::Store> store;
    std::unique_ptr<web::App> app;
  };
  std::vector<Served> served;
  const web::AppConfig config = AppConfigFor(args);
  // Every school's store on the one pool of connections.
  core::StatusOr<std::shared_ptr<store::PostgresPool>> pool = OpenServePool(args);
  if (!pool.ok()) return Fail(pool.status(), "serve");
  for (web::SchoolsFileEntry& entry : *entries) {
    // A problem with one school names its line of the file.
    const auto at_line = [&](const core::Status& s) {
      return core::Status(s.kind(), s.code(),
                          fmt::format("{}, line {}: school {}: {}", args.schools, entry.line,
                                      entry.urn, s.message()));
    };
    core::StatusOr<std::unique_ptr<store::Store>> opened =
        store::OpenPostgresStore(*pool, entry.urn);
    if (!opened.ok()) return Fail(at_line(opened.status()), "serve");
    core::StatusOr<store::School> school = (*opened)->GetSchool();
    if (!school.ok()) {
      if (school.status().kind() != core::ErrorKind::kNotFound)
        return Fail(at_line(school.status()), "serve");
      return Fail(
          core::InvalidArgument(
              core::kErrSchoolsFile,
              fmt::format("{}, line {}: no school with URN {} is set up in {} (set it up "
                          "first: rollcall init --db ... --school {})",
                          args.schools, entry.line, entry.urn, PrintableDb(args.db), entry.urn)),
          "serve");
    }
    auto app = std::make_unique<web::App>(**opened, clock, config);
    if (core::Status s = app->Load(); !s.ok()) return Fail(at_line(s), "serve");
    served.push_back({std::move(entry), school->name, std::move(opened).value(), std::move(app)});
  }
  // One LA directory over every school served, shared by all: an officer
  // sees only their own LA's schools in it (LaDirectory::Visible).
  std::vector<store::Store*> stores;
  std::vector<web::App*> apps;
  std::vector<web::HostedSchool> hosted_schools;
  for (Served& s : served) {
    stores.push_back(s.store.get());
    apps.push_back(s.app.get());
    hosted_schools.push_back({s.entry.urn, s.entry.hosts, s.app.get()});
  }
  service::LaDirectory directory(stores);
  for (web::App* app : apps) app->SetLaDirectory(&directory);
  web::Hosted hosted(std::move(hosted_schools), config.secure_cookies);
  web::Server server(hosted, ServerOptionsFor(args));
  if (core::Status s = server.Start(); !s.ok()) return Fail(s, "serve");
  std::jthread jobs = RunJobs(apps, std::chrono::milliseconds(args.jobs_interval_ms));
  // Tests and scripts wait for these lines.
  const std::string scheme = args.tls_cert.empty() ? "http://" : "https://";
  const std::string base = fmt::format("{}{}:{}", scheme, args.address, server.port());
  std::cout << "rollcall: serving " << served.size() << " schools from " << PrintableDb(args.db)
            << " on " << base << "/" << std::endl;
  for (const Served& s : served) {
    std::cout << "  " << s.entry.urn << " " << s.name << ": " << base << "/s/" << s.entry.urn
              << "/";
    for (const std::string& host : s.entry.hosts) {
      std::cout << ", " << scheme << host << ":" << server.port() << "/";
    }
    std::cout << std::endl;
  }
  if (!args.now.empty())
    std::cout << "rollcall: the clock runs from " << args.now
              << " (--now), not the real time: for trying things out only" << std::endl;
  server.Run();
  spdlog::info("stopped");
  return kExitOk;
}

}  // namespace

int RunServe(const ServeArgs& args) {
  core::StatusOr<int64_t> offset = ClockOffset(args);
  if (!offset.ok()) return Fail(offset.status(), "serve");
  const SystemClock clock(*offset);
  if (!args.schools.empty()) {
    // Checked here, after the --config file has been read: either may set them.
    const char* problem = !args.school.empty() ? "--schools and --school cannot both be given: "
                                                 "--schools lists every school served"
                          : !args.la_schools.empty()
                              ? "--la-school is for one school; with --schools the LA's views "
                                "cover every school served"
                          : !store::IsPostgresUri(args.db)
                              ? "--schools needs a PostgreSQL --db (postgresql://...): one "
                                "database holds the schools"
                              : nullptr;
    if (problem) return Fail(core::InvalidArgument(core::kErrValueInvalid, problem), "serve");
    return ServeSchools(clock, args);
  }
  core::StatusOr<std::shared_ptr<store::PostgresPool>> pool = OpenServePool(args);
  if (!pool.ok()) return Fail(pool.status(), "serve");
  core::StatusOr<std::unique_ptr<store::Store>> store =
      OpenPooledSchool(*pool, args.db, args.school);
  if (!store.ok()) return Fail(store.status(), "serve");
  return Serve(**store, clock, args, *pool, "serve", [&](uint16_t port) {
    // Tests and scripts wait for this line.
    std::cout << "rollcall: serving " << PrintableDb(args.db) << " on "
              << (args.tls_cert.empty() ? "http://" : "https://") << args.address << ":" << port
              << "/" << std::endl;
    // Marks taken on a school's real registers must carry the real time.
    if (!args.now.empty())
      std::cout << "rollcall: the clock runs from " << args.now
                << " (--now), not the real time: for trying things out only" << std::endl;
  });
}

int RunDemo(const ServeArgs& args) {
  core::StatusOr<int64_t> offset = ClockOffset(args);
  if (!offset.ok()) return Fail(offset.status(), "demo");
  const SystemClock clock(*offset);
  if (!store::IsPostgresUri(args.db)) {
    const std::filesystem::path parent = std::filesystem::path(args.db).parent_path();
    std::error_code ec;
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  }
  core::StatusOr<std::shared_ptr<store::PostgresPool>> pool = OpenServePool(args);
  if (!pool.ok()) return Fail(pool.status(), "demo");
  core::StatusOr<std::unique_ptr<store::Store>> store =
      OpenPooledSchool(*pool, args.db, args.school);
  if (!store.ok()) return Fail(store.status(), "demo");
  const bool existed = (*store)->GetSchool().ok();
  if (!existed)
    std::cout << "rollcall demo: creating the demo school in " << PrintableDb(args.db) << " ..."
              << std::endl;
  DemoOptions options;
  options.pupils = args.demo_pupils;
  if (core::Status s =
          SeedDemoSchool(**store, clock.Today(), clock.MinuteOfDay(), clock.NowSeconds(), options);
      !s.ok()) {
    return Fail(s, "demo");
  }
  if (core::Status s = SetDemoMessaging(**store, args, clock.NowSeconds()); !s.ok()) {
    return Fail(s, "demo");
  }
  // The rest of the demo LA: three more schools, beside the demo database
  // (or in the same PostgreSQL database), created the first time.
  ServeArgs serve_args = args;
  std::vector<std::unique_ptr<store::Store>> neighbours;
  bool created = false;
  for (const DemoOptions& neighbour : DemoNeighbours()) {
    std::string where = neighbour.urn;
    if (!store::IsPostgresUri(args.db)) {
      const std::filesystem::path dir = std::filesystem::path(args.db).parent_path() / "la-schools";
      std::error_code ec;
      std::filesystem::create_directories(dir, ec);
      where = (dir / (neighbour.urn + ".db")).string();
    }
    core::StatusOr<std::unique_ptr<store::Store>> opened =
        OpenPooledSchool(*pool, store::IsPostgresUri(args.db) ? args.db : where, neighbour.urn);
    if (!opened.ok()) return Fail(opened.status(), "demo");
    if (!(*opened)->GetSchool().ok()) {
      created = true;
      std::cout << "rollcall demo: creating " << neighbour.school_name << " ..." << std::endl;
      if (core::Status s = SeedDemoSchool(**opened, clock.Today(), clock.MinuteOfDay(),
                                          clock.NowSeconds(), neighbour);
          !s.ok()) {
        return Fail(s, "demo");
      }
    }
    serve_args.la_schools.push_back(where);
    neighbours.push_back(std::move(opened).value());
  }
  if (created) {
    if (core::Status s = LinkDemoNeighbours(**store, *neighbours[0], *neighbours[2], clock.Today(),
                                            clock.MinuteOfDay(), clock.NowSeconds());
        !s.ok()) {
      return Fail(s, "demo");
    }
  }
  neighbours.clear();  // Serve opens them again, as `rollcall serve --la-school` does
  // The secondary school, Castle Hill Academy: a whole school with its own
  // App under /s/URN/, in its own database beside the demo's (or the same
  // PostgreSQL database).
  const DemoOptions secondary = DemoSecondary();
  std::string secondary_db = args.db;
  if (!store::IsPostgresUri(args.db)) {
    secondary_db =
        (std::filesystem::path(args.db).parent_path() / (secondary.urn + ".db")).string();
  }
  core::StatusOr<std::unique_ptr<store::Store>> secondary_store =
      OpenPooledSchool(*pool, secondary_db, secondary.urn);
  if (!secondary_store.ok()) return Fail(secondary_store.status(), "demo");
  if (!(*secondary_store)->GetSchool().ok()) {
    std::cout << "rollcall demo: creating " << secondary.school_name << " ..." << std::endl;
    const auto started = std::chrono::steady_clock::now();
    if (core::Status s = SeedDemoSecondary(**secondary_store, clock.Today(), clock.MinuteOfDay(),
                                           clock.NowSeconds(), secondary);
        !s.ok()) {
      return Fail(s, "demo");
    }
    spdlog::info("seeded {} in {:.1f} s", secondary.school_name,
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  }
  return Serve(
      **store, clock, serve_args, *pool, "demo",
      [&](uint16_t port) {
        std::cout << "\nrollcall demo school is running at "
                  << (args.tls_cert.empty() ? "http://" : "https://") << args.address << ":" << port
                  << "/\n\nLogins (password for all: rollcall-demo):\n";
        for (const DemoLogin& login : DemoLogins()) {
          // teacher2..teacher14 work like teacher1, each with their own class.
          if (login.role == "teacher" && login.username != "teacher1") continue;
          if (login.role == "parent" && login.username != "parent1") continue;
          std::cout << fmt::format("  {:<10} {:<10} {}\n", login.username, login.role, login.sees);
        }
        std::cout << "  (teacher2 ... teacher14 and parent2, parent3 work the same way)\n";
        std::cout << "  The la account also sees the LA's other demo schools at /la/schools.\n";
        std::cout << "\nAPI example:\n  curl -c jar -H 'Content-Type: application/json' -d "
                     "'{\"username\":\"office\",\"password\":\"rollcall-demo\"}' http://"
                  << args.address << ":" << port << "/api/v1/login\n  curl -b jar http://"
                  << args.address << ":" << port << "/api/v1/school/summary\n";
        std::cout << "\nThe demo's secondary school, " << secondary.school_name
                  << " (lesson registers, internal truancy), is at "
                  << (args.tls_cert.empty() ? "http://" : "https://") << args.address << ":" << port
                  << "/s/" << secondary.urn << "/\nLogins (the same password):\n";
        const std::vector<DemoLogin> castle = DemoSecondaryLogins();
        size_t teachers = 0;
        for (const DemoLogin& login : castle) {
          if (login.role == "teacher" && ++teachers > 1) continue;
          std::cout << fmt::format("  {:<16} {:<10} {}\n", login.username, login.role, login.sees);
        }
        std::cout << "  (castle-teacher2 ... castle-teacher" << teachers
                  << " work the same way, each with their own lessons)\n\nCtrl-C stops it."
                  << std::endl;
      },
      {{secondary.urn, secondary_store->get()}});
}

core::StatusOr<std::unique_ptr<store::Store>> OpenSchoolStore(const std::string& db,
                                                              const std::string& school) {
  if (!store::IsPostgresUri(db)) return store::OpenSqliteStore(db);
  if (school.empty()) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "--school URN is required with a PostgreSQL --db: one database "
                                 "holds many schools");
  }
  return store::OpenPostgresStore(db, school);
}

std::string ProxyAddressProblem(const std::string& address) {
  if (web::CanonicalAddress(address)) return "";
  return "not an IP address: " + address;
}

std::string PrintableDb(const std::string& db) {
  if (!store::IsPostgresUri(db)) return db;
  // postgresql://user:secret@host/db -> postgresql://user@host/db
  const size_t authority = db.find("://") + 3;
  const size_t at = db.find('@', authority);
  const size_t colon = db.find(':', authority);
  if (at == std::string::npos || colon == std::string::npos || colon > at) return db;
  return db.substr(0, colon) + db.substr(at);
}

int RunMigrate(const std::string& db) {
  core::StatusOr<int> version =
      store::IsPostgresUri(db) ? store::MigratePostgres(db) : store::MigrateSqlite(db);
  if (!version.ok()) return Fail(version.status(), "migrate");
  std::cout << "rollcall migrate: " << PrintableDb(db) << " is at schema version " << *version
            << "\n";
  return kExitOk;
}

int RunUserAdd(const UserAddArgs& args) {
  std::optional<store::Role> role = store::RoleFromName(args.role);
  if (!role) {
    return Fail(
        core::InvalidArgument(core::kErrValueInvalid,
                              "--role must be teacher, office, attendance, head, dsl, senco, "
                              "governor, la or parent"),
        "user add");
  }
  std::string password;
  std::getline(std::cin, password);
  if (core::Status s = service::ValidateNewUser(args.username, password); !s.ok()) {
    return Fail(s, "user add");
  }
  core::StatusOr<std::unique_ptr<store::Store>> store = OpenSchoolStore(args.db, args.school);
  if (!store.ok()) return Fail(store.status(), "user add");
  store::User user;
  user.username = args.username;
  user.display_name = args.name.empty() ? args.username : args.name;
  user.role = *role;
  user.la_code = args.la_code;
  if (!args.classes.empty()) {
    core::StatusOr<std::vector<store::Class>> classes = (*store)->ListClasses();
    if (!classes.ok()) return Fail(classes.status(), "user add");
    for (const std::string& name : args.classes) {
      auto it = std::find_if(classes->begin(), classes->end(),
                             [&](const store::Class& c) { return c.name == name; });
      if (it == classes->end()) {
        return Fail(core::NotFound(core::kErrClassUnknown, "no class named '" + name + "'"),
                    "user add");
      }
      user.class_ids.push_back(it->id);
    }
  }
  core::StatusOr<std::string> hash = service::HashPassword(password);
  if (!hash.ok()) return Fail(hash.status(), "user add");
  user.password_hash = *hash;
  core::StatusOr<int64_t> id = (*store)->AddUser(user);
  if (!id.ok()) return Fail(id.status(), "user add");
  for (int64_t class_id : user.class_ids) {
    core::StatusOr<std::vector<store::Class>> classes = (*store)->ListClasses();
    if (!classes.ok()) return Fail(classes.status(), "user add");
    for (const store::Class& c : *classes) {
      if (c.id != class_id) continue;
      std::vector<int64_t> teachers = c.teacher_ids;
      teachers.push_back(*id);
      if (core::Status s = (*store)->SetClassTeachers(class_id, teachers); !s.ok()) {
        return Fail(s, "user add");
      }
    }
  }
  std::cout << "rollcall user add: created " << store::RoleName(*role) << " '" << args.username
            << "' (id " << *id << ")\n";
  return kExitOk;
}

int RunUserPassword(const UserAddArgs& args) {
  std::string password;
  std::getline(std::cin, password);
  if (core::Status s = service::ValidateNewUser(args.username, password); !s.ok()) {
    return Fail(s, "user password");
  }
  core::StatusOr<std::unique_ptr<store::Store>> store = OpenSchoolStore(args.db, args.school);
  if (!store.ok()) return Fail(store.status(), "user password");
  core::StatusOr<store::User> user = (*store)->FindUserByName(args.username);
  if (!user.ok()) return Fail(user.status(), "user password");
  core::StatusOr<std::string> hash = service::HashPassword(password);
  if (!hash.ok()) return Fail(hash.status(), "user password");
  // The new hash and the end of every session of the account, together. A
  // server running on the database notices within seconds.
  if (core::Status s = (*store)->SetPassword(user->id, *hash); !s.ok()) {
    return Fail(s, "user password");
  }
  std::cout << "rollcall user password: set for '" << args.username
            << "'; every login of that account has ended\n";
  return kExitOk;
}

int RunUserSecondFactorReset(const UserAddArgs& args) {
  const SystemClock clock;
  core::StatusOr<std::unique_ptr<store::Store>> store = OpenSchoolStore(args.db, args.school);
  if (!store.ok()) return Fail(store.status(), "user second-factor-reset");
  core::StatusOr<store::User> user = (*store)->FindUserByName(args.username);
  if (!user.ok()) return Fail(user.status(), "user second-factor-reset");
  // Logged as every reset is, by no account: the operator's.
  const store::SecondFactorEvent event{.user_id = user->id,
                                       .kind = store::SecondFactorEventKind::kReset,
                                       .at = clock.NowSeconds(),
                                       .by_user_id = 0,
                                       .by_name = "the service's operator (command line)"};
  if (core::Status s = (*store)->RemoveSecondFactor(user->id, event); !s.ok()) {
    return Fail(s, "user second-factor-reset");
  }
  std::cout << "rollcall user second-factor-reset: '" << args.username
            << "' logs in with the password alone again (or sets up a new second factor at once "
               "where the school requires one)\n";
  return kExitOk;
}

}  // namespace rollcall::cli
