// subject_access_render.cc: a subject access copy as JSON and as a PDF.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "letters/pdf.h"
#include "service/fields.h"
#include "service/subject_access.h"

namespace rollcall::service {
namespace {

// The PDF wraps lines at spaces only: a long run without one (an address,
// a message's JSON) gets break points so it stays on the page. The JSON
// keeps the text as it is.
std::string Breakable(const std::string& text) {
  constexpr size_t kLongestRun = 60;
  std::string out;
  size_t run = 0;
  for (char c : text) {
    const bool space = c == ' ' || c == '\n';
    // Never inside a UTF-8 sequence: only before a byte that starts a character.
    if (!space && run >= kLongestRun && (static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      out += ' ';
      run = 0;
    }
    out += c;
    run = space ? 0 : run + 1;
  }
  return out;
}

}  // namespace

std::string SubjectAccessJson(const SubjectAccessCopy& copy) {
  nlohmann::ordered_json out;
  nlohmann::ordered_json subject;
  subject["kind"] = copy.subject_kind;
  subject["name"] = copy.subject_name;
  subject["pupil_id"] = copy.pupil_id;
  if (!copy.contact.empty()) subject["contact"] = copy.contact;
  out["subject"] = subject;
  out["school"] = copy.school;
  out["produced_at"] = IsoTime(copy.produced_at);
  out["produced_by"] = copy.produced_by;
  nlohmann::ordered_json sections = nlohmann::ordered_json::object();
  for (const SarSection& s : copy.sections) {
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    for (const std::vector<std::string>& row : s.rows) {
      nlohmann::ordered_json r;
      for (size_t i = 0; i < s.columns.size() && i < row.size(); ++i) {
        r[s.columns[i].key] = row[i];
      }
      rows.push_back(std::move(r));
    }
    sections[s.key] = std::move(rows);
  }
  out["sections"] = std::move(sections);
  // Text that is not UTF-8 (typed into an old system) is replaced, not
  // refused: the copy must still be made.
  return out.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

core::StatusOr<std::string> SubjectAccessPdf(const SubjectAccessCopy& copy) {
  const std::string date = LocalIsoTime(copy.produced_at).substr(0, 10);
  std::vector<letters::Page> pages;
  letters::Page cover;
  cover.school_name = copy.school;
  cover.date = date;
  cover.subject = fmt::format("Subject access request: {}", copy.subject_name);
  cover.paragraphs.push_back(fmt::format(
      "Everything {} holds in rollcall about {} ({}{}), as of {}, made by {}.", copy.school,
      copy.subject_name, copy.subject_kind == "pupil" ? "pupil " : "contact ",
      copy.subject_kind == "pupil" ? std::to_string(copy.pupil_id) : copy.contact,
      LocalIsoTime(copy.produced_at), copy.produced_by));
  std::string contents = "Sections:";
  for (const SarSection& s : copy.sections) {
    contents += fmt::format("\n{} ({} {})", s.title, s.rows.size(),
                            s.rows.size() == 1 ? "entry" : "entries");
  }
  cover.paragraphs.push_back(contents);
  pages.push_back(std::move(cover));
  for (const SarSection& s : copy.sections) {
    letters::Page page;
    page.school_name = copy.school;
    page.date = date;
    page.subject = fmt::format("{}: {}", copy.subject_name, s.title);
    if (s.rows.empty()) page.paragraphs.push_back("None held.");
    // One paragraph a row, a line a column, leaving out empty cells.
    for (const std::vector<std::string>& row : s.rows) {
      std::string text;
      for (size_t i = 0; i < s.columns.size() && i < row.size(); ++i) {
        if (row[i].empty()) continue;
        if (!text.empty()) text += "\n";
        text += fmt::format("{}: {}", s.columns[i].title, Breakable(row[i]));
      }
      page.paragraphs.push_back(text.empty() ? "(empty)" : text);
    }
    pages.push_back(std::move(page));
  }
  return letters::RenderPdf(pages);
}

}  // namespace rollcall::service
