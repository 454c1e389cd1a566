-- 0010: holders' names, birth dates and mobile numbers are stored encrypted (Data Protection, keys outside the
-- database); documents are found by the mobile number's keyed hash. Existing plain values stay readable and are
-- encrypted by the app at start-up (PersonalDataBackfill).

ALTER TABLE documents ALTER COLUMN "HolderName" TYPE character varying(1000);
ALTER TABLE documents ALTER COLUMN "MobileNumber" TYPE character varying(300);
ALTER TABLE documents ALTER COLUMN "DateOfBirth" TYPE character varying(300) USING to_char("DateOfBirth", 'YYYY-MM-DD');
ALTER TABLE documents ADD COLUMN "MobileNumberHash" character varying(64);
DROP INDEX "IX_documents_MobileNumber";
CREATE INDEX "IX_documents_MobileNumberHash" ON documents ("MobileNumberHash");

-- Failure counts are kept per number's keyed hash from now on; the plain-number rows go (the counts start again).
DELETE FROM pickup_phone_failures;
ALTER TABLE pickup_phone_failures ALTER COLUMN "Phone" TYPE character varying(64);
