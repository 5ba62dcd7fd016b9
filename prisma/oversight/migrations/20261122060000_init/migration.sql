
-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "oversight";

-- CreateEnum
CREATE TYPE "dead_letter_status" AS ENUM ('pending', 'replayed', 'discarded');

-- CreateEnum
CREATE TYPE "deadline_status" AS ENUM ('pending', 'met', 'breached', 'cancelled');

-- CreateTable
CREATE TABLE "audit_entry" (
    "sequence" BIGSERIAL NOT NULL,
    "id" UUID NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "actor_id" TEXT NOT NULL,
    "actor_role" TEXT NOT NULL,
    "actor_organisation" TEXT,
    "actor_province" TEXT,
    "action" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "detail" TEXT,
    "reason" TEXT,
    "previous_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "audit_entry_pkey" PRIMARY KEY ("sequence")
);

-- CreateTable
CREATE TABLE "outbox" (
    "id" UUID NOT NULL,
    "sequence" BIGSERIAL NOT NULL,
    "topic" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "headers" JSONB NOT NULL,
    "envelope" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "inbox" (
    "consumer" TEXT NOT NULL,
    "event_id" UUID NOT NULL,
    "topic" TEXT NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbox_pkey" PRIMARY KEY ("consumer","event_id")
);

-- CreateTable
CREATE TABLE "dead_letter" (
    "id" UUID NOT NULL,
    "consumer" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "partition" INTEGER NOT NULL,
    "offset" TEXT NOT NULL,
    "key" TEXT,
    "event_id" TEXT,
    "event_type" TEXT,
    "headers" JSONB NOT NULL,
    "value" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "details" JSONB,
    "attempts" INTEGER NOT NULL,
    "status" "dead_letter_status" NOT NULL DEFAULT 'pending',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),
    "resolved_note" TEXT,

    CONSTRAINT "dead_letter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deadline" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "subject_id" UUID NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "status" "deadline_status" NOT NULL DEFAULT 'pending',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "settled_at" TIMESTAMPTZ(3),

    CONSTRAINT "deadline_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "case_event" (
    "event_id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "rank" INTEGER NOT NULL,
    "actor_role" TEXT,
    "province_code" TEXT,
    "risk_group" TEXT,
    "state" TEXT,
    "breached_kind" TEXT,

    CONSTRAINT "case_event_pkey" PRIMARY KEY ("event_id")
);

-- CreateTable
CREATE TABLE "case_summary" (
    "case_id" UUID NOT NULL,
    "province_code" TEXT,
    "state" TEXT NOT NULL,
    "risk_group" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3),
    "last_changed_at" TIMESTAMPTZ(3) NOT NULL,
    "breaches" INTEGER NOT NULL,

    CONSTRAINT "case_summary_pkey" PRIMARY KEY ("case_id")
);

-- CreateTable
CREATE TABLE "stage_interval" (
    "case_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "stage" TEXT NOT NULL,
    "entered_at" TIMESTAMPTZ(3) NOT NULL,
    "left_at" TIMESTAMPTZ(3),

    CONSTRAINT "stage_interval_pkey" PRIMARY KEY ("case_id","position")
);

-- CreateIndex
CREATE UNIQUE INDEX "audit_entry_id_key" ON "audit_entry"("id");

-- CreateIndex
CREATE INDEX "audit_entry_subject_idx" ON "audit_entry"("subject");

-- CreateIndex
CREATE INDEX "audit_entry_actor_id_occurred_at_idx" ON "audit_entry"("actor_id", "occurred_at");

-- CreateIndex
CREATE INDEX "audit_entry_occurred_at_idx" ON "audit_entry"("occurred_at");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_sequence_key" ON "outbox"("sequence");

-- CreateIndex
CREATE INDEX "outbox_published_at_sequence_idx" ON "outbox"("published_at", "sequence");

-- CreateIndex
CREATE INDEX "dead_letter_status_created_at_idx" ON "dead_letter"("status", "created_at");

-- CreateIndex
CREATE INDEX "deadline_status_due_at_idx" ON "deadline"("status", "due_at");

-- CreateIndex
CREATE UNIQUE INDEX "deadline_case_id_kind_subject_id_key" ON "deadline"("case_id", "kind", "subject_id");

-- CreateIndex
CREATE INDEX "case_event_case_id_occurred_at_idx" ON "case_event"("case_id", "occurred_at");

-- CreateIndex
CREATE INDEX "case_event_occurred_at_idx" ON "case_event"("occurred_at");

-- CreateIndex
CREATE INDEX "case_summary_province_code_state_idx" ON "case_summary"("province_code", "state");

-- CreateIndex
CREATE INDEX "case_summary_risk_group_state_idx" ON "case_summary"("risk_group", "state");

-- CreateIndex
CREATE INDEX "stage_interval_stage_idx" ON "stage_interval"("stage");

