// access.h
//
// The web's name for the logged-in user as the access rules see them. Who
// may do what is decided in the service layer (service/access.h), inside
// each service call, so that pages, the API, the command line and scheduled
// jobs get the same answer; the web asks no access question itself.
#pragma once

#include "service/access.h"

namespace rollcall::web {

using service::Principal;

}  // namespace rollcall::web
