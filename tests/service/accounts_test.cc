// Accounts through the service: the head lists them and may manage them;
// an account as the school holds it.
#include "service/accounts.h"

#include <gtest/gtest.h>

#include <optional>
#include <vector>

#include "core/error_codes.h"
#include "service/school_fixture.h"
#include "store/store.h"

namespace rollcall::service {
namespace {

class AccountsTest : public SchoolFixture {
 protected:
  Accounts& accounts() { return services_->accounts(); }
};

TEST_F(AccountsTest, OnlyTheHeadListsAndManagesAccounts) {
  EXPECT_TRUE(accounts().MayManage(head_).ok());
  for (const Principal* who : {&office_, &teacher_, &parent_, &la_}) {
    EXPECT_EQ(accounts().MayManage(*who).code(), core::kErrForbidden);
    EXPECT_EQ(accounts().Users(*who).status().code(), core::kErrForbidden);
  }
  core::StatusOr<std::vector<store::User>> users = accounts().Users(head_);
  ASSERT_TRUE(users.ok()) << users.status().message();
  ASSERT_EQ(users->size(), 5u);
  EXPECT_EQ((*users)[0].id, office_.user_id);  // by id
  EXPECT_EQ((*users)[0].username, "office");

  const std::optional<store::User> teacher = accounts().User(teacher_.user_id);
  ASSERT_TRUE(teacher);
  EXPECT_EQ(teacher->display_name, "Mr Teacher");
  EXPECT_FALSE(accounts().User(la_.user_id + 99));
}

}  // namespace
}  // namespace rollcall::service
