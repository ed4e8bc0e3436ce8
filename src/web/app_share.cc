// app_share.cc: the daily attendance share's page, "What has been shared"
// (service::Shares): where the share goes and when, its log, a button to
// share now, and the sessions the next share will send.
#include <fmt/format.h>

#include "web/app.h"
#include "web/app_internal.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

namespace {

// A code with its late arrival, "L (09:05)".
std::string MarkWithArrival(const std::string& code, const std::optional<int>& arrival) {
  return arrival ? fmt::format("{} ({})", code, TimeText(*arrival)) : code;
}

// The destination and time as typed, re-shown after a refusal.
struct ShareForm {
  std::string destination;
  std::string time;
};

Html DestinationSection(const service::SharePage& v, const std::string& csrf,
                        const ShareForm& typed) {
  const std::string where =
      v.destination.empty()
          ? "Not set: nothing is shared until the head sets a folder or an https address."
          : (v.destination_kind == "folder" ? "A file in the folder " + v.destination
                                            : "Sent to " + v.destination);
  Html body = Html::Format(
      R"(<h2 class="govuk-heading-m">Where and when</h2><dl class="govuk-summary-list">)"
      R"(<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Destination</dt>)"
      R"(<dd class="govuk-summary-list__value">{}</dd></div>)"
      R"(<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Schedule</dt>)"
      R"(<dd class="govuk-summary-list__value">Each school day after {} (UK time), and whenever )"
      R"(someone shares now</dd></div></dl>)",
      where, TimeText(v.share_minute));
  if (!v.may_change) return body;
  return body +
         Html::Format(
             R"(<form method="post" action="/share/settings" novalidate>)"
             R"(<input type="hidden" name="_csrf" value="{}">)"
             R"(<div class="govuk-form-group"><label class="govuk-label" for="share-destination">)"
             R"(Folder or https address</label><div class="govuk-hint" id="share-destination-hint">)"
             R"(A folder on this server (starting with /) or an address starting with https://. )"
             R"(Leave empty to stop sharing.</div>)"
             R"(<input class="govuk-input" id="share-destination" name="share_destination" )"
             R"(aria-describedby="share-destination-hint" value="{}"></div>)"
             R"(<div class="govuk-form-group"><label class="govuk-label" for="share-time">)"
             R"(Share each school day after</label>)"
             R"(<input class="govuk-input govuk-input--width-5" id="share-time" name="share_time" )"
             R"(type="time" value="{}"></div>)"
             R"(<button class="govuk-button govuk-button--secondary" type="submit">Save where )"
             R"(and when</button></form>)",
             csrf, typed.destination, typed.time);
}

Html LogSection(const service::SharePage& v) {
  Html rows;
  for (const store::Share& s : v.log) {
    rows += Html::Format(
        R"(<tr class="govuk-table__row"><td class="govuk-table__cell">{}</td>)"
        R"(<td class="govuk-table__cell">{}</td><td class="govuk-table__cell">{}{}</td>)"
        R"(<td class="govuk-table__cell govuk-table__cell--numeric">{}</td>)"
        R"(<td class="govuk-table__cell"><strong class="govuk-tag govuk-tag--{}">{}</strong> {}</td>)"
        R"(<td class="govuk-table__cell">{}</td></tr>)",
        s.id, MomentText(s.at), s.destination,
        s.one_off ? " (a one-off share: its marks are still to go to the usual destination)" : "",
        s.rows, s.ok ? "green" : "red", s.ok ? "Sent" : "Failed", s.detail,
        s.by == "schedule" ? "the schedule" : (s.by == "command" ? "the command line" : s.by));
  }
  if (rows.str().empty()) {
    rows = Html::Trusted(
        R"(<tr class="govuk-table__row"><td class="govuk-table__cell" colspan="6">Nothing has )"
        R"(been shared yet.</td></tr>)");
  }
  return Html::Format(
      R"(<h2 class="govuk-heading-m">Shares</h2><div class="scroll"><table class="govuk-table">)"
      R"(<thead class="govuk-table__head"><tr class="govuk-table__row">)"
      R"(<th scope="col" class="govuk-table__header">Share</th>)"
      R"(<th scope="col" class="govuk-table__header">When</th>)"
      R"(<th scope="col" class="govuk-table__header">Where</th>)"
      R"(<th scope="col" class="govuk-table__header govuk-table__header--numeric">Marks</th>)"
      R"(<th scope="col" class="govuk-table__header">Result</th>)"
      R"(<th scope="col" class="govuk-table__header">By</th></tr></thead>)"
      R"(<tbody class="govuk-table__body">{}</tbody></table></div>)",
      rows);
}

Html DifferencesSection(const service::SharePage& v) {
  Html rows;
  for (const service::ShareDifference& d : v.differences) {
    rows += Html::Format(
        R"(<tr class="govuk-table__row"><td class="govuk-table__cell"><a class="govuk-link" )"
        R"(href="/pupils/{}">{}</a></td><td class="govuk-table__cell">{}</td>)"
        R"(<td class="govuk-table__cell">{}</td><td class="govuk-table__cell">{}</td>)"
        R"(<td class="govuk-table__cell">{}</td></tr>)",
        d.pupil_id, d.pupil_name, ShortDayDate(d.slot.date), core::SessionName(d.slot.session),
        d.shared_code ? MarkWithArrival(*d.shared_code, d.shared_arrival) : "not shared yet",
        MarkWithArrival(d.current_code, d.current_arrival));
  }
  const std::string count =
      v.differences_total == 0
          ? "The register is as last shared: the next share will send no marks."
          : (v.differences_total == 1
                 ? "1 mark is new or changed since the last share: the next share sends it."
                 : fmt::format("{} marks are new or changed since the last share: the next "
                               "share sends them.",
                               v.differences_total));
  const std::string shown =
      v.differences.size() < v.differences_total
          ? fmt::format(" The {} most recent are listed.", v.differences.size())
          : "";
  if (v.differences.empty()) {
    return Html::Format(
        R"(<h2 class="govuk-heading-m">What the next share will send</h2><p>{}</p>)", count);
  }
  return Html::Format(
      R"(<h2 class="govuk-heading-m">What the next share will send</h2><p>{}{}</p>)"
      R"(<div class="scroll"><table class="govuk-table"><thead class="govuk-table__head">)"
      R"(<tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Pupil</th>)"
      R"(<th scope="col" class="govuk-table__header">Date</th>)"
      R"(<th scope="col" class="govuk-table__header">Session</th>)"
      R"(<th scope="col" class="govuk-table__header">Shared</th>)"
      R"(<th scope="col" class="govuk-table__header">Now</th></tr></thead>)"
      R"(<tbody class="govuk-table__body">{}</tbody></table></div>)",
      count, shown, rows);
}

Html RenderSharePage(const service::SharePage& v, const std::string& csrf, const Html& message,
                     const ShareForm& typed) {
  Html share_now;
  if (v.may_share && !v.destination.empty()) {
    share_now = Html::Format(
        R"(<form method="post" action="/share"><input type="hidden" name="_csrf" value="{}">)"
        R"(<button class="govuk-button" type="submit">Share now</button></form>)",
        csrf);
  }
  return Html::Format(
      R"({}<p class="govuk-body">Each school day the school shares its pupils' session marks, )"
      R"(with their year group, sex, free school meals and special needs, as the Department )"
      R"(for Education expects. Each share sends every mark that is new or changed since the )"
      R"(last one, so a corrected mark is sent again.</p>{}{}{}{})",
      message, DestinationSection(v, csrf, typed), share_now, DifferencesSection(v), LogSection(v));
}

}  // namespace

Response App::PageShare(Call& call) {
  Html message;
  http::status status = http::status::ok;
  if (call.req.method == http::verb::post) {
    StatusOr<service::ShareResult> done = services_.shares().Share(*call.who);
    if (!done.ok()) {
      if (done.status().kind() == core::ErrorKind::kPermissionDenied) {
        return Refused(call.who, call.csrf, SchoolName(), done.status());
      }
      status = http::status::bad_request;
      message = ErrorSummary(done.status().message());
    } else if (!done->share.ok) {
      status = http::status::bad_gateway;
      message =
          ErrorSummary(fmt::format("Share {} failed: {}. The same marks will be sent again "
                                   "with the next share.",
                                   done->share.id, done->share.detail));
    } else {
      message =
          SuccessBanner(fmt::format("Share {} sent: {} marks.", done->share.id, done->share.rows));
    }
  }
  StatusOr<service::SharePage> v = services_.shares().Page(*call.who);
  if (!v.ok()) return Refused(call.who, call.csrf, SchoolName(), v.status());
  const ShareForm typed{v->destination, TimeText(v->share_minute)};
  return Layout(call.who, call.csrf, SchoolName(), "What has been shared",
                RenderSharePage(*v, call.csrf, message, typed), status);
}

Response App::PageShareSettings(Call& call) {
  const auto form = FormFields(call.req);
  // A field left out keeps its value; the form sends both, and an empty
  // destination stops sharing.
  service::SettingsChange change;
  for (const auto& [key, field] : {std::pair{"share_destination", &change.share_destination},
                                   std::pair{"share_time", &change.share_time}}) {
    if (form.contains(key)) *field = form.at(key);
  }
  StatusOr<service::SettingsView> saved = services_.settings().Change(*call.who, change);
  if (!saved.ok() && saved.status().kind() == core::ErrorKind::kPermissionDenied) {
    return Refused(call.who, call.csrf, SchoolName(), saved.status());
  }
  StatusOr<service::SharePage> v = services_.shares().Page(*call.who);
  if (!v.ok()) return Refused(call.who, call.csrf, SchoolName(), v.status());
  if (!saved.ok()) {
    const std::string field =
        saved.status().code() == core::kErrTimeInvalid ? "share-time" : "share-destination";
    return Layout(call.who, call.csrf, SchoolName(), "What has been shared",
                  RenderSharePage(*v, call.csrf, ErrorSummary(saved.status().message(), field),
                                  ShareForm{change.share_destination.value_or(v->destination),
                                            change.share_time.value_or(TimeText(v->share_minute))}),
                  http::status::bad_request);
  }
  return Layout(call.who, call.csrf, SchoolName(), "What has been shared",
                RenderSharePage(*v, call.csrf, SuccessBanner("Saved where and when to share."),
                                ShareForm{v->destination, TimeText(v->share_minute)}));
}

}  // namespace rollcall::web
