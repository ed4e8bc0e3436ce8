-- 0021_messaging.sql: email and text messages through the outbox. The twin
-- of migrations/sqlite/0021_messaging.sql (which says more); tenancy as in
-- 0001_initial.sql.

ALTER TABLE outbox ADD COLUMN pupil_id bigint;
ALTER TABLE outbox ADD COLUMN recipient text NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN provider_ref text;
ALTER TABLE outbox ADD COLUMN receipt text NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN receipt_at bigint;
CREATE INDEX outbox_by_pupil ON outbox (school_id, pupil_id, id) WHERE pupil_id IS NOT NULL;
CREATE INDEX outbox_by_provider_ref ON outbox (school_id, provider_ref)
  WHERE provider_ref IS NOT NULL;

CREATE TABLE message_settings (
  school_id bigint NOT NULL DEFAULT rollcall_school_id() REFERENCES schools (id),
  version bigint NOT NULL,
  email_transport text NOT NULL DEFAULT '',
  smtp_username text NOT NULL DEFAULT '',
  smtp_password text NOT NULL DEFAULT '',
  from_address text NOT NULL DEFAULT '',
  from_name text NOT NULL DEFAULT '',
  reply_to text NOT NULL DEFAULT '',
  sms_transport text NOT NULL DEFAULT '',
  notify_base_url text NOT NULL DEFAULT 'https://api.notifications.service.gov.uk',
  notify_api_key text NOT NULL DEFAULT '',
  notify_sms_template_id text NOT NULL DEFAULT '',
  notify_receipt_token text NOT NULL DEFAULT '',
  day_one_minute integer NOT NULL DEFAULT 600 CHECK (day_one_minute BETWEEN 0 AND 1439),
  public_url text NOT NULL DEFAULT '',
  set_at bigint NOT NULL,
  set_by text NOT NULL,
  PRIMARY KEY (school_id, version)
);
