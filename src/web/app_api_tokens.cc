// app_api_tokens.cc: the head's page of API tokens for other systems
// (service::ApiTokens): create one (shown once), see each token's scopes,
// expiry and recent uses, and revoke one.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "core/error_codes.h"
#include "core/uk_time.h"
#include "service/api_tokens.h"
#include "web/app_internal.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

namespace {

using service::ApiScope;
using service::ApiTokenView;

constexpr char kTokensPage[] = "/settings/api-tokens";
// How many of a token's latest uses its page lists.
constexpr int kUsesShown = 50;

// The scopes in words, a line each.
Html ScopesInWords(const std::vector<ApiScope>& scopes) {
  Html out;
  for (ApiScope scope : scopes) {
    out += Html::Format(R"(<span class="govuk-!-display-block">{}</span>)",
                        service::ApiScopeText(scope));
  }
  return out;
}

// "Active", "Expired" or "Revoked" as a tag.
Html StatusTag(const ApiTokenView& v) {
  if (v.revoked)
    return Html::Trusted(R"(<strong class="govuk-tag govuk-tag--red">Revoked</strong>)");
  if (v.expired)
    return Html::Trusted(R"(<strong class="govuk-tag govuk-tag--grey">Expired</strong>)");
  return Html::Trusted(R"(<strong class="govuk-tag govuk-tag--green">Active</strong>)");
}

std::string LastUsed(const ApiTokenView& v) {
  return v.token.last_used_at ? MomentText(*v.token.last_used_at) : "Never";
}

// The form field of a scope's checkbox: "scope-read-figures".
std::string ScopeField(ApiScope scope) {
  std::string field = "scope-" + std::string(service::ApiScopeName(scope));
  std::replace(field.begin(), field.end(), ':', '-');
  return field;
}

// The form to create a token, with what was typed and any problem.
Html CreateForm(const std::string& csrf, const std::string& name,
                const std::vector<ApiScope>& checked, std::optional<Date> last_day,
                const Html& error) {
  Html boxes;
  for (ApiScope scope : service::kApiScopes) {
    const std::string id = ScopeField(scope);
    const bool on = std::find(checked.begin(), checked.end(), scope) != checked.end();
    boxes += Checkbox(id, service::ApiScopeText(scope), on);
  }
  return Html::Format(
      R"({}<form method="post" action="/settings/api-tokens" novalidate>)"
      R"(<input type="hidden" name="_csrf" value="{}"><h2 class="govuk-heading-m">Create a token</h2>)"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="name">What is it for?</label>)"
      R"(<div class="govuk-hint">The other system's name, for example "Trust data dashboard".</div>)"
      R"(<input class="govuk-input govuk-!-width-two-thirds" id="name" name="name" value="{}" )"
      R"(maxlength="{}"></div>)"
      R"(<div class="govuk-form-group"><fieldset class="govuk-fieldset">)"
      R"(<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">What may it do?</legend>)"
      R"(<div class="govuk-hint">Choose only what the system needs. No token can manage )"
      R"(accounts, settings or tokens.</div><div class="govuk-checkboxes" id="scopes">{}</div>)"
      R"(</fieldset></div>{})"
      R"(<button class="govuk-button" type="submit">Create token</button></form>)",
      error, csrf, name, service::kApiTokenNameMax, boxes,
      DateInput("expires", "expires", "Last day it works (at most a year from today)", last_day));
}

// The token just created, shown this once.
Html TokenShown(const service::CreatedApiToken& created) {
  return Html::Format(
      R"(<div class="govuk-panel govuk-panel--confirmation"><h2 class="govuk-panel__title">)"
      R"(Token for {}</h2><div class="govuk-panel__body">It works until the end of {}.</div></div>)"
      R"(<div class="govuk-form-group"><label class="govuk-label govuk-label--s" )"
      R"(for="new-api-token">The token</label><div class="govuk-hint" id="new-api-token-hint">)"
      R"(Copy it now: select it all and copy (Ctrl+C, or Cmd+C on a Mac), then paste it into )"
      R"(the other system. It is sent as "Authorization: Bearer" and the token.</div>)"
      R"(<input class="govuk-input" id="new-api-token" type="text" readonly spellcheck="false" )"
      R"(aria-describedby="new-api-token-hint" value="{}"></div>)"
      R"(<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">)"
      R"(!</span><strong class="govuk-warning-text__text">This is the only time the token is )"
      R"(shown. If it is lost, revoke it and create another.</strong></div>)"
      R"(<p class="govuk-body"><a class="govuk-link" href="/settings/api-tokens">Back to API )"
      R"(tokens</a></p>)",
      created.token.name, LongDate(core::UkTimeAt(created.token.expires_at - 1).date),
      created.secret);
}

Html TokenList(const std::vector<ApiTokenView>& tokens) {
  if (tokens.empty()) return Html::Trusted(R"(<p class="govuk-body">No tokens yet.</p>)");
  Html rows;
  for (const ApiTokenView& v : tokens) {
    rows += Html::Format(
        R"(<tr class="govuk-table__row"><td class="govuk-table__cell"><a class="govuk-link" )"
        R"(href="/settings/api-tokens/{}">{}</a></td><td class="govuk-table__cell">{}</td>)"
        R"(<td class="govuk-table__cell">{}<br>{}</td><td class="govuk-table__cell">{}</td>)"
        R"(<td class="govuk-table__cell">{}</td><td class="govuk-table__cell">{}</td></tr>)",
        v.token.id, v.token.name, ScopesInWords(v.scopes), v.token.created_by_name,
        MomentText(v.token.created_at), LongDate(v.last_day), LastUsed(v), StatusTag(v));
  }
  return Html::Format(
      R"(<table class="govuk-table" id="api-tokens"><caption class="govuk-table__caption )"
      R"(govuk-table__caption--m">Tokens</caption><thead class="govuk-table__head">)"
      R"(<tr class="govuk-table__row"><th scope="col" class="govuk-table__header">For</th>)"
      R"(<th scope="col" class="govuk-table__header">May</th>)"
      R"(<th scope="col" class="govuk-table__header">Created</th>)"
      R"(<th scope="col" class="govuk-table__header">Last day</th>)"
      R"(<th scope="col" class="govuk-table__header">Last used</th>)"
      R"(<th scope="col" class="govuk-table__header">Status</th></tr></thead>)"
      R"(<tbody class="govuk-table__body">{}</tbody></table>)",
      rows);
}

// One token's details, its recent uses and, while it works, the form to
// revoke it.
Html TokenDetails(const std::string& csrf, const ApiTokenView& v,
                  const std::vector<store::ApiTokenUse>& uses, const Html& error) {
  Html revoked;
  if (v.revoked) {
    revoked = Html::Format(
        R"(<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Revoked</dt>)"
        R"(<dd class="govuk-summary-list__value">{} by {}</dd></div>)",
        MomentText(*v.token.revoked_at), v.token.revoked_by);
  }
  Html rows;
  for (const store::ApiTokenUse& u : uses) {
    rows += Html::Format(
        R"(<tr class="govuk-table__row"><td class="govuk-table__cell">{}</td>)"
        R"(<td class="govuk-table__cell">{} {}</td><td class="govuk-table__cell">{}</td>)"
        R"(<td class="govuk-table__cell">{}</td></tr>)",
        MomentText(u.at), u.method, u.path, u.status, u.remote_addr);
  }
  const Html uses_table =
      uses.empty()
          ? Html::Trusted(R"(<p class="govuk-body">Not used yet.</p>)")
          : Html::Format(
                R"(<table class="govuk-table" id="api-token-uses"><thead class="govuk-table__head">)"
                R"(<tr class="govuk-table__row"><th scope="col" class="govuk-table__header">When</th>)"
                R"(<th scope="col" class="govuk-table__header">Request</th>)"
                R"(<th scope="col" class="govuk-table__header">Answer (HTTP status)</th>)"
                R"(<th scope="col" class="govuk-table__header">From address</th></tr></thead>)"
                R"(<tbody class="govuk-table__body">{}</tbody></table>)",
                rows);
  const Html revoke_form =
      v.revoked || v.expired
          ? Html()
          : Html::Format(
                R"(<h2 class="govuk-heading-m">Revoke this token</h2>{})"
                R"(<form method="post" action="/settings/api-tokens/{}/revoke" novalidate>)"
                R"(<input type="hidden" name="_csrf" value="{}">)"
                R"(<div class="govuk-form-group"><div class="govuk-checkboxes" id="confirm">)"
                R"(<div class="govuk-checkboxes__item"><input class="govuk-checkboxes__input" )"
                R"(id="confirm-revoke" name="confirm" type="checkbox" value="yes">)"
                R"(<label class="govuk-label govuk-checkboxes__label" for="confirm-revoke">)"
                R"({} will stop working at once, and this cannot be undone</label></div></div></div>)"
                R"(<button class="govuk-button govuk-button--warning" type="submit">Revoke token)"
                R"(</button></form>)",
                error, v.token.id, csrf, v.token.name);
  return Html::Format(
      R"(<dl class="govuk-summary-list">)"
      R"(<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Status</dt>)"
      R"(<dd class="govuk-summary-list__value">{}</dd></div>)"
      R"(<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">May</dt>)"
      R"(<dd class="govuk-summary-list__value">{}</dd></div>)"
      R"(<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Created</dt>)"
      R"(<dd class="govuk-summary-list__value">{} by {}</dd></div>)"
      R"(<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Last day</dt>)"
      R"(<dd class="govuk-summary-list__value">{}</dd></div>{}</dl>)"
      R"(<h2 class="govuk-heading-m">Recent uses</h2>{}{})"
      R"(<p class="govuk-body"><a class="govuk-link" href="/settings/api-tokens">Back to API )"
      R"(tokens</a></p>)",
      StatusTag(v), ScopesInWords(v.scopes), MomentText(v.token.created_at),
      v.token.created_by_name, LongDate(v.last_day), revoked, uses_table, revoke_form);
}

}  // namespace

Response App::PageApiTokens(Call& call) {
  const std::string school = SchoolName();
  std::string name;
  std::vector<ApiScope> scopes;
  std::optional<Date> last_day = clock_.Today().AddDays(service::kApiTokenDefaultDays);
  Html error;
  http::status status = http::status::ok;
  if (call.req.method == http::verb::post) {
    const auto form = FormFields(call.req);
    name = Get(form, "name");
    service::NewApiToken request{.name = name};
    for (ApiScope scope : service::kApiScopes) {
      if (Get(form, ScopeField(scope)) == "yes") request.scopes.push_back(scope);
    }
    scopes = request.scopes;
    Status problem;
    std::string field = "name";
    const std::string expires = Get(form, "expires");
    last_day = Date::Parse(expires);
    if (!last_day) {
      problem = core::InvalidArgument(core::kErrValueInvalid,
                                      "enter the last day the token works as a real date");
      field = "expires-day";
    } else {
      request.expires_on = last_day;
      StatusOr<service::CreatedApiToken> created =
          services_.api_tokens().Create(*call.who, request);
      if (created.ok()) {
        return Layout(call.who, call.csrf, school, "API token created", TokenShown(*created),
                      http::status::created);
      }
      problem = created.status();
      if (problem.kind() != core::ErrorKind::kInvalidArgument) {
        return Refused(call.who, call.csrf, school, problem);
      }
      // The service checks the name, then the scopes, then the date.
      if (problem.message().find("name") == std::string::npos) {
        field = request.scopes.empty() ? "scopes" : "expires-day";
      }
    }
    error = ErrorSummary(problem.message(), field);
    status = http::status::bad_request;
  }
  StatusOr<std::vector<ApiTokenView>> tokens = services_.api_tokens().List(*call.who);
  if (!tokens.ok()) return Refused(call.who, call.csrf, school, tokens.status());
  Html body = Html::Format(
      R"({}<p class="govuk-body">A token lets another system (a trust's dashboard, a )"
      R"(messaging service) use this school's API without a person's login. Each token may )"
      R"(do only what you choose, until its last day or until you revoke it, and every use is )"
      R"(logged. See the API tokens guide for how a system sends it.</p>{}{})",
      DoneBanner(call.target.query), TokenList(*tokens),
      CreateForm(call.csrf, name, scopes, last_day, error));
  return Layout(call.who, call.csrf, school, "API tokens", body, status);
}

Response App::PageApiToken(Call& call, const std::string& id) {
  const std::string school = SchoolName();
  const std::optional<int64_t> token_id = ParseId(id);
  if (!token_id) {
    return Refused(call.who, call.csrf, school,
                   core::NotFound(core::kErrTokenInvalid, "no such API token"));
  }
  Html error;
  http::status status = http::status::ok;
  if (call.req.method == http::verb::post) {
    if (Get(FormFields(call.req), "confirm") == "yes") {
      if (Status s = services_.api_tokens().Revoke(*call.who, *token_id); !s.ok()) {
        return NotSaved(call.who, call.csrf, s, kTokensPage, "Not revoked", school);
      }
      return RedirectDone(kTokensPage, Done::kApiTokenRevoked);
    }
    error = ErrorSummary("tick the box to confirm that the token should stop working",
                         "confirm-revoke");
    status = http::status::bad_request;
  }
  auto details = services_.api_tokens().Details(*call.who, *token_id, kUsesShown);
  if (!details.ok()) return Refused(call.who, call.csrf, school, details.status());
  return Layout(call.who, call.csrf, school, "API token: " + details->first.token.name,
                TokenDetails(call.csrf, details->first, details->second, error), status);
}

}  // namespace rollcall::web
