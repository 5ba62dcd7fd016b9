
-- AlterTable
ALTER TABLE "referral" ADD COLUMN IF NOT EXISTS "case_state" TEXT;

-- AlterTable
ALTER TABLE "referral_history" ADD COLUMN IF NOT EXISTS "detail" TEXT;

