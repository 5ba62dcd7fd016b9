-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "intake";

-- CreateEnum
CREATE TYPE "dead_letter_status" AS ENUM ('pending', 'replayed', 'discarded');

-- CreateEnum
CREATE TYPE "deadline_status" AS ENUM ('pending', 'met', 'breached', 'cancelled');

-- CreateEnum
CREATE TYPE "referral_status" AS ENUM ('submitted', 'routed', 'opened', 'notified');

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
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "status" "deadline_status" NOT NULL DEFAULT 'pending',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "settled_at" TIMESTAMPTZ(3),

    CONSTRAINT "deadline_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "referral" (
    "id" UUID NOT NULL,
    "idempotency_key" TEXT,
    "status" "referral_status" NOT NULL,
    "referrer_organisation" TEXT NOT NULL,
    "came_to_notice_via" TEXT NOT NULL,
    "province_code" TEXT NOT NULL,
    "found_on" DATE NOT NULL,
    "age_band" TEXT NOT NULL,
    "is_child" BOOLEAN NOT NULL,
    "gender" TEXT NOT NULL,
    "nationality" TEXT NOT NULL,
    "exploitation_types" TEXT[],
    "identity_ciphertext" TEXT NOT NULL,
    "responsible_province" TEXT,
    "submitted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "referral_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "referral_history" (
    "id" BIGSERIAL NOT NULL,
    "referral_id" UUID NOT NULL,
    "event_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "referral_history_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "outbox_sequence_key" ON "outbox"("sequence");

-- CreateIndex
CREATE INDEX "outbox_published_at_sequence_idx" ON "outbox"("published_at", "sequence");

-- CreateIndex
CREATE INDEX "dead_letter_status_created_at_idx" ON "dead_letter"("status", "created_at");

-- CreateIndex
CREATE INDEX "deadline_status_due_at_idx" ON "deadline"("status", "due_at");

-- CreateIndex
CREATE UNIQUE INDEX "deadline_case_id_kind_key" ON "deadline"("case_id", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "referral_idempotency_key_key" ON "referral"("idempotency_key");

-- CreateIndex
CREATE INDEX "referral_status_submitted_at_idx" ON "referral"("status", "submitted_at");

-- CreateIndex
CREATE UNIQUE INDEX "referral_history_event_id_key" ON "referral_history"("event_id");

-- CreateIndex
CREATE INDEX "referral_history_referral_id_occurred_at_idx" ON "referral_history"("referral_id", "occurred_at");

-- AddForeignKey
ALTER TABLE "referral_history" ADD CONSTRAINT "referral_history_referral_id_fkey" FOREIGN KEY ("referral_id") REFERENCES "referral"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

