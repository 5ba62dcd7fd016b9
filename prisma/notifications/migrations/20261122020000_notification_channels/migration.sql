
-- CreateEnum
CREATE TYPE "delivery_status" AS ENUM ('queued', 'sending', 'sent', 'delivered', 'failed', 'unknown', 'suspended');


-- CreateTable
CREATE TABLE "subscriber" (
    "account_id" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "province_code" TEXT,
    "organisation_id" TEXT,
    "language" TEXT NOT NULL DEFAULT 'th',
    "email" TEXT,
    "phone" TEXT,
    "line_user_id" TEXT,
    "channels" TEXT[],
    "quiet_from" TEXT,
    "quiet_until" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "subscriber_pkey" PRIMARY KEY ("account_id")
);

-- CreateTable
CREATE TABLE "notice" (
    "id" UUID NOT NULL,
    "event_id" UUID NOT NULL,
    "case_id" UUID,
    "province_code" TEXT,
    "audience" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "urgent" BOOLEAN NOT NULL DEFAULT false,
    "facts" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notice_read" (
    "notice_id" UUID NOT NULL,
    "account_id" TEXT NOT NULL,
    "read_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notice_read_pkey" PRIMARY KEY ("notice_id","account_id")
);

-- CreateTable
CREATE TABLE "delivery" (
    "id" UUID NOT NULL,
    "notice_id" UUID NOT NULL,
    "channel" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "status" "delivery_status" NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "not_before" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "delivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "delivery_attempt" (
    "delivery_id" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "outcome" TEXT,
    "error" TEXT,
    "response_status" INTEGER,

    CONSTRAINT "delivery_attempt_pkey" PRIMARY KEY ("delivery_id","attempt")
);

-- CreateTable
CREATE TABLE "webhook_endpoint" (
    "id" UUID NOT NULL,
    "audience" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "kinds" TEXT[],
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "consecutive_failures" INTEGER NOT NULL DEFAULT 0,
    "disabled_at" TIMESTAMPTZ(3),
    "disabled_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_endpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "case_contact" (
    "case_id" UUID NOT NULL,
    "province_code" TEXT,
    "referrer_account_id" TEXT,
    "state" TEXT,
    "urgent" BOOLEAN NOT NULL DEFAULT false,
    "opened_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "case_contact_pkey" PRIMARY KEY ("case_id")
);

-- CreateTable
CREATE TABLE "offer_contact" (
    "service_referral_id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "organisation_id" TEXT NOT NULL,
    "service" TEXT NOT NULL,

    CONSTRAINT "offer_contact_pkey" PRIMARY KEY ("service_referral_id")
);

-- CreateTable
CREATE TABLE "watched_deadline" (
    "deadline_id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "subject_id" UUID NOT NULL,
    "province_code" TEXT NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "status" TEXT NOT NULL,

    CONSTRAINT "watched_deadline_pkey" PRIMARY KEY ("deadline_id")
);

-- CreateIndex
CREATE INDEX "subscriber_role_province_code_idx" ON "subscriber"("role", "province_code");

-- CreateIndex
CREATE INDEX "subscriber_role_organisation_id_idx" ON "subscriber"("role", "organisation_id");

-- CreateIndex
CREATE INDEX "notice_audience_created_at_idx" ON "notice"("audience", "created_at");

-- CreateIndex
CREATE INDEX "notice_kind_created_at_idx" ON "notice"("kind", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "notice_event_id_audience_key" ON "notice"("event_id", "audience");

-- CreateIndex
CREATE INDEX "delivery_status_not_before_idx" ON "delivery"("status", "not_before");

-- CreateIndex
CREATE INDEX "delivery_recipient_status_idx" ON "delivery"("recipient", "status");

-- CreateIndex
CREATE UNIQUE INDEX "delivery_notice_id_recipient_channel_key" ON "delivery"("notice_id", "recipient", "channel");

-- CreateIndex
CREATE INDEX "webhook_endpoint_audience_idx" ON "webhook_endpoint"("audience");

-- CreateIndex
CREATE INDEX "case_contact_province_code_state_idx" ON "case_contact"("province_code", "state");

-- AddForeignKey
ALTER TABLE "notice_read" ADD CONSTRAINT "notice_read_notice_id_fkey" FOREIGN KEY ("notice_id") REFERENCES "notice"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "delivery" ADD CONSTRAINT "delivery_notice_id_fkey" FOREIGN KEY ("notice_id") REFERENCES "notice"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "delivery_attempt" ADD CONSTRAINT "delivery_attempt_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "delivery"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- The in-app notices recorded before channels existed become notices of the same audience.
INSERT INTO "notice" ("id", "event_id", "case_id", "audience", "kind", "created_at")
SELECT "id", "event_id", "case_id", "recipient", "kind", "created_at" FROM "notification"
ON CONFLICT DO NOTHING;

-- DropTable
DROP TABLE "notification";
