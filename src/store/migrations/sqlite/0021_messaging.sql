-- 0021_messaging.sql: email and text messages through the outbox
-- (docs/messaging.md), and how the school sends them.
--
-- outbox gains, for the channels 'email' and 'sms':
--   pupil_id      the pupil a message to a family is about (it is written to
--                 the pupil's contact log once sent); NULL for staff and
--                 webhooks;
--   recipient     who it is for, as the contact log names them;
--   provider_ref  the id the text message provider gave the message, to
--                 match its delivery receipts;
--   receipt       the provider's last word on delivery ('delivered',
--                 'permanent-failure', ...), and receipt_at when it came.
--
-- message_settings: versioned like settings; the newest row is in force.
--   email_transport  '' (no email), 'smtp://host:port' (STARTTLS required
--                    unless the host is this machine), 'smtps://host:port',
--                    or 'folder:PATH' (each email written as an .eml file);
--   sms_transport    '' (no texts), 'notify' (GOV.UK Notify) or
--                    'folder:PATH' (each text written as JSON);
--   secrets (the SMTP password, the Notify API key, the token Notify sends
--   with delivery receipts) are kept as given: they cannot be hashed.
--   day_one_minute   the UK time, minutes after midnight, of the day-one
--                    absence messages (after the morning register closes);
--   public_url       where families reach rollcall, for links in messages.

ALTER TABLE outbox ADD COLUMN pupil_id INTEGER;
ALTER TABLE outbox ADD COLUMN recipient TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN provider_ref TEXT;
ALTER TABLE outbox ADD COLUMN receipt TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN receipt_at INTEGER;
CREATE INDEX outbox_by_pupil ON outbox (pupil_id, id) WHERE pupil_id IS NOT NULL;
CREATE INDEX outbox_by_provider_ref ON outbox (provider_ref) WHERE provider_ref IS NOT NULL;

CREATE TABLE message_settings (
  version INTEGER PRIMARY KEY,
  email_transport TEXT NOT NULL DEFAULT '',
  smtp_username TEXT NOT NULL DEFAULT '',
  smtp_password TEXT NOT NULL DEFAULT '',
  from_address TEXT NOT NULL DEFAULT '',
  from_name TEXT NOT NULL DEFAULT '',
  reply_to TEXT NOT NULL DEFAULT '',
  sms_transport TEXT NOT NULL DEFAULT '',
  notify_base_url TEXT NOT NULL DEFAULT 'https://api.notifications.service.gov.uk',
  notify_api_key TEXT NOT NULL DEFAULT '',
  notify_sms_template_id TEXT NOT NULL DEFAULT '',
  notify_receipt_token TEXT NOT NULL DEFAULT '',
  day_one_minute INTEGER NOT NULL DEFAULT 600 CHECK (day_one_minute BETWEEN 0 AND 1439),
  public_url TEXT NOT NULL DEFAULT '',
  set_at INTEGER NOT NULL,
  set_by TEXT NOT NULL
);
