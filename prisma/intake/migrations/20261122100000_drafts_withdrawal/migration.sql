
-- AlterTable
ALTER TABLE "referral" ADD COLUMN     "withdrawal_ciphertext" TEXT;

-- CreateTable
CREATE TABLE "referral_draft" (
    "id" UUID NOT NULL,
    "owner_id" TEXT NOT NULL,
    "ciphertext" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "referral_draft_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "referral_draft_owner_id_updated_at_idx" ON "referral_draft"("owner_id", "updated_at");

