// sql_store_messaging.cc: how the school sends messages (messaging.h).
#include "store/sql_store.h"

namespace rollcall::store::sql {

using core::StatusOr;

StatusOr<MessageSettings> SqlStore::GetMessageSettings() {
  return Read([&]() -> StatusOr<MessageSettings> {
    ASSIGN_OR_RETURN(
        Statement stmt,
        db_->Prepare("SELECT version, email_transport, smtp_username, smtp_password, "
                     "from_address, from_name, reply_to, sms_transport, notify_base_url, "
                     "notify_api_key, notify_sms_template_id, notify_receipt_token, "
                     "day_one_minute, public_url, set_at, set_by FROM message_settings "
                     "ORDER BY version DESC LIMIT 1"));
    MessageSettings s;
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return s;
    s.version = stmt.Int64(0);
    s.email_transport = stmt.Text(1);
    s.smtp_username = stmt.Text(2);
    s.smtp_password = stmt.Text(3);
    s.from_address = stmt.Text(4);
    s.from_name = stmt.Text(5);
    s.reply_to = stmt.Text(6);
    s.sms_transport = stmt.Text(7);
    s.notify_base_url = stmt.Text(8);
    s.notify_api_key = stmt.Text(9);
    s.notify_sms_template_id = stmt.Text(10);
    s.notify_receipt_token = stmt.Text(11);
    s.day_one_minute = static_cast<int>(stmt.Int64(12));
    s.public_url = stmt.Text(13);
    s.set_at = stmt.Int64(14);
    s.set_by = stmt.Text(15);
    return s;
  });
}

StatusOr<int64_t> SqlStore::SaveMessageSettings(const MessageSettings& s) {
  return Write([&]() -> StatusOr<int64_t> {
    ASSIGN_OR_RETURN(
        Statement stmt,
        db_->Prepare("INSERT INTO message_settings (version, email_transport, smtp_username, "
                     "smtp_password, from_address, from_name, reply_to, sms_transport, "
                     "notify_base_url, notify_api_key, notify_sms_template_id, "
                     "notify_receipt_token, day_one_minute, public_url, set_at, set_by) VALUES "
                     "((SELECT COALESCE(MAX(version), 0) + 1 FROM message_settings), ?1, ?2, ?3, "
                     "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) RETURNING version"));
    stmt.Bind(1, s.email_transport);
    stmt.Bind(2, s.smtp_username);
    stmt.Bind(3, s.smtp_password);
    stmt.Bind(4, s.from_address);
    stmt.Bind(5, s.from_name);
    stmt.Bind(6, s.reply_to);
    stmt.Bind(7, s.sms_transport);
    stmt.Bind(8, s.notify_base_url);
    stmt.Bind(9, s.notify_api_key);
    stmt.Bind(10, s.notify_sms_template_id);
    stmt.Bind(11, s.notify_receipt_token);
    stmt.Bind(12, s.day_one_minute);
    stmt.Bind(13, s.public_url);
    stmt.Bind(14, s.set_at);
    stmt.Bind(15, s.set_by);
    return stmt.InsertReturningId();
  });
}

}  // namespace rollcall::store::sql
