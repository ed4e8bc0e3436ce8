// share.cc: the daily attendance share (share.h).
#include "service/share.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <tuple>
#include <utility>

#include "core/error_codes.h"
#include "core/uk_time.h"
#include "io/files.h"
#include "service/fields.h"
#include "service/password.h"
#include "service/records.h"

namespace rollcall::service {
namespace {

bool IsAddress(std::string_view destination) {
  return destination.starts_with("https://") || destination.starts_with("http://");
}

bool HoldsOn(const store::Pupil& pupil, std::string_view flag, core::Date day) {
  return std::any_of(pupil.flags.begin(), pupil.flags.end(), [&](const store::CohortFlag& f) {
    return f.flag == flag && f.from <= day && (!f.to || day <= *f.to);
  });
}

nlohmann::ordered_json ArrivalJson(const std::optional<int>& minute) {
  return minute ? nlohmann::ordered_json(TimeText(*minute)) : nlohmann::ordered_json(nullptr);
}

// The extract (docs/share.md): the header, then a row per mark sent, with
// the pupil's characteristics as held on the session's date.
std::string ExtractOf(const Snapshot& snap, const store::Share& share,
                      const std::optional<int64_t>& previous,
                      const std::vector<const store::MarkToShare*>& rows) {
  nlohmann::ordered_json out;
  out["format"] = kShareFormat;
  out["version"] = share.id;
  out["previous_version"] =
      previous ? nlohmann::ordered_json(*previous) : nlohmann::ordered_json(nullptr);
  out["created_at"] = IsoTime(share.at);
  out["school"] = {{"urn", snap.school.urn},
                   {"la", snap.school.la_code},
                   {"estab", snap.school.establishment_number},
                   {"name", snap.school.name}};
  out["row_count"] = rows.size();
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const store::MarkToShare* row : rows) {
    const store::Mark& m = row->mark;
    const store::Pupil& pupil = snap.pupils[snap.pupil_index.at(m.pupil_id)];
    list.push_back({
        {"pupil_id", m.pupil_id},
        {"upn", pupil.upn},
        {"date", m.slot.date.ToString()},
        {"session", core::SessionName(m.slot.session)},
        {"code", core::SymbolOf(m.code)},
        {"arrival", ArrivalJson(m.arrival_minute)},
        {"recorded_at", IsoTime(m.recorded_at)},
        {"previous_code", row->shared ? nlohmann::ordered_json(core::SymbolOf(row->shared->code))
                                      : nlohmann::ordered_json(nullptr)},
        {"year_group", pupil.year_group},
        {"sex", pupil.sex},
        {"fsm", HoldsOn(pupil, "FSM", m.slot.date)},
        {"sen_support", HoldsOn(pupil, "SEN_K", m.slot.date)},
        {"ehcp", HoldsOn(pupil, "EHCP", m.slot.date)},
    });
  }
  out["rows"] = std::move(list);
  return out.dump(1);
}

// What a receiver answered, for the log: its status and the start of its
// answer, or why no answer came.
std::string AnswerText(const io::PostAnswer& answer) {
  if (answer.status == 0) return fmt::format("no answer: {}", answer.error);
  std::string body = answer.body.substr(0, 300);
  std::replace_if(
      body.begin(), body.end(), [](char c) { return c == '\r' || c == '\n'; }, ' ');
  return body.empty() ? fmt::format("HTTP {}", answer.status)
                      : fmt::format("HTTP {}: {}", answer.status, body);
}

}  // namespace

std::string_view ShareDestinationKind(std::string_view destination) {
  return IsAddress(destination) ? "https" : "folder";
}

std::string ShareIdempotencyKey(std::string_view urn, int64_t version, std::string_view body) {
  return fmt::format("rollcall-share-{}-{}-{}", urn, version, TokenHash(body).substr(0, 16));
}

core::Status CheckShareDestination(std::string_view field, std::string_view destination) {
  if (IsAddress(destination)) return io::CheckPostUrl(field, destination);
  const auto bad = [&](std::string_view why) {
    return core::InvalidArgument(core::kErrValueInvalid, fmt::format("{}: {}", field, why));
  };
  if (destination.empty()) return bad("give a folder or an https address");
  const std::filesystem::path folder(destination);
  if (!folder.is_absolute()) {
    return bad(fmt::format("'{}' is not a whole folder path (it starts with /)", destination));
  }
  std::error_code error;
  if (!std::filesystem::is_directory(folder, error)) {
    return bad(fmt::format("there is no folder '{}'", destination));
  }
  if (::access(folder.c_str(), W_OK | X_OK) != 0) {
    return bad(fmt::format("this program may not write to the folder '{}'", destination));
  }
  return core::OkStatus();
}

core::StatusOr<SharePage> Shares::Page(const Principal& who) {
  SharePage page;
  std::map<int64_t, std::string> names;
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kReadShares, {}));
    const Snapshot& snap = school_.snapshot();
    page.destination = snap.settings.share_destination;
    page.destination_kind =
        page.destination.empty() ? "" : std::string(ShareDestinationKind(page.destination));
    page.share_minute = snap.settings.share_minute;
    page.may_share = school_.Allow(who, Action::kShareNow, {}).ok();
    page.may_change = school_.Allow(who, Action::kWriteSettings, {}).ok();
    for (const store::Pupil& p : snap.pupils) names[p.id] = DisplayName(p);
  }
  ASSIGN_OR_RETURN(page.log, school_.store().ListShares());
  std::reverse(page.log.begin(), page.log.end());
  ASSIGN_OR_RETURN(std::vector<store::MarkToShare> pending, school_.store().MarksToShare());
  page.differences_total = pending.size();
  for (const store::MarkToShare& p : pending) {
    ShareDifference d;
    d.pupil_id = p.mark.pupil_id;
    d.pupil_name = names[p.mark.pupil_id];
    d.slot = p.mark.slot;
    if (p.shared) {
      d.shared_code = std::string(core::SymbolOf(p.shared->code));
      d.shared_arrival = p.shared->arrival_minute;
    }
    d.current_code = std::string(core::SymbolOf(p.mark.code));
    d.current_arrival = p.mark.arrival_minute;
    page.differences.push_back(std::move(d));
  }
  std::sort(page.differences.begin(), page.differences.end(),
            [](const ShareDifference& a, const ShareDifference& b) {
              return std::tie(b.slot, a.pupil_name, a.pupil_id) <
                     std::tie(a.slot, b.pupil_name, b.pupil_id);
            });
  if (page.differences.size() > kShownDifferences) page.differences.resize(kShownDifferences);
  return page;
}

core::StatusOr<ShareResult> Shares::Share(const Principal& who, const ShareRequest& request) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kShareNow, {}));
  }
  return Run(who.name, request);
}

core::StatusOr<ShareResult> Shares::ShareForSchool(std::string_view by,
                                                   const ShareRequest& request) {
  return Run(std::string(by), request);
}

core::StatusOr<ShareResult> Shares::Run(std::string by, const ShareRequest& request) {
  std::lock_guard share_lock(share_mu_);
  store::Store& store = school_.store();
  std::string configured;
  {
    auto lock = school_.Read();
    configured = school_.snapshot().settings.share_destination;
  }
  const std::string destination = request.destination.value_or(configured);
  if (destination.empty()) {
    return core::InvalidArgument(core::kErrShareNoDestination,
                                 "no destination is set for the daily share: the head sets a "
                                 "folder or an https address on the share page");
  }
  // A destination given for this share is refused at once. The one in the
  // settings was checked when it was set: if it has stopped working (the
  // folder removed), the share is logged as failed, so the page shows why.
  const core::Status usable = CheckShareDestination("The share's destination", destination);
  if (!usable.ok() && (request.destination || request.dry_run)) return usable;

  ShareResult result;
  ASSIGN_OR_RETURN(std::vector<store::Share> log, store.ListShares());
  for (const store::Share& s : log) {
    if (s.ok && !s.one_off) result.previous_version = s.id;
  }
  store::Share& share = result.share;
  share.id = log.empty() ? 1 : log.back().id + 1;
  share.at = school_.clock().NowSeconds();
  share.destination_kind = std::string(ShareDestinationKind(destination));
  share.destination = destination;
  share.one_off = destination != configured;
  share.by = std::move(by);

  ASSIGN_OR_RETURN(std::vector<store::MarkToShare> pending, store.MarksToShare());
  std::vector<const store::MarkToShare*> rows;
  std::string urn;
  {
    auto lock = school_.Read();
    const Snapshot& snap = school_.snapshot();
    urn = snap.school.urn;
    // A pupil written by another process since the school was last read
    // waits for the next share, which will find them.
    for (const store::MarkToShare& p : pending) {
      if (snap.pupil_index.contains(p.mark.pupil_id)) rows.push_back(&p);
    }
    share.rows = static_cast<int64_t>(rows.size());
    result.extract = ExtractOf(snap, share, result.previous_version, rows);
  }
  if (request.dry_run) {
    share.ok = true;
    share.detail = "not sent: a trial run";
    return result;
  }

  if (!usable.ok()) {
    share.ok = false;
    share.detail = usable.message();
  } else if (share.destination_kind == "folder") {
    const std::string path = (std::filesystem::path(destination) /
                              fmt::format("rollcall-share-{}-{:06}.json", urn, share.id))
                                 .string();
    const core::Status written = io::WriteFileAtomically(path, result.extract);
    share.ok = written.ok();
    share.detail = written.ok() ? fmt::format("written to {}", path) : written.message();
  } else {
    io::PostRequest post;
    post.url = destination;
    post.content_type = "application/json";
    post.body = result.extract;
    post.headers = {{"Idempotency-Key", ShareIdempotencyKey(urn, share.id, result.extract)}};
    const io::PostAnswer answer = poster_->Post(post);
    share.ok = answer.ok();
    share.detail = AnswerText(answer);
  }
  // A one-off share records nothing as shared: the configured destination
  // has still not had these marks.
  std::vector<store::SharedMark> sent;
  if (share.ok && !share.one_off) {
    sent.reserve(rows.size());
    for (const store::MarkToShare* row : rows) {
      sent.push_back(store::SharedMark{row->mark.pupil_id, row->mark.slot, row->mark.code,
                                       row->mark.arrival_minute, share.id});
    }
  }
  RETURN_IF_ERROR(store.RecordShare(share, sent));
  return result;
}

core::Status Shares::RunDue() {
  const core::Clock& clock = school_.clock();
  const core::Date today = clock.Today();
  {
    auto lock = school_.Read();
    const Snapshot& snap = school_.snapshot();
    if (snap.settings.share_destination.empty() ||
        clock.MinuteOfDay() < snap.settings.share_minute ||
        !snap.scenario.calendar.IsSchoolDay(today)) {
      return core::OkStatus();
    }
  }
  {
    std::lock_guard share_lock(share_mu_);
    if (done_on_ == today) return core::OkStatus();
    ASSIGN_OR_RETURN(std::vector<store::Share> log, school_.store().ListShares());
    for (auto it = log.rbegin(); it != log.rend(); ++it) {
      if (it->by != "schedule" || core::UkTimeAt(it->at).date != today) continue;
      if (it->ok) {
        done_on_ = today;
        return core::OkStatus();
      }
      if (clock.NowSeconds() - it->at < kRetrySeconds) return core::OkStatus();
      break;
    }
  }
  ASSIGN_OR_RETURN(ShareResult result, Run("schedule", {}));
  if (result.share.ok) {
    std::lock_guard share_lock(share_mu_);
    done_on_ = today;
  }
  return core::OkStatus();
}

}  // namespace rollcall::service
