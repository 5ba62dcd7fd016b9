-- AlterTable
ALTER TABLE "referral" ADD COLUMN     "consent_basis" TEXT,
ADD COLUMN     "consent_recorded_at" TIMESTAMPTZ(3),
ADD COLUMN     "consent_to_contact" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "consent_to_share" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "danger_level" TEXT,
ADD COLUMN     "document_hmac" TEXT,
ADD COLUMN     "forced_labour_sector" TEXT,
ADD COLUMN     "medical_need" TEXT,
ADD COLUMN     "screening" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "urgent" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "possible_duplicate" (
    "id" BIGSERIAL NOT NULL,
    "referral_id" UUID NOT NULL,
    "candidate_id" UUID NOT NULL,
    "score" INTEGER NOT NULL,
    "matched_on" TEXT[],
    "flagged_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "possible_duplicate_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "possible_duplicate_candidate_id_idx" ON "possible_duplicate"("candidate_id");

-- CreateIndex
CREATE UNIQUE INDEX "possible_duplicate_referral_id_candidate_id_key" ON "possible_duplicate"("referral_id", "candidate_id");

-- CreateIndex
CREATE INDEX "referral_province_code_nationality_gender_found_on_idx" ON "referral"("province_code", "nationality", "gender", "found_on");

-- AddForeignKey
ALTER TABLE "possible_duplicate" ADD CONSTRAINT "possible_duplicate_referral_id_fkey" FOREIGN KEY ("referral_id") REFERENCES "referral"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "possible_duplicate" ADD CONSTRAINT "possible_duplicate_candidate_id_fkey" FOREIGN KEY ("candidate_id") REFERENCES "referral"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

