-- SET and SHOW of session parameters.
SET TIME ZONE 'UTC';
SET TIME ZONE LOCAL;
SET timezone TO 'Etc/UTC';
SET "TimeZone" = DEFAULT;
SET LOCAL timezone = UTC;
SET SESSION TIME ZONE 0;
SHOW timezone;
SHOW TIME ZONE;
