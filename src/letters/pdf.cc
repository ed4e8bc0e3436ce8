// pdf.cc: letters drawn with libharu.
#include "letters/pdf.h"

#include <fmt/format.h>
#include <hpdf.h>
#include <sys/stat.h>

#include <array>
#include <memory>

#include "core/error_codes.h"

namespace rollcall::letters {
namespace {

constexpr float kMargin = 64;
constexpr float kBodySize = 11;
constexpr float kLeading = 15.5f;

struct Errors {
  HPDF_STATUS first = HPDF_OK;
  HPDF_STATUS detail = 0;
};

void OnError(HPDF_STATUS error, HPDF_STATUS detail, void* data) {
  auto* errors = static_cast<Errors*>(data);
  if (errors->first == HPDF_OK) {
    errors->first = error;
    errors->detail = detail;
  }
}

// Decodes one UTF-8 sequence at text[i], advancing i; U+FFFD when invalid.
char32_t NextCodePoint(std::string_view text, size_t& i) {
  const auto b = static_cast<unsigned char>(text[i++]);
  int extra = b < 0x80 ? 0 : (b >> 5) == 0x6 ? 1 : (b >> 4) == 0xE ? 2 : (b >> 3) == 0x1E ? 3 : -1;
  if (extra < 0) return 0xFFFD;
  char32_t cp = extra == 0 ? b : b & (0x3F >> extra);
  for (; extra > 0; --extra) {
    if (i >= text.size() || (static_cast<unsigned char>(text[i]) >> 6) != 0x2) return 0xFFFD;
    cp = (cp << 6) | (static_cast<unsigned char>(text[i++]) & 0x3F);
  }
  return cp;
}

class Writer {
 public:
  Writer(HPDF_Doc doc, HPDF_Font font, bool utf8) : doc_(doc), font_(font), utf8_(utf8) {}

  // As a UK letter: the school, the address block top left, the date, then
  // the subject and the text.
  void Letter(const Page& p) {
    NewPage();
    Line(p.school_name, 16);
    y_ -= kLeading;
    if (!p.address.empty() || !p.addressee.empty()) {
      Lines(p.address.empty() ? p.addressee : p.address);
      y_ -= kLeading;
    }
    Line(p.date, kBodySize);
    y_ -= kLeading;
    Wrapped(p.subject, 13);
    y_ -= kLeading / 2;
    for (const std::string& paragraph : p.paragraphs) {
      Lines(paragraph);
      y_ -= kLeading / 2;
    }
  }

 private:
  // Text with line breaks, each line word-wrapped.
  void Lines(std::string_view text) {
    size_t at = 0;
    while (at <= text.size()) {
      const size_t nl = text.find('\n', at);
      Wrapped(text.substr(at, nl == std::string_view::npos ? std::string_view::npos : nl - at),
              kBodySize);
      if (nl == std::string_view::npos) break;
      at = nl + 1;
    }
  }

  void NewPage() {
    page_ = HPDF_AddPage(doc_);
    HPDF_Page_SetSize(page_, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    y_ = HPDF_Page_GetHeight(page_) - kMargin;
  }
  std::string Encode(std::string_view text) const {
    return utf8_ ? std::string(text) : ToWindows1252(text);
  }
  void Line(std::string_view text, float size) {
    if (y_ < kMargin) NewPage();
    HPDF_Page_BeginText(page_);
    HPDF_Page_SetFontAndSize(page_, font_, size);
    const std::string encoded = Encode(text);
    HPDF_Page_TextOut(page_, kMargin, y_, encoded.c_str());
    HPDF_Page_EndText(page_);
    y_ -= size * kLeading / kBodySize;
  }
  // Word-wraps `text` to the text width, a line at a time.
  void Wrapped(std::string_view text, float size) {
    const float width = HPDF_Page_GetWidth(page_) - 2 * kMargin;
    HPDF_Page_SetFontAndSize(page_, font_, size);
    std::string line;
    size_t at = 0;
    while (at < text.size()) {
      size_t end = text.find(' ', at);
      if (end == std::string_view::npos) end = text.size();
      const std::string word(text.substr(at, end - at));
      const std::string candidate = line.empty() ? word : line + " " + word;
      if (!line.empty() && HPDF_Page_TextWidth(page_, Encode(candidate).c_str()) > width) {
        Line(line, size);
        HPDF_Page_SetFontAndSize(page_, font_, size);
        line = word;
      } else {
        line = candidate;
      }
      at = end + 1;
    }
    Line(line, size);
  }

  HPDF_Doc doc_;
  HPDF_Font font_;
  bool utf8_;
  HPDF_Page page_ = nullptr;
  float y_ = 0;
};

}  // namespace

std::string ToWindows1252(std::string_view utf8) {
  // Windows-1252's 0x80-0x9F, by code point.
  static constexpr std::array<std::pair<char32_t, char>, 14> kExtra = {{{0x20AC, '\x80'},
                                                                        {0x2018, '\x91'},
                                                                        {0x2019, '\x92'},
                                                                        {0x201C, '\x93'},
                                                                        {0x201D, '\x94'},
                                                                        {0x2022, '\x95'},
                                                                        {0x2013, '\x96'},
                                                                        {0x2014, '\x97'},
                                                                        {0x2026, '\x85'},
                                                                        {0x0152, '\x8C'},
                                                                        {0x0153, '\x9C'},
                                                                        {0x0160, '\x8A'},
                                                                        {0x0161, '\x9A'},
                                                                        {0x017D, '\x8E'}}};
  std::string out;
  for (size_t i = 0; i < utf8.size();) {
    const char32_t cp = NextCodePoint(utf8, i);
    if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF)) {
      out += static_cast<char>(cp);
      continue;
    }
    char mapped = '?';
    for (const auto& [from, to] : kExtra) {
      if (from == cp) mapped = to;
    }
    out += mapped;
  }
  return out;
}

core::StatusOr<std::string> RenderPdf(std::span<const Page> pages) {
  Errors errors;
  std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, void (*)(HPDF_Doc)> doc(
      HPDF_New(OnError, &errors), HPDF_Free);
  if (!doc) return core::Internal(core::kErrPdfFailed, "could not start a PDF document");
  HPDF_SetCompressionMode(doc.get(), HPDF_COMP_ALL);
  HPDF_SetInfoAttr(doc.get(), HPDF_INFO_CREATOR, "rollcall");
  struct stat st {};
  const bool embed = ::stat(kPdfFont, &st) == 0;
  HPDF_Font font = nullptr;
  if (embed) {
    HPDF_UseUTFEncodings(doc.get());
    HPDF_SetCurrentEncoder(doc.get(), "UTF-8");
    const char* name = HPDF_LoadTTFontFromFile(doc.get(), kPdfFont, HPDF_TRUE);
    if (name != nullptr) font = HPDF_GetFont(doc.get(), name, "UTF-8");
  } else {
    font = HPDF_GetFont(doc.get(), "Helvetica", "WinAnsiEncoding");
  }
  if (font == nullptr || errors.first != HPDF_OK) {
    return core::Internal(core::kErrPdfFailed,
                          fmt::format("could not load the PDF font (libharu error "
                                      "0x{:04X}, detail {})",
                                      errors.first, errors.detail));
  }
  Writer writer(doc.get(), font, embed);
  for (const Page& p : pages) writer.Letter(p);
  if (pages.empty()) HPDF_AddPage(doc.get());
  if (errors.first != HPDF_OK || HPDF_SaveToStream(doc.get()) != HPDF_OK) {
    return core::Internal(core::kErrPdfFailed,
                          fmt::format("libharu error 0x{:04X} (detail {}) while "
                                      "drawing the letters",
                                      errors.first, errors.detail));
  }
  std::string out(HPDF_GetStreamSize(doc.get()), '\0');
  HPDF_UINT32 size = static_cast<HPDF_UINT32>(out.size());
  HPDF_ReadFromStream(doc.get(), reinterpret_cast<HPDF_BYTE*>(out.data()), &size);
  out.resize(size);
  return out;
}

}  // namespace rollcall::letters
