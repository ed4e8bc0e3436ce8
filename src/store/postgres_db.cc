// postgres_db.cc: the PostgreSQL driver of sql_db.h, over libpq.
#include "store/postgres_db.h"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <charconv>
#include <optional>
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
std::string FirstLine(const char* message) {
  std::string_view text = message != nullptr ? message : "";
  text = text.substr(0, text.find('\n'));
  return std::string(text);
}

bool Ok(const PGresult* result) {
  const ExecStatusType status = PQresultStatus(result);
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

// One execution of a prepared statement: the parameters as text, then the
// whole result, stepped through row by row.
class PgCursor final : public sql::Cursor {
 public:
  PgCursor(PGconn* conn, const std::string* name, int params)
      : conn_(conn),
        name_(name),
        params_(static_cast<size_t>(params)),
        binary_(static_cast<size_t>(params), 0) {}

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
      std::vector<const char*> values(params_.size(), nullptr);
      std::vector<int> lengths(params_.size(), 0);
      for (size_t i = 0; i < params_.size(); ++i) {
        if (params_[i]) {
          values[i] = params_[i]->c_str();
          lengths[i] = static_cast<int>(params_[i]->size());
        }
      }
      result_.reset(PQexecPrepared(conn_, name_->c_str(), static_cast<int>(values.size()),
                                   values.data(), lengths.data(), binary_.data(),
                                   /*resultFormat=*/0));
      if (!Ok(result_.get())) {
        core::Status error = ErrorStatus(conn_, result_.get(), "running a statement");
        result_.reset();
        return error;
      }
      rows_ = PQntuples(result_.get());
    }
    ++row_;
    return row_ < rows_;
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

  PGconn* conn_;
  const std::string* name_;  // owned by Db's cache, which outlives the cursor
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
  if (PQstatus(conn) == CONNECTION_BAD) {
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
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (conn == nullptr) {
    return core::Unavailable(core::kErrDbOpen, "cannot connect to PostgreSQL: out of memory");
  }
  std::unique_ptr<Db> db(new Db(conn));
  if (PQstatus(conn) != CONNECTION_OK) {
    // libpq quotes a connection string it cannot parse, password and all.
    std::string reason = FirstLine(PQerrorMessage(conn));
    for (size_t at = reason.find(conninfo); !conninfo.empty() && at != std::string::npos;
         at = reason.find(conninfo, at)) {
      reason.replace(at, conninfo.size(), "(the connection string)");
    }
    return core::Unavailable(core::kErrDbOpen,
                             fmt::format("cannot connect to PostgreSQL: {}", reason));
  }
  RETURN_IF_ERROR(db->Exec(
      "SET client_encoding = 'UTF8'; SET lock_timeout = '5s'; SET client_min_messages = warning; "
      "SET application_name = 'rollcall'"));
  ASSIGN_OR_RETURN(Statement role,
                   db->Prepare("SELECT current_user, rolsuper OR rolbypassrls FROM pg_roles "
                               "WHERE rolname = current_user"));
  ASSIGN_OR_RETURN(bool row, role.Step());
  if (row && role.Text(1) == "t") {
    return core::PermissionDenied(
        core::kErrDbOpen,
        fmt::format("PostgreSQL role '{}' is a superuser or has BYPASSRLS, so row-level "
                    "security would not keep the schools apart; connect as an ordinary role",
                    role.Text(0)));
  }
  return db;
}

Db::~Db() { PQfinish(conn_); }

core::Status Db::Exec(const char* sql) {
  // The simple query protocol runs several statements in one call.
  Result result(PQexec(conn_, sql));
  if (!Ok(result.get())) return ErrorStatus(conn_, result.get(), "executing SQL");
  return core::OkStatus();
}

core::StatusOr<Statement> Db::Prepare(std::string_view sql) {
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    Prepared prepared;
    const std::string text = TranslatePlaceholders(sql, &prepared.params);
    prepared.name = fmt::format("rollcall_{}", prepared_.size() + 1);
    Result result(PQprepare(conn_, prepared.name.c_str(), text.c_str(), 0, nullptr));
    if (!Ok(result.get())) return ErrorStatus(conn_, result.get(), "preparing a statement");
    it = prepared_.emplace(std::string(sql), std::move(prepared)).first;
  }
  return Statement(std::make_unique<PgCursor>(conn_, &it->second.name, it->second.params));
}

core::Status Db::BeginWrite() {
  RETURN_IF_ERROR(Run("BEGIN"));
  ASSIGN_OR_RETURN(Statement lock, Prepare("SELECT pg_advisory_xact_lock(?1)"));
  lock.Bind(1, write_lock_);
  if (core::Status locked = lock.Run(); !locked.ok()) {
    (void)Rollback();
    return locked;
  }
  return core::OkStatus();
}

core::Status Db::BeginRead() { return Run("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"); }

core::Status Db::Commit() { return Run("COMMIT"); }

core::Status Db::Rollback() { return Run("ROLLBACK"); }

core::StatusOr<int64_t> Db::ReserveId(std::string_view table) {
  ASSIGN_OR_RETURN(Statement stmt, Prepare("SELECT nextval(pg_get_serial_sequence(?1, 'id'))"));
  stmt.Bind(1, table);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return core::Internal(core::kErrDbError, "nextval gave no row");
  return stmt.Int64(0);
}

}  // namespace rollcall::store::postgres
