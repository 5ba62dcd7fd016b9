
-- AlterTable
ALTER TABLE "referral" ADD COLUMN     "submitted_by" TEXT;

