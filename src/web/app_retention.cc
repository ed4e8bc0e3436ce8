// app_retention.cc: the head's page of how long records are kept
// (service/retention.h): the periods in force and why, changing one with a
// reason, the nightly purge on or off, what a purge now would remove and
// who is held, purging now, and the log of purges.
#include <fmt/format.h>

#include <charconv>
#include <string>

#include "service/fields.h"
#include "service/retention.h"
#include "web/app.h"
#include "web/app_internal.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

namespace {

constexpr char kRetentionPath[] = "/settings/retention";

std::string BasisText(store::RetentionBasis basis) {
  return basis == store::RetentionBasis::kLeft ? "after the pupil left" : "from when it was made";
}

std::string RetentionKindTitle(std::string_view kind) {
  const store::RetentionKind* k = store::FindRetentionKind(kind);
  return k ? std::string(k->title) : std::string(kind);
}

Html PeriodsTable(const std::vector<service::RetentionPeriod>& periods) {
  Html rows;
  for (const service::RetentionPeriod& p : periods) {
    const Html changed =
        p.change ? Html::Format(R"(<br><span class="muted">Changed {} by {}: {}</span>)",
                                MomentText(p.change->set_at), p.change->set_by, p.change->reason)
                 : Html::Trusted(R"(<br><span class="muted">The default.</span>)");
    rows += Html::Format(
        R"(<tr class="govuk-table__row"><td class="govuk-table__cell">{}{}</td>)"
        R"(<td class="govuk-table__cell">{} {}</td><td class="govuk-table__cell">{}{}</td></tr>)",
        p.kind->title,
        p.kind->statutory ? Html::Trusted(R"( <strong class="govuk-tag">Statutory</strong>)")
                          : Html(),
        service::MonthsText(p.months), BasisText(p.basis), p.kind->why, changed);
  }
  return Html::Format(
      R"(<table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--m">)"
      R"(How long records are kept</caption><thead class="govuk-table__head"><tr class="govuk-table__row">)"
      R"(<th scope="col" class="govuk-table__header">Record</th><th scope="col" class="govuk-table__header">Kept</th>)"
      R"(<th scope="col" class="govuk-table__header">Why</th></tr></thead><tbody class="govuk-table__body">{}</tbody></table>)",
      rows);
}

Html PeriodForm(const std::vector<service::RetentionPeriod>& periods, const std::string& csrf) {
  Html kinds;
  for (const service::RetentionPeriod& p : periods) {
    kinds += Html::Format(R"(<option value="{}">{}{}</option>)", p.kind->name, p.kind->title,
                          p.kind->statutory ? std::string(" (at least 6 years)") : "");
  }
  return Html::Format(
      R"(<form method="post" action="{}" class="stack card"><input type="hidden" name="_csrf" value="{}">)"
      R"(<input type="hidden" name="action" value="period"><h2 class="govuk-heading-m">Change a period</h2>)"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="kind">Record</label>)"
      R"(<select class="govuk-select" id="kind" name="kind">{}</select></div>)"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="months">Months kept</label>)"
      R"(<div class="govuk-hint">72 months is six years. The register's records cannot be kept less.</div>)"
      R"(<input class="govuk-input govuk-input--width-4" id="months" name="months" inputmode="numeric" required></div>)"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="basis">Counted</label>)"
      R"(<select class="govuk-select" id="basis" name="basis"><option value="made">from when the record was made</option>)"
      R"(<option value="left">from when the record was made, and only once the pupil has left that long ago</option></select></div>)"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="reason">Reason for the change</label>)"
      R"(<input class="govuk-input" id="reason" name="reason" required maxlength="500"></div>)"
      R"(<button class="govuk-button" type="submit">Change the period</button></form>)",
      kRetentionPath, csrf, kinds);
}

Html PlanSection(const service::PurgePlan& plan, const std::string& csrf) {
  Html rows;
  for (size_t i = 0; i < plan.counts.size() && i < plan.periods.size(); ++i) {
    const store::PurgeCount& c = plan.counts[i];
    rows += Html::Format(
        R"(<tr class="govuk-table__row"><td class="govuk-table__cell">{}</td>)"
        R"(<td class="govuk-table__cell govuk-table__cell--numeric">{}</td>)"
        R"(<td class="govuk-table__cell">{}</td><td class="govuk-table__cell govuk-table__cell--numeric">{}</td></tr>)",
        plan.periods[i].kind->title, c.rows, LongDate(c.before), c.held);
  }
  Html held;
  for (const service::HeldPupil& h : plan.held) {
    std::string reasons;
    for (const std::string& r : h.reasons) reasons += (reasons.empty() ? "" : ", ") + r;
    held += Html::Format(R"(<li><a class="govuk-link" href="/pupils/{}">{}</a>: {}</li>)",
                         h.pupil_id, h.name, reasons);
  }
  return Html::Format(
      R"(<h2 class="govuk-heading-m">What a purge now would remove</h2>)"
      R"(<table class="govuk-table"><thead class="govuk-table__head"><tr class="govuk-table__row">)"
      R"(<th scope="col" class="govuk-table__header">Record</th>)"
      R"(<th scope="col" class="govuk-table__header govuk-table__header--numeric">Rows</th>)"
      R"(<th scope="col" class="govuk-table__header">Made before</th>)"
      R"(<th scope="col" class="govuk-table__header govuk-table__header--numeric">Held</th></tr></thead>)"
      R"(<tbody class="govuk-table__body">{}</tbody></table>)"
      R"(<h3 class="govuk-heading-s">Pupils held</h3><p class="govuk-body">Nothing of theirs is purged while )"
      R"(a penalty case, a prosecution or a children-missing-education case is open.</p><ul class="govuk-list">{}</ul>)"
      R"(<form method="post" action="{}" class="stack card"><input type="hidden" name="_csrf" value="{}">)"
      R"(<input type="hidden" name="action" value="purge">{})"
      R"(<button class="govuk-button govuk-button--warning" type="submit">Purge now</button></form>)",
      rows, held.str().empty() ? Html::Trusted("<li>No pupil is held.</li>") : held, kRetentionPath,
      csrf,
      Checkbox("confirm",
               fmt::format("I understand the {} rows above are deleted for good", plan.total()),
               false));
}

Html PurgeLogSection(const std::vector<store::PurgeLogEntry>& log) {
  Html rows;
  for (const store::PurgeLogEntry& e : log) {
    rows += Html::Format(
        R"(<tr class="govuk-table__row"><td class="govuk-table__cell">{}</td><td class="govuk-table__cell">{}</td>)"
        R"(<td class="govuk-table__cell govuk-table__cell--numeric">{}</td><td class="govuk-table__cell">{}</td>)"
        R"(<td class="govuk-table__cell govuk-table__cell--numeric">{}</td><td class="govuk-table__cell">{}</td></tr>)",
        MomentText(e.at), RetentionKindTitle(e.kind), e.rows, LongDate(e.up_to), e.held, e.by);
  }
  if (log.empty()) {
    return Html::Trusted(
        R"(<h2 class="govuk-heading-m">Purges</h2><p class="govuk-body">No purge yet.</p>)");
  }
  return Html::Format(
      R"(<h2 class="govuk-heading-m">Purges</h2><table class="govuk-table"><thead class="govuk-table__head">)"
      R"(<tr class="govuk-table__row"><th scope="col" class="govuk-table__header">When</th>)"
      R"(<th scope="col" class="govuk-table__header">Record</th>)"
      R"(<th scope="col" class="govuk-table__header govuk-table__header--numeric">Rows removed</th>)"
      R"(<th scope="col" class="govuk-table__header">Made before</th>)"
      R"(<th scope="col" class="govuk-table__header govuk-table__header--numeric">Held back</th>)"
      R"(<th scope="col" class="govuk-table__header">By</th></tr></thead><tbody class="govuk-table__body">{}</tbody></table>)",
      rows);
}

}  // namespace

Response App::PageRetention(Call& call) {
  service::Retention& retention = services_.retention();
  Html message;
  http::status status = http::status::ok;
  if (call.req.method == http::verb::post) {
    const auto form = FormFields(call.req);
    const std::string action = Get(form, "action");
    Status done = core::OkStatus();
    std::string said;
    if (action == "period") {
      const std::string months_text = Get(form, "months");
      int months = 0;
      const auto [end, ec] =
          std::from_chars(months_text.data(), months_text.data() + months_text.size(), months);
      const std::optional<store::RetentionBasis> basis =
          store::RetentionBasisFromName(Get(form, "basis"));
      if (ec != std::errc() || end != months_text.data() + months_text.size()) {
        done = core::InvalidArgument(core::kErrValueInvalid,
                                     "Enter the months kept as a whole number, e.g. 72");
      } else if (!basis) {
        done = core::InvalidArgument(core::kErrValueInvalid, "Choose how the period is counted");
      } else {
        done =
            retention.SetPeriod(*call.who, Get(form, "kind"), months, *basis, Get(form, "reason"));
        said = "The period is changed.";
      }
    } else if (action == "auto") {
      done = retention.SetAutoPurge(*call.who, Get(form, "auto_purge") == "yes");
      said = Get(form, "auto_purge") == "yes" ? "The nightly purge is on."
                                              : "The nightly purge is off.";
    } else if (action == "purge") {
      if (Get(form, "confirm") != "yes") {
        done = core::InvalidArgument(core::kErrValueInvalid,
                                     "Tick the box to confirm the records are deleted for good");
      } else {
        StatusOr<service::PurgePlan> purged = retention.Apply(*call.who);
        done = purged.status();
        if (purged.ok()) said = fmt::format("Purged: {} rows removed.", purged->total());
      }
    } else {
      done = core::InvalidArgument(core::kErrValueInvalid, "Unknown action");
    }
    if (done.ok()) {
      message = SuccessBanner(said);
    } else if (done.kind() == core::ErrorKind::kInvalidArgument) {
      status = http::status::unprocessable_entity;
      message = ErrorSummary(done.message());
    } else {
      return Refused(call.who, call.csrf, SchoolName(), done);
    }
  }
  StatusOr<std::vector<service::RetentionPeriod>> periods = retention.Periods(*call.who);
  if (!periods.ok()) return Refused(call.who, call.csrf, SchoolName(), periods.status());
  StatusOr<store::RetentionSettings> settings = retention.Settings(*call.who);
  if (!settings.ok()) return Refused(call.who, call.csrf, SchoolName(), settings.status());
  StatusOr<service::PurgePlan> plan = retention.DryRun(*call.who);
  if (!plan.ok()) return Refused(call.who, call.csrf, SchoolName(), plan.status());
  StatusOr<std::vector<store::PurgeLogEntry>> log = retention.Log(*call.who, 100);
  if (!log.ok()) return Refused(call.who, call.csrf, SchoolName(), log.status());
  const Html auto_form = Html::Format(
      R"(<form method="post" action="{}" class="stack card"><input type="hidden" name="_csrf" value="{}">)"
      R"(<input type="hidden" name="action" value="auto"><h2 class="govuk-heading-m">Nightly purge</h2>)"
      R"(<p class="govuk-body">When on, rollcall removes what is past its period each night between )"
      R"(02:00 and 05:00, and logs it as "scheduled". Off until you turn it on.</p>{})"
      R"(<button class="govuk-button" type="submit">Save</button>{}</form>)",
      kRetentionPath, call.csrf, Checkbox("auto_purge", "Purge each night", settings->auto_purge),
      settings->version == 0
          ? Html()
          : Html::Format(R"(<p class="govuk-body muted">Last changed {} by {}.</p>)",
                         MomentText(settings->set_at), settings->set_by));
  const Html body = message + PeriodsTable(*periods) + PeriodForm(*periods, call.csrf) + auto_form +
                    PlanSection(*plan, call.csrf) + PurgeLogSection(*log);
  return Layout(call.who, call.csrf, SchoolName(), "Keeping and purging records", body, status);
}

}  // namespace rollcall::web
