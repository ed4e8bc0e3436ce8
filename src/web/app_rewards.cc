// app_rewards.cc: rewards and recognition (service/rewards.h). The class
// table for this week, half-term or academic year, ranked, to print for an
// assembly or a newsletter and to download as CSV; the 100% and
// most-improved lists for those who may see the pupils' names; and the
// certificates for either list, printed as a batch of letters.
#include <fmt/format.h>

#include "service/records.h"
#include "service/rewards.h"
#include "web/app.h"
#include "web/app_internal.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h
using service::RewardPeriod;

namespace {

constexpr RewardPeriod kPeriods[] = {RewardPeriod::kWeek, RewardPeriod::kHalfTerm,
                                     RewardPeriod::kYear};

// The period a query or form names; this week when it names none.
StatusOr<RewardPeriod> PeriodOf(const std::map<std::string, std::string>& fields) {
  const std::string key = Get(fields, "period");
  if (key.empty()) return RewardPeriod::kWeek;
  return service::RewardPeriodFromKey(key);
}

std::string PctText(const core::SessionCounts& c) {
  const std::optional<double> p = core::Percent(c.attended, c.possible);
  return p ? fmt::format("{:.1f}", *p) : std::string();
}

// The three periods, the one shown as text and the others as links.
Html PeriodLinks(RewardPeriod shown) {
  Html links;
  for (RewardPeriod p : kPeriods) {
    if (!links.str().empty()) links += Html::Trusted(" · ");
    links += p == shown ? Html::Format(R"(<strong aria-current="page">{}</strong>)",
                                       service::RewardPeriodLabel(p))
                        : Html::Format(R"(<a class="govuk-link" href="/rewards?period={}">{}</a>)",
                                       service::RewardPeriodKey(p), service::RewardPeriodLabel(p));
  }
  return Html::Format(R"(<nav class="no-print" aria-label="Period"><p>{}</p></nav>)", links);
}

Html ClassTable(const service::RewardsView& v) {
  Html rows;
  for (const service::ClassStanding& c : v.classes) {
    rows += Html::Format(
        R"(<tr><td class="num">{}</td><th scope="row">{}</th><td>{}</td><td class="num">{}</td>)"
        R"(<td class="num">{}</td></tr>)",
        c.rank > 0 ? std::to_string(c.rank) : std::string("–"), c.name,
        service::YearGroupName(c.year_group), c.pupils,
        c.counts ? Percent(*core::Percent(c.counts->attended, c.counts->possible))
                 : Html::Trusted("–"));
  }
  if (v.classes.empty()) return Html::Trusted("<p>The school has no classes.</p>");
  return Html::Format(
      R"(<div class="scroll"><table id="class-table"><thead><tr><th class="num">Rank</th>)"
      R"(<th>Class</th><th>Year</th><th class="num">Pupils</th><th class="num">Attendance</th>)"
      R"(</tr></thead><tbody>{}</tbody></table></div>)",
      rows);
}

Html CertificateForm(const std::string& csrf, RewardPeriod period, const char* kind) {
  return Html::Format(
      R"(<form class="no-print" method="post" action="/rewards/certificates">)"
      R"(<input type="hidden" name="_csrf" value="{}"><input type="hidden" name="period" )"
      R"(value="{}"><input type="hidden" name="kind" value="{}"><p><button type="submit">)"
      R"(Print certificates (one page per pupil)</button></p></form>)",
      csrf, service::RewardPeriodKey(period), kind);
}

// "Download this list (CSV)".
Html ListCsvLink(RewardPeriod period, const char* list) {
  return Html::Format(
      R"(<p class="no-print"><a class="govuk-link" href="/rewards.csv?period={}&amp;list={}">)"
      R"(Download this list (CSV)</a></p>)",
      service::RewardPeriodKey(period), list);
}

Html FullAttendance(const service::RewardsView& v, const std::string& csrf) {
  if (v.full_attendance.empty()) {
    return Html::Trusted("<p>No pupil has attended every session of this period yet.</p>");
  }
  Html rows;
  for (const service::RewardPupil& p : v.full_attendance) {
    rows += Html::Format(R"(<tr><td><a class="govuk-link" href="/pupils/{}">{}</a></td><td>{}</td>)"
                         R"(<td class="num">{} of {}</td></tr>)",
                         p.pupil_id, p.name, p.class_name, p.counts.attended, p.counts.possible);
  }
  return Html::Format(
      R"(<p>{}.</p><div class="scroll"><table id="full-attendance"><thead><tr><th>Pupil</th>)"
      R"(<th>Class</th><th class="num">Sessions attended</th></tr></thead><tbody>{}</tbody>)"
      R"(</table></div>{}{})",
      Plural(static_cast<int64_t>(v.full_attendance.size()), "pupil"), rows,
      ListCsvLink(v.period, "full"),
      v.may_print ? CertificateForm(csrf, v.period, "full") : Html());
}

Html MostImproved(const service::RewardsView& v, const std::string& csrf) {
  if (!v.dates.previous) {
    return Html::Trusted(
        "<p>The school's calendar has no period before this one to compare "
        "with.</p>");
  }
  const Html rule = Html::Format(
      R"(<p class="govuk-hint">Against {} to {}. A pupil needs at least {} possible sessions, )"
      R"(and half the sessions the school was open, in each period to be compared.</p>)",
      LongDate(v.dates.previous->from), LongDate(v.dates.previous->to),
      service::kImprovedMinSessions);
  if (v.most_improved.empty()) {
    return rule + Html::Trusted("<p>No pupil's attendance has risen against that period.</p>");
  }
  Html rows;
  for (const service::RewardPupil& p : v.most_improved) {
    const double before = *core::Percent(p.previous.attended, p.previous.possible);
    const double now = *core::Percent(p.counts.attended, p.counts.possible);
    rows += Html::Format(
        R"(<tr><td><a class="govuk-link" href="/pupils/{}">{}</a></td><td>{}</td>)"
        R"(<td class="num">{}</td><td class="num">{}</td><td class="num">{}</td></tr>)",
        p.pupil_id, p.name, p.class_name, Percent(before), Percent(now),
        fmt::format("+{:.1f} points", now - before));
  }
  return rule + Html::Format(
                    R"(<div class="scroll"><table id="most-improved"><thead><tr><th>Pupil</th>)"
                    R"(<th>Class</th><th class="num">Before</th><th class="num">Now</th>)"
                    R"(<th class="num">Rise</th></tr></thead><tbody>{}</tbody></table></div>{}{})",
                    rows, ListCsvLink(v.period, "improved"),
                    v.may_print ? CertificateForm(csrf, v.period, "improved") : Html());
}

// A list as CSV, for a newsletter: the pupils the reader may name (none for
// a governor), with the period's sessions, and for the most improved the
// period before's.
std::string PupilsCsv(const service::RewardsView& v, bool improved) {
  std::string out = "pupil_id,pupil,class,possible_sessions,attended_sessions,attendance_pct";
  out +=
      improved ? ",previous_possible_sessions,previous_attended_sessions,previous_pct\r\n" : "\r\n";
  for (const service::RewardPupil& p : improved ? v.most_improved : v.full_attendance) {
    out += fmt::format("{},{},{},{},{},{}", p.pupil_id, CsvField(p.name), CsvField(p.class_name),
                       p.counts.possible, p.counts.attended, PctText(p.counts));
    out += improved ? fmt::format(",{},{},{}\r\n", p.previous.possible, p.previous.attended,
                                  PctText(p.previous))
                    : "\r\n";
  }
  return out;
}

Html RewardsPage(const service::RewardsView& v, const std::string& csrf) {
  Html excluded;
  if (v.medical_excluded) {
    excluded = Html::Format(
        "<p>As the school's policy says, pupils with a known medical condition are left out: "
        "their sessions leave their class's figure and they are on neither list.{}</p>",
        v.excluded ? fmt::format(" {} left out.", Plural(*v.excluded, "pupil")) : std::string());
  }
  Html lists;
  if (v.names_allowed) {
    lists = Html::Format(R"(<h2>100% attendance</h2>{}<h2>Most improved</h2>{})",
                         FullAttendance(v, csrf), MostImproved(v, csrf));
  } else {
    lists = Html::Trusted("<p>Figures only: no pupil is named.</p>");
  }
  return Html::Format(
      R"({}<p>{} to {}. Attendance is the share of possible sessions attended; a late mark )"
      R"(before the register closed counts as present. Classes with equal attendance share a )"
      R"(rank.</p>{})"
      R"(<p class="no-print"><button type="button" data-print>Print this page</button> )"
      R"(<a class="govuk-link" href="/rewards.csv?period={}">Download the class table (CSV)</a></p>)"
      R"(<h2>Classes</h2>{}{})",
      PeriodLinks(v.period), LongDate(v.dates.current.from), LongDate(v.dates.current.to), excluded,
      service::RewardPeriodKey(v.period), ClassTable(v), lists);
}

}  // namespace

Response App::PageRewards(Call& call, bool csv) {
  StatusOr<RewardPeriod> period = PeriodOf(call.target.query);
  if (!period.ok()) return Refused(call.who, call.csrf, SchoolName(), period.status());
  StatusOr<service::RewardsView> v = services_.rewards().For(*call.who, *period, clock_.Today());
  if (!v.ok()) {
    const bool denied = v.status().kind() == core::ErrorKind::kPermissionDenied;
    return Refused(call.who, call.csrf, denied ? std::string() : SchoolName(), v.status());
  }
  const std::string list = Get(call.target.query, "list");
  if (csv && !list.empty()) {
    if (list != "full" && list != "improved") {
      return Refused(call.who, call.csrf, v->school.name,
                     core::InvalidArgument(core::kErrValueInvalid,
                                           fmt::format("list '{}' is not full or improved", list)));
    }
    return Attachment(
        PupilsCsv(*v, list == "improved"), "text/csv; charset=utf-8",
        fmt::format("{}-{}-{}-to-{}.csv", list == "improved" ? "most-improved" : "full-attendance",
                    service::RewardPeriodKey(v->period), v->dates.current.from.ToString(),
                    v->dates.current.to.ToString()));
  }
  if (csv) {
    std::string out =
        "rank,class,year_group,pupils,possible_sessions,attended_sessions,attendance_pct\r\n";
    for (const service::ClassStanding& c : v->classes) {
      out += fmt::format(
          "{},{},{},{},{},{},{}\r\n", c.rank > 0 ? std::to_string(c.rank) : "", CsvField(c.name),
          c.year_group, c.pupils, c.counts ? std::to_string(c.counts->possible) : "",
          c.counts ? std::to_string(c.counts->attended) : "", c.counts ? PctText(*c.counts) : "");
    }
    return Attachment(
        std::move(out), "text/csv; charset=utf-8",
        fmt::format("class-attendance-{}-{}-to-{}.csv", service::RewardPeriodKey(v->period),
                    v->dates.current.from.ToString(), v->dates.current.to.ToString()));
  }
  std::string label(service::RewardPeriodLabel(v->period));
  label[0] = 't';  // "This week" within the title
  return Layout(call.who, call.csrf, v->school.name, "Rewards: " + label,
                RewardsPage(*v, call.csrf));
}

Response App::PageRewardCertificates(Call& call) {
  const auto form = FormFields(call.req);
  const std::string school = SchoolName();
  StatusOr<RewardPeriod> period = PeriodOf(form);
  if (!period.ok()) {
    return NotSaved(call.who, call.csrf, period.status(), "/rewards", "No certificates printed",
                    school);
  }
  const std::string back = fmt::format("/rewards?period={}", service::RewardPeriodKey(*period));
  const std::string kind = Get(form, "kind");
  if (kind != "full" && kind != "improved") {
    return NotSaved(call.who, call.csrf,
                    core::InvalidArgument(core::kErrValueInvalid,
                                          fmt::format("kind '{}' is not full or improved", kind)),
                    back, "No certificates printed", school);
  }
  StatusOr<std::vector<store::Letter>> sent =
      services_.rewards().Certificates(*call.who, *period,
                                       kind == "full" ? service::CertificateKind::kFullAttendance
                                                      : service::CertificateKind::kMostImproved);
  if (!sent.ok()) {
    return NotSaved(call.who, call.csrf, sent.status(), back, "No certificates printed", school);
  }
  return Redirect(fmt::format("/letters/batch/{}", sent->front().batch));
}

}  // namespace rollcall::web
