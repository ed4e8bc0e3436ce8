// app_backups.cc: the head's "Backups" page (service::Backups): where and
// when the server backs up its database, how many backups are kept, a
// button to back up now, and the log of recent backups, failures first to
// the eye.
#include <fmt/format.h>

#include "web/app.h"
#include "web/app_internal.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

namespace {

constexpr char kBackupsPath[] = "/settings/backups";

// The fields as typed, shown again after a refusal.
struct BackupForm {
  std::string folder;
  std::string time;
  std::string keep;
};

BackupForm FormOf(const std::optional<store::BackupSchedule>& s) {
  const store::BackupSchedule shown = s.value_or(store::BackupSchedule{});
  return {shown.folder, TimeText(shown.at_minute), std::to_string(shown.keep)};
}

Html ScheduleSection(const service::BackupsView& v, const std::string& csrf,
                     const BackupForm& typed) {
  const bool on = v.schedule && !v.schedule->folder.empty();
  const std::string where =
      on ? fmt::format("Each day after {} (UK time), to {}, keeping the newest {}",
                       TimeText(v.schedule->at_minute), v.schedule->folder, v.schedule->keep)
         : "Not set: the server makes no backups of its own until a folder is set.";
  return Html::Format(
      R"(<h2 class="govuk-heading-m">Where and when</h2><p class="govuk-body">{}</p>)"
      R"(<form method="post" action="/settings/backups" novalidate>)"
      R"(<input type="hidden" name="_csrf" value="{}">)"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="backup-folder">Folder)"
      R"(</label><div class="govuk-hint" id="backup-folder-hint">A folder on this server, )"
      R"(starting with /, that the server may write to. Best on another disk, and copied )"
      R"(off the server each night. Leave empty to stop the backups.</div>)"
      R"(<input class="govuk-input" id="backup-folder" name="folder" )"
      R"(aria-describedby="backup-folder-hint" value="{}"></div>)"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="backup-time">Back up )"
      R"(each day after</label><input class="govuk-input govuk-input--width-5" )"
      R"(id="backup-time" name="time" type="time" value="{}"></div>)"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="backup-keep">Backups )"
      R"(to keep</label><div class="govuk-hint" id="backup-keep-hint">One a day: 14 keeps )"
      R"(two weeks. Older files named rollcall-YYYY-MM-DD.db in the folder are deleted.</div>)"
      R"(<input class="govuk-input govuk-input--width-3" id="backup-keep" name="keep" )"
      R"(inputmode="numeric" aria-describedby="backup-keep-hint" value="{}"></div>)"
      R"(<button class="govuk-button govuk-button--secondary" type="submit">Save</button>)"
      R"(</form>)",
      where, csrf, typed.folder, typed.time, typed.keep);
}

Html LogSection(const service::BackupsView& v) {
  Html rows;
  for (const store::BackupRun& r : v.runs) {
    rows += Html::Format(
        R"(<tr class="govuk-table__row"><td class="govuk-table__cell">{}</td>)"
        R"(<td class="govuk-table__cell">{}</td>)"
        R"(<td class="govuk-table__cell"><strong class="govuk-tag govuk-tag--{}">{}</strong> {}</td>)"
        R"(<td class="govuk-table__cell govuk-table__cell--numeric">{}</td>)"
        R"(<td class="govuk-table__cell govuk-table__cell--numeric">{}</td>)"
        R"(<td class="govuk-table__cell govuk-table__cell--numeric">{}</td></tr>)",
        MomentText(r.started_at), r.file, r.ok ? "green" : "red", r.ok ? "Made" : "Failed",
        r.detail, r.ok ? SizeText(r.bytes) : "",
        r.ok ? fmt::format("{:.1f} s", static_cast<double>(r.milliseconds) / 1000.0) : "",
        r.pruned);
  }
  if (rows.str().empty()) {
    rows = Html::Trusted(
        R"(<tr class="govuk-table__row"><td class="govuk-table__cell" colspan="6">No backup )"
        R"(has been made by the server yet.</td></tr>)");
  }
  return Html::Format(
      R"(<h2 class="govuk-heading-m">Recent backups</h2><div class="scroll">)"
      R"(<table class="govuk-table"><thead class="govuk-table__head"><tr class="govuk-table__row">)"
      R"(<th scope="col" class="govuk-table__header">When</th>)"
      R"(<th scope="col" class="govuk-table__header">File</th>)"
      R"(<th scope="col" class="govuk-table__header">Result</th>)"
      R"(<th scope="col" class="govuk-table__header govuk-table__header--numeric">Size</th>)"
      R"(<th scope="col" class="govuk-table__header govuk-table__header--numeric">Took</th>)"
      R"(<th scope="col" class="govuk-table__header govuk-table__header--numeric">Old ones )"
      R"(deleted</th></tr></thead><tbody class="govuk-table__body">{}</tbody></table></div>)",
      rows);
}

Html RenderBackups(const service::BackupsView& v, const std::string& csrf, const Html& message,
                   const BackupForm& typed) {
  if (!v.available) {
    return Html::Trusted(
        R"(<p class="govuk-body">This school's database is PostgreSQL. Back it up with )"
        R"(<code>pg_dump</code> as the server's administrator does for every database there; )"
        R"(docs/backups.md gives the commands.</p>)");
  }
  Html failed;
  if (v.last_failed) {
    failed = Html::Format(
        R"(<div class="govuk-error-summary" role="alert"><h2 class="govuk-error-summary__title">)"
        R"(The last backup failed</h2><div class="govuk-error-summary__body"><p>{}</p><p>The )"
        R"(server tries again tomorrow at the set time, or now with the button below.</p>)"
        R"(</div></div>)",
        v.runs.front().detail);
  }
  Html now;
  if (v.schedule && !v.schedule->folder.empty()) {
    now = Html::Format(R"(<form method="post" action="/settings/backups/now">)"
                       R"(<input type="hidden" name="_csrf" value="{}">)"
                       R"(<button class="govuk-button" type="submit">Back up now</button></form>)",
                       csrf);
  }
  return Html::Format(
      R"({}{}<p class="govuk-body">The server copies the whole database, while it is in use, )"
      R"(to a file in the folder below once a day, checks the copy and then keeps it. A copy )"
      R"(on the same disk does not survive the disk: copy the folder elsewhere too. To put a )"
      R"(backup back, stop the server and run <code>rollcall restore</code>.</p>{}{}{})",
      failed, message, ScheduleSection(v, csrf, typed), now, LogSection(v));
}

std::optional<int> KeepOf(const std::string& text) {
  if (text.empty() || text.size() > 3) return std::nullopt;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

Response App::PageBackups(Call& call) {
  Html message = DoneBanner(call.target.query);
  http::status status = http::status::ok;
  std::optional<BackupForm> typed;
  if (call.req.method == http::verb::post) {
    const auto form = FormFields(call.req);
    typed = BackupForm{Get(form, "folder"), Get(form, "time"), Get(form, "keep")};
    store::BackupSchedule schedule;
    schedule.folder = typed->folder;
    Status saved = core::OkStatus();
    std::string field;
    if (std::optional<int> minute = ParseTime(typed->time)) {
      schedule.at_minute = *minute;
    } else {
      saved = core::InvalidArgument(core::kErrTimeInvalid, "Enter the time as HH:MM, e.g. 02:30");
      field = "backup-time";
    }
    if (std::optional<int> keep = KeepOf(typed->keep); saved.ok() && keep) {
      schedule.keep = *keep;
    } else if (saved.ok()) {
      saved = core::InvalidArgument(core::kErrValueInvalid,
                                    "Enter how many backups to keep as a number from 1 to 366");
      field = "backup-keep";
    }
    if (saved.ok()) {
      saved = services_.backups().Save(*call.who, schedule);
      field = saved.message().find("keep") != std::string::npos ? "backup-keep" : "backup-folder";
    }
    if (saved.ok()) return RedirectDone(kBackupsPath, Done::kBackupSettingsSaved);
    if (saved.kind() != core::ErrorKind::kInvalidArgument) {
      return Refused(call.who, call.csrf, SchoolName(), saved);
    }
    status = http::status::unprocessable_entity;
    message = ErrorSummary(saved.message(), field);
  }
  StatusOr<service::BackupsView> v = services_.backups().Get(*call.who);
  if (!v.ok()) return Refused(call.who, call.csrf, SchoolName(), v.status());
  return Layout(call.who, call.csrf, SchoolName(), "Backups",
                RenderBackups(*v, call.csrf, message, typed ? *typed : FormOf(v->schedule)),
                status);
}

Response App::PageBackupNow(Call& call) {
  StatusOr<store::BackupRun> run = services_.backups().RunNow(*call.who);
  if (!run.ok()) return NotSaved(call.who, call.csrf, run.status(), kBackupsPath, "Not backed up");
  // A failed backup is in the log, and the page leads with it.
  if (!run->ok) return Redirect(kBackupsPath);
  return RedirectDone(kBackupsPath, Done::kBackupMade);
}

}  // namespace rollcall::web
