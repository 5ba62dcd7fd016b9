
-- AlterTable
ALTER TABLE "provincial_case" ADD COLUMN     "anonymised_at" TIMESTAMPTZ(3);

