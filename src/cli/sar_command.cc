// `rollcall sar --db FILE (--pupil ID | --contact PUPIL:N) [--out-json FILE]
// [--out-pdf FILE] [--user USERNAME]`: a subject access request's copy of
// everything held about a pupil or one of their contacts
// (docs/subject-access.md), made by the same service as the head's page and
// recorded in the access log in the name of the account given (the
// school's one head by default). With neither --out-json nor --out-pdf the
// JSON goes to standard output.
#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/system_clock.h"
#include "core/error_codes.h"
#include "service/access_log.h"
#include "service/pupils.h"
#include "service/records.h"
#include "service/school.h"
#include "service/subject_access.h"

namespace rollcall::cli {
namespace {

core::Status CheckSarArgs(const SarArgs& args) {
  if (args.pupil.has_value() == !args.contact.empty()) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "give either --pupil ID or --contact PUPIL:N, not both");
  }
  if (args.pupil && *args.pupil <= 0) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 fmt::format("--pupil {}: expected a pupil's id", *args.pupil));
  }
  return core::OkStatus();
}

}  // namespace

int RunSar(const SarArgs& args) {
  if (core::Status s = CheckSarArgs(args); !s.ok()) return ReportProblem("sar", s);
  std::optional<service::ContactRef> contact;
  if (!args.contact.empty()) {
    core::StatusOr<service::ContactRef> ref = service::ParseContactRef(args.contact);
    if (!ref.ok()) return ReportProblem("sar", ref.status());
    contact = *ref;
  }
  core::StatusOr<std::unique_ptr<store::Store>> store = OpenSchoolStore(args.db, args.school);
  if (!store.ok()) return ReportProblem("sar", store.status());
  core::StatusOr<store::User> user =
      UserOrTheHead(**store, args.user, "makes the subject access copy");
  if (!user.ok()) return ReportProblem("sar", user.status());
  SystemClock clock;
  service::School school(**store, clock);
  if (core::Status s = school.Load(); !s.ok()) return ReportProblem("sar", s);
  service::Pupils pupils(school);
  service::AccessLog log(school);
  service::SubjectAccess sar(school, pupils, log);
  const service::Principal who = service::PrincipalOf(*user);
  const std::string format = args.out_pdf.empty()    ? "json (command line)"
                             : args.out_json.empty() ? "pdf (command line)"
                                                     : "json and pdf (command line)";
  core::StatusOr<service::SubjectAccessCopy> copy =
      contact ? sar.ForContact(who, *contact, format) : sar.ForPupil(who, *args.pupil, format);
  if (!copy.ok()) return ReportProblem("sar", copy.status());
  // The PDF is made before anything is written: a failure leaves no half
  // of the pair behind.
  std::string pdf;
  if (!args.out_pdf.empty()) {
    core::StatusOr<std::string> bytes = service::SubjectAccessPdf(*copy);
    if (!bytes.ok()) return ReportProblem("sar", bytes.status());
    pdf = std::move(*bytes);
  }
  const std::string json = service::SubjectAccessJson(*copy);
  if (args.out_json.empty() && args.out_pdf.empty()) {
    std::cout << json;
    return kExitOk;
  }
  if (!args.out_json.empty()) {
    if (core::Status s = WriteOutput(args.out_json, json); !s.ok()) return ReportProblem("sar", s);
  }
  if (!args.out_pdf.empty()) {
    if (core::Status s = WriteOutput(args.out_pdf, pdf); !s.ok()) return ReportProblem("sar", s);
  }
  size_t entries = 0;
  for (const service::SarSection& s : copy->sections) entries += s.rows.size();
  std::cerr << fmt::format(
      "rollcall sar: {} ({}): {} sections, {} entries; recorded in the "
      "access log as made by {}\n",
      copy->subject_name, copy->subject_kind, copy->sections.size(), entries, who.name);
  return kExitOk;
}

}  // namespace rollcall::cli
