-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "province";

-- CreateEnum
CREATE TYPE "dead_letter_status" AS ENUM ('pending', 'replayed', 'discarded');

-- CreateEnum
CREATE TYPE "provincial_case_status" AS ENUM ('opened');

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
CREATE TABLE "provincial_case" (
    "id" UUID NOT NULL,
    "province_code" TEXT NOT NULL,
    "status" "provincial_case_status" NOT NULL,
    "opened_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "provincial_case_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "outbox_sequence_key" ON "outbox"("sequence");

-- CreateIndex
CREATE INDEX "outbox_published_at_sequence_idx" ON "outbox"("published_at", "sequence");

-- CreateIndex
CREATE INDEX "dead_letter_status_created_at_idx" ON "dead_letter"("status", "created_at");

-- CreateIndex
CREATE INDEX "provincial_case_province_code_status_idx" ON "provincial_case"("province_code", "status");

