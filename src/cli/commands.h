// commands.h
//
// The rollcall subcommands. Each returns the process exit code: 0 success,
// 1 failure of the machine (I/O), 2 invalid input. Errors are one line on stderr.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/evaluate.h"
#include "core/scenario.h"
#include "core/status.h"
#include "store/store.h"

namespace rollcall::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitInvalidInput = 2;

// Reads a whole file, or standard input for "-".
core::StatusOr<std::string> ReadInput(const std::string& path);
// Writes all of `text` to a file (via a temporary and rename, so a reader never
// sees half a file) or to standard output for "" or "-".
core::Status WriteOutput(const std::string& path, const std::string& text);

// Seconds since `start`, for the timings commands print.
double SecondsSince(std::chrono::steady_clock::time_point start);

// Reads and parses a scenario; on failure prints one line (the JSON path and
// problem, or why the file could not be read) on stderr and returns nullopt.
std::optional<core::Scenario> LoadScenarioOrReport(const std::string& path,
                                                   std::string_view command);

// Parses a scenario read by ReadInput; on failure prints one line on stderr
// and returns nullopt.
std::optional<core::Scenario> ParseScenarioOrReport(std::string_view text);

// `rollcall evaluate FILE`.
struct EvaluateArgs {
  std::string path;  // or "-" for standard input
  bool pretty = false;
  std::string engine = "core";  // or "columnar" (src/engine)
  int64_t max_memory_mb = 0;    // refuse inputs estimated to need more; 0: DefaultMaxMemoryMb()
};
int RunEvaluate(const EvaluateArgs& args);
// Half of physical memory, in MiB.
int64_t DefaultMaxMemoryMb();

// `rollcall bench engine`.
struct BenchEngineArgs {
  int64_t pupils = 0;
  int64_t school_size = 400;
  uint64_t seed = 1;
  int threads = 0;  // <= 0: one per core
  int repeat = 3;
  std::string load;           // read the data from this engine file instead of generating it
  std::string save;           // write the data to this engine file
  std::string duckdb;         // path of bench/duckdb/stats.mjs: compare with DuckDB
  int64_t duckdb_pupils = 0;  // compare DuckDB on the first schools up to this many pupils
  std::string duckdb_storage = "memory";  // or "file": a DuckDB database file in work_dir
  int64_t sqlite_pupils = 0;    // compare SQLite on the first schools up to this many pupils
  std::string work_dir;         // for the CSV export (default: the temporary directory)
  std::string json;             // write the figures here as JSON
  std::string as_of;            // evaluation day (default: the generated year's 31 July)
  int64_t core_pupils = 20000;  // the rules core's baseline runs on this many pupils
};
int RunBenchEngine(const BenchEngineArgs& args);

// `rollcall bench ctf`: one Common Transfer File for N leavers.
struct BenchCtfArgs {
  int64_t leavers = 2000;
  int years = 1;  // academic years of marks each, ending last July
};
int RunBenchCtf(const BenchCtfArgs& args);

// `rollcall bench day-one`: a morning's day-one absence messages queued for
// a school of N pupils.
struct BenchDayOneArgs {
  int64_t pupils = 2000;
};
int RunBenchDayOne(const BenchDayOneArgs& args);

// `rollcall bench purge`: a school of N pupils with Y years of marks in an
// SQLite file (bench_purge_command.cc), then the purge's dry run and apply
// timed.
struct BenchPurgeArgs {
  int64_t pupils = 2000;
  int years = 7;
  std::string keep_db;  // leave the database at this path instead of removing it
};
int RunBenchPurge(const BenchPurgeArgs& args);

// `rollcall bench hosted-seed`: the schools of the hosted morning burst
// (bench_hosted_seed.cc): `schools` secondary schools of `classes` forms of
// `class_size` pupils, URNs first_urn, first_urn + 1, ..., each with an
// autumn term around `date` and `days` school days of marks before it, an
// office login (office_user, password) and a teacher per form. A PostgreSQL
// --db holds them all; an SQLite file holds one (the baseline).
struct HostedSeedArgs {
  std::string db;
  int schools = 100;
  int classes = 60;
  int class_size = 30;
  int days = 10;
  int64_t first_urn = 300000;
  std::string date = "2026-11-25";  // the bench day, YYYY-MM-DD
  std::string out_schools;          // write the URNs here, one a line (rollcall serve --schools)
  std::string office_user = "office";
  std::string password = "rollcall-bench";
  int jobs = 2;  // schools written at once
};
int RunHostedSeed(const HostedSeedArgs& args);

// `rollcall bench hosted-load`: the morning burst against running servers
// (bench_hosted_load.cc). `registers` registers a school, each of
// `class_size` marks PUT one after another, start times spread over
// `seconds`, while `readers` clients loop GET school summary; requests
// alternate between the targets. With `baseline`, readers only, against
// one single-school server (paths without the /s/URN prefix).
struct HostedLoadArgs {
  std::vector<std::string> targets;  // http://HOST:PORT
  std::string schools;               // the file of URNs (first word of each line)
  int registers = 60;
  int class_size = 30;
  double seconds = 60;
  int readers = 500;
  std::string date = "2026-11-25";
  std::string session = "AM";
  std::string office_user = "office";
  std::string password = "rollcall-bench";
  uint32_t seed = 1;
  double timeout_seconds = 10;  // a request without its whole answer by then is an error
  // The burst ends this long after the clock starts even when registers are
  // still being taken: their PUTs not yet answered count as errors.
  double give_up_seconds = 300;
  bool baseline = false;
  std::string json;  // also write the figures here
};
int RunHostedLoad(const HostedLoadArgs& args);

// `rollcall purge --db FILE (--dry-run | --apply) [--now TIME]`: removes
// the records past their retention period (docs/retention.md).
struct PurgeArgs {
  std::string db;
  std::string school;  // with a PostgreSQL --db: the school's URN
  bool dry_run = false;
  bool apply = false;
  std::string now;  // UK local time "YYYY-MM-DDTHH:MM" to purge as of; "": the real time
};
int RunPurge(const PurgeArgs& args);

// `rollcall import MARKS.csv`.
struct ImportArgs {
  std::string marks;
  std::string pupils;       // optional pupil list (cohorts, admission and leaving dates)
  std::string db;           // a school's database: record the marks there
  std::string school;       // with a PostgreSQL --db: the school's URN
  std::string user;         // with --db: who imports (office or head)
  std::string engine_file;  // write an engine file of the marks
  std::string calendar;     // with --engine-file: the schools' calendar JSON
  std::string policy;       // with --engine-file: policy JSON (default: national)
};
int RunImport(const ImportArgs& args);

// `rollcall import-roll`: pupils, classes, flags and contacts from the old
// system's CSV files, or a Common Transfer File (docs/import.md).
struct ImportRollArgs {
  std::string db;
  std::string school;  // with a PostgreSQL --db: the school's URN
  std::string pupils;
  std::string contacts;    // optional
  std::string ctf;         // instead of pupils: a Common Transfer File
  std::string start;       // with ctf: the starting day of new pupils, YYYY-MM-DD
  std::string class_name;  // with ctf: the class new pupils join (optional)
  std::string mapping;     // a built-in mapping's name, or a mapping file; "": rollcall's own
  std::string user;        // "": the school's one head
  bool dry_run = false;
};
int RunImportRoll(const ImportRollArgs& args);

// `rollcall ctf`: Common Transfer Files for leavers (docs/ctf.md).
struct CtfArgs {
  std::string db;
  std::string school;               // with a PostgreSQL --db: the school's URN
  std::vector<std::string> pupils;  // ids or UPNs
  bool owed = false;                // every file owed and not produced yet
  std::optional<int> year_group;    // every pupil of the year group on roll this year
  std::string out;                  // the file to write; "-" for standard output
  std::string dest;                 // "LAESTAB", "LA/ESTAB" or MMMMMMM; "": from the deletions
  std::string user;                 // "": the school's one head
};
int RunCtf(const CtfArgs& args);

// `rollcall census`: the school census attendance return (docs/census.md).
struct CensusArgs {
  std::string db;
  std::string school;  // with a PostgreSQL --db: the school's URN
  std::string census;  // spring, summer or autumn
  int year = 0;        // the year the census is taken in
  std::string out;     // the XML ("-": standard output)
  std::string csv;     // optional: the same figures as CSV
  std::string user;    // "": the school's one head
  int repeat = 3;      // bench only: runs to time
};
int RunCensus(const CensusArgs& args);
// `rollcall bench census`: the time to produce the return, nothing recorded.
int RunBenchCensus(const CensusArgs& args);

// `rollcall sar`: a subject access request's copy of everything held about a
// pupil or a contact, as JSON and PDF (docs/subject-access.md).
struct SarArgs {
  std::string db;
  std::string school;            // with a PostgreSQL --db: the school's URN
  std::optional<int64_t> pupil;  // the pupil's id, or
  std::string contact;           // "PUPIL:N": the pupil's Nth contact
  std::string out_json;          // "-": standard output
  std::string out_pdf;
  std::string user;  // "": the school's one head
};
int RunSar(const SarArgs& args);

// `rollcall synth`: the options as parsed; RunSynth validates them.
struct SynthArgs {
  int64_t pupils = 0;
  int64_t years = 0;
  std::string seed;   // decimal, 0 to 2^64 - 1 (checked here, not by the parser)
  std::string out;    // "" or "-": standard output
  std::string as_of;  // "": the library default (2025-07-22)
  std::string phase;  // "": the library default (all-through)
  bool pretty = false;
};
int RunSynth(const SynthArgs& args);

// `rollcall forecast train` and `rollcall forecast evaluate`: fit and measure
// the early-warning model on synthetic secondary schools (forecast_command.cc).
struct ForecastTrainArgs {
  std::string seed;  // decimal, as for synth
  int64_t pupils = 2000;
  std::string out;  // "" or "-": standard output
};
int RunForecastTrain(const ForecastTrainArgs& args);
struct ForecastEvaluateArgs {
  std::string train_seed;
  std::string test_seed;
  int64_t pupils = 2000;
};
int RunForecastEvaluate(const ForecastEvaluateArgs& args);

// The readable summary printed by `rollcall summary` and `make demo`.
std::string FormatSummary(const core::Scenario& scenario, const core::Evaluation& evaluation,
                          size_t pupils_to_show);
int RunSummary(const std::string& path, size_t pupils_to_show);

// `rollcall share`: the daily attendance share now (docs/share.md).
struct ShareArgs {
  std::string db;
  std::string school;  // with a PostgreSQL --db: the school's URN
  std::string out;     // a folder instead of the destination in the settings
  std::string url;     // an https address instead of it
  bool dry_run = false;
};
int RunShare(const ShareArgs& args);

// --db is an SQLite file, or a PostgreSQL URI ("postgresql://...") together
// with --school, the URN of the school to open in that database.
struct ServeArgs {
  std::string db = "rollcall.db";
  // serve only: a file of settings (cli/config_file.h), read before the
  // command runs; the command line wins over it.
  std::string config;
  std::string school;  // PostgreSQL only
  // serve only, PostgreSQL only, instead of --school: a file listing the
  // schools served, one a line, `URN [HOST ...]` (web/hosted.h,
  // docs/hosting.md).
  std::string schools;
  // The other schools the LA officer's cross-school views cover: SQLite
  // files, or with a PostgreSQL --db, URNs of schools in that database.
  std::vector<std::string> la_schools;
  std::string address = "127.0.0.1";
  uint16_t port = 8080;
  int threads = 4;
  // With a PostgreSQL --db: the connections the process's stores share (the
  // school's and the LA's other schools'); 0: threads + 2.
  int db_connections = 0;
  bool quiet = false;       // no per-request log lines
  bool behind_tls = false;  // served over HTTPS by a proxy: Secure cookies and HSTS
  // The reverse proxies whose X-Forwarded-For / X-Real-IP name the client
  // (web::ServerOptions::trusted_proxies).
  std::vector<std::string> trusted_proxies;
  // PEM certificate (chain) and private key: serve HTTPS itself, with Secure
  // cookies and HSTS (docs/tls.md). Both or neither.
  std::string tls_cert;
  std::string tls_key;
  int demo_pupils = 420;  // demo only: size of the school created
  // "": the real time; else the clock runs from this UK local time
  // (YYYY-MM-DDTHH:MM), for trying things out and tests.
  std::string now;
  // How often the background loop runs the scheduled jobs (webhooks'
  // fan-out and delivery): web::App::RunScheduledJobs.
  int jobs_interval_ms = 2000;
  // How often a request asks the database what other processes committed
  // (service::School::ReloadIfWrittenOutside); unset: on every request, so
  // a write by another server or by `rollcall import` is in the next answer.
  std::optional<int64_t> outside_check_ms;
};
int RunServe(const ServeArgs& args);
// Creates the demo school in args.db if it has no school yet, then serves it.
int RunDemo(const ServeArgs& args);
int RunMigrate(const std::string& db);
// Opens the SQLite file or, for a PostgreSQL URI, the school `school` in it
// (InvalidArgument when `school` is missing).
core::StatusOr<std::unique_ptr<store::Store>> OpenSchoolStore(const std::string& db,
                                                              const std::string& school);
// Prints "rollcall COMMAND: message" and returns the exit code: invalid
// input (2) for bad input, a refusal or something not found, else 1.
int ReportProblem(std::string_view command, const core::Status& status);
// The account `username` names, or with none named the school's one head:
// who `doing` ("imports"), the change recorded in their name.
// InvalidArgument naming --user otherwise.
core::StatusOr<store::User> UserOrTheHead(store::Store& store, const std::string& username,
                                          std::string_view doing);
// `db` as it may be printed: a PostgreSQL URI without its password.
std::string PrintableDb(const std::string& db);

// "" when `address` is an IP address --trusted-proxy accepts, else what is
// wrong with it (the server's own reading of addresses: web/client_address.h).
std::string ProxyAddressProblem(const std::string& address);

// `rollcall backup`: a checked copy of an SQLite school database, taken while
// a server may be using it (docs/backups.md).
struct BackupArgs {
  std::string db;
  std::string out;
  bool force = false;  // replace an existing --out
};
int RunBackup(const BackupArgs& args);

// `rollcall restore`: a checked backup put in place of --db, migrated to this
// program's schema; a database replaced (--force) is kept beside it.
struct RestoreArgs {
  std::string backup;
  std::string db;
  bool force = false;
};
int RunRestore(const RestoreArgs& args);

// `rollcall init`: set up a school in an empty database. Each flag given
// overrides the same answer in the --from file (docs/setup.md).
struct InitArgs {
  std::string db;
  std::string school;  // PostgreSQL only: the URN to open
  std::string from;    // the set-up JSON file
  std::optional<std::string> name, urn, la, estab, phase, postcode, am_start, pm_start;
  std::optional<std::string> head_username, head_name;
  std::optional<int> register_close_minutes;
  std::vector<std::string> address;  // a line each
  std::string term_dates;            // a term-dates file (io/term_dates.h)
};
// Reads the head's password from the first line of standard input.
int RunInit(const InitArgs& args);

struct UserAddArgs {
  std::string db;
  std::string school;  // PostgreSQL only
  std::string username;
  std::string name;
  std::string role;
  std::string la_code;
  std::vector<std::string> classes;  // class names a teacher registers
};
// Reads the password from the first line of standard input.
int RunUserAdd(const UserAddArgs& args);
// Sets a new password (first line of standard input) for args.username and
// ends every session of theirs: the operator's reset, for any account.
int RunUserPassword(const UserAddArgs& args);
// Removes args.username's second factor (a lost phone, where no head can:
// the school's only head, or an LA officer), logged as a reset.
int RunUserSecondFactorReset(const UserAddArgs& args);

}  // namespace rollcall::cli
