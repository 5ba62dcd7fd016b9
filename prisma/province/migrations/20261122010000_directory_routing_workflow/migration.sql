
-- DropIndex
DROP INDEX "deadline_case_id_kind_key";

-- AlterTable
ALTER TABLE "deadline" ADD COLUMN     "subject_id" UUID;
UPDATE "deadline" SET "subject_id" = "case_id";
ALTER TABLE "deadline" ALTER COLUMN "subject_id" SET NOT NULL;

-- AlterTable
ALTER TABLE "provincial_case" ADD COLUMN     "case_manager_id" TEXT,
ADD COLUMN     "risk_group" TEXT,
ADD COLUMN     "routing" JSONB,
ADD COLUMN     "urgency" TEXT NOT NULL DEFAULT 'standard';

-- AlterTable
ALTER TABLE "service_referral" ADD COLUMN     "attempt" INTEGER NOT NULL DEFAULT 1;

-- CreateTable
CREATE TABLE "service_need" (
    "case_id" UUID NOT NULL,
    "service" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "organisation_id" TEXT,
    "attempt" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "service_need_pkey" PRIMARY KEY ("case_id","service")
);

-- CreateTable
CREATE TABLE "mdt_member" (
    "case_id" UUID NOT NULL,
    "user_id" TEXT NOT NULL,
    "organisation_id" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "assigned_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "mdt_member_pkey" PRIMARY KEY ("case_id","user_id")
);

-- CreateTable
CREATE TABLE "escalation" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "deadline_id" UUID,
    "deadline_kind" TEXT,
    "service" TEXT,
    "raised_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),
    "resolved_by" TEXT,
    "resolution" TEXT,

    CONSTRAINT "escalation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "follow_up_visit" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "sequence" INTEGER NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "visited_on" DATE,
    "outcome" TEXT,
    "recorded_by" TEXT,

    CONSTRAINT "follow_up_visit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "hold_extension" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "court_order_reference" TEXT NOT NULL,
    "extra_days" INTEGER NOT NULL,
    "recorded_by" TEXT NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "hold_extension_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deadline_policy" (
    "kind" TEXT NOT NULL,
    "amounts" INTEGER[],
    "urgent_amounts" INTEGER[],
    "unit" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "deadline_policy_pkey" PRIMARY KEY ("kind")
);

-- CreateTable
CREATE TABLE "holiday" (
    "date" DATE NOT NULL,
    "name_en" TEXT NOT NULL,
    "name_th" TEXT NOT NULL,

    CONSTRAINT "holiday_pkey" PRIMARY KEY ("date")
);

-- CreateIndex
CREATE UNIQUE INDEX "escalation_deadline_id_key" ON "escalation"("deadline_id");

-- CreateIndex
CREATE INDEX "escalation_case_id_idx" ON "escalation"("case_id");

-- CreateIndex
CREATE INDEX "escalation_resolved_at_raised_at_idx" ON "escalation"("resolved_at", "raised_at");

-- CreateIndex
CREATE UNIQUE INDEX "follow_up_visit_case_id_sequence_key" ON "follow_up_visit"("case_id", "sequence");

-- CreateIndex
CREATE INDEX "hold_extension_case_id_idx" ON "hold_extension"("case_id");

-- CreateIndex
CREATE UNIQUE INDEX "deadline_case_id_kind_subject_id_key" ON "deadline"("case_id", "kind", "subject_id");

-- AddForeignKey
ALTER TABLE "service_need" ADD CONSTRAINT "service_need_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "provincial_case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "mdt_member" ADD CONSTRAINT "mdt_member_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "provincial_case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "escalation" ADD CONSTRAINT "escalation_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "provincial_case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "follow_up_visit" ADD CONSTRAINT "follow_up_visit_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "provincial_case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "hold_extension" ADD CONSTRAINT "hold_extension_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "provincial_case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

