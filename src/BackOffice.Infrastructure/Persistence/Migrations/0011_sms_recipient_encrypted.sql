-- 0011: the SMS outbox's recipient numbers are stored encrypted as well (the app encrypts existing rows at start-up).

ALTER TABLE outgoing_sms ALTER COLUMN "Recipient" TYPE character varying(300);
