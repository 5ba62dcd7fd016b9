
-- DropIndex
DROP INDEX "deadline_case_id_kind_key";

-- AlterTable
ALTER TABLE "deadline" ADD COLUMN     "subject_id" UUID;
UPDATE "deadline" SET "subject_id" = "case_id";
ALTER TABLE "deadline" ALTER COLUMN "subject_id" SET NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "deadline_case_id_kind_subject_id_key" ON "deadline"("case_id", "kind", "subject_id");

