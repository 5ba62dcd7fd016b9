
-- AlterTable
ALTER TABLE "referral" ADD COLUMN     "anonymised_at" TIMESTAMPTZ(3);

