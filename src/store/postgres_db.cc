// postgres_db.cc: the PostgreSQL driver of sql_db.h, over libpq.
#include "store/postgres_db.h"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "core/error_codes.h"

namespace rollcall::store::postgres {
namespace {

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

// libpq's messages end with a newline and may run to several lines (DETAIL,
// HINT): the first line says what went wrong.
// A FATAL (or PANIC) error ends the session: the server closes the
// connection after sending it (pg_terminate_backend, a shutdown), though
// libpq may not have seen the socket close yet.
bool EndsSession(const PGresult* result) {
  const char* severity =
      result != nullptr ? PQresultErrorField(result, PG_DIAG_SEVERITY_NONLOCALIZED) : nullptr;
  if (severity == nullptr) return false;
  const std::string_view level = severity;
  return level == "FATAL" || level == "PANIC";
}

bool Ok(const PGresult* result) {
  const ExecStatusType status = PQresultStatus(result);
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

// One execution of a prepared statement: the parameters as text, then the
// whole result, stepped through row by row (or, for Run inside a write
// transaction, pipelined).
class PgCursor final : public sql::Cursor {
 public:
  PgCursor(Db* db, const Prepared* prepared)
      : db_(db),
        prepared_(prepared),
        params_(static_cast<size_t>(prepared->params)),
        binary_(static_cast<size_t>(prepared->params), 0) {}

  void BindInt64(int index, int64_t value) override { Set(index, std::to_string(value)); }
  void BindText(int index, std::string_view value) override { Set(index, std::string(value)); }
  void BindNull(int index) override { Set(index, std::nullopt); }
  // bytea travels in binary format, so its bytes need no escaping.
  void BindBlob(int index, std::string_view bytes) override {
    Set(index, std::string(bytes));
    if (index >= 1 && static_cast<size_t>(index) <= binary_.size()) {
      binary_[static_cast<size_t>(index) - 1] = 1;
    }
  }

  core::StatusOr<bool> Step() override {
    if (!result_) {
      if (!bind_error_.empty()) return core::Internal(core::kErrDbError, bind_error_);
      std::vector<const char*> values;
      std::vector<int> lengths;
      Values(&values, &lengths);
      ASSIGN_OR_RETURN(PGresult * result, db_->ExecPrepared(*prepared_, values, lengths, binary_));
      result_.reset(result);
      rows_ = PQntuples(result_.get());
    }
    ++row_;
    return row_ < rows_;
  }

  core::Status Run() override {
    // Already executed (InsertReturningId read its row): nothing to send.
    if (result_) return core::OkStatus();
    if (!bind_error_.empty()) return core::Internal(core::kErrDbError, bind_error_);
    if (!db_->CanPipeline(*prepared_)) return sql::Cursor::Run();
    std::vector<const char*> values;
    std::vector<int> lengths;
    Values(&values, &lengths);
    return db_->Pipeline(*prepared_, values, lengths, binary_);
  }

  bool IsNull(int col) const override { return PQgetisnull(result_.get(), row_, col) != 0; }

  int64_t Int64(int col) const override {
    const char* text = PQgetvalue(result_.get(), row_, col);
    const int size = PQgetlength(result_.get(), row_, col);
    int64_t value = 0;
    std::from_chars(text, text + size, value);
    return value;
  }

  std::string Text(int col) const override {
    return std::string(PQgetvalue(result_.get(), row_, col),
                       static_cast<size_t>(PQgetlength(result_.get(), row_, col)));
  }

  // Results come in text format, where bytea is escaped (a backslash, "x", then hex):
  // libpq undoes it.
  std::string Blob(int col) const override {
    const auto* text = reinterpret_cast<const unsigned char*>(PQgetvalue(result_.get(), row_, col));
    size_t size = 0;
    unsigned char* bytes = PQunescapeBytea(text, &size);
    if (bytes == nullptr) return {};
    std::string out(reinterpret_cast<const char*>(bytes), size);
    PQfreemem(bytes);
    return out;
  }

 private:
  void Set(int index, std::optional<std::string> value) {
    if (index < 1 || static_cast<size_t>(index) > params_.size()) {
      if (bind_error_.empty()) {
        bind_error_ = fmt::format("binding a parameter: no parameter ?{} in the statement", index);
      }
      return;
    }
    params_[static_cast<size_t>(index) - 1] = std::move(value);
  }

  void Values(std::vector<const char*>* values, std::vector<int>* lengths) const {
    values->assign(params_.size(), nullptr);
    lengths->assign(params_.size(), 0);
    for (size_t i = 0; i < params_.size(); ++i) {
      if (params_[i]) {
        (*values)[i] = params_[i]->c_str();
        (*lengths)[i] = static_cast<int>(params_[i]->size());
      }
    }
  }

  Db* db_;
  const Prepared* prepared_;  // owned by the pool, which outlives the cursor
  std::vector<std::optional<std::string>> params_;
  std::vector<int> binary_;  // per parameter: 1 for binary format (bytea), 0 for text
  std::string bind_error_;
  Result result_;
  int rows_ = 0;
  int row_ = -1;
};

}  // namespace

std::string TranslatePlaceholders(std::string_view sql, int* params) {
  std::string out;
  out.reserve(sql.size() + 8);
  *params = 0;
  size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {
      // A literal or quoted identifier; a doubled quote inside is an escape
      // and simply reopens it on the next pass.
      const size_t end = sql.find(c, i + 1);
      const size_t stop = end == std::string_view::npos ? sql.size() : end + 1;
      out.append(sql.substr(i, stop - i));
      i = stop;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      const size_t end = sql.find('\n', i);
      const size_t stop = end == std::string_view::npos ? sql.size() : end;
      out.append(sql.substr(i, stop - i));
      i = stop;
    } else if (c == '?' && i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
      size_t end = i + 1;
      int number = 0;
      while (end < sql.size() && sql[end] >= '0' && sql[end] <= '9') {
        number = number * 10 + (sql[end] - '0');
        ++end;
      }
      *params = std::max(*params, number);
      out.push_back('$');
      out.append(sql.substr(i + 1, end - i - 1));
      i = end;
    } else {
      out.push_back(c);
      ++i;
    }
  }
  return out;
}

core::Status ErrorStatus(PGconn* conn, const PGresult* result, std::string_view what) {
  if (PQstatus(conn) == CONNECTION_BAD || EndsSession(result)) {
    return core::Unavailable(core::kErrDbOpen,
                             fmt::format("{}: lost the connection to PostgreSQL: {}", what,
                                         FirstLine(PQerrorMessage(conn))));
  }
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const char* primary =
      result != nullptr ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  const std::string message = primary != nullptr ? primary : FirstLine(PQerrorMessage(conn));
  const std::string_view sqlstate = state != nullptr ? state : "";
  if (sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "55P03") {
    return core::Unavailable(core::kErrDbBusy,
                             fmt::format("{}: database is busy ({})", what, message));
  }
  if (sqlstate == "25006" || sqlstate == "42501") {
    return core::PermissionDenied(core::kErrDbError,
                                  fmt::format("{}: {} ({})", what, message, sqlstate));
  }
  return core::Internal(core::kErrDbError, fmt::format("{}: {} ({})", what, message, sqlstate));
}

core::StatusOr<std::unique_ptr<Db>> Db::Open(const std::string& conninfo) {
  ASSIGN_OR_RETURN(std::shared_ptr<Pool> pool, Pool::Open(conninfo, 1));
  return std::make_unique<Db>(std::move(pool));
}

Db::~Db() {
  if (held_ == nullptr) return;
  if (in_transaction_) (void)Rollback();
  in_transaction_ = false;
  Release();
}

core::Status Db::Acquire() {
  if (held_ != nullptr) return core::OkStatus();
  ASSIGN_OR_RETURN(held_, pool_->Checkout(session_settings_));
  return core::OkStatus();
}

void Db::Release() {
  if (held_ == nullptr || in_transaction_) return;
  if (!Lost()) {
    // Idle before the next handle gets it: nothing of this one's pipeline or
    // transaction may reach another school's work.
    if (PQpipelineStatus(held_->conn) != PQ_PIPELINE_OFF) (void)Flush();
    if (!Lost() && PQtransactionStatus(held_->conn) != PQTRANS_IDLE) {
      Result rollback(PQexec(held_->conn, "ROLLBACK"));
    }
  }
  pipelined_ = 0;
  pool_->Return(std::exchange(held_, nullptr));
}

core::Status Db::SetSessionSetting(std::string_view name, std::string_view value) {
  auto it = std::find_if(session_settings_.begin(), session_settings_.end(),
                         [&](const auto& setting) { return setting.first == name; });
  if (it == session_settings_.end()) {
    session_settings_.emplace_back(std::string(name), std::string(value));
  } else {
    it->second = std::string(value);
  }
  return core::OkStatus();
}

core::StatusOr<std::string> Db::ScopeSql(const std::vector<Setting>& changes) const {
  std::string sql = "SELECT ";
  for (size_t i = 0; i < changes.size(); ++i) {
    // Names and values are the store's own (a URN, an id, an LA code, on or
    // off), quoted all the same.
    char* name = PQescapeLiteral(held_->conn, changes[i].first.data(), changes[i].first.size());
    char* value = PQescapeLiteral(held_->conn, changes[i].second.data(), changes[i].second.size());
    if (name != nullptr && value != nullptr) {
      sql += fmt::format("{}set_config({}, {}, false)", i > 0 ? ", " : "", name, value);
    }
    PQfreemem(name);
    PQfreemem(value);
    if (name == nullptr || value == nullptr) {
      return core::Internal(core::kErrDbError,
                            fmt::format("setting the connection's school: cannot quote {}: {}",
                                        changes[i].first, FirstLine(PQerrorMessage(held_->conn))));
    }
  }
  return sql;
}

void Db::Adopt(const std::vector<Setting>& changes, bool applied) {
  // A value no setting can have makes the next checkout send it again.
  static const std::string kUnknown = "\x01unknown";
  for (const Setting& change : changes) {
    const std::string& name = change.first;
    const std::string& now = applied ? change.second : kUnknown;
    auto it = std::find_if(held_->settings.begin(), held_->settings.end(),
                           [&](const Setting& setting) { return setting.first == name; });
    if (it == held_->settings.end()) {
      held_->settings.emplace_back(name, now);
    } else {
      it->second = now;
    }
  }
}

core::Status Db::ApplyScope() {
  const std::vector<Setting> changes = ScopeChanges(held_->settings, session_settings_);
  if (changes.empty()) return core::OkStatus();
  // On its own, outside any transaction: committed at once, so no later
  // rollback undoes it.
  ASSIGN_OR_RETURN(std::string sql, ScopeSql(changes));
  Result result(PQexec(held_->conn, sql.c_str()));
  const bool applied = Ok(result.get());
  Adopt(changes, applied);
  if (!applied) return Failure(result.get(), "setting the connection's school");
  return core::OkStatus();
}

bool Db::Lost() const {
  return held_ != nullptr && (held_->broken || PQstatus(held_->conn) == CONNECTION_BAD);
}

core::Status Db::EnsureConnected() {
  if (in_transaction_ || reconnecting_ || !Lost()) return core::OkStatus();
  return Reconnect();
}

core::Status Db::Reconnect() {
  if (reconnecting_) {
    return core::Unavailable(core::kErrDbOpen, "lost the connection to PostgreSQL again");
  }
  reconnecting_ = true;
  core::Status status = ReconnectWithPauses();
  reconnecting_ = false;
  return status;
}

core::Status Db::ReconnectWithPauses() {
  std::string reason;
  for (size_t attempt = 0; attempt <= std::size(kReconnectPauses); ++attempt) {
    if (attempt > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(kReconnectPauses[attempt - 1]));
    }
    core::StatusOr<PGconn*> conn = Pool::Connect(pool_->conninfo());
    if (!conn.ok()) {
      // A role refused for bypassing row-level security stays refused.
      if (conn.status().kind() != core::ErrorKind::kUnavailable) return conn.status();
      reason = conn.status().message();
      continue;
    }
    // Everything tied to the old connection goes with it: its prepared
    // statements (prepared again on first use), its settings (set again on
    // first use), its pipeline, its transaction.
    held_->Replace(*conn);
    pipelined_ = 0;
    in_transaction_ = false;
    return core::OkStatus();
  }
  return core::Unavailable(core::kErrDbOpen,
                           fmt::format("lost the connection to PostgreSQL and could not connect "
                                       "again: {}",
                                       reason));
}

core::Status Db::Failure(const PGresult* result, std::string_view what) {
  if (EndsSession(result)) held_->broken = true;
  if (in_transaction_ && Lost()) transaction_lost_ = true;
  if (result == nullptr && held_->broken && PQstatus(held_->conn) != CONNECTION_BAD) {
    return core::Unavailable(core::kErrDbOpen,
                             fmt::format("{}: lost the connection to PostgreSQL", what));
  }
  return ErrorStatus(held_->conn, result, what);
}

core::Status Db::ExecHeld(const char* sql) {
  // The simple query protocol runs several statements in one call.
  Result result(PQexec(held_->conn, sql));
  if (!Ok(result.get())) return Failure(result.get(), "executing SQL");
  return core::OkStatus();
}

core::Status Db::Exec(const char* sql) {
  if (in_transaction_) {
    RETURN_IF_ERROR(Flush());
    return ExecHeld(sql);
  }
  RETURN_IF_ERROR(Acquire());
  core::Status status = EnsureConnected();
  if (status.ok()) status = ApplyScope();
  if (status.ok()) status = ExecHeld(sql);
  Release();
  return status;
}

core::Status Db::EnsurePrepared(const Prepared& prepared) {
  const auto index = static_cast<size_t>(prepared.index);
  if (index < held_->prepared.size() && held_->prepared[index]) return core::OkStatus();
  RETURN_IF_ERROR(Flush());
  Result result(PQprepare(held_->conn, prepared.name.c_str(), prepared.text.c_str(), 0, nullptr));
  if (!Ok(result.get())) return Failure(result.get(), "preparing a statement");
  if (held_->prepared.size() <= index) held_->prepared.resize(index + 1, false);
  held_->prepared[index] = true;
  return core::OkStatus();
}

const Prepared& Db::Lookup(std::string_view sql) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) return *it->second;
  const Prepared& prepared = pool_->Register(sql);
  statements_.emplace(std::string(sql), &prepared);
  return prepared;
}

core::StatusOr<Statement> Db::Prepare(std::string_view sql) {
  const Prepared& prepared = Lookup(sql);
  // Inside a transaction the statement is prepared now on the connection
  // the transaction holds (so a pipelined write finds it ready); outside
  // one, on whichever connection runs it.
  if (in_transaction_) RETURN_IF_ERROR(EnsurePrepared(prepared));
  return Statement(std::make_unique<PgCursor>(this, &prepared));
}

core::StatusOr<PGresult*> Db::ExecPrepared(const Prepared& prepared,
                                           const std::vector<const char*>& values,
                                           const std::vector<int>& lengths,
                                           const std::vector<int>& binary) {
  if (in_transaction_) return ExecPreparedHeld(prepared, values, lengths, binary);
  RETURN_IF_ERROR(Acquire());
  // The whole result is read before the connection goes back.
  core::StatusOr<PGresult*> result = ExecPreparedHeld(prepared, values, lengths, binary);
  Release();
  return result;
}

core::StatusOr<PGresult*> Db::ExecPreparedHeld(const Prepared& prepared,
                                               const std::vector<const char*>& values,
                                               const std::vector<int>& lengths,
                                               const std::vector<int>& binary) {
  RETURN_IF_ERROR(Flush());
  for (int attempt = 1;; ++attempt) {
    RETURN_IF_ERROR(EnsureConnected());
    // Setting the scope and preparing change no data, so a connection found
    // lost there is replaced and they run again.
    core::Status ready = in_transaction_ ? core::OkStatus() : ApplyScope();
    if (ready.ok()) ready = EnsurePrepared(prepared);
    if (!ready.ok()) {
      if (attempt == 1 && !in_transaction_ && Lost()) continue;
      return ready;
    }
    Result result(PQexecPrepared(held_->conn, prepared.name.c_str(),
                                 static_cast<int>(values.size()), values.data(), lengths.data(),
                                 binary.data(), /*resultFormat=*/0));
    if (Ok(result.get())) return result.release();
    if (EndsSession(result.get())) held_->broken = true;
    // Outside a transaction a SELECT changes nothing (the store's SELECTs
    // outside transactions read), so one whose connection was lost runs
    // again on a new connection. Anything else may have been applied before
    // the connection went: never repeated.
    if (attempt == 1 && !in_transaction_ && prepared.select && Lost()) continue;
    return Failure(result.get(), "running a statement");
  }
}

bool Db::CanPipeline(const Prepared& prepared) const {
  if (!prepared.deferrable || !in_transaction_ || xact_id_.empty() || held_ == nullptr) {
    return false;
  }
  const auto index = static_cast<size_t>(prepared.index);
  return index < held_->prepared.size() && held_->prepared[index] && !Lost();
}

core::Status Db::Pipeline(const Prepared& prepared, const std::vector<const char*>& values,
                          const std::vector<int>& lengths, const std::vector<int>& binary) {
  if (pipelined_ >= kMaxPipelined) RETURN_IF_ERROR(Flush());
  PGconn* conn = held_->conn;
  if (PQpipelineStatus(conn) == PQ_PIPELINE_OFF && PQenterPipelineMode(conn) != 1) {
    return Failure(nullptr, "starting a pipeline");
  }
  if (PQsendQueryPrepared(conn, prepared.name.c_str(), static_cast<int>(values.size()),
                          values.data(), lengths.data(), binary.data(),
                          /*resultFormat=*/0) != 1) {
    return Failure(nullptr, "sending a statement");
  }
  ++pipelined_;
  return core::OkStatus();
}

core::Status Db::Flush() {
  if (held_ == nullptr || PQpipelineStatus(held_->conn) == PQ_PIPELINE_OFF) {
    return core::OkStatus();
  }
  PGconn* conn = held_->conn;
  if (Lost()) {
    // The pipeline went with the connection; Reconnect starts afresh.
    pipelined_ = 0;
    if (!in_transaction_) return core::OkStatus();
    return Failure(nullptr, "sending a pipeline");
  }
  core::Status first = core::OkStatus();
  if (PQpipelineSync(conn) != 1) first = Failure(nullptr, "sending a pipeline");
  // Each statement answers with its result and then nullptr, the sync with
  // one PGRES_PIPELINE_SYNC; after an error the statements skipped answer
  // PGRES_PIPELINE_ABORTED. Reading up to the sync leaves the connection idle.
  int separators = 0;
  while (!Lost()) {
    PGresult* raw = PQgetResult(conn);
    if (raw == nullptr) {
      if (++separators > pipelined_ + 1) break;
      continue;
    }
    Result result(raw);
    const ExecStatusType status = PQresultStatus(raw);
    if (status == PGRES_PIPELINE_SYNC) break;
    if (status != PGRES_PIPELINE_ABORTED && !Ok(raw) && first.ok()) {
      first = Failure(raw, "running a statement");
    }
  }
  pipelined_ = 0;
  if (Lost()) {
    // A lost connection's pipeline goes with it (Reconnect).
    return first.ok() ? Failure(nullptr, "reading a pipeline's answers") : first;
  }
  if (PQexitPipelineMode(conn) != 1 && first.ok()) {
    first = Failure(nullptr, "ending a pipeline");
  }
  return first;
}

core::Status Db::BeginOnce(bool write) {
  RETURN_IF_ERROR(EnsureConnected());
  transaction_lost_ = false;
  xact_id_.clear();
  // The scope, when the connection served another school last, travels in
  // the same round trip, in a transaction of its own committed before BEGIN:
  // a setting made inside the store's transaction would be undone by its
  // rollback, and one made before BEGIN in the same query string would join
  // it (and a bare COMMIT after it draws a warning).
  const std::vector<Setting> changes = ScopeChanges(held_->settings, session_settings_);
  std::string sql;
  if (!changes.empty()) {
    ASSIGN_OR_RETURN(std::string scope, ScopeSql(changes));
    sql = "BEGIN; " + scope + "; COMMIT; ";
  }
  // The lock key is one of the store's numbers, never input.
  sql += write ? fmt::format("BEGIN; SELECT pg_advisory_xact_lock({}), pg_current_xact_id()",
                             write_lock_)
               : std::string("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
  PGconn* conn = held_->conn;
  Result result(PQexec(conn, sql.c_str()));
  if (!Ok(result.get())) {
    if (EndsSession(result.get())) held_->broken = true;
    Adopt(changes, /*applied=*/false);
    core::Status status = ErrorStatus(conn, result.get(), "starting a transaction");
    // BEGIN went through but the lock did not (lock_timeout): end it.
    if (!Lost() && PQtransactionStatus(conn) != PQTRANS_IDLE) {
      Result rollback(PQexec(conn, "ROLLBACK"));
    }
    return status;
  }
  Adopt(changes, /*applied=*/true);
  if (write) {
    if (PQntuples(result.get()) != 1) {
      Result rollback(PQexec(conn, "ROLLBACK"));
      return core::Internal(core::kErrDbError, "starting a transaction: no transaction id");
    }
    xact_id_ = PQgetvalue(result.get(), 0, 1);
  }
  in_transaction_ = true;
  return core::OkStatus();
}

core::Status Db::Begin(bool write) {
  if (in_transaction_) {
    return core::Internal(core::kErrDbError, "starting a transaction: one is open already");
  }
  // A checkout that finds every connection busy has lost nothing.
  transaction_lost_ = false;
  RETURN_IF_ERROR(Acquire());
  core::Status begun = BeginOnce(write);
  // Nothing of a transaction has run before it began: a connection found
  // lost at BEGIN is replaced and the transaction begun again.
  if (!begun.ok() && Lost()) begun = BeginOnce(write);
  if (!begun.ok()) Release();
  return begun;
}

core::Status Db::BeginWrite() { return Begin(/*write=*/true); }

core::Status Db::BeginRead() { return Begin(/*write=*/false); }

core::Status Db::Commit() {
  if (held_ == nullptr) {
    return core::Internal(core::kErrDbError, "committing: no transaction is open");
  }
  core::Status status = CommitHeld();
  Release();  // unless the transaction is still open for the caller's Rollback
  return status;
}

core::Status Db::CommitHeld() {
  if (Lost()) {
    in_transaction_ = false;
    transaction_lost_ = true;
    return core::Unavailable(core::kErrDbOpen,
                             "lost the connection to PostgreSQL before COMMIT: nothing of the "
                             "transaction was saved");
  }
  // The pipelined statements' errors come back here, before COMMIT is sent;
  // the transaction stays open for the caller's Rollback.
  RETURN_IF_ERROR(Flush());
  Result result(PQexec(held_->conn, "COMMIT"));
  if (Ok(result.get())) {
    in_transaction_ = false;
    // COMMIT of a transaction that had failed answers ROLLBACK, not an error.
    if (std::string_view(PQcmdStatus(result.get())) == "ROLLBACK") {
      return core::Internal(core::kErrDbError,
                            "committing: the transaction had failed and was rolled back");
    }
    return core::OkStatus();
  }
  // A FATAL answer (the backend terminated, the server shutting down) or no
  // answer at all does not say the transaction was rolled back: it may have
  // committed first. Only the server, asked again, can tell.
  if (result.get() == nullptr || EndsSession(result.get())) held_->broken = true;
  if (!Lost()) {
    // Refused at commit (a deferred constraint, a serialisation failure): the
    // server rolled it back.
    core::Status refused = Failure(result.get(), "committing");
    in_transaction_ = false;
    return refused;
  }
  in_transaction_ = false;
  return SettleLostCommit();
}

core::Status Db::SettleLostCommit() {
  const std::string xact_id = std::exchange(xact_id_, std::string());
  if (xact_id.empty()) {
    // A read-only transaction: nothing to save.
    transaction_lost_ = true;
    return core::Unavailable(core::kErrDbOpen, "lost the connection to PostgreSQL");
  }
  auto unknown = [](std::string_view why) {
    return core::Unavailable(core::kErrDbCommitUnknown,
                             fmt::format("lost the connection to PostgreSQL while committing, and "
                                         "{}: the change may or may not have been saved",
                                         why));
  };
  if (core::Status reconnected = Reconnect(); !reconnected.ok()) {
    return unknown(reconnected.message());
  }
  const char* values[] = {xact_id.c_str()};
  Result result(PQexecParams(held_->conn, "SELECT pg_xact_status($1::xid8)", 1, nullptr, values,
                             nullptr, nullptr, 0));
  if (!Ok(result.get()) || PQntuples(result.get()) != 1 || PQgetisnull(result.get(), 0, 0)) {
    return unknown("the server could not say what became of the transaction");
  }
  const std::string_view outcome = PQgetvalue(result.get(), 0, 0);
  if (outcome == "committed") return core::OkStatus();
  if (outcome == "aborted") {
    transaction_lost_ = true;
    return core::Unavailable(core::kErrDbOpen,
                             "lost the connection to PostgreSQL while committing; the server "
                             "rolled the transaction back, so nothing of it was saved");
  }
  // "in progress": the old backend has not noticed yet that its client went.
  return unknown("the old connection's transaction is still open on the server");
}

core::Status Db::Rollback() {
  if (held_ == nullptr) {
    in_transaction_ = false;
    xact_id_.clear();
    return core::OkStatus();
  }
  (void)Flush();  // its answers no longer matter
  const bool open = in_transaction_;
  in_transaction_ = false;
  xact_id_.clear();
  core::Status status = core::OkStatus();
  // The server rolls back a lost connection's transaction itself.
  if (!Lost() && (open || PQtransactionStatus(held_->conn) != PQTRANS_IDLE)) {
    Result result(PQexec(held_->conn, "ROLLBACK"));
    if (!Ok(result.get())) status = ErrorStatus(held_->conn, result.get(), "rolling back");
  }
  Release();
  return status;
}

core::StatusOr<int64_t> Db::ReserveId(std::string_view table) {
  ASSIGN_OR_RETURN(Statement stmt, Prepare("SELECT nextval(pg_get_serial_sequence(?1, 'id'))"));
  stmt.Bind(1, table);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return core::Internal(core::kErrDbError, "nextval gave no row");
  return stmt.Int64(0);
}

}  // namespace rollcall::store::postgres
