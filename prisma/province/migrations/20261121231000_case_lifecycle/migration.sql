
-- DropIndex
DROP INDEX "provincial_case_province_code_status_idx";

-- AlterTable
ALTER TABLE "provincial_case" DROP COLUMN "status",
ADD COLUMN     "legal_state" TEXT NOT NULL DEFAULT 'none',
ADD COLUMN     "resume_state" TEXT,
ADD COLUMN     "state" TEXT NOT NULL DEFAULT 'awaiting_acceptance',
ADD COLUMN     "transfer_to" TEXT,
ADD COLUMN     "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- DropEnum
DROP TYPE "provincial_case_status";

-- CreateTable
CREATE TABLE "case_transition" (
    "id" BIGSERIAL NOT NULL,
    "case_id" UUID NOT NULL,
    "track" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "from_state" TEXT NOT NULL,
    "to_state" TEXT NOT NULL,
    "actor_id" TEXT NOT NULL,
    "actor_role" TEXT NOT NULL,
    "actor_organisation" TEXT,
    "reason" TEXT,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "case_transition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "case_facts" (
    "case_id" UUID NOT NULL,
    "is_child" BOOLEAN NOT NULL,
    "consent_to_share" BOOLEAN NOT NULL,
    "consent_to_contact" BOOLEAN NOT NULL,
    "child_best_interest_recorded" BOOLEAN NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "case_facts_pkey" PRIMARY KEY ("case_id")
);

-- CreateTable
CREATE TABLE "service_referral" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "service" TEXT NOT NULL,
    "organisation_id" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'offered',
    "consent_basis" TEXT NOT NULL,
    "override_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "service_referral_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "service_referral_transition" (
    "id" BIGSERIAL NOT NULL,
    "service_referral_id" UUID NOT NULL,
    "event" TEXT NOT NULL,
    "from_state" TEXT NOT NULL,
    "to_state" TEXT NOT NULL,
    "actor_id" TEXT NOT NULL,
    "actor_role" TEXT NOT NULL,
    "actor_organisation" TEXT,
    "reason" TEXT,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "service_referral_transition_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "case_transition_case_id_id_idx" ON "case_transition"("case_id", "id");

-- CreateIndex
CREATE INDEX "service_referral_case_id_idx" ON "service_referral"("case_id");

-- CreateIndex
CREATE INDEX "service_referral_organisation_id_state_idx" ON "service_referral"("organisation_id", "state");

-- CreateIndex
CREATE INDEX "service_referral_transition_service_referral_id_id_idx" ON "service_referral_transition"("service_referral_id", "id");

-- CreateIndex
CREATE INDEX "provincial_case_province_code_state_opened_at_idx" ON "provincial_case"("province_code", "state", "opened_at");

-- CreateIndex
CREATE INDEX "provincial_case_transfer_to_idx" ON "provincial_case"("transfer_to");

-- CreateIndex
CREATE INDEX "provincial_case_state_opened_at_idx" ON "provincial_case"("state", "opened_at");

-- AddForeignKey
ALTER TABLE "case_transition" ADD CONSTRAINT "case_transition_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "provincial_case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "service_referral" ADD CONSTRAINT "service_referral_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "provincial_case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "service_referral_transition" ADD CONSTRAINT "service_referral_transition_service_referral_id_fkey" FOREIGN KEY ("service_referral_id") REFERENCES "service_referral"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

