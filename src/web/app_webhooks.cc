// app_webhooks.cc: the head's webhooks page (/settings/webhooks): the
// subscriptions, adding one, pausing, resuming, deleting and testing them,
// and the delivery log.
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/error_codes.h"
#include "service/fields.h"
#include "web/app.h"
#include "web/app_internal.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

namespace {

constexpr char kPath[] = "/settings/webhooks";

// What each event is, in words.
std::string_view EventText(std::string_view kind) {
  if (kind == "absence.no_reason") return "A pupil's first absence of a day with no reason yet (N)";
  if (kind == "mark.amended") return "A mark amended";
  if (kind == "penalty.threshold_crossed") return "The threshold for a penalty notice reached";
  if (kind == "cme.case_opened") return "A child missing education case opened";
  if (kind == "pupil.admitted") return "A pupil admitted";
  if (kind == "pupil.deleted") return "A pupil taken off the roll";
  if (kind == "webhook.test") return "A test";
  return kind;
}

std::string_view StateText(store::OutboxState state) {
  switch (state) {
    case store::OutboxState::kQueued:
      return "Waiting";
    case store::OutboxState::kSending:
      return "Sending";
    case store::OutboxState::kDelivered:
      return "Delivered";
    case store::OutboxState::kFailed:
      return "Failed";
  }
  core::Unreachable();
}

const char* StateTag(store::OutboxState state) {
  switch (state) {
    case store::OutboxState::kQueued:
    case store::OutboxState::kSending:
      return "govuk-tag--blue";
    case store::OutboxState::kDelivered:
      return "govuk-tag--green";
    case store::OutboxState::kFailed:
      return "govuk-tag--red";
  }
  core::Unreachable();
}

// What the add form had typed, shown again with its problem.
struct Typed {
  std::string url;
  std::vector<std::string> kinds;
};

Html KindCheckboxes(const Typed& typed) {
  Html items;
  for (std::string_view kind : store::kEventKinds) {
    const bool checked =
        std::find(typed.kinds.begin(), typed.kinds.end(), kind) != typed.kinds.end();
    items += Checkbox(fmt::format("kind-{}", kind), EventText(kind), checked,
                      fmt::format("kind_{}", kind));
  }
  return Html::Format(
      R"(<div class="govuk-form-group"><fieldset class="govuk-fieldset" id="kinds">)"
      R"(<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Events to send</legend>)"
      R"(<div class="govuk-checkboxes govuk-checkboxes--small">{}</div></fieldset></div>)",
      items);
}

Html SubscriptionRows(const service::WebhooksView& v, const std::string& csrf) {
  Html rows;
  for (const store::Webhook& w : v.webhooks) {
    auto button = [&](const char* action, const char* label, const char* style) {
      return Html::Format(
          R"(<form method="post" action="{}/{}/{}" class="govuk-!-display-inline-block )"
          R"(govuk-!-margin-right-2"><input type="hidden" name="_csrf" value="{}">)"
          R"(<button class="govuk-button {} govuk-!-margin-bottom-1" type="submit">{})"
          R"(<span class="govuk-visually-hidden"> for {}</span></button></form>)",
          kPath, w.id, action, csrf, style, label, w.url);
    };
    Html kinds;
    for (const std::string& k : w.kinds) kinds += Html::Format("<li>{}</li>", EventText(k));
    rows += Html::Format(
        R"(<tr class="govuk-table__row"><td class="govuk-table__cell"><code>{}</code></td>)"
        R"(<td class="govuk-table__cell"><ul class="govuk-list">{}</ul></td>)"
        R"(<td class="govuk-table__cell"><code>{}</code></td>)"
        R"(<td class="govuk-table__cell">{}</td><td class="govuk-table__cell">{}{}{}</td></tr>)",
        w.url, kinds, w.secret,
        w.active ? Html::Trusted(R"(<strong class="govuk-tag govuk-tag--green">Active</strong>)")
                 : Html::Trusted(R"(<strong class="govuk-tag govuk-tag--grey">Paused</strong>)"),
        w.active ? button("pause", "Pause", "govuk-button--secondary")
                 : button("resume", "Resume", "govuk-button--secondary"),
        button("test", "Send a test event", "govuk-button--secondary"),
        button("delete", "Delete", "govuk-button--warning"));
  }
  return rows;
}

// A message's attempts, each with its time, status and answer, folded
// under the number of attempts.
Html AttemptsCell(const service::WebhooksView& v, const store::OutboxMessage& m) {
  const auto found = v.attempts.find(m.id);
  if (found == v.attempts.end() || found->second.empty()) return Html::Format("{}", m.attempts);
  Html items;
  for (const store::OutboxAttempt& a : found->second) {
    items += Html::Format("<li>{}: {} {}</li>", MomentText(a.at),
                          a.status ? "HTTP " + std::to_string(*a.status) : "No answer", a.answer);
  }
  return Html::Format(
      R"(<details class="govuk-details"><summary class="govuk-details__summary">)"
      R"(<span class="govuk-details__summary-text">{}</span></summary>)"
      R"(<div class="govuk-details__text"><ul class="govuk-list">{}</ul></div></details>)",
      m.attempts, items);
}

Html LogRows(const service::WebhooksView& v) {
  Html rows;
  for (const store::OutboxMessage& m : v.log) {
    const std::string status = m.last_status ? std::to_string(*m.last_status) : "";
    const bool waiting =
        m.state == store::OutboxState::kQueued || m.state == store::OutboxState::kSending;
    rows += Html::Format(
        R"(<tr class="govuk-table__row"><td class="govuk-table__cell">{}</td>)"
        R"(<td class="govuk-table__cell">{}<br><code>{}</code></td>)"
        R"(<td class="govuk-table__cell"><code>{}</code></td>)"
        R"(<td class="govuk-table__cell"><strong class="govuk-tag {}">{}</strong></td>)"
        R"(<td class="govuk-table__cell">{}</td><td class="govuk-table__cell">{}</td>)"
        R"(<td class="govuk-table__cell">{}</td><td class="govuk-table__cell">{}</td></tr>)",
        MomentText(m.created_at), EventText(m.event_kind), m.idempotency_key, m.destination,
        StateTag(m.state), StateText(m.state), AttemptsCell(v, m),
        status.empty() && m.attempts > 0 ? "No answer" : status, m.last_answer,
        m.delivered_at ? "Delivered " + MomentText(*m.delivered_at)
        : waiting      ? MomentText(m.next_attempt_at)
                       : std::string());
  }
  return rows;
}

Html StateFilter(const service::WebhooksView& v) {
  Html links = Html::Format(R"(<li><a class="govuk-link" href="{}">All</a></li>)", kPath);
  for (store::OutboxState s : {store::OutboxState::kQueued, store::OutboxState::kSending,
                               store::OutboxState::kDelivered, store::OutboxState::kFailed}) {
    if (v.filter == s) {
      links += Html::Format("<li><strong>{}</strong></li>", StateText(s));
    } else {
      links += Html::Format(R"(<li><a class="govuk-link" href="{}?state={}">{}</a></li>)", kPath,
                            store::OutboxStateName(s), StateText(s));
    }
  }
  return Html::Format(R"(<ul class="govuk-list govuk-list--inline">{}</ul>)", links);
}

Html WebhooksBody(const service::WebhooksView& v, const std::string& csrf, const Html& message,
                  const Typed& typed) {
  return Html::Format(
      R"({}<p class="govuk-body">A webhook tells another system, at once, when something )"
      R"(happens here: rollcall sends it the event as JSON, signed with the subscription's )"
      R"(secret, and tries again for about {} hours when it does not answer. Give the secret to )"
      R"(whoever runs the other system: they need it to check each message came from here.</p>)"
      R"(<table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--m">)"
      R"(Subscriptions</caption><thead class="govuk-table__head"><tr class="govuk-table__row">)"
      R"(<th scope="col" class="govuk-table__header">Address</th>)"
      R"(<th scope="col" class="govuk-table__header">Events</th>)"
      R"(<th scope="col" class="govuk-table__header">Secret</th>)"
      R"(<th scope="col" class="govuk-table__header">Status</th>)"
      R"(<th scope="col" class="govuk-table__header">Actions</th></tr></thead>)"
      R"(<tbody class="govuk-table__body">{}</tbody></table>{})"
      R"(<h2 class="govuk-heading-m">Add a subscription</h2>)"
      R"(<form method="post" action="{}"><input type="hidden" name="_csrf" value="{}">)"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="url">Address</label>)"
      R"(<div class="govuk-hint">Starting https:// (pupils' data is only sent encrypted).</div>)"
      R"(<input class="govuk-input" id="url" name="url" value="{}" spellcheck="false" required>)"
      R"(</div>{}<button class="govuk-button" type="submit">Add subscription</button></form>)"
      R"(<h2 class="govuk-heading-m">Delivery log</h2>{})"
      R"(<div class="scroll-x"><table class="govuk-table"><thead class="govuk-table__head">)"
      R"(<tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Queued</th>)"
      R"(<th scope="col" class="govuk-table__header">Event and delivery key</th>)"
      R"(<th scope="col" class="govuk-table__header">To</th>)"
      R"(<th scope="col" class="govuk-table__header">State</th>)"
      R"(<th scope="col" class="govuk-table__header">Attempts</th>)"
      R"(<th scope="col" class="govuk-table__header">Last answer</th>)"
      R"(<th scope="col" class="govuk-table__header">Said</th>)"
      R"(<th scope="col" class="govuk-table__header">Next attempt</th></tr></thead>)"
      R"(<tbody class="govuk-table__body">{}</tbody></table></div>{})",
      message, (service::kWebhookRetrySpanSeconds + 1800) / 3600, SubscriptionRows(v, csrf),
      v.webhooks.empty() ? Html::Trusted(R"(<p class="govuk-body">No subscriptions yet.</p>)")
                         : Html(),
      kPath, csrf, typed.url, KindCheckboxes(typed), StateFilter(v), LogRows(v),
      v.log.empty() ? Html::Trusted(R"(<p class="govuk-body">Nothing sent yet.</p>)") : Html());
}

json WebhookJson(const store::Webhook& w) {
  return json{{"id", w.id},
              {"url", w.url},
              {"events", w.kinds},
              {"secret", w.secret},
              {"active", w.active},
              {"created_at", IsoTime(w.created_at)},
              {"created_by", w.created_by_name}};
}

json DeliveryJson(const store::OutboxMessage& m) {
  return json{{"id", m.id},
              {"key", m.idempotency_key},
              {"event", m.event_kind},
              {"webhook_id", m.subscription_id ? json(*m.subscription_id) : json(nullptr)},
              {"url", m.destination},
              {"state", store::OutboxStateName(m.state)},
              {"attempts", m.attempts},
              {"last_status", m.last_status ? json(*m.last_status) : json(nullptr)},
              {"last_answer", m.last_answer},
              {"created_at", IsoTime(m.created_at)},
              {"next_attempt_at", IsoTime(m.next_attempt_at)},
              {"delivered_at", m.delivered_at ? json(IsoTime(*m.delivered_at)) : json(nullptr)}};
}

// A subscription from a JSON body: {"url": ..., "events": [kinds]}.
StatusOr<service::NewWebhook> NewWebhookBody(const Request& req) {
  ASSIGN_OR_RETURN(json body, ObjectBody(req, {"url", "events"}));
  service::NewWebhook hook;
  ASSIGN_OR_RETURN(hook.url, StringField(body, "url", true));
  const auto events = body.find("events");
  if (events == body.end() || !events->is_array()) {
    return core::InvalidArgument(core::kErrJsonType, "'events' must be a list of event names");
  }
  for (const json& e : *events) {
    if (!e.is_string()) {
      return core::InvalidArgument(core::kErrJsonType, "'events' must be a list of event names");
    }
    hook.kinds.push_back(e.get<std::string>());
  }
  return hook;
}

}  // namespace

Response App::ListWebhooks(Call& call) {
  const std::string state = Get(call.target.query, "state");
  const std::optional<store::OutboxState> filter = store::OutboxStateFromName(state);
  if (!state.empty() && !filter) {
    return ErrorResponse(core::InvalidArgument(
        core::kErrValueInvalid, "state must be queued, sending, delivered or failed"));
  }
  StatusOr<service::WebhooksView> v = services_.webhooks().Get(*call.who, filter);
  if (!v.ok()) return ErrorResponse(v.status());
  json hooks = json::array();
  for (const store::Webhook& w : v->webhooks) hooks.push_back(WebhookJson(w));
  json log = json::array();
  for (const store::OutboxMessage& m : v->log) log.push_back(DeliveryJson(m));
  return JsonResponse(json{{"webhooks", std::move(hooks)}, {"deliveries", std::move(log)}}.dump());
}

Response App::PostWebhook(Call& call) {
  StatusOr<service::NewWebhook> hook = NewWebhookBody(call.req);
  if (!hook.ok()) return ErrorResponse(hook.status());
  StatusOr<store::Webhook> added = services_.webhooks().Add(*call.who, *hook);
  if (!added.ok()) return ErrorResponse(added.status());
  return JsonResponse(WebhookJson(*added).dump(), http::status::created);
}

Response App::PostWebhookAction(Call& call, const std::string& webhook_id,
                                const std::string& action) {
  const std::optional<int64_t> id = ParseId(webhook_id);
  if (!id) return ErrorResponse(core::NotFound(core::kErrWebhookUnknown, "no such webhook"));
  service::Webhooks& hooks = services_.webhooks();
  Status s = core::NotFound(core::kErrNotFound,
                            "a webhook's actions are pause, resume, "
                            "delete and test");
  if (action == "pause" || action == "resume") {
    s = hooks.SetActive(*call.who, *id, action == "resume");
  } else if (action == "delete") {
    s = hooks.Delete(*call.who, *id);
  } else if (action == "test") {
    s = hooks.SendTest(*call.who, *id);
  }
  if (!s.ok()) return ErrorResponse(s);
  return JsonResponse(json{{"status", action == "test" ? "queued" : "done"}}.dump());
}

Response App::PageWebhooks(Call& call) {
  Html message = DoneBanner(call.target.query);
  http::status status = http::status::ok;
  Typed typed;
  if (call.req.method == http::verb::post) {
    const auto form = FormFields(call.req);
    typed.url = Get(form, "url");
    for (std::string_view kind : store::kEventKinds) {
      if (Get(form, fmt::format("kind_{}", kind)) == "yes") typed.kinds.emplace_back(kind);
    }
    StatusOr<store::Webhook> added = services_.webhooks().Add(*call.who, {typed.url, typed.kinds});
    if (added.ok()) {
      message = SuccessBanner(
          fmt::format("Subscription added. Its secret is {}: give it to whoever runs {} so they "
                      "can check each message's signature.",
                      added->secret, added->url));
      typed = {};
    } else if (added.status().kind() == core::ErrorKind::kInvalidArgument) {
      status = http::status::unprocessable_entity;
      message = ErrorSummary(added.status().message(),
                             added.status().code() == core::kErrWebhookInvalid ? "kinds" : "url");
    } else {
      return Refused(call.who, call.csrf, SchoolName(), added.status());
    }
  }
  std::optional<store::OutboxState> filter =
      store::OutboxStateFromName(Get(call.target.query, "state"));
  StatusOr<service::WebhooksView> v = services_.webhooks().Get(*call.who, filter);
  if (!v.ok()) return Refused(call.who, call.csrf, SchoolName(), v.status());
  return Layout(call.who, call.csrf, SchoolName(), "Webhooks",
                WebhooksBody(*v, call.csrf, message, typed), status);
}

Response App::PageWebhookAction(Call& call, const std::string& webhook_id,
                                const std::string& action) {
  std::optional<int64_t> id = ParseId(webhook_id);
  service::Webhooks& hooks = services_.webhooks();
  Status s = core::NotFound(core::kErrNotFound, "there is no such action on a webhook");
  Done done = Done::kWebhookPaused;
  if (id && action == "pause") {
    s = hooks.SetActive(*call.who, *id, false);
  } else if (id && action == "resume") {
    s = hooks.SetActive(*call.who, *id, true);
    done = Done::kWebhookResumed;
  } else if (id && action == "delete") {
    s = hooks.Delete(*call.who, *id);
    done = Done::kWebhookDeleted;
  } else if (id && action == "test") {
    s = hooks.SendTest(*call.who, *id);
    done = Done::kWebhookTestQueued;
  }
  if (!s.ok()) return NotSaved(call.who, call.csrf, s, kPath, "Not changed");
  return RedirectDone(kPath, done);
}

}  // namespace rollcall::web
