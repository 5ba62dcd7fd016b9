
-- DropIndex
DROP INDEX "deadline_case_id_kind_key";

-- AlterTable
ALTER TABLE "deadline" ADD COLUMN     "subject_id" UUID;
UPDATE "deadline" SET "subject_id" = "case_id";
ALTER TABLE "deadline" ALTER COLUMN "subject_id" SET NOT NULL;

-- AlterTable
ALTER TABLE "routing_decision" ADD COLUMN     "decision_id" UUID NOT NULL DEFAULT gen_random_uuid(),
ADD COLUMN     "facts" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "risk_group" TEXT NOT NULL DEFAULT 'D',
ADD COLUMN     "urgency" TEXT NOT NULL DEFAULT 'standard';
ALTER TABLE "routing_decision" ALTER COLUMN "decision_id" DROP DEFAULT,
ALTER COLUMN "facts" DROP DEFAULT,
ALTER COLUMN "risk_group" DROP DEFAULT,
ALTER COLUMN "urgency" DROP DEFAULT;

-- CreateTable
CREATE TABLE "province" (
    "code" TEXT NOT NULL,
    "name_en" TEXT NOT NULL,
    "name_th" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "risk_group" TEXT NOT NULL,
    "risk_group_fiscal_year" INTEGER NOT NULL,
    "operation_centre_name_en" TEXT NOT NULL,
    "operation_centre_name_th" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "province_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "organisation" (
    "id" TEXT NOT NULL,
    "name_en" TEXT NOT NULL,
    "name_th" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "nationwide" BOOLEAN NOT NULL DEFAULT false,
    "provinces" TEXT[],
    "languages" TEXT[],
    "client_groups" TEXT[],
    "nationalities" TEXT[],
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "organisation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "organisation_service" (
    "organisation_id" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "capacity" INTEGER,

    CONSTRAINT "organisation_service_pkey" PRIMARY KEY ("organisation_id","service")
);

-- CreateTable
CREATE TABLE "placement" (
    "case_id" UUID NOT NULL,
    "service" TEXT NOT NULL,
    "organisation_id" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "placement_pkey" PRIMARY KEY ("case_id","service","organisation_id")
);

-- CreateTable
CREATE TABLE "rule_set" (
    "version" INTEGER NOT NULL,
    "rules" JSONB NOT NULL,
    "note" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rule_set_pkey" PRIMARY KEY ("version")
);

-- CreateTable
CREATE TABLE "offer_decision" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "service" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "organisation_id" TEXT,
    "rule_version" INTEGER NOT NULL,
    "explanation" JSONB NOT NULL,
    "decided_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "offer_decision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "organisation_service_service_idx" ON "organisation_service"("service");

-- CreateIndex
CREATE INDEX "placement_organisation_id_service_active_idx" ON "placement"("organisation_id", "service", "active");

-- CreateIndex
CREATE UNIQUE INDEX "offer_decision_case_id_service_attempt_key" ON "offer_decision"("case_id", "service", "attempt");

-- CreateIndex
CREATE UNIQUE INDEX "deadline_case_id_kind_subject_id_key" ON "deadline"("case_id", "kind", "subject_id");

-- CreateIndex
CREATE UNIQUE INDEX "routing_decision_decision_id_key" ON "routing_decision"("decision_id");

-- AddForeignKey
ALTER TABLE "organisation_service" ADD CONSTRAINT "organisation_service_organisation_id_fkey" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

