
-- CreateIndex
CREATE INDEX "referral_submitted_by_submitted_at_idx" ON "referral"("submitted_by", "submitted_at");

