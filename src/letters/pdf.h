// pdf.h
//
// Letters as a PDF (libharu): one or more pages per letter, A4, in DejaVu
// Sans embedded as UTF-8 (so any name prints), or, where that font is not
// installed, the PDF standard Helvetica with characters outside Windows-1252
// printed as '?'. Text is drawn as text, so it can be searched and copied.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/status.h"

namespace rollcall::letters {

struct Page {
  std::string school_name;
  std::string date;       // "2 December 2026"
  std::string addressee;  // empty for certificates
  std::string subject;
  std::vector<std::string> paragraphs;  // a paragraph may hold line breaks
  // The address block, top left under the school's name, a line per line
  // (store::Letter::address); empty: the addressee's name alone.
  std::string address;
};

// The PDF file's bytes; Internal PDF_FAILED if libharu reports an error.
core::StatusOr<std::string> RenderPdf(std::span<const Page> pages);

// The font file RenderPdf embeds when it exists.
inline constexpr char kPdfFont[] = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

// UTF-8 to Windows-1252 for the Helvetica fallback: '?' for what it lacks.
std::string ToWindows1252(std::string_view utf8);

}  // namespace rollcall::letters
