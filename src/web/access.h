// access.h
//
// The web's names for the access rules. Who may do what is decided in the
// service layer (service/access.h), so that pages, the API, the command line
// and scheduled jobs ask the same question.
#pragma once

#include "service/access.h"

namespace rollcall::web {

using service::Action;
using service::Authorize;
using service::Principal;
using service::Subject;

}  // namespace rollcall::web
