-- Each downstream event moves a referral's status, case state or responsible province. With none of
-- those indexed and room left on each page, PostgreSQL updates the row in place (a HOT update):
-- no new entry in any index and less WAL. No query reads referrals by status.
DROP INDEX "referral_status_submitted_at_idx";

ALTER TABLE "referral" SET (fillfactor = 80);
