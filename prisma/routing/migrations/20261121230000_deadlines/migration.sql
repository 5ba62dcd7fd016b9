
-- CreateEnum
CREATE TYPE "deadline_status" AS ENUM ('pending', 'met', 'breached', 'cancelled');

-- CreateTable
CREATE TABLE "deadline" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "status" "deadline_status" NOT NULL DEFAULT 'pending',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "settled_at" TIMESTAMPTZ(3),

    CONSTRAINT "deadline_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "deadline_status_due_at_idx" ON "deadline"("status", "due_at");

-- CreateIndex
CREATE UNIQUE INDEX "deadline_case_id_kind_key" ON "deadline"("case_id", "kind");

